// Cluster awareness against a real kube-apiserver: Rollsafe watches the cluster with the chart's
// own least-privilege RBAC (a ServiceAccount token bound to deploy/'s ClusterRole), and kubectl
// shows the cross-object denials and warnings (including a ConfigMap edit that drops a key a
// Deployment reads through envFrom and its ConfigSchema requires). Then the API server is stopped for 30 s while
// reviews keep arriving: the webhook answers each in time, marks cross-object findings stale,
// and resyncs when the API server returns.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { settles, sleep } from '../helpers/poll.js';
import { ROOT } from '../helpers/spawn-cli.js';
import { deployment, review } from '../helpers/reviews.js';
import { tempDir } from '../server/helpers/certificates.js';
import { get, postJson } from '../server/helpers/https-client.js';
import { type Cluster, type KubectlResult, registerWebhook, startCluster, succeeded, writeTokenKubeconfig } from './helpers/cluster.js';
import { type Rollsafe, startRollsafe } from './helpers/rollsafe.js';

jest.setTimeout(120_000);

const WEBHOOK = 'cluster.rollsafe.dev';
const DENIED = `admission webhook "${WEBHOOK}" denied the request`;
const STALE_AFTER = 5;

let cluster: Cluster;
let rollsafe: Rollsafe;
let kubeconfigDir: string | undefined;

async function kubectl(args: string[], stdin?: string): Promise<KubectlResult> {
  return cluster.kubectl(args, stdin === undefined ? {} : { stdin });
}
/** Runs kubectl and fails the test with its output unless it exits 0. */
const ok = async (args: string[], stdin?: string): Promise<KubectlResult> => succeeded(args, await kubectl(args, stdin));
const apply = (yaml: string) => kubectl(['apply', '-f', '-'], yaml);
const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('Warning: '));

/** Watch events reach the cache within milliseconds; retry an expectation for up to `ms`. */
const eventually = <T>(attempt: () => Promise<T>, done: (t: T) => boolean, ms = 10_000): Promise<T> => settles(attempt, done, ms, 200);

const configMap = (data: Record<string, string>, name = 'api-config') => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data });
const api = (env: unknown[]) => JSON.stringify(deployment({ env }));
/** A ConfigSchema `name` in shop for the pods labelled app=`name`. */
const configSchema = (name: string, keys: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: 'rollsafe.dev/v1alpha1', kind: 'ConfigSchema', metadata: { name, namespace: 'shop' }, spec: { targets: { workloads: [{ selector: { matchLabels: { app: name } } }] }, keys } });
/** The schema of the api Deployment: POOL_SIZE an integer from 1 to `max`. */
const apiSchema = (max: number) => configSchema('api', { POOL_SIZE: { type: 'integer', minimum: 1, maximum: max } });

/** The chart's ClusterRole (deploy/), bound to a ServiceAccount whose token Rollsafe uses. */
async function rollsafeKubeconfig(dir: string): Promise<string> {
  const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy/rollsafe.yaml'), 'utf8')).map((d) => d.toJS() as { kind?: string });
  const role = docs.find((d) => d.kind === 'ClusterRole');
  if (!role) throw new Error('deploy/rollsafe.yaml has no ClusterRole');
  await ok(['create', 'namespace', 'rollsafe-e2e']);
  await ok(['create', 'serviceaccount', 'rollsafe', '-n', 'rollsafe-e2e']);
  await ok(['apply', '-f', '-'], JSON.stringify({ ...role, metadata: { name: 'rollsafe-e2e' } }));
  await ok(['create', 'clusterrolebinding', 'rollsafe-e2e', '--clusterrole=rollsafe-e2e', '--serviceaccount=rollsafe-e2e:rollsafe']);
  const token = (await ok(['create', 'token', 'rollsafe', '-n', 'rollsafe-e2e', '--duration=1h'])).stdout.trim();
  const file = writeTokenKubeconfig(cluster, join(dir, 'kubeconfig'), 'rollsafe', token);
  return file;
}

beforeAll(async () => {
  cluster = await startCluster();
  await ok(['apply', '-f', join(ROOT, 'charts/rollsafe/crds/configschemas.rollsafe.dev.yaml')]);
  await ok(['wait', '--for=condition=Established', 'crd/configschemas.rollsafe.dev', '--timeout=30s']);
  await ok(['create', 'namespace', 'shop']);
  kubeconfigDir = tempDir('rollsafe-e2e-kubeconfig-');
  const kubeconfig = await rollsafeKubeconfig(kubeconfigDir);
  rollsafe = await startRollsafe(['--cluster', 'auto', '--kubeconfig', kubeconfig, '--cache-stale-seconds', String(STALE_AFTER)]);
  await rollsafe.process.waitForLog((l) => l.msg === 'ready: every cluster cache is listed', 30_000);
  await registerWebhook(cluster, { name: WEBHOOK, url: rollsafe.url, caBundlePem: rollsafe.caPem });
}, 1_800_000);

