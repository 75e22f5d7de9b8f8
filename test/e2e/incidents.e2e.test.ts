// The incidents Rollsafe exists for, through real kubectl against a real kube-apiserver that calls
// `rollsafe serve` as its validating webhook: what a user sees (exit code, the Error/Warning lines)
// when applying the incident manifests, their fixes, and updates of new and legacy objects.
// One cluster and one Rollsafe process for the file; the first run on a machine builds the cluster
// binaries (10-15 minutes, then cached: scripts/tools/install-cluster-tools.sh, docs/e2e.md).
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Cluster, type KubectlResult, registerWebhook, startCluster, succeeded } from './helpers/cluster.js';
import { type Rollsafe, startRollsafe } from './helpers/rollsafe.js';
import { deployment } from '../helpers/reviews.js';
import { tempDir } from '../server/helpers/certificates.js';

jest.setTimeout(60_000);

const WEBHOOK = 'validate.rollsafe.dev';
const DENIED = `admission webhook "${WEBHOOK}" denied the request`;
const INCIDENTS = 'test/fixtures/incidents';
const FIXED = 'test/e2e/fixtures';
const C = 'spec.template.spec.containers';

let cluster: Cluster | undefined;
let rollsafe: Rollsafe | undefined;

const kubectl = (args: string[], stdin?: string): Promise<KubectlResult> => {
  if (!cluster) throw new Error('no cluster: startCluster() failed in beforeAll (see its error above)');
  return cluster.kubectl(args, stdin === undefined ? {} : { stdin });
};

/** Runs kubectl and fails the test with its output unless it exits 0. */
const ok = async (args: string[], stdin?: string): Promise<KubectlResult> => succeeded(args, await kubectl(args, stdin));

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const warnings = (stderr: string) => lines(stderr).filter((l) => l.startsWith('Warning: '));
/** The policy ids in the "[policy] path: message" lines of a denial or of warnings. */
const policyIds = (text: string[]) => [...new Set(text.map((l) => /^(?:Warning: )?\[([a-z-]+)\] /.exec(l)?.[1]).filter((x): x is string => !!x))].sort();

