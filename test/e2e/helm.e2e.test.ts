// The chart against a real kube-apiserver (issue 7): `helm install` stores every object, the API
// server accepts the ValidatingWebhookConfiguration (its CEL matchConditions compile), `helm upgrade`
// keeps the generated CA, and the bad day behaves as documented. There is no kubelet here, so the
// webhook pods never run: the webhook is down for the whole file, which is exactly the outage an
// admin must survive (failurePolicy Fail, excluded namespaces, matchConditions, the opt-out label,
// deleting the configuration).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CHART, HELM_BUILD_TIMEOUT_MS, helm, type HelmResult, installHelm } from '../chart/helm.js';
import { childEnv, type Cluster, type KubectlResult, startCluster, succeeded } from './helpers/cluster.js';

jest.setTimeout(60_000);

const NS = 'rollsafe';
const APP_NS = 'team-a';
const CALL_FAILED = (webhook: string) => `failed calling webhook "${webhook}"`;

let cluster: Cluster | undefined;

const kubectl = (args: string[], stdin?: string): Promise<KubectlResult> => {
  if (!cluster) throw new Error('no cluster: startCluster() failed in beforeAll (see its error above)');
  return cluster.kubectl(args, stdin === undefined ? {} : { stdin });
};

/** Runs kubectl and fails the test with its output unless it exits 0. */
const ok = async (args: string[], stdin?: string): Promise<KubectlResult> => succeeded(args, await kubectl(args, stdin));

