// The structural check of src/kube/structure.ts against the Kubernetes 1.37 types: what the API
// server refuses while decoding (unknown fields under strict field validation, values of the wrong
// JSON type), and what it accepts though a naive type check would not (null anywhere, numbers for
// quantities, names for int-or-string ports). Whether kubectl agrees on real manifests is
// test/e2e/kube-schema.e2e.test.ts.
import { describe, expect, it } from '@jest/globals';
import { API_TYPES } from '../../src/kube/api-types.js';
import { closest, structuralIssues } from '../../src/kube/structure.js';

const deployment = (container: Record<string, unknown>, pod: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }], ...pod } },
    ...spec,
  },
});
const C = ['spec', 'template', 'spec', 'containers', 0];
const issues = (o: unknown) => structuralIssues(o, 'apps/v1', 'Deployment');

describe('structuralIssues', () => {
  it('finds nothing in a Deployment that uses every kind of field', () => {
    const d = deployment(
      {
        command: ['sleep', '3600'],
        ports: [{ containerPort: 8080, name: 'http' }],
        resources: { requests: { cpu: 0.5, memory: '64Mi' }, limits: { memory: 1e9 } },
        readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 10 },
        livenessProbe: { tcpSocket: { port: 8080 } },
        env: [{ name: 'A', value: 'b' }, { name: 'B', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }],
      },
      { nodeSelector: { disk: 'ssd' }, terminationGracePeriodSeconds: 30, securityContext: { runAsNonRoot: true, runAsUser: 1000 } },
      { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } },
    );
    expect(issues({ ...d, status: {} })).toEqual([]);
  });

  it('accepts null anywhere, as the API server reads it as not set', () => {
    expect(issues(deployment({ env: null, resources: null, command: [null] }, { nodeSelector: { a: null } }))).toEqual([]);
    expect(issues({ ...deployment({}), metadata: { name: 'web', creationTimestamp: null } })).toEqual([]);
  });

  it('reports an unknown field with the type that lacks it and the field meant', () => {
    expect(issues(deployment({ imagePullpolicy: 'Always', resource: {} }))).toEqual([
      { code: 'unknown-field', path: [...C, 'imagePullpolicy'], type: 'Container', didYouMean: 'imagePullPolicy' },
      { code: 'unknown-field', path: [...C, 'resource'], type: 'Container', didYouMean: 'resources' },
    ]);
  });

  it('says where a misplaced field belongs: containers under the Deployment spec belongs in its pod template', () => {
    expect(issues(deployment({}, {}, { containers: [] }))).toEqual([
      { code: 'unknown-field', path: ['spec', 'containers'], type: 'DeploymentSpec', belongsAt: ['spec.template.spec'] },
    ]);
  });

  it('reports values of the wrong JSON type, whatever the depth', () => {
    const found = issues(deployment({ command: ['sleep', 3600], env: { A: 'b' }, securityContext: 'x', stdin: 'true' }, { nodeSelector: { gpu: true } }, { replicas: '2' }));
    expect(found).toEqual([
      { code: 'wrong-type', path: ['spec', 'replicas'], wanted: 'integer', is: 'string' },
      { code: 'wrong-type', path: ['spec', 'template', 'spec', 'nodeSelector', 'gpu'], wanted: 'string', is: 'boolean' },
      { code: 'wrong-type', path: [...C, 'env'], wanted: 'list', is: 'map' },
      { code: 'wrong-type', path: [...C, 'securityContext'], wanted: 'object', is: 'string', type: 'SecurityContext' },
      { code: 'wrong-type', path: [...C, 'stdin'], wanted: 'boolean', is: 'string' },
      { code: 'wrong-type', path: [...C, 'command', 1], wanted: 'string', is: 'number' },
    ]);
  });

  it('integers: whole and within their bits; 2.0 is read as 2 (kubectl sends 2)', () => {
    expect(issues(deployment({ ports: [{ containerPort: 2 ** 31 }] }, { terminationGracePeriodSeconds: 2 ** 40 }, { replicas: 1.5 }))).toEqual([
      { code: 'not-whole', path: ['spec', 'replicas'], value: 1.5 },
      { code: 'out-of-range', path: [...C, 'ports', 0, 'containerPort'], value: 2 ** 31, bits: 32 },
    ]);
    expect(issues(deployment({}, {}, { replicas: 2.0 }))).toEqual([]);
  });

  it('quantities take numbers and strings; int-or-string takes whole numbers and strings', () => {
    expect(issues(deployment({ resources: { limits: { cpu: true } }, readinessProbe: { httpGet: { port: 80.5 } }, livenessProbe: { httpGet: { port: false } } }))).toEqual([
      { code: 'wrong-type', path: [...C, 'resources', 'limits', 'cpu'], wanted: 'quantity', is: 'boolean' },
      { code: 'not-whole', path: [...C, 'readinessProbe', 'httpGet', 'port'], value: 80.5 },
      { code: 'wrong-type', path: [...C, 'livenessProbe', 'httpGet', 'port'], wanted: 'int-or-string', is: 'boolean' },
    ]);
  });

  it('quantities as resource.ParseQuantity reads them; times as RFC 3339', () => {
    const limits = (memory: unknown) => issues(deployment({ resources: { limits: { memory } } }));
    for (const ok of ['1Gi', '1G', '1e3', '1E', '+1', ' 1Mi ', '.5', '500m', 1e9]) expect([ok, limits(ok)]).toEqual([ok, []]);
    for (const bad of ['1K', '1GB', '1e', '1 Mi', 'lots', '']) {
      expect([bad, limits(bad)]).toEqual([bad, [{ code: 'not-quantity', path: [...C, 'resources', 'limits', 'memory'], value: bad }]]);
    }
    const stamped = (creationTimestamp: unknown) => issues({ ...deployment({}), metadata: { name: 'web', creationTimestamp } });
    expect(stamped('2024-01-01T10:00:00Z')).toEqual([]);
    expect(stamped('2024-01-01T10:00:00.5+02:00')).toEqual([]);
    expect(stamped('yesterday')).toEqual([{ code: 'not-time', path: ['metadata', 'creationTimestamp'], value: 'yesterday' }]);
  });

  it('checks the kinds the policies skip too: a StatefulSet, a Secret, a CronJob', () => {
    expect(structuralIssues({ spec: { template: { spec: { containers: [{ name: 'a', imagePullpolicy: 'x' }] } } } }, 'apps/v1', 'StatefulSet')).toEqual([
      { code: 'unknown-field', path: ['spec', 'template', 'spec', 'containers', 0, 'imagePullpolicy'], type: 'Container', didYouMean: 'imagePullPolicy' },
    ]);
    expect(structuralIssues({ data: { password: 'not base64!' }, stringData: { token: 'text' } }, 'v1', 'Secret')).toEqual([{ code: 'not-base64', path: ['data', 'password'] }]);
    expect(structuralIssues({ spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { RestartPolicy: 'Never' } } } } } }, 'batch/v1', 'CronJob')).toEqual([
      { code: 'unknown-field', path: ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'RestartPolicy'], type: 'PodSpec', didYouMean: 'restartPolicy' },
    ]);
  });

  it('ConfigMap binaryData must be base64; data strings', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 1 }, binaryData: { ok: 'aGVsbG8=', bad: 'hello!' } };
    expect(structuralIssues(cm, 'v1', 'ConfigMap')).toEqual([
      { code: 'wrong-type', path: ['data', 'a'], wanted: 'string', is: 'number' },
      { code: 'not-base64', path: ['binaryData', 'bad'] },
    ]);
  });

  it('knows every built-in kind in its GA version (and autoscaling/v1), not lists, not custom resources', () => {
    const roots = Object.keys(API_TYPES.roots);
    for (const k of ['apps/v1 Deployment', 'apps/v1 StatefulSet', 'v1 Secret', 'v1 Pod', 'batch/v1 CronJob', 'networking.k8s.io/v1 Ingress', 'autoscaling/v1 HorizontalPodAutoscaler', 'autoscaling/v2 HorizontalPodAutoscaler', 'apiextensions.k8s.io/v1 CustomResourceDefinition']) {
      expect(roots).toContain(k);
    }
    expect(roots.filter((k) => k.endsWith('List') || / v1beta\d| v1alpha\d/.test(k))).toEqual([]);
    expect(structuralIssues({}, 'cert-manager.io/v1', 'Certificate')).toBeUndefined();
    expect(structuralIssues(deployment({}), 'extensions/v1beta1', 'Deployment')).toBeUndefined();
    expect(structuralIssues({ spec: { bogus: 1 } }, 'autoscaling/v2', 'HorizontalPodAutoscaler')).toEqual([
      { code: 'unknown-field', path: ['spec', 'bogus'], type: 'HorizontalPodAutoscalerSpec' },
    ]);
  });
});

describe('closest: the field a misspelt one meant', () => {
  it.each([
    ['imagePullpolicy', 'imagePullPolicy'],
    ['resource', 'resources'],
    ['envfrom', 'envFrom'],
    ['env_from', 'envFrom'],
    ['livenesProbe', 'livenessProbe'],
    ['readinessprobes', 'readinessProbe'],
    ['portz', 'ports'],
  ])('%s -> %s', (written, meant) => {
    expect(closest(written, Object.keys(API_TYPES.types['core.v1.Container'] ?? {}))).toBe(meant);
  });
  it('no guess for a name far from every field', () => {
    expect(closest('sidecar', Object.keys(API_TYPES.types['core.v1.Container'] ?? {}))).toBeUndefined();
    expect(closest('xyz', ['abc'])).toBeUndefined();
  });
});