/** A Deployment stored before the webhook is registered: Recreate on 3 replicas, as old clusters have them. */
const LEGACY = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy-worker, namespace: shop}
spec:
  replicas: 3
  strategy: {type: Recreate}
  selector: {matchLabels: {app: legacy-worker}}
  template:
    metadata: {labels: {app: legacy-worker}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: worker
          image: shop/worker:1.0.0
          readinessProbe: {exec: {command: [/bin/true]}}
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
`;

/** Also stored before the webhook: an exporter endpoint on localhost that no container of the pod declares. */
const LEGACY_EXPORTER = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy-exporter, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: legacy-exporter}}
  template:
    metadata: {labels: {app: legacy-exporter}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: exporter
          image: shop/exporter:2.3.0
          env: [{name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "localhost:4318"}]
          readinessProbe: {exec: {command: [/bin/true]}}
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
`;

beforeAll(async () => {
  cluster = await startCluster();
  rollsafe = await startRollsafe(['--schemas', 'test/fixtures/schema-incidents/schema.yaml']);
  await ok(['create', 'namespace', 'shop']);
  await ok(['apply', '-f', '-'], LEGACY);
  await ok(['apply', '-f', '-'], LEGACY_EXPORTER);
  await registerWebhook(cluster, { name: WEBHOOK, url: rollsafe.url, caBundlePem: rollsafe.caPem });
}, 25 * 60_000); // a cold build of the cluster binaries, when scripts/e2e.sh did not run it first

afterAll(async () => {
  await rollsafe?.stop();
  await cluster?.stop();
});

/** What each incident manifest must be denied for, object by object. */
const EXPECTED: Record<string, { name: string; deny: string[]; warn: string[]; moreWarnings?: number }[]> = {
  'probe-ports-root.yaml': [
    {
      name: 'payments',
      deny: ['probe-port'],
      // Beside a denial the first 3 of its 11 warnings, then a count (every one is shown once
      // the deny is fixed: "the probe incident with only its deny fixed", below).
      warn: ['probe-port-undeclared', 'probe-timing', 'readiness-probe'],
      moreWarnings: 8,
    },
  ],
  'recreate-all-replicas.yaml': [
    { name: 'cors-api', deny: ['rolling-update'], warn: [] },
    { name: 'cors-web', deny: ['rolling-update'], warn: [] },
  ],
  'telemetry-loopback.yaml': [{ name: 'checkout', deny: ['env-loopback'], warn: [] }],
};

/** The denial kubectl prints for one object: its Error line and the problem lines after it. */
function denialOf(stderr: string, name: string): string[] {
  const all = lines(stderr);
  const start = all.findIndex((l) => l.startsWith('Error from server (Forbidden): ') && l.includes(`rollsafe denied Deployment shop/${name}:`));
  if (start < 0) return [];
  const end = all.findIndex((l, i) => i > start && (l.startsWith('Error from server') || l.startsWith('Warning: ')));
  return all.slice(start, end < 0 ? undefined : end);
}

describe('the incident manifests through kubectl', () => {
  it('has expectations for every file in test/fixtures/incidents', () => {
    expect(readdirSync(INCIDENTS).filter((f) => f.endsWith('.yaml')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(Object.entries(EXPECTED))('%s', (file, objects) => {
    const path = `${INCIDENTS}/${file}`;

    it.each([
      ['kubectl apply', ['apply', '-f', path], 'creating'],
      ['kubectl apply --dry-run=server', ['apply', '--dry-run=server', '-f', path], 'creating'],
      ['kubectl apply --server-side', ['apply', '--server-side', '-f', path], ''], // kubectl names no file here
      ['kubectl create', ['create', '-f', path], 'creating'],
    ])('%s is denied with the policy ids, exit 1', async (_, args, verb) => {
      const r = await kubectl(args as string[]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const where = verb ? `error when ${verb} "${path}": ` : '';
      for (const o of objects) {
        const denial = denialOf(r.stderr, o.name);
        expect(denial[0]).toBe(`Error from server (Forbidden): ${where}${DENIED}: rollsafe denied Deployment shop/${o.name}: ${o.deny.length} problem(s)`);
        expect(policyIds(denial.slice(1))).toEqual(o.deny);
      }
      expect(policyIds(warnings(r.stderr))).toEqual([...new Set(objects.flatMap((o) => o.warn))].sort());
      expect(warnings(r.stderr).filter((l) => !l.startsWith('Warning: ['))).toEqual(
        objects.flatMap((o) => (o.moreWarnings ? [`Warning: … and ${o.moreWarnings} more warning(s), which do not block this change; run rollsafe check on the manifest for all of them`] : [])),
      );
    });

    it('stores nothing', async () => {
      for (const o of objects) {
        const r = await kubectl(['get', 'deployment', o.name, '-n', 'shop']);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`deployments.apps "${o.name}" not found`);
      }
    });
  });

  it('shows the telemetry denial as one readable line per problem', async () => {
    const r = await kubectl(['apply', '-f', `${INCIDENTS}/telemetry-loopback.yaml`]);
    expect(denialOf(r.stderr, 'checkout')).toEqual([
      `Error from server (Forbidden): error when creating "${INCIDENTS}/telemetry-loopback.yaml": ${DENIED}: rollsafe denied Deployment shop/checkout: 1 problem(s)`,
      `[env-loopback] ${C}[checkout].env[OTEL_EXPORTER_OTLP_ENDPOINT]: env var OTEL_EXPORTER_OTLP_ENDPOINT of container "checkout" points at "localhost:4318", port 4318 on the pod's own loopback, and no container of the pod declares port 4318; point it at a Service (name.namespace.svc:port), or run the listener as a container of this pod that declares the port`,
    ]);
  });

  it.each([
    ['telemetry-loopback.fixed.yaml', ['deployment.apps/checkout created']],
    ['recreate-all-replicas.fixed.yaml', ['deployment.apps/cors-api created', 'deployment.apps/cors-web created']],
  ])('the fixed manifest %s is accepted with no warning', async (file, created) => {
    const r = await kubectl(['apply', '-f', `${FIXED}/${file}`]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(r.stdout)).toEqual(created);
  });

  it('a warning longer than 256 characters reaches kubectl whole, its fix included, when the request\'s warnings stay under 4 KiB', async () => {
    const noProbe = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: no-readiness, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: no-readiness}}
  template:
    metadata: {labels: {app: no-readiness}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: worker-with-a-long-container-name
          image: shop/worker:1.0.0
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
`;
    const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], noProbe);
    expect(r.code).toBe(0);
    const [only, ...rest] = warnings(r.stderr);
    expect(rest).toEqual([]);
    expect(only?.length).toBeGreaterThan('Warning: '.length + 256);
    expect(only).toBe(
      `Warning: [readiness-probe] ${C}[worker-with-a-long-container-name].readinessProbe: container "worker-with-a-long-container-name" has no readinessProbe, ` +
        'so a rollout counts it ready as soon as it starts; add a readinessProbe (httpGet, tcpSocket, grpc or exec) that succeeds only when the container can serve',
    );
  });

  it('the probe incident with only its deny fixed is accepted, and kubectl prints each warning with its policy id', async () => {
    const r = await kubectl(['apply', '-f', `${FIXED}/probe-ports-root.deny-fixed.yaml`]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['deployment.apps/payments created']);
    expect(lines(r.stderr)).toEqual(warnings(r.stderr)); // nothing but Warning: lines
    expect(policyIds(warnings(r.stderr))).toEqual(['env-empty', 'image-pinned', 'probe-port-undeclared', 'probe-timing', 'readiness-probe', 'resources', 'run-as-non-root']);
    expect(warnings(r.stderr)).toContain(
      `Warning: [image-pinned] ${C}[payments].image: container "payments" uses image "shop/payments:latest", tagged latest; use a version tag or a digest (image@sha256:…)`,
    );
  });
});

describe('ConfigMaps and Deployments against a ConfigSchema (serve --schemas)', () => {
  const dir = 'test/fixtures/schema-incidents';

  it('denies the broken configuration: the ConfigMap and the Deployment reading it', async () => {
    const r = await kubectl(['apply', '-f', `${dir}/broken.yaml`]);
    expect(r.code).toBe(1);
    const errors = lines(r.stderr).filter((l) => l.startsWith('Error from server'));
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^Error from server \\(Forbidden\\): error when creating "${dir}/broken.yaml": ${DENIED}: rollsafe denied ConfigMap shop/api-config: \\d+ problem\\(s\\)$`)),
      expect.stringMatching(new RegExp(`^Error from server \\(Forbidden\\): error when creating "${dir}/broken.yaml": ${DENIED}: rollsafe denied Deployment shop/api: \\d+ problem\\(s\\)$`)),
    ]);
    expect(r.stderr).toContain('[config-schema] data[CORS_ORIGINS]: ');
    expect(r.stderr).toContain(`[config-schema] ${C}[api].env[POOL_SIZE]: env var POOL_SIZE of container "api": "25connections" is not an integer`);
  });

  it('accepts the fixed configuration', async () => {
    const r = await kubectl(['apply', '-f', `${dir}/fixed.yaml`]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['configmap/api-config created', 'deployment.apps/api created']);
    // Without cluster access Rollsafe cannot see the ConfigMap the Deployment reads: config-ref
    // does not call it missing, config-schema warns that the values it binds cannot be read, and
    // nothing else is printed.
    expect(lines(r.stderr)).toEqual(warnings(r.stderr));
    expect(warnings(r.stderr).length).toBeGreaterThan(0);
    for (const w of warnings(r.stderr)) expect(w).toMatch(/^Warning: \[config-schema\] .*ConfigMap shop\/api-config cannot be read \(the webhook runs without cluster access\)/);
  });

  it('denies an update of the stored ConfigMap that breaks a typed key', async () => {
    const r = await kubectl(['patch', 'configmap', 'api-config', '-n', 'shop', '-p', '{"data":{"LOG_LEVEL":"INFO"}}']);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)[0]).toBe(`Error from server (Forbidden): ${DENIED}: rollsafe denied ConfigMap shop/api-config: 1 problem(s)`);
    expect(lines(r.stderr)[1]).toMatch(/^\[config-schema\] data\[LOG_LEVEL\]: .*\(did you mean "info"\?\)/);
  });
});