afterAll(async () => {
  await rollsafe?.stop();
  await cluster?.stop();
  if (kubeconfigDir) rmSync(kubeconfigDir, { recursive: true, force: true });
});

describe('cross-object checks through kubectl', () => {
  it('lists with the chart RBAC alone: nothing on Secrets, and no list or watch failed', async () => {
    const can = (verb: string, resource: string) => kubectl(['auth', 'can-i', verb, resource, '--as=system:serviceaccount:rollsafe-e2e:rollsafe']);
    expect((await can('list', 'secrets')).stdout.trim()).toBe('no');
    expect((await can('watch', 'configmaps')).stdout.trim()).toBe('yes');
    expect(rollsafe.process.logs.filter((l) => String(l.msg).includes('failed; retrying'))).toEqual([]);
  });

  it('denies a Deployment that reads a ConfigMap key that does not exist, then accepts it once the key exists', async () => {
    expect((await apply(configMap({ POOL_SIZE: '25' }))).code).toBe(0);
    const missing = await eventually(() => apply(api([{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'LOG_LEVEL' } } }])), (r) => r.code !== 0);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(DENIED);
    expect(missing.stderr).toContain('[config-ref] spec.template.spec.containers[api].env[LOG_LEVEL]: env var LOG_LEVEL of container "api" reads key "LOG_LEVEL", which ConfigMap shop/api-config does not have (keys: POOL_SIZE)');

    const edit = await apply(configMap({ POOL_SIZE: '25', LOG_LEVEL: 'info' }));
    expect(edit.code).toBe(0);
    const fixed = await eventually(
      () => apply(api([{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'LOG_LEVEL' } } }, { name: 'POOL_SIZE', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'POOL_SIZE' } } }])),
      (r) => r.code === 0,
    );
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toContain('deployment.apps/api created');
  });

  it('denies a ConfigMap edit that breaks the schema of a Deployment reading it, and warns about in-place edits', async () => {
    expect((await apply(apiSchema(100))).code).toBe(0);
    const broken = await eventually(() => apply(configMap({ POOL_SIZE: '25connections', LOG_LEVEL: 'info' })), (r) => r.code !== 0);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(DENIED);
    expect(broken.stderr).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/api reads it: env var POOL_SIZE of container "api" (from ConfigMap shop/api-config key POOL_SIZE): "25connections"');

    const fine = await apply(configMap({ POOL_SIZE: '40', LOG_LEVEL: 'info' }));
    expect(fine.code).toBe(0);
    expect(warnings(fine.stderr)).toEqual([expect.stringMatching(/^Warning: \[configmap-in-place\] data: edits key POOL_SIZE in place, outside any rollout: shop\/api read it as env/)]);
  });

  it('same answers through --server-side and --dry-run=server', async () => {
    const dry = await kubectl(['apply', '--dry-run=server', '-f', '-'], configMap({ POOL_SIZE: '0', LOG_LEVEL: 'info' }));
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('[config-schema] data[POOL_SIZE]');
    const ssa = await kubectl(['apply', '--server-side', '-f', '-'], configMap({ POOL_SIZE: 'many', LOG_LEVEL: 'info' }));
    expect(ssa.code).toBe(1);
    expect(ssa.stderr).toContain('[config-schema] data[POOL_SIZE]');
  });

  it('denies a ConfigMap edit that drops a key a Deployment reading it through envFrom requires', async () => {
    const mailerConfig = (data: Record<string, string>) => configMap(data, 'mailer-config');
    const mailer = deployment({ envFrom: [{ configMapRef: { name: 'mailer-config' } }] }, { name: 'mailer' });
    mailer.spec.selector.matchLabels.app = 'mailer';
    mailer.spec.template.metadata.labels.app = 'mailer';
    expect((await apply(configSchema('mailer', { SMTP_HOST: { type: 'string', required: true }, SMTP_PORT: { type: 'integer' } }))).code).toBe(0);
    expect((await apply(mailerConfig({ SMTP_HOST: 'smtp.shop.svc.cluster.local', SMTP_PORT: '25' }))).code).toBe(0);
    expect((await eventually(() => apply(JSON.stringify(mailer)), (r) => r.code === 0)).stdout).toContain('deployment.apps/mailer created');

    const dropped = await eventually(() => apply(mailerConfig({ SMTP_PORT: '25' })), (r) => r.code !== 0);
    expect(dropped.code).toBe(1);
    expect(dropped.stderr).toContain(DENIED);
    expect(dropped.stderr).toContain('[config-schema] data[SMTP_HOST]: Deployment shop/mailer reads it: env var SMTP_HOST of container "api" is not set, but ConfigSchema shop/mailer requires it');
    // Dropping a key the schema does not require is allowed.
    expect((await apply(mailerConfig({ SMTP_HOST: 'smtp.shop.svc.cluster.local' }))).code).toBe(0);
  });

  it('warns when a tightened ConfigSchema would fail a running Deployment', async () => {
    const r = await apply(apiSchema(10));
    expect(r.code).toBe(0);
    expect(warnings(r.stderr)).toEqual([expect.stringMatching(/^Warning: \[config-schema\] spec\.keys: Deployment shop\/api would fail this schema at its next change: .*POOL_SIZE/)]);
    expect((await apply(apiSchema(100))).code).toBe(0);
  });

  it('warns when a URL names a Service that does not exist, and not once it exists', async () => {
    const worker = (name: string) => JSON.stringify(deployment({ env: [{ name: 'AUTH_URL', value: 'https://auth.shop.svc.cluster.local:8443/oauth2' }] }, { name }));
    const r = await apply(worker('worker'));
    expect(r.code).toBe(0);
    expect(warnings(r.stderr)).toEqual([expect.stringContaining('[service-ref] spec.template.spec.containers[api].env[AUTH_URL]: env var AUTH_URL of container "api" points at auth.shop.svc.cluster.local:8443, which names Service shop/auth, which does not exist in the cluster')]);
    await ok(['create', 'service', 'clusterip', 'auth', '-n', 'shop', '--tcp=8443:8443']);
    const again = await eventually(() => apply(worker('worker-2')), (x) => warnings(x.stderr).length === 0);
    expect(again.code).toBe(0);
    expect(warnings(again.stderr)).toEqual([]);
  });
});

