// `rollsafe check` refuses what the API server refuses while decoding a manifest (src/kube), and
// its types are the API server's: against a real kube-apiserver v1.37 and kubectl 1.37.
// - src/kube/api-types.ts (generated from the OpenAPI documents Kubernetes commits) equals the
//   table built from what this API server serves at /openapi/v3;
// - every case of test/fixtures/kube-schema (written to probe each rule, with kubectl's verdict
//   recorded in EXPECTED.tsv) gets the same verdict from `kubectl apply --dry-run=server` (strict
//   field validation, kubectl's default) as from `rollsafe check`, and every field kubectl names
//   as unknown is named by rollsafe too;
// - the copy client-side apply adds to an object's annotations, at the 262144-byte limit;
// - with --server-side, the verdicts of kubectl apply --server-side (MODES.tsv, and live for the
//   cases where the modes differ).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { API_TYPES } from '../../src/kube/api-types.js';
import { ANNOTATIONS_LIMIT, lastAppliedSize } from '../../src/kube/last-applied.js';
import { buildTypeTable, DOCUMENTS } from '../../scripts/kube-types/build.js';
import { ROOT } from '../helpers/spawn-cli.js';
import { rollsafe } from '../helpers/run-cli.js';
import { type Cluster, startCluster, succeeded } from './helpers/cluster.js';

jest.setTimeout(180_000);

const FIXTURES = join(ROOT, 'test/fixtures/kube-schema');
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  succeeded(['create', 'namespace', 'shop'], await cluster.kubectl(['create', 'namespace', 'shop']));
});

afterAll(async () => {
  await cluster?.stop();
});

interface Expected {
  readonly file: string;
  readonly exit: string;
  /** unknown-field, type, quantity, base64, metadata-type, yaml: the API server (or kubectl) cannot decode it; validation, kind, no-name: it can. */
  readonly refusal: string;
  readonly message: string;
}