describe('updates (kubectl patch)', () => {
  it('denies a patch that brings a new problem into a clean Deployment, and keeps the stored object', async () => {
    const r = await kubectl(['patch', 'deployment', 'checkout', '-n', 'shop', '--type=json', '-p',
      '[{"op":"replace","path":"/spec/template/spec/containers/0/env/0/value","value":"localhost:4318"}]']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([
      `Error from server (Forbidden): ${DENIED}: rollsafe denied Deployment shop/checkout: 1 problem(s)`,
      expect.stringMatching(/^\[env-loopback\] spec\.template\.spec\.containers\[checkout\]\.env\[OTEL_EXPORTER_OTLP_ENDPOINT\]: .*"localhost:4318"/),
    ]);
    const stored = await ok(['get', 'deployment', 'checkout', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].env[0].value}']);
    expect(stored.stdout).toBe('otel-collector.observability.svc:4318');
  });

  it('allows a change to a legacy Deployment, warning that its existing problem predates the change', async () => {
    const r = await kubectl(['set', 'image', 'deployment/legacy-worker', '-n', 'shop', 'worker=shop/worker:1.0.1']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['deployment.apps/legacy-worker image updated']);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/^Warning: \[rolling-update\] spec\.strategy\.type: predates this change: strategy Recreate stops all 3 replicas before starting new ones/),
    ]);
  });

  it('denies a change to a legacy Deployment that adds a problem: only the new one is in the denial', async () => {
    const r = await kubectl(['patch', 'deployment', 'legacy-worker', '-n', 'shop', '--type=strategic', '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"worker","env":[{"name":"OTEL_EXPORTER_OTLP_ENDPOINT","value":"localhost:4318"}]}]}}}}']);
    expect(r.code).toBe(1);
    const all = lines(r.stderr);
    expect(all.filter((l) => !l.startsWith('Warning: '))).toEqual([
      `Error from server (Forbidden): ${DENIED}: rollsafe denied Deployment shop/legacy-worker: 1 problem(s)`,
      expect.stringMatching(/^\[env-loopback\] spec\.template\.spec\.containers\[worker\]\.env\[OTEL_EXPORTER_OTLP_ENDPOINT\]: /),
    ]);
    expect(warnings(r.stderr)).toEqual([expect.stringMatching(/^Warning: \[rolling-update\] spec\.strategy\.type: predates this change/)]);
  });

  it('allows setting another env var of a legacy Deployment, and denies editing its broken endpoint into another broken one', async () => {
    const E = `${C}[exporter].env[OTEL_EXPORTER_OTLP_ENDPOINT]`.replace(/[.[\]]/g, '\\$&');
    const other = await kubectl(['set', 'env', 'deployment/legacy-exporter', '-n', 'shop', 'LOG_LEVEL=debug']);
    expect(other.code).toBe(0);
    expect(warnings(other.stderr)).toEqual([expect.stringMatching(new RegExp(`^Warning: \\[env-loopback\\] ${E}: predates this change: env var OTEL_EXPORTER_OTLP_ENDPOINT of container "exporter" points at "localhost:4318"`))]);

    const edited = await kubectl(['set', 'env', 'deployment/legacy-exporter', '-n', 'shop', 'OTEL_EXPORTER_OTLP_ENDPOINT=localhost:4317']);
    expect(edited.code).toBe(1);
    expect(lines(edited.stderr)).toEqual([
      `error: failed to patch env update to pod template: ${DENIED}: rollsafe denied Deployment shop/legacy-exporter: 1 problem(s)`,
      expect.stringMatching(new RegExp(`^\\[env-loopback\\] ${E}: edited by this change, still a problem: env var OTEL_EXPORTER_OTLP_ENDPOINT of container "exporter" points at "localhost:4317"`)),
    ]);
    const stored = await ok(['get', 'deployment', 'legacy-exporter', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].env[0].value}']);
    expect(stored.stdout).toBe('localhost:4318');
  });
});

