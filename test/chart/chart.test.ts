// The chart as `helm lint --strict` and `helm template` see it, in every configuration it supports
// (issue 7): what a cluster admin relies on when the webhook has a bad day.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ENV } from '../../src/config/settings.js';
import { defaultPolicyConfig, parsePolicyConfig, PolicyConfig } from '../../src/config/policy-config.js';
import { ROOT } from '../helpers/spawn-cli.js';
import { CHART, HELM_BUILD_TIMEOUT_MS, helm, installHelm, type K8sObject, NAMESPACE, only, render, renderText, SCENARIOS } from './helm.js';

// Field access into rendered objects, typed as far as the assertions need.
interface Container {
  name: string;
  image: string;
  env: { name: string; value?: string }[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: { httpGet: { path: string; port: string | number; scheme: string } };
  livenessProbe: { httpGet: { path: string; port: string | number; scheme: string } };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string; subPath?: string }[];
}
interface PodSpec {
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number };
  topologySpreadConstraints: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }[];
  containers: Container[];
  volumes: { name: string; secret?: { secretName: string }; configMap?: { name: string }; emptyDir?: unknown }[];
}
interface Webhook {
  name: string;
  failurePolicy: string;
  timeoutSeconds: number;
  sideEffects: string;
  admissionReviewVersions: string[];
  clientConfig: { service: { name: string; namespace: string; path: string; port: number }; caBundle?: string };
  rules: { apiGroups: string[]; apiVersions: string[]; resources: string[]; operations: string[] }[];
  namespaceSelector: { matchExpressions: { key: string; operator: string; values: string[] }[] };
  objectSelector?: { matchExpressions: { key: string; operator: string; values: string[] }[] };
  matchConditions?: { name: string; expression: string }[];
}

const podSpec = (objects: K8sObject[]): PodSpec => (only(objects, 'Deployment').spec as { template: { spec: PodSpec } }).template.spec;
const container = (objects: K8sObject[]): Container => podSpec(objects).containers[0] as Container;
const webhooks = (objects: K8sObject[]): Webhook[] => only(objects, 'ValidatingWebhookConfiguration').webhooks as Webhook[];
const webhook = (objects: K8sObject[], name: string): Webhook => {
  const w = webhooks(objects).find((x) => x.name === name);
  if (!w) throw new Error(`no webhook ${name}`);
  return w;
};
const secretData = (o: K8sObject, key: string): string => Buffer.from((o.data as Record<string, string>)[key] ?? '', 'base64').toString('utf8');

beforeAll(() => {
  installHelm();
}, HELM_BUILD_TIMEOUT_MS);