function expectedRows(): Expected[] {
  const lines = readFileSync(join(FIXTURES, 'EXPECTED.tsv'), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const [header = '', ...rows] = lines;
  const columns = header.split('\t');
  return rows.map((r) => Object.fromEntries(r.split('\t').map((v, i) => [columns[i], v])) as unknown as Expected);
}

/**
 * The cases where kubectl and `rollsafe check` disagree, each for its reason; the test fails if
 * this list is not exactly the disagreements, so a fix (or a new one) updates it. Check repeats
 * the API server's decoding (src/kube/structure.ts), the common rules of its validation
 * (src/kube/validation) and the size of client-side apply's copy of the object
 * (src/kube/last-applied.ts), so what is left is a kind the API server does not serve, which check skips.
 */
const DISAGREEMENTS: Record<string, string> = {
  'deploy-kind-lowercase.yaml': 'kind: deployment is not a kind: check skips kinds it does not know',
};

describe('rollsafe check and kubectl apply --dry-run=server agree on test/fixtures/kube-schema', () => {
  const rows = expectedRows();

  it('holds the cases the fixtures README describes', () => {
    expect(rows.length).toBe(readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).length);
    expect(rows.length).toBeGreaterThanOrEqual(145);
  });

  it('refuses exactly what kubectl refuses, but the listed cases, and names every unknown field kubectl names', async () => {
    const r = await rollsafe(['check', '-o', 'json', FIXTURES]);
    const report = JSON.parse(r.stdout) as { errors: { file: string; message: string }[] };
    const refusedByCheck = new Map<string, string>();
    for (const e of report.errors) refusedByCheck.set(e.file.slice(e.file.lastIndexOf('/') + 1), `${refusedByCheck.get(e.file) ?? ''}${e.message}\n`);
    const disagreements: Record<string, string> = {};
    for (const row of rows) {
      // the verdict recorded is still kubectl's today
      const args = ['apply', '--dry-run=server', '-f', join(FIXTURES, row.file)];
      const live = await cluster.kubectl(args);
      expect([row.file, live.code === 0]).toEqual([row.file, row.exit === '0']);
      const ours = refusedByCheck.get(row.file);
      if ((ours !== undefined) !== (row.exit !== '0')) disagreements[row.file] = DISAGREEMENTS[row.file] ?? `kubectl: ${row.message}; check: ${ours ?? 'accepted'}`;
      for (const [, field] of live.stderr.matchAll(/unknown field "([^"]+)"/g)) {
        expect([row.file, ours]).toEqual([row.file, expect.stringContaining(`${field}: is not a field of`)]);
      }
    }
    expect(disagreements).toEqual(DISAGREEMENTS);
  });

  // Kinds the policies skip, in the peers' own test fixtures (shared/corpus/peer-fixtures), which
  // hold fields at the wrong level: kubectl refuses each, and check names each field it names.
  it.each([
    'polaris/test/checks/runAsPrivileged/failure.pod.yaml',
    'polaris/test/webhook_cases/failing_test.job.yaml',
    'kube-score/score/testdata/ingress_issue363.yaml',
    'kube-score/score/testdata/networkpolicy-not-matching.yaml',
    'kube-score/score/testdata/cronjob-batchv1-restartpolicy-invalid.yaml',
    'kube-score/score/testdata/statefulset-host-antiaffinity-required.yaml',
  ])('%s: refused by both, naming the same unknown fields', async (file) => {
    const path = join(ROOT, '../shared/corpus/peer-fixtures', file);
    const live = await cluster.kubectl(['apply', '--dry-run=server', '-f', path]);
    const fields = [...live.stderr.matchAll(/unknown field "([^"]+)"/g)].map((m) => m[1]);
    expect([live.code === 0, fields.length > 0]).toEqual([false, true]);
    const r = await rollsafe(['check', path]);
    expect(r.code).toBe(2);
    for (const field of fields) expect(r.stderr).toContain(`${field}: is not a field of`);
  });

  // What the API server defaults before it validates, and names as Go's tzdata and IP parser read
  // them: each verdict from kubectl, and check's beside it.
  const container = { name: 'c', image: 'busybox:1.36' };
  const podTemplate = (extra: object = {}) => ({ metadata: { labels: { app: 'x' } }, spec: { containers: [container], ...extra } });
  const jobTemplate = { spec: { containers: [container], restartPolicy: 'Never' } };
  it.each([
    ['a StatefulSet with updateStrategy.type ""', 'accepted', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'x' } }, template: podTemplate(), updateStrategy: { type: '' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: '' } } }],
    ['an Indexed Job with neither completions nor parallelism', 'accepted', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { completionMode: 'Indexed', template: jobTemplate } }],
    ['an Indexed Job with parallelism and no completions', 'refused', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { completionMode: 'Indexed', parallelism: 2, template: jobTemplate } }],
    ['a Job selecting its own job-name label, without manualSelector', 'accepted', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { selector: { matchLabels: { 'batch.kubernetes.io/job-name': 'x' } }, template: jobTemplate } }],
    ['a CronJob in the time zone Factory', 'accepted', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { schedule: '@daily', timeZone: 'Factory', jobTemplate: { spec: { template: jobTemplate } } } }],
    ['a CronJob in the time zone america/new_york', 'refused', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { schedule: '@daily', timeZone: 'america/new_york', jobTemplate: { spec: { template: jobTemplate } } } }],
    ['a host alias 010.0.0.1', 'refused', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'x' } }, template: podTemplate({ hostAliases: [{ ip: '010.0.0.1', hostnames: ['db.local'] }] }) } }],
    ['a quota of 1.5 count/deployments.apps (an extended resource, counted whole)', 'refused', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'x' }, spec: { hard: { 'count/deployments.apps': '1.5' } } }],
    ['a quota on limits.hugepages-2Mi (not a quota resource)', 'refused', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'x' }, spec: { hard: { 'limits.hugepages-2Mi': '1Gi' } } }],
    ['a quota on requests.hugepages-2Mi and 0.9999 pods', 'accepted', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'x' }, spec: { hard: { 'requests.hugepages-2Mi': '1Gi', pods: '0.9999' } } }],
    ['an HPA on the container resource "cpus"', 'refused', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, maxReplicas: 3, metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpus', container: 'app', target: { type: 'Utilization', averageUtilization: 50 } } }] } }],
    ['a NetworkPolicy IPv6 cidr ::ffff:1/128 (not IPv4-mapped)', 'accepted', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '::ffff:1/128' } }] }] } }],
    ['a StatefulSet template volume named after its claim template, with two sources', 'accepted', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'x' } }, template: podTemplate({ volumes: [{ name: 'data', emptyDir: {}, hostPath: { path: '/x' } }] }), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } }],
    ['a selector expression with the key "bad key!"', 'refused', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'x' }, spec: { minAvailable: 1, selector: { matchExpressions: [{ key: 'bad key!', operator: 'Exists' }] } } }],
  ])('%s: %s by kubectl apply and by check', async (_what, verdict, object) => {
    const manifest = JSON.stringify(object);
    const live = await cluster.kubectl(['apply', '-n', 'shop', '--dry-run=server', '-f', '-'], { stdin: manifest });
    expect([live.code === 0, live.code === 0 ? '' : live.stderr]).toEqual(verdict === 'accepted' ? [true, ''] : [false, expect.stringContaining('is invalid')]);
    const r = await rollsafe(['check', '-n', 'shop', '-'], manifest);
    expect(r.code).toBe(verdict === 'accepted' ? 0 : 2);
  });

  it.each([
    ['port 80 twice, once without a protocol', 'refused', [{ name: 'a', port: 80 }, { name: 'b', port: 80, protocol: 'TCP' }]],
    ['port 53 over TCP and UDP', 'accepted', [{ name: 'a', port: 53 }, { name: 'b', port: 53, protocol: 'UDP' }]],
  ])('a Service with %s: %s by kubectl apply and by check', async (_what, verdict, ports) => {
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns', namespace: 'shop' }, spec: { ports } });
    const live = await cluster.kubectl(['apply', '--dry-run=server', '-f', '-'], { stdin: manifest });
    expect([live.code === 0, live.stderr]).toEqual(verdict === 'accepted' ? [true, ''] : [false, expect.stringContaining('spec.ports[1]: Duplicate value')]);
    const r = await rollsafe(['check', '-'], manifest);
    expect(r.code).toBe(verdict === 'accepted' ? 0 : 2);
  });

  it.each([
    ['1Gi', true],
    ['1G', true],
    ['500m', true],
    ['1e3', true],
    ['1E', true],
    ['+1', true],
    [' 1Mi ', true],
    ['.5', true],
    ['1K', false],
    ['1GB', false],
    ['1e', false],
    ['1 Mi', false],
    ['lots', false],
  ])('a quantity %j: accepted by both, or refused by both', async (quantity, accepted) => {
    const manifest = readFileSync(join(FIXTURES, 'deploy-valid.yaml'), 'utf8').replace(/memory: [^\n]*/, `memory: ${JSON.stringify(quantity)}`);
    expect(manifest).toContain(JSON.stringify(quantity));
    const live = await cluster.kubectl(['apply', '--dry-run=server', '-f', '-'], { stdin: manifest });
    expect([quantity, live.code === 0, live.stderr]).toEqual([quantity, accepted, accepted ? expect.not.stringMatching(/error/i) : expect.stringMatching(/quantities must match|quantity's suffix/)]);
    const r = await rollsafe(['check', '-'], manifest);
    expect([quantity, r.code === 2]).toEqual([quantity, !accepted]);
  });
});

// Client-side kubectl apply copies the object into kubectl.kubernetes.io/last-applied-configuration;
// the API server refuses annotations of more than 262144 bytes. Objects sized to the byte by
// src/kube/last-applied.ts: with text Go's JSON escapes (<, &, ", \n, a tab, \b, \f) and UTF-8 of
// 2 to 4 bytes, in the data and in an annotation, which the copy holds and which counts once more;
// without a namespace, which kubectl writes into the copy (-n shop, and check -n shop); and a
// cluster-scoped object with a namespace written, which kubectl leaves out of it.
describe('the copy client-side kubectl apply adds, at the limit', () => {
  const NOTE = { 'example.com/note': 'é <&> "quoted" 😀\ttab' };
  const OBJECTS: Record<string, (filler: string) => object> = {
    'a ConfigMap with text Go escapes': (x) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edge', namespace: 'shop', annotations: NOTE }, data: { 'page.html': `<p class="x">café & 日本語 😀</p>\n\t\\ \b\f ${x}` } }),
    'a ConfigMap without a namespace': (x) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edge', annotations: NOTE }, data: { 'page.html': x } }),
    'a ClusterRole with a namespace written': (x) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'edge', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [x] }] }),
  };
  const at = (what: string, delta: number) => {
    const object = OBJECTS[what] ?? (() => ({}));
    const filler = ANNOTATIONS_LIMIT - (lastAppliedSize(object(''), 'shop')?.total ?? 0) + delta;
    return JSON.stringify(object('x'.repeat(filler)));
  };

  it.each(Object.keys(OBJECTS).flatMap((what) => [
    [what, 0, 'accepted'],
    [what, 1, 'refused'],
  ]))('%s, of 262144 + %i bytes of annotations once the copy is added: %s by kubectl apply and by check', async (what, delta, verdict) => {
    const accepted = verdict === 'accepted';
    const manifest = at(String(what), Number(delta));
    const live = await cluster.kubectl(['apply', '-n', 'shop', '--dry-run=server', '-f', '-'], { stdin: manifest });
    expect([delta, live.code === 0, live.stderr]).toEqual([delta, accepted, accepted ? '' : expect.stringContaining('metadata.annotations: Too long: may not be more than 262144 bytes')]);
    const r = await rollsafe(['check', '-n', 'shop', '-'], manifest);
    expect([delta, r.code]).toEqual([delta, accepted ? 0 : 2]);
    if (!accepted) expect(r.stderr).toContain(`brings the annotations to ${(ANNOTATIONS_LIMIT + 1).toLocaleString('en-US')} bytes`);
  });

  it('is not added by kubectl apply --server-side: both accept the larger objects with --server-side', async () => {
    for (const manifest of [at('a ConfigMap with text Go escapes', 1), readFileSync(join(FIXTURES, 'configmap-val-data-300k.yaml'), 'utf8'), readFileSync(join(FIXTURES, 'deploy-val-annotations-140k.yaml'), 'utf8')]) {
      const live = await cluster.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], { stdin: manifest });
      expect([live.code, live.stderr]).toEqual([0, '']);
      const r = await rollsafe(['check', '--server-side', '-'], manifest);
      expect([r.code, r.stderr]).toEqual([0, '']);
    }
  });
});