function helmOk(args: string[]): HelmResult {
  if (!cluster) throw new Error('no cluster');
  const r = helm([...args, '--kubeconfig', cluster.kubeconfig], { env: childEnv() });
  if (r.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r;
}

/** Retries until `check` passes: the API server picks up webhook configuration changes within about a second. */
async function eventually(check: () => Promise<void>, ms = 20_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - start > ms) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

interface StoredWebhook {
  name: string;
  failurePolicy: string;
  timeoutSeconds: number;
  clientConfig: { caBundle?: string };
  matchConditions?: { name: string }[];
}
async function storedWebhooks(): Promise<StoredWebhook[]> {
  const r = await ok(['get', 'validatingwebhookconfiguration', 'rollsafe', '-o', 'json']);
  return (JSON.parse(r.stdout) as { webhooks: StoredWebhook[] }).webhooks;
}

const deployment = (name: string, namespace: string, labels = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}${labels ? `, labels: {${labels}}` : ''}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: "nginx:1.27", ports: [{containerPort: 80}]}]
`;

beforeAll(async () => {
  installHelm();
  cluster = await startCluster();
  // Stored before the webhook exists, as in any cluster the chart is installed into.
  await ok(['create', 'namespace', APP_NS]);
  await ok(['create', 'configmap', 'app-config', '-n', APP_NS, '--from-literal=POOL_SIZE=25']);
  // Held by a finalizer, as the garbage collector's foreground deletion holds a Deployment.
  await ok(['apply', '-f', '-'], deployment('held', APP_NS).replace(`namespace: ${APP_NS}}`, `namespace: ${APP_NS}, finalizers: [example.com/hold]}`));
}, HELM_BUILD_TIMEOUT_MS + 30 * 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('helm install into a real API server', () => {
  let installOutput = '';
  beforeAll(() => {
    installOutput = helmOk(['install', 'rollsafe', CHART, '--namespace', NS, '--create-namespace']).stdout;
  });

  it('stores every object of the chart and prints the notes on trying a denial', async () => {
    expect(installOutput).toContain('STATUS: deployed');
    expect(installOutput).toContain('kubectl apply --dry-run=server -n default -f -');
    const names = await ok(['get', 'deployment,service,serviceaccount,configmap,secret,poddisruptionbudget', '-n', NS, '-o', 'name']);
    expect(names.stdout.split('\n').filter((l) => l !== '' && !l.includes('sh.helm.release')).sort()).toEqual([
      'configmap/rollsafe-config',
      'deployment.apps/rollsafe',
      'poddisruptionbudget.policy/rollsafe',
      'secret/rollsafe-tls',
      'service/rollsafe',
      'serviceaccount/rollsafe',
    ]);
    await ok(['get', 'clusterrole/rollsafe', 'clusterrolebinding/rollsafe', 'crd/configschemas.rollsafe.dev']);
  });

  it('has its ValidatingWebhookConfiguration accepted, matchConditions included', async () => {
    const webhooks = await storedWebhooks();
    expect(webhooks.map((w) => [w.name, w.failurePolicy, w.timeoutSeconds])).toEqual([
      ['deployments.rollsafe.dev', 'Fail', 5],
      ['configmaps.rollsafe.dev', 'Fail', 5],
      ['configschemas.rollsafe.dev', 'Fail', 5],
    ]);
    expect(webhooks.map((w) => w.matchConditions?.map((m) => m.name))).toEqual([
      ['not-being-deleted'],
      ['not-being-deleted', 'not-kube-root-ca', 'not-leader-election', 'data-changed-or-exempt'],
      ['not-being-deleted'],
    ]);
  });

  it('gives the ServiceAccount read access to what the policies look up, and none to Secrets', async () => {
    const sa = 'system:serviceaccount:rollsafe:rollsafe';
    for (const resource of ['configmaps', 'services', 'namespaces', 'limitranges', 'deployments.apps', 'horizontalpodautoscalers.autoscaling', 'configschemas.rollsafe.dev']) {
      for (const verb of ['get', 'list', 'watch']) expect([resource, verb, (await kubectl(['auth', 'can-i', verb, resource, '--as', sa, '-A'])).stdout.trim()]).toEqual([resource, verb, 'yes']);
      expect([resource, (await kubectl(['auth', 'can-i', 'update', resource, '--as', sa, '-A'])).stdout.trim()]).toEqual([resource, 'no']);
    }
    expect((await kubectl(['auth', 'can-i', 'get', 'secrets', '--as', sa, '-A'])).stdout.trim()).toBe('no');
  });
});

describe('while no webhook pod answers (failurePolicy Fail)', () => {
  it('refuses a Deployment in an application namespace, naming the webhook', async () => {
    await eventually(async () => {
      const r = await kubectl(['apply', '-f', '-'], deployment('web', APP_NS));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(CALL_FAILED('deployments.rollsafe.dev'));
    });
  });

  it('still admits changes in kube-system and in its own namespace, so it can always be repaired', async () => {
    await ok(['apply', '-f', '-'], deployment('repair', 'kube-system'));
    await ok(['apply', '-f', '-'], deployment('repair', NS));
    await ok(['-n', NS, 'patch', 'configmap', 'rollsafe-config', '--type=merge', '-p', '{"data":{"config.yaml":"profile: default\\n"}}']);
  });

  it('still admits kube-root-ca.crt, leader-election ConfigMaps and ConfigMap updates that leave the data alone', async () => {
    await ok(['create', 'configmap', 'kube-root-ca.crt', '-n', APP_NS, '--from-literal=ca.crt=x']);
    await ok(['apply', '-f', '-'], `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"my-controller-lock","namespace":"${APP_NS}","annotations":{"control-plane.alpha.kubernetes.io/leader":"{\\"holderIdentity\\":\\"a\\"}"}}}`);
    await ok(['label', 'configmap', 'app-config', '-n', APP_NS, 'owner=team-a']);
    const changed = await kubectl(['patch', 'configmap', 'app-config', '-n', APP_NS, '--type=merge', '-p', '{"data":{"POOL_SIZE":"30"}}']);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(CALL_FAILED('configmaps.rollsafe.dev'));
  });

  it('still sends what could slip an unchecked change in: an exemption set without a data change, a leader annotation on a map with data or on an update that empties one', async () => {
    const exempted = await kubectl(['annotate', 'configmap', 'app-config', '-n', APP_NS, 'rollsafe.dev/exempt=config-schema', 'rollsafe.dev/exempt-reason=trust me']);
    expect(exempted.code).toBe(1);
    expect(exempted.stderr).toContain(CALL_FAILED('configmaps.rollsafe.dev'));
    const disguised = await kubectl(['apply', '-f', '-'], `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"disguised","namespace":"${APP_NS}","annotations":{"control-plane.alpha.kubernetes.io/leader":"{}"}},"data":{"POOL_SIZE":"25connections"}}`);
    expect(disguised.code).toBe(1);
    expect(disguised.stderr).toContain(CALL_FAILED('configmaps.rollsafe.dev'));
    const exemptLock = await kubectl(['apply', '-f', '-'], `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"exempt-lock","namespace":"${APP_NS}","annotations":{"control-plane.alpha.kubernetes.io/leader":"{}","rollsafe.dev/exempt":"config-schema","rollsafe.dev/exempt-reason":"x"}}}`);
    expect(exemptLock.code).toBe(1);
    expect(exemptLock.stderr).toContain(CALL_FAILED('configmaps.rollsafe.dev'));
    // An UPDATE that adds the leader annotation and drops every key: only a lock's CREATE is skipped.
    const emptied = await kubectl(['replace', '-f', '-'], `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app-config","namespace":"${APP_NS}","annotations":{"control-plane.alpha.kubernetes.io/leader":"{}"}}}`);
    expect(emptied.code).toBe(1);
    expect(emptied.stderr).toContain(CALL_FAILED('configmaps.rollsafe.dev'));
  });

  it('still lets the last finalizer of a Deployment being deleted go, so it does not stay Terminating', async () => {
    await ok(['delete', 'deployment', 'held', '-n', APP_NS, '--wait=false']);
    await ok(['patch', 'deployment', 'held', '-n', APP_NS, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    const gone = await kubectl(['get', 'deployment', 'held', '-n', APP_NS]);
    expect(gone.stderr).toContain('NotFound');
  });

  it('admits objects labelled rollsafe.dev/ignore=true', async () => {
    await ok(['apply', '-f', '-'], deployment('opted-out', APP_NS, '"rollsafe.dev/ignore": "true"'));
  });
});