describe('audit findings (policies: {image-pinned: audit})', () => {
  const AUDIT_WEBHOOK = 'audit.rollsafe.dev';
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** The audit event of the request that created shop/`name`, once the API server has written it. */
  async function createdEvent(name: string): Promise<{ annotations?: Record<string, string> } | undefined> {
    for (const until = Date.now() + 10_000; Date.now() < until; await sleep(200)) {
      const events = readFileSync(cluster?.auditLog ?? '', 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { verb: string; stage: string; objectRef?: { name?: string; resource?: string }; annotations?: Record<string, string> });
      const found = events.find((e) => e.verb === 'create' && e.stage === 'ResponseComplete' && e.objectRef?.resource === 'deployments' && e.objectRef.name === name);
      if (found) return found;
    }
    return undefined;
  }

  it('reach the API server audit log as <webhook name>/<policy id>', async () => {
    if (!cluster) throw new Error('no cluster');
    const dir = tempDir('rollsafe-e2e-audit-');
    const config = join(dir, 'policy.yaml');
    writeFileSync(config, 'policies:\n  image-pinned: audit\n');
    const audited = await startRollsafe(['--config', config]);
    try {
      await registerWebhook(cluster, { name: AUDIT_WEBHOOK, url: audited.url, caBundlePem: audited.caPem });
      // Labelled apart from the api pods, which a ConfigSchema of this file binds.
      const object = deployment({ image: 'shop/api' }, { name: 'audited-api' });
      object.spec.selector.matchLabels.app = object.spec.template.metadata.labels.app = 'audited-api';
      const created = await kubectl(['create', '-f', '-'], JSON.stringify(object));
      expect(created).toEqual(expect.objectContaining({ code: 0 }));
      const event = await createdEvent('audited-api');
      expect(event?.annotations).toEqual(
        expect.objectContaining({ [`${AUDIT_WEBHOOK}/image-pinned`]: expect.stringContaining(`${C}[api].image: container "api" uses image "shop/api"`) }),
      );
    } finally {
      await ok(['delete', 'validatingwebhookconfiguration', AUDIT_WEBHOOK]);
      await audited.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the API server restarted on the same port', () => {
  it('keeps the stored objects and calls the webhook again', async () => {
    if (!cluster) throw new Error('no cluster');
    await cluster.stopApiServer();
    const down = await kubectl(['get', 'deployment', 'legacy-worker', '-n', 'shop']);
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(`The connection to the server ${cluster.server.replace('https://', '')} was refused - did you specify the right host or port?\n`);
    await cluster.startApiServer();
    const up = await ok(['get', 'deployment', 'legacy-worker', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    expect(up.stdout).toBe('shop/worker:1.0.1');
    const r = await kubectl(['apply', '--dry-run=server', '-f', `${INCIDENTS}/telemetry-loopback.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${DENIED}: rollsafe denied Deployment shop/checkout`);
  });
});