// kubectl apply --server-side: MODES.tsv records kubectl's verdict on every fixture in that mode;
// `check --server-side` must give the same but where listed, and the cases where the two modes'
// verdicts differ are re-applied here, with manifests from the corpus and the peers' fixtures
// that server-side apply refuses (duplicate entries of a keyed list).
describe('rollsafe check --server-side and kubectl apply --server-side --dry-run=server agree', () => {
  const modes = (() => {
    const lines = readFileSync(join(FIXTURES, 'MODES.tsv'), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    const [header = '', ...rows] = lines;
    const columns = header.split('\t');
    return rows.map((r) => Object.fromEntries(r.split('\t').map((v, i) => [columns[i], v])) as { file: string; strict_exit: string; server_side_exit: string; server_side_message: string });
  })();
  const SERVER_SIDE_DISAGREEMENTS: Record<string, string> = {
    'deploy-kind-lowercase.yaml': 'kind: deployment is not a kind: check skips kinds it does not know',
    // Server-side apply reads the number as a float and stores a wrapped, negative value, with a
    // warning; check refuses it as client-side apply does: no such number is meant.
    'deploy-tgps-beyond-int64.yaml': 'server-side apply stores 99999999999999999999 as a negative terminationGracePeriodSeconds (a warning); check refuses it',
  };

  it('refuses exactly what kubectl refuses in MODES.tsv, but the listed cases', async () => {
    expect(modes.length).toBe(readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).length);
    const r = await rollsafe(['check', '--server-side', '-o', 'json', FIXTURES]);
    const refused = new Set((JSON.parse(r.stdout) as { errors: { file: string }[] }).errors.map((e) => e.file.slice(e.file.lastIndexOf('/') + 1)));
    const disagreements: Record<string, string> = {};
    for (const row of modes) {
      if (refused.has(row.file) !== (row.server_side_exit !== '0')) disagreements[row.file] = SERVER_SIDE_DISAGREEMENTS[row.file] ?? `kubectl --server-side: ${row.server_side_message}`;
    }
    expect(disagreements).toEqual(SERVER_SIDE_DISAGREEMENTS);
  });

  const differing = modes.filter((m) => (m.strict_exit === '0') !== (m.server_side_exit === '0') && !(m.file in SERVER_SIDE_DISAGREEMENTS));
  it.each(differing.map((m) => [m.file, m.server_side_exit === '0' ? 'accepted' : 'refused']))('%s: %s by kubectl apply --server-side today, and by check --server-side', async (file, verdict) => {
    const manifest = readFileSync(join(FIXTURES, file), 'utf8');
    const live = await cluster.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], { stdin: manifest });
    expect([file, live.code === 0]).toEqual([file, verdict === 'accepted']);
    const r = await rollsafe(['check', '--server-side', '-'], manifest);
    expect([file, r.code]).toEqual([file, verdict === 'accepted' ? 0 : 2]);
  });

  it.each([
    ['a finalizer twice (a set list)', 'refused', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f', namespace: 'shop', finalizers: ['a.io/b', 'a.io/b'] } }],
    ['a verb twice in an RBAC rule (an atomic list)', 'accepted', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'get'] }] }],
    // an atomic list's items are checked too: a set inside a claim template of a StatefulSet
    ['a finalizer twice in a volumeClaimTemplate (inside an atomic list)', 'refused', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:17' }] } }, volumeClaimTemplates: [{ metadata: { name: 'data', finalizers: ['kubernetes.io/pvc-protection', 'kubernetes.io/pvc-protection'] }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } }],
    ['a ServiceAccount secret reference with no name (a keyed entry without its key)', 'refused', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'shop' }, secrets: [{ namespace: 'shop' }] }],
    ['port 53 over TCP and UDP', 'accepted', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns', namespace: 'shop' }, spec: { ports: [{ name: 'tcp', port: 53 }, { name: 'udp', port: 53, protocol: 'UDP' }] } }],
  ])('%s: %s by kubectl apply --server-side and by check --server-side', async (_what, verdict, object) => {
    const manifest = JSON.stringify(object);
    const live = await cluster.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], { stdin: manifest });
    expect([live.code === 0, live.stderr]).toEqual(verdict === 'accepted' ? [true, ''] : [false, expect.stringMatching(/duplicate entries for key|omits all key fields/)]);
    const r = await rollsafe(['check', '--server-side', '-'], manifest);
    expect(r.code).toBe(verdict === 'accepted' ? 0 : 2);
  });

  it.each([
    // real-world: http and https both on containerPort 80 (TLS ends at the load balancer)
    ['real-world/ingress-nginx/deploy-aws-nlb-tls.yaml', 'Deployment', 'ports[1]: has the same containerPort and protocol as ports[0]'],
    ['peer-fixtures/kube-linter/tests/checks/duplicate-env-var.yaml', 'Deployment', 'env[1]: has the same name as env[0]'],
    ['peer-fixtures/kube-score/score/testdata/pod-env-duplicated.yaml', 'Pod', 'env[2]: has the same name as env[1]'],
    // no port: its default, 0, is in the key
    ['peer-fixtures/kube-linter/tests/checks/invalid-target-ports.yaml', 'Service', 'spec.ports[1]: has the same port and protocol as ports[0]'],
  ])('%s: its %s refused by both with --server-side, for the duplicate; without it, the same verdict from both', async (file, kind, says) => {
    const docs = parseAllDocuments(readFileSync(join(ROOT, '../shared/corpus', file), 'utf8')).map((d) => d.toJS() as { kind?: string; metadata?: { namespace?: string } } | null);
    const object = docs.find((d) => d?.kind === kind);
    if (!object) throw new Error(`${file}: no ${kind}`);
    // a peer's snippet may have no metadata: a name, so that kubectl sends it
    const manifest = JSON.stringify({ ...object, metadata: { name: 'from-fixture', ...object.metadata, namespace: 'shop' } });
    const serverSide = await cluster.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], { stdin: manifest });
    expect([serverSide.code, serverSide.stderr]).toEqual([1, expect.stringContaining('duplicate entries for key')]);
    const ours = await rollsafe(['check', '--server-side', '-'], manifest);
    expect([ours.code, ours.stderr]).toEqual([2, expect.stringContaining(says)]);
    const clientSide = await cluster.kubectl(['apply', '--dry-run=server', '-f', '-'], { stdin: manifest });
    const plain = await rollsafe(['check', '-'], manifest);
    expect(clientSide.code === 0).toBe(plain.code === 0);
  });
});

describe('src/kube/api-types.ts', () => {
  it('is what kube-apiserver v1.37 serves at /openapi/v3', async () => {
    const documents = [];
    for (const d of DOCUMENTS) {
      const args = ['get', '--raw', `/openapi/v3/${d}`];
      documents.push(JSON.parse(succeeded(args, await cluster.kubectl(args)).stdout) as unknown);
    }
    expect(buildTypeTable(documents)).toEqual(API_TYPES);
  });
});