describe('helm upgrade', () => {
  it('keeps the generated CA and certificate, and applies the new values', async () => {
    const before = await storedWebhooks();
    const secretBefore = (await ok(['get', 'secret', 'rollsafe-tls', '-n', NS, '-o', 'jsonpath={.data}'])).stdout;
    helmOk(['upgrade', 'rollsafe', CHART, '--namespace', NS, '--set', 'webhook.timeoutSeconds=10']);
    const after = await storedWebhooks();
    expect(after.map((w) => w.timeoutSeconds)).toEqual([10, 10, 10]);
    expect(before[0]?.clientConfig.caBundle).toBeTruthy();
    expect(after.map((w) => w.clientConfig.caBundle)).toEqual(before.map((w) => w.clientConfig.caBundle));
    expect((await ok(['get', 'secret', 'rollsafe-tls', '-n', NS, '-o', 'jsonpath={.data}'])).stdout).toBe(secretBefore);
  });
});

describe('turning the webhook off in an emergency', () => {
  it('kubectl delete validatingwebhookconfiguration lets changes through at once; helm upgrade brings it back', async () => {
    await ok(['delete', 'validatingwebhookconfiguration', 'rollsafe']);
    await eventually(async () => {
      await ok(['apply', '-f', '-'], deployment('during-outage', APP_NS));
    });
    helmOk(['upgrade', 'rollsafe', CHART, '--namespace', NS, '--reuse-values']);
    await eventually(async () => {
      const r = await kubectl(['apply', '-f', '-'], deployment('after-restore', APP_NS));
      expect(r.stderr).toContain(CALL_FAILED('deployments.rollsafe.dev'));
    });
  });

  it('failurePolicy Ignore admits changes while the webhook is down', async () => {
    helmOk(['upgrade', 'rollsafe', CHART, '--namespace', NS, '--reuse-values', '--set', 'webhook.failurePolicy=Ignore']);
    await eventually(async () => {
      await ok(['apply', '-f', '-'], deployment('ignored-outage', APP_NS));
    });
  });
});

describe('helm uninstall', () => {
  it('removes the webhook configuration and the cluster-wide RBAC objects', async () => {
    helmOk(['uninstall', 'rollsafe', '--namespace', NS]);
    expect((await kubectl(['get', 'validatingwebhookconfiguration', 'rollsafe'])).code).toBe(1);
    expect((await kubectl(['get', 'clusterrole', 'rollsafe'])).code).toBe(1);
    await eventually(async () => {
      await ok(['apply', '-f', '-'], deployment('after-uninstall', APP_NS));
    });
  });
});