describe('LimitRange defaults', () => {
  it('denies a Deployment whose HPA scales on cpu while its pods request none, and admits it once a LimitRange gives them requests', async () => {
    await ok(['create', 'namespace', 'tenant']);
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'scaled', namespace: 'tenant' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'scaled' }, minReplicas: 2, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } };
    await ok(['apply', '-f', '-'], JSON.stringify(hpa));
    const scaled = JSON.stringify(deployment({ resources: {} }, { name: 'scaled', namespace: 'tenant' }));
    const denied = await eventually(() => apply(scaled), (r) => r.code !== 0);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('[resources] spec.template.spec.containers[api].resources.requests.cpu: HorizontalPodAutoscaler scaled scales on cpu utilization but container "api" requests no cpu');

    const limits = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'tenant' }, spec: { limits: [{ type: 'Container', default: { memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] } };
    await ok(['apply', '-f', '-'], JSON.stringify(limits));
    const admitted = await eventually(() => apply(scaled), (r) => r.code === 0);
    expect([admitted.code, warnings(admitted.stderr)]).toEqual([0, []]);
  });
});

describe('the API server goes away for 30 s', () => {
  const trust = () => ({ ca: rollsafe.caPem });
  const base = () => rollsafe.url.replace(/\/validate$/, '');
  /** A Deployment that reads a key api-config lacks: a cross-object deny while the cache is fresh. */
  const body = () => review(deployment({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'NOT_THERE' } } }] }, { name: 'outage' }));

  it('keeps answering within the timeout, marks cross-object findings stale, and resyncs', async () => {
    const before = JSON.parse((await postJson(base(), body(), trust())).text) as { response: { allowed: boolean } };
    expect(before.response.allowed).toBe(false);

    await cluster.stopApiServer();
    const stoppedAt = Date.now();
    const answers: { ms: number; allowed: boolean; stale: boolean; status: number }[] = [];
    while (Date.now() - stoppedAt < 30_000) {
      const t = Date.now();
      const a = await postJson(base(), body(), trust());
      const r = (JSON.parse(a.text) as { response: { allowed: boolean; warnings?: string[] } }).response;
      answers.push({ ms: Date.now() - t, allowed: r.allowed, stale: (r.warnings ?? []).some((w) => w.includes('not verified, the cluster cache has not synced')), status: a.status });
      await sleep(250);
    }
    expect(answers.length).toBeGreaterThan(50);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(1000);
    // Stale after the bound (5 s) plus the time to notice the dropped watch: allowed with a warning that says so.
    const late = answers.slice(-20);
    expect(late.every((a) => a.allowed && a.stale)).toBe(true);
    expect((await get(base(), '/readyz', trust())).status).toBe(200);

    await cluster.startApiServer();
    const restartedAt = Date.now();
    // Reconnection backs off up to 10 s between attempts.
    const fresh = await eventually(
      async () => (JSON.parse((await postJson(base(), body(), trust())).text) as { response: { allowed: boolean } }).response,
      (r) => !r.allowed,
      30_000,
    );
    expect(fresh.allowed).toBe(false);
    // A change made after the restart is seen: the watches resumed.
    await ok(['create', 'configmap', 'after-outage', '-n', 'shop', '--from-literal=NOT_THERE=1']);
    const seen = await eventually(
      async () => (JSON.parse((await postJson(base(), review(deployment({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'after-outage', key: 'NOT_THERE' } } }] }, { name: 'outage' })), trust())).text) as { response: { allowed: boolean } }).response,
      (r) => r.allowed,
    );
    expect(seen.allowed).toBe(true);
    const metrics = (await get(base(), '/metrics', trust())).text;
    expect(metrics).toMatch(/rollsafe_cache_age_seconds\{resource="configmaps"\} 0\n/);
    expect(Date.now() - restartedAt).toBeLessThan(30_000);
  });
});