describe.each(Object.entries(SCENARIOS))('chart with %s', (_name, args) => {
  test('passes helm lint --strict', () => {
    const r = helm(['lint', '--strict', CHART, '--namespace', NAMESPACE, ...args]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  test('renders the same objects every time (only a generated certificate may differ)', () => {
    const mask = (text: string) => text.replace(/^(\s*(?:ca\.crt|tls\.crt|tls\.key|caBundle): ).+$/gm, '$1<generated>');
    expect(mask(renderText(args))).toBe(mask(renderText(args)));
  });

  test('sets only environment variables that rollsafe serve reads', () => {
    const known = new Set(Object.values(ENV));
    const extra = container(render(args)).env.map((e) => e.name).filter((n) => !known.has(n));
    expect(extra).toEqual([]);
  });
});

describe('default values', () => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = render();
  });

  test('renders each object once, in the release namespace', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole/rollsafe',
      'ClusterRoleBinding/rollsafe',
      'ConfigMap/rollsafe-config',
      'Deployment/rollsafe',
      'PodDisruptionBudget/rollsafe',
      'Secret/rollsafe-tls',
      'Service/rollsafe',
      'ServiceAccount/rollsafe',
      'ValidatingWebhookConfiguration/rollsafe',
    ]);
    const cluster = new Set(['ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration']);
    for (const o of objects) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, cluster.has(o.kind) ? undefined : NAMESPACE]);
  });

  test('runs two replicas spread across nodes, replaced one at a time, kept through drains by a PodDisruptionBudget', () => {
    const spec = only(objects, 'Deployment').spec as { replicas: number; strategy: unknown };
    expect(spec.replicas).toBe(2);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const spread = podSpec(objects).topologySpreadConstraints;
    expect(spread.map((c) => c.topologyKey)).toContain('kubernetes.io/hostname');
    for (const c of spread) expect(c.labelSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'rollsafe', 'app.kubernetes.io/instance': 'rollsafe' });
    expect(only(objects, 'PodDisruptionBudget').spec).toEqual({ minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'rollsafe', 'app.kubernetes.io/instance': 'rollsafe' } } });
  });

  test('probes /healthz and /readyz over HTTPS on the declared port, as a numeric non-root user with a read-only root', () => {
    const c = container(objects);
    expect(c.ports).toEqual([{ name: 'https', containerPort: 8443, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'https', scheme: 'HTTPS' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'https', scheme: 'HTTPS' });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(podSpec(objects).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.volumeMounts.find((m) => m.mountPath === '/tmp')).toBeDefined();
  });

  test('runs the image of the chart appVersion, never latest', () => {
    const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { appVersion: string };
    expect(container(objects).image).toBe(`ghcr.io/rollsafe/rollsafe:${chart.appVersion}`);
    const r = helm(['template', 'rollsafe', CHART, '--set', 'image.tag=latest']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('image.tag "latest" is refused: nodes would run different builds; set a version such as 0.1.0');
  });

  test('passes the serving certificate, the policy configuration and the settings as the environment rollsafe serve reads', () => {
    const env = Object.fromEntries(container(objects).env.map((e) => [e.name, e.value]));
    expect(env).toEqual({
      [ENV.port]: '8443',
      [ENV.tlsCertFile]: '/etc/rollsafe/tls/tls.crt',
      [ENV.tlsKeyFile]: '/etc/rollsafe/tls/tls.key',
      [ENV.policyConfigFile]: '/etc/rollsafe/config/config.yaml',
      [ENV.logLevel]: 'info',
      [ENV.drainSeconds]: '10',
      [ENV.requestTimeoutMs]: '4000',
      [ENV.cluster]: 'auto',
      [ENV.cacheStaleSeconds]: '60',
      [ENV.maxConnections]: '1000',
      [ENV.maxBodiesMib]: '32',
    });
    // Whole directories, no subPath: a subPath mount never sees the kubelet's update.
    const mounts = container(objects).volumeMounts;
    expect(mounts.filter((m) => m.subPath !== undefined)).toEqual([]);
    expect(mounts.map((m) => m.mountPath)).toEqual(expect.arrayContaining(['/etc/rollsafe/tls', '/etc/rollsafe/config']));
    const volumes = podSpec(objects).volumes;
    expect(volumes.find((v) => v.name === 'tls')?.secret?.secretName).toBe('rollsafe-tls');
    expect(volumes.find((v) => v.name === 'config')?.configMap?.name).toBe('rollsafe-config');
  });

  test('writes values.config as the policy configuration file, which the server accepts', () => {
    const text = (only(objects, 'ConfigMap', 'rollsafe-config').data as Record<string, string>)['config.yaml'] ?? '';
    const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { config: unknown };
    expect(parse(text)).toEqual(values.config);
    expect(() => parsePolicyConfig(parse(text), 'config.yaml')).not.toThrow();
  });

  test('values.yaml shows every setting of the policy configuration, at its default', () => {
    // staleCache was missing: an admin reading values.yaml could not know it was there to set.
    const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { config: Record<string, unknown> };
    expect(Object.keys(values.config).sort()).toEqual(Object.keys(PolicyConfig.shape).sort());
    expect(values.config).toEqual(defaultPolicyConfig);
  });

  test('writes an unquoted off in a values file (YAML 1.1 false to Helm) as the action "off"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-values-'));
    try {
      const file = join(dir, 'values.yaml');
      writeFileSync(
        file,
        [
          'config:',
          '  policies:',
          '    replicas: off',
          '    probe-timing: {action: off, options: {minPeriodSeconds: 3}}',
          '    image-pinned: deny',
          '  namespaceOverrides:',
          '    - namespaceSelector: {matchLabels: {team: legacy}}',
          '      policies: {readiness-probe: off, resources: {action: off}}',
          '',
        ].join('\n'),
      );
      const text = (only(render(['-f', file]), 'ConfigMap', 'rollsafe-config').data as Record<string, string>)['config.yaml'] ?? '';
      expect(text).toContain('replicas: "off"');
      const config = parse(text) as { policies: unknown; namespaceOverrides: { policies: unknown }[] };
      expect(config.policies).toEqual({ replicas: 'off', 'probe-timing': { action: 'off', options: { minPeriodSeconds: 3 } }, 'image-pinned': 'deny' });
      expect(config.namespaceOverrides[0]?.policies).toEqual({ 'readiness-probe': 'off', resources: { action: 'off' } });
      expect(() => parsePolicyConfig(config, 'config.yaml')).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('grants read-only access to exactly what the policies look up, and nothing on Secrets', () => {
    expect(only(objects, 'ClusterRole').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps', 'services', 'namespaces', 'limitranges'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['rollsafe.dev'], resources: ['configschemas'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(only(objects, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'rollsafe', namespace: NAMESPACE }]);
  });

  test('registers Deployments, ConfigMaps and ConfigSchemas on CREATE and UPDATE with failurePolicy Fail and a 5 s timeout', () => {
    const rules = webhooks(objects).map((w) => [w.name, w.rules]);
    expect(rules).toEqual([
      ['deployments.rollsafe.dev', [{ apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'], operations: ['CREATE', 'UPDATE'], scope: 'Namespaced' }]],
      ['configmaps.rollsafe.dev', [{ apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['CREATE', 'UPDATE'], scope: 'Namespaced' }]],
      ['configschemas.rollsafe.dev', [{ apiGroups: ['rollsafe.dev'], apiVersions: ['v1alpha1'], resources: ['configschemas'], operations: ['CREATE', 'UPDATE'], scope: 'Namespaced' }]],
    ]);
    for (const w of webhooks(objects)) {
      expect(w).toMatchObject({ failurePolicy: 'Fail', timeoutSeconds: 5, sideEffects: 'None', admissionReviewVersions: ['v1'] });
      expect(w.clientConfig.service).toEqual({ name: 'rollsafe', namespace: NAMESPACE, path: '/validate', port: 443 });
    }
  });

  test('never calls the webhook for the system namespaces, its own namespace, or objects labelled rollsafe.dev/ignore=true', () => {
    for (const w of webhooks(objects)) {
      expect(w.namespaceSelector).toEqual({
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kube-node-lease', 'kube-public', NAMESPACE] }],
      });
      expect(w.objectSelector).toEqual({ matchExpressions: [{ key: 'rollsafe.dev/ignore', operator: 'NotIn', values: ['true'] }] });
    }
  });

  test('keeps updates of objects being deleted, kube-root-ca.crt, leader election and metadata-only ConfigMap updates away from the webhook', () => {
    expect(webhook(objects, 'configmaps.rollsafe.dev').matchConditions?.map((m) => m.name)).toEqual(['not-being-deleted', 'not-kube-root-ca', 'not-leader-election', 'data-changed-or-exempt']);
    expect(webhook(objects, 'deployments.rollsafe.dev').matchConditions?.map((m) => m.name)).toEqual(['not-being-deleted']);
  });

  test('skips only the CREATE of a leader-election lock: an UPDATE that adds the annotation while removing every key is sent', () => {
    const leader = webhook(objects, 'configmaps.rollsafe.dev').matchConditions?.find((m) => m.name === 'not-leader-election');
    expect(leader?.expression).toMatch(/^request\.operation != 'CREATE' \|\| /);
  });

  test('generates a CA and a serving certificate for the Service names, and trusts that CA in every webhook', () => {
    const secret = only(objects, 'Secret', 'rollsafe-tls');
    expect(secret.type).toBe('kubernetes.io/tls');
    const ca = new X509Certificate(secretData(secret, 'ca.crt'));
    const cert = new X509Certificate(secretData(secret, 'tls.crt'));
    expect(ca.ca).toBe(true);
    expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(secretData(secret, 'tls.key')))).toBe(true);
    expect(cert.subjectAltName).toContain('DNS:rollsafe.rollsafe.svc');
    expect(cert.subjectAltName).toContain('DNS:rollsafe.rollsafe.svc.cluster.local');
    for (const w of webhooks(objects)) expect(Buffer.from(w.clientConfig.caBundle ?? '', 'base64').toString('utf8')).toBe(secretData(secret, 'ca.crt'));
  });
});

describe('certificates', () => {
  test('with cert-manager: a CA of its own issues the serving certificate, and cert-manager injects the CA', () => {
    const objects = render(SCENARIOS['certificates from cert-manager (the chart makes its CA)']);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(only(objects, 'Certificate', 'rollsafe-ca').spec).toMatchObject({ isCA: true, secretName: 'rollsafe-ca', issuerRef: { kind: 'Issuer', name: 'rollsafe-selfsigned' } });
    expect(only(objects, 'Issuer', 'rollsafe-ca').spec).toEqual({ ca: { secretName: 'rollsafe-ca' } });
    expect(only(objects, 'Certificate', 'rollsafe-tls').spec).toMatchObject({
      secretName: 'rollsafe-tls',
      issuerRef: { kind: 'Issuer', name: 'rollsafe-ca' },
      dnsNames: ['rollsafe', 'rollsafe.rollsafe', 'rollsafe.rollsafe.svc', 'rollsafe.rollsafe.svc.cluster.local'],
    });
    const vwc = only(objects, 'ValidatingWebhookConfiguration');
    expect(vwc.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': 'rollsafe/rollsafe-tls' });
    for (const w of webhooks(objects)) expect(w.clientConfig.caBundle).toBeUndefined();
    expect(podSpec(objects).volumes.find((v) => v.name === 'tls')?.secret?.secretName).toBe('rollsafe-tls');
  });

  test('with an existing cert-manager issuer: only the serving Certificate, from that issuer', () => {
    const objects = render(SCENARIOS['certificates from an existing cert-manager issuer']);
    expect(objects.filter((o) => o.kind === 'Issuer')).toEqual([]);
    expect(only(objects, 'Certificate').spec).toMatchObject({ secretName: 'rollsafe-tls', issuerRef: { kind: 'ClusterIssuer', name: 'internal-ca' } });
  });

  test('with a Secret of your own: mounts it and trusts the CA given in values', () => {
    const objects = render(SCENARIOS['certificates from a user-provided Secret']);
    expect(objects.filter((o) => o.kind === 'Secret' || o.kind === 'Certificate')).toEqual([]);
    expect(podSpec(objects).volumes.find((v) => v.name === 'tls')?.secret?.secretName).toBe('my-webhook-tls');
    const pem = readFileSync(join(ROOT, 'test/fixtures/chart/ca.crt'), 'utf8');
    for (const w of webhooks(objects)) expect(Buffer.from(w.clientConfig.caBundle ?? '', 'base64').toString('utf8')).toBe(pem);
  });
});

describe('webhook settings', () => {
  test('matchConditions are left out before Kubernetes 1.30, and can be forced either way', () => {
    const has = (args: string[]) => webhook(render(args), 'configmaps.rollsafe.dev').matchConditions !== undefined;
    expect(has(['--kube-version', '1.29.0'])).toBe(false);
    expect(has(['--kube-version', '1.30.0'])).toBe(true);
    expect(has(['--kube-version', '1.29.0', '--set', 'webhook.matchConditions=true'])).toBe(true);
    expect(has(['--set', 'webhook.matchConditions=false'])).toBe(false);
  });

  test('webhook.excludeNamespaces adds to the system namespaces and the release namespace, never replaces them', () => {
    const objects = render(['--set', 'webhook.excludeNamespaces={team-x,kube-system}']);
    for (const w of webhooks(objects)) {
      expect(w.namespaceSelector).toEqual({
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kube-node-lease', 'kube-public', 'team-x', NAMESPACE] }],
      });
    }
    const teamX = render(['--set', 'webhook.excludeNamespaces={team-x}']);
    for (const w of webhooks(teamX)) {
      expect([...(w.namespaceSelector.matchExpressions[0]?.values ?? [])].sort()).toEqual(['kube-node-lease', 'kube-public', 'kube-system', NAMESPACE, 'team-x'].sort());
    }
  });

  test('requires Kubernetes 1.23 (autoscaling/v2 HorizontalPodAutoscalers, which the server watches)', () => {
    const old = helm(['template', 'rollsafe', CHART, '--kube-version', '1.22.0']);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('chart requires kubeVersion: >=1.23.0-0 which is incompatible with Kubernetes v1.22.0');
    expect(() => render(['--kube-version', '1.23.0'])).not.toThrow();
  });

  test('failurePolicy Ignore applies to every kind unless a kind sets its own', () => {
    const objects = render(['--set', 'webhook.failurePolicy=Ignore', '--set', 'webhook.configSchemas.failurePolicy=Fail']);
    expect(webhooks(objects).map((w) => [w.name, w.failurePolicy])).toEqual([
      ['deployments.rollsafe.dev', 'Ignore'],
      ['configmaps.rollsafe.dev', 'Ignore'],
      ['configschemas.rollsafe.dev', 'Fail'],
    ]);
  });

  test('a kind can be left out, and the opt-out label can be renamed or dropped', () => {
    expect(webhooks(render(['--set', 'webhook.configMaps.enabled=false'])).map((w) => w.name)).toEqual(['deployments.rollsafe.dev', 'configschemas.rollsafe.dev']);
    expect(webhooks(render(['--set', 'webhook.optOutLabel=example.com/skip-rollsafe']))[0]?.objectSelector?.matchExpressions[0]?.key).toBe('example.com/skip-rollsafe');
    expect(webhooks(render(['--set', 'webhook.optOutLabel=']))[0]?.objectSelector).toBeUndefined();
  });

  test('refuses a server timeout that would outlast the API server, and a grace period shorter than the drain', () => {
    const timeout = helm(['template', 'rollsafe', CHART, '--set', 'server.requestTimeoutMs=5000']);
    expect(timeout.stderr).toContain('server.requestTimeoutMs (5000) must be below webhook.timeoutSeconds (5 s): the server must answer before the API server gives up');
    const grace = helm(['template', 'rollsafe', CHART, '--set', 'terminationGracePeriodSeconds=15']);
    expect(grace.stderr).toContain('terminationGracePeriodSeconds (15) must be above server.drainSeconds + server.requestTimeoutMs + 1 s (15 s): the pod would be killed while draining or finishing reviews');
    expect(helm(['template', 'rollsafe', CHART, '--set', 'terminationGracePeriodSeconds=16']).code).toBe(0);
  });

  test('server.cluster=off mounts no ServiceAccount token: nothing reads the cluster', () => {
    const objects = render(['--set', 'server.cluster=off']);
    expect(podSpec(objects)).toMatchObject({ automountServiceAccountToken: false });
    expect(container(objects).env.find((e) => e.name === ENV.cluster)?.value).toBe('off');
    expect(podSpec(render())).toMatchObject({ automountServiceAccountToken: true });
    // An unquoted off in a values file is false to Helm (YAML 1.1).
    const asFalse = render(['--set', 'server.cluster=false']);
    expect(podSpec(asFalse)).toMatchObject({ automountServiceAccountToken: false });
    expect(container(asFalse).env.find((e) => e.name === ENV.cluster)?.value).toBe('off');
  });

  test('server.host is passed as ROLLSAFE_HOST only when set (:: for IPv6 clusters)', () => {
    expect(container(render()).env.find((e) => e.name === ENV.host)).toBeUndefined();
    expect(container(render(['--set', 'server.host=::'])).env.find((e) => e.name === ENV.host)?.value).toBe('::');
    const r = helm(['template', 'rollsafe', CHART, '--set', 'server.host=not a host']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("- at '/server/host': 'not a host' does not match pattern");
  });

  test('one replica gets no PodDisruptionBudget, which would block every drain of its node', () => {
    expect(render(SCENARIOS['one replica']).filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });
});

describe('optional features', () => {
  test('ServiceMonitor scrapes /metrics over HTTPS, verifying the certificate with the chart CA', () => {
    const sm = only(render(SCENARIOS.ServiceMonitor), 'ServiceMonitor');
    expect(sm.spec).toMatchObject({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'rollsafe', 'app.kubernetes.io/instance': 'rollsafe' } },
      endpoints: [{ port: 'https', path: '/metrics', scheme: 'https', tlsConfig: { serverName: 'rollsafe.rollsafe.svc', ca: { secret: { name: 'rollsafe-tls', key: 'ca.crt' } } } }],
    });
  });

  test('NetworkPolicy lets only the webhook port in, and only DNS and the API server out', () => {
    const np = only(render(SCENARIOS.NetworkPolicy), 'NetworkPolicy');
    expect(np.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'rollsafe', 'app.kubernetes.io/instance': 'rollsafe' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: 'https', protocol: 'TCP' }] }],
      egress: [
        { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
        { ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.0.0.1/32' } }] },
      ],
    });
  });

  test('ConfigSchema files are mounted and each is named in ROLLSAFE_SCHEMAS', () => {
    const objects = render(SCENARIOS['ConfigSchema files']);
    const data = only(objects, 'ConfigMap', 'rollsafe-schemas').data as Record<string, string>;
    expect(Object.keys(data)).toEqual(['shop.yaml']);
    expect(parse(data['shop.yaml'] ?? '')).toMatchObject({ kind: 'ConfigSchema', metadata: { name: 'api-config' } });
    expect(container(objects).env.find((e) => e.name === ENV.schemaPaths)?.value).toBe('/etc/rollsafe/schemas/shop.yaml');
  });

  test('the chart ships the ConfigSchema CRD that npm run gen writes', () => {
    const r = helm(['show', 'crds', CHART]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(readFileSync(join(CHART, 'crds/configschemas.rollsafe.dev.yaml'), 'utf8').trim());
  });
});
