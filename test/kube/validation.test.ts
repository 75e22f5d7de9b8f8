// The validation of src/kube/validation: what kube-apiserver 1.37 refuses with 422 Invalid once an
// object decodes, and the near misses it accepts (a check that refuses what works gets
// uninstalled). That kubectl gives each verdict is test/e2e/kube-schema.e2e.test.ts, on the
// fixtures of test/fixtures/kube-schema; here each rule is pinned with the path a user is shown.
import { describe, expect, it } from '@jest/globals';
import { validationIssues } from '../../src/kube/validation/index.js';
import { compareExact, exactQuantity } from '../../src/kube/validation/quantity.js';

type Obj = Record<string, unknown>;
const deployment = (container: Obj = {}, pod: Obj = {}, spec: Obj = {}, metadata: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, ...metadata },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }], ...pod } },
    ...spec,
  },
});
const C = 'spec.template.spec.containers[0]';
const render = (path: readonly (string | number)[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
const found = (o: Obj, apiVersion = 'apps/v1', kind = 'Deployment') => validationIssues(o, apiVersion, kind).map((i) => `${render(i.path)}: ${i.message}`);
const paths = (o: Obj, apiVersion = 'apps/v1', kind = 'Deployment') => validationIssues(o, apiVersion, kind).map((i) => render(i.path));

describe('validationIssues: a Deployment', () => {
  it('finds nothing in a valid Deployment that uses the rules near their limits', () => {
    const d = deployment(
      {
        ports: [{ name: 'metrics-export1', containerPort: 9090 }, { name: 'http', containerPort: 8080, hostPort: 0, protocol: 'TCP' }],
        resources: { requests: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': 1 }, limits: { cpu: 1, memory: 1073741824, 'nvidia.com/gpu': '1' } },
        readinessProbe: { httpGet: { path: '/', port: 'http' }, successThreshold: 2 },
        livenessProbe: { tcpSocket: { port: 8080 }, successThreshold: 1 },
        env: [{ name: '1FOO', value: 'a' }, { name: 'B', valueFrom: { configMapKeyRef: { name: 'c', key: '_x-1.y' } } }, { name: 'B', value: 'again' }],
        volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
      },
      { volumes: [{ name: 'config', configMap: { name: 'c' } }, { name: 'unused', emptyDir: {} }], restartPolicy: 'Always' },
      { replicas: 0, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, minReadySeconds: 10, progressDeadlineSeconds: 11 },
      { labels: { app: 'web', 'app.kubernetes.io/version': 'v1.2', empty: '', long: 'x'.repeat(63) }, annotations: { 'Example.com/Note': 'any text: 1.2.3+build' } },
    );
    expect(found(d)).toEqual([]);
  });

  it('requires a selector that matches the template labels', () => {
    expect(paths(deployment({}, {}, { selector: undefined }))).toEqual(['spec.selector']);
    expect(found(deployment({}, {}, { selector: undefined }))[0]).toContain("to select this template's pods: selector: {matchLabels: {app: web, tier: front}}");
    expect(found(deployment({}, {}, { selector: {} }))).toEqual(['spec.selector: is empty: a Deployment must select its pods by at least one label']);
    expect(paths(deployment({}, {}, { selector: { matchLabels: { app: 'api' } } }))).toEqual(['spec.template.metadata.labels']);
    const expr = (operator: string, values?: string[]) => deployment({}, {}, { selector: { matchExpressions: [{ key: 'tier', operator, ...(values && { values }) }] } });
    expect(paths(expr('In', ['front', 'back']))).toEqual([]);
    expect(paths(expr('In', ['back']))).toEqual(['spec.template.metadata.labels']);
    expect(paths(expr('NotIn', ['front']))).toEqual(['spec.template.metadata.labels']);
    expect(paths(expr('NotIn', ['back']))).toEqual([]);
    expect(paths(expr('Exists'))).toEqual([]);
    expect(paths(expr('DoesNotExist'))).toEqual(['spec.template.metadata.labels']);
    expect(paths(expr('In', []))).toEqual(['spec.selector.matchExpressions[0].values', 'spec.template.metadata.labels']);
  });

  it('holds replicas, the rolling update and the deadlines to what the API server accepts', () => {
    expect(paths(deployment({}, {}, { replicas: -1 }))).toEqual(['spec.replicas']);
    const rolling = (rollingUpdate: Obj, type = 'RollingUpdate') => paths(deployment({}, {}, { strategy: { type, rollingUpdate } }));
    expect(rolling({ maxSurge: '1' })).toEqual(['spec.strategy.rollingUpdate.maxSurge']);
    expect(rolling({ maxUnavailable: '25' })).toEqual(['spec.strategy.rollingUpdate.maxUnavailable']);
    expect(rolling({ maxSurge: '150%', maxUnavailable: '100%' })).toEqual([]);
    expect(rolling({ maxUnavailable: '150%' })).toEqual(['spec.strategy.rollingUpdate.maxUnavailable']);
    expect(rolling({ maxSurge: 0, maxUnavailable: 0 })).toEqual(['spec.strategy.rollingUpdate.maxUnavailable']);
    expect(rolling({ maxSurge: '0%', maxUnavailable: 0 })).toEqual(['spec.strategy.rollingUpdate.maxUnavailable']);
    expect(rolling({ maxSurge: -1 })).toEqual(['spec.strategy.rollingUpdate.maxSurge']);
    expect(rolling({ maxSurge: 1 }, 'Recreate')).toEqual(['spec.strategy.rollingUpdate']);
    expect(paths(deployment({}, {}, { strategy: { type: 'Recreate' } }))).toEqual([]);
    expect(paths(deployment({}, {}, { minReadySeconds: 30, progressDeadlineSeconds: 30 }))).toEqual(['spec.progressDeadlineSeconds']);
    expect(paths(deployment({}, {}, { minReadySeconds: 600 }))).toEqual(['spec.minReadySeconds']);
    expect(paths(deployment({}, {}, { revisionHistoryLimit: -1 }))).toEqual(['spec.revisionHistoryLimit']);
    expect(paths(deployment({}, { restartPolicy: 'OnFailure' }))).toEqual(['spec.template.spec.restartPolicy']);
  });

  it('names containers, ports and volumes as the API server requires, and says how to write them', () => {
    expect(found(deployment({ name: 'Web_1' }))).toEqual([`${C}.name: "Web_1" is not made of lower-case letters, digits and "-", starting and ending with a letter or digit: a container name is lower-case letters, digits and "-", at most 63 characters; e.g. web-1`]);
    expect(paths(deployment({}, { initContainers: [{ name: 'web', image: 'busybox' }] }))).toEqual(['spec.template.spec.initContainers[0].name']);
    expect(paths(deployment({}, { containers: [] }))).toEqual(['spec.template.spec.containers']);
    expect(paths(deployment({ image: '' }))).toEqual([`${C}.image`]);
    expect(found(deployment({ ports: [{ name: 'metrics-exporter', containerPort: 9090 }] }))).toEqual([`${C}.ports[0].name: the port name "metrics-exporter" is longer than 15 characters: a port name is at most 15 lower-case letters, digits and "-", with at least one letter; e.g. metrics-exporte`]);
    for (const name of ['8080', 'http_1', '-http', 'h--p', 'HTTP']) expect(paths(deployment({ ports: [{ name, containerPort: 8080 }] }))).toEqual([`${C}.ports[0].name`]);
    expect(paths(deployment({ ports: [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }] }))).toEqual([`${C}.ports[1].name`]);
    expect(paths(deployment({ ports: [{ containerPort: 70000 }, { containerPort: 80, hostPort: 70000 }, { containerPort: 81, protocol: 'tcp' }] }))).toEqual([`${C}.ports[0].containerPort`, `${C}.ports[1].hostPort`, `${C}.ports[2].protocol`]);
    expect(paths(deployment({}, { volumes: [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }, { name: 'Config', configMap: { name: 'c' }, emptyDir: {} }] }))).toEqual([
      'spec.template.spec.volumes[1].name',
      'spec.template.spec.volumes[2].name',
      'spec.template.spec.volumes[2]',
    ]);
    expect(paths(deployment({ imagePullPolicy: 'always' }))).toEqual([`${C}.imagePullPolicy`]);
  });

  it('checks probes, env, mounts and resources', () => {
    expect(paths(deployment({ readinessProbe: { httpGet: { path: '/', port: 80 }, tcpSocket: { port: 80 } } }))).toEqual([`${C}.readinessProbe.tcpSocket`]);
    expect(paths(deployment({ readinessProbe: { periodSeconds: 10 } }))).toEqual([`${C}.readinessProbe`]);
    expect(paths(deployment({ readinessProbe: { httpGet: { port: 0 } }, livenessProbe: { exec: { command: ['true'] }, successThreshold: 2, timeoutSeconds: -1 } }))).toEqual([
      `${C}.livenessProbe.timeoutSeconds`,
      `${C}.livenessProbe.successThreshold`,
      `${C}.readinessProbe.httpGet.port`,
    ]);
    expect(paths(deployment({ startupProbe: { exec: { command: ['true'] }, successThreshold: 2 } }))).toEqual([`${C}.startupProbe.successThreshold`]);
    expect(paths(deployment({ env: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'B', valueFrom: {} }, { name: 'A=B' }] }))).toEqual([
      `${C}.env[0].valueFrom`,
      `${C}.env[1].valueFrom`,
      `${C}.env[2].name`,
    ]);
    expect(paths(deployment({ envFrom: [{ prefix: '1X_', configMapRef: { name: 'c' } }, { configMapRef: {} }, {}, { prefix: 'A=', secretRef: { name: 's' }, configMapRef: { name: 'c' } }] }))).toEqual([
      `${C}.envFrom[1].configMapRef.name`,
      `${C}.envFrom[2]`,
      `${C}.envFrom[3].prefix`,
      `${C}.envFrom[3]`,
    ]);
    expect(paths(deployment({ env: [{ name: 'C', valueFrom: { configMapKeyRef: { name: 'c', key: 'bad/key' }, secretKeyRef: { name: 's', key: 'k' } } }] }))).toEqual([`${C}.env[0].valueFrom`, `${C}.env[0].valueFrom.configMapKeyRef.key`]);
    expect(found(deployment({ volumeMounts: [{ name: 'config', mountPath: '/etc' }] }))).toEqual([`${C}.volumeMounts[0].name: "config" is not a volume of this pod (it declares none): add it under volumes, or mount one of those`]);
    expect(paths(deployment({ volumeMounts: [{ name: 'v', mountPath: '/a' }, { name: 'v', mountPath: '/a' }, { name: 'v', mountPath: '' }] }, { volumes: [{ name: 'v', emptyDir: {} }] }))).toEqual([
      `${C}.volumeMounts[1].mountPath`,
      `${C}.volumeMounts[2].mountPath`,
    ]);
    expect(found(deployment({ resources: { requests: { cpu: 2 }, limits: { cpu: '1' } } }))).toEqual([`${C}.resources.requests.cpu: is 2, more than the limit of 1: a request must not exceed its limit; raise limits.cpu or lower the request`]);
    expect(paths(deployment({ resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } } }))).toEqual([`${C}.resources.requests.memory`]);
    expect(paths(deployment({ resources: { requests: { memory: '1024Mi' }, limits: { memory: '1Gi' } } }))).toEqual([]);
    expect(paths(deployment({ resources: { requests: { gpu: 1, cpu: '-1' } } }))).toEqual([`${C}.resources.requests.gpu`, `${C}.resources.requests.cpu`]);
    expect(paths(deployment({ resources: { requests: { 'nvidia.com/gpu': 1 } } }))).toEqual([`${C}.resources.requests.nvidia.com/gpu`]);
    expect(paths(deployment({ resources: { requests: { 'nvidia.com/gpu': 2 }, limits: { 'nvidia.com/gpu': 1 } } }))).toEqual([`${C}.resources.requests.nvidia.com/gpu`]);
    expect(paths(deployment({ resources: { limits: { 'nvidia.com/gpu': 1 } } }))).toEqual([]);
  });

  it('checks names, labels and annotations of the object and of its pod template', () => {
    expect(found(deployment({}, {}, {}, { name: 'Web' }))).toEqual(['metadata.name: "Web" is not made of lower-case letters, digits and "-", starting and ending with a letter or digit, and ".": a Deployment\'s name must be a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", at most 253 characters; e.g. web']);
    expect(paths(deployment({}, {}, {}, { name: 'web.app' }))).toEqual([]);
    expect(paths(deployment({}, {}, {}, { name: 'w'.repeat(254) }))).toEqual(['metadata.name']);
    expect(found(deployment({}, {}, {}, { labels: { version: '1.2.3+build' } }))).toEqual([
      'metadata.labels.version: the label value "1.2.3+build" is not made of letters, digits, "-", "_" and ".", starting and ending with a letter or digit; e.g. "1.2.3_build", or put the value in an annotation, which may hold any text',
    ]);
    for (const labels of [{ v: 'x'.repeat(64) }, { v: 'end-' }, { 'Example.com/app': 'x' }, { 'example.com/': 'x' }, { ['k'.repeat(64)]: 'x' }]) {
      expect(paths(deployment({}, {}, {}, { labels }))).toHaveLength(1);
    }
    expect(paths(deployment({}, {}, { template: { metadata: { labels: { app: 'web', v: 'a b' } }, spec: { containers: [{ name: 'web', image: 'x' }] } } }))).toEqual(['spec.template.metadata.labels.v']);
    expect(paths(deployment({}, {}, {}, { annotations: { 'bad key': 'x' } }))).toEqual(['metadata.annotations.bad key']);
    expect(paths(deployment({}, {}, {}, { annotations: { big: 'x'.repeat(256 * 1024) } }))).toEqual(['metadata.annotations']);
  });

  it('leaves a version it does not know alone', () => {
    expect(found({ ...deployment({ name: 'Web' }), apiVersion: 'apps/v1beta2' }, 'apps/v1beta2')).toEqual([]);
  });
});

describe('validationIssues: other kinds', () => {
  it('counts a StatefulSet\'s claim templates among its volumes, and needs a Job to say how its pods restart', () => {
    const template = { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16', volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql' }] }] } };
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { selector: { matchLabels: { app: 'db' } }, template, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } };
    expect(found(sts, 'apps/v1', 'StatefulSet')).toEqual([]);
    expect(paths({ ...sts, spec: { ...sts.spec, volumeClaimTemplates: [] } }, 'apps/v1', 'StatefulSet')).toEqual(['spec.template.spec.containers[0].volumeMounts[0].name']);
    const job = (restartPolicy?: string) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template: { spec: { containers: [{ name: 'm', image: 'x' }], ...(restartPolicy && { restartPolicy }) } } } });
    expect(found(job(), 'batch/v1', 'Job')).toEqual(["spec.template.spec.restartPolicy: is missing: a Job's pods run to completion, so they are not restarted always; write restartPolicy: OnFailure or restartPolicy: Never"]);
    expect(paths(job('Always'), 'batch/v1', 'Job')).toEqual(['spec.template.spec.restartPolicy']);
    expect(paths(job('Never'), 'batch/v1', 'Job')).toEqual([]);
  });

  it('checks a Service\'s ports and a ConfigMap\'s keys and size', () => {
    const svc = (ports: Obj[], spec: Obj = {}, name = 'web') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ports, ...spec } });
    const S = (o: Obj) => paths(o, 'v1', 'Service');
    expect(S(svc([{ port: 80, targetPort: 0 }]))).toEqual([]);
    expect(S(svc([{ port: 80, targetPort: 'http' }, { name: 'b', port: 81 }]))).toEqual(['spec.ports[0].name']);
    expect(S(svc([{ name: 'a', port: 80, targetPort: '8080' }, { name: 'a', port: 0, targetPort: 70000, protocol: 'tcp' }]))).toEqual([
      'spec.ports[0].targetPort',
      'spec.ports[1].name',
      'spec.ports[1].port',
      'spec.ports[1].protocol',
      'spec.ports[1].targetPort',
    ]);
    expect(S(svc([{ name: 'http-metrics-exporter', port: 80 }]))).toEqual([]);
    expect(S(svc([{ port: 80 }], { type: 'Loadbalancer' }))).toEqual(['spec.type']);
    expect(S(svc([], { clusterIP: 'None' }))).toEqual([]);
    expect(S(svc([{ port: 80 }], {}, 'web.app'))).toEqual(['metadata.name']);
    // RelaxedServiceNameValidation, on in 1.37: a DNS-1123 label, so a leading digit is fine
    expect(S(svc([{ port: 80 }], {}, '1web'))).toEqual([]);
    const cm = (o: Obj) => paths({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'my.config' }, ...o }, 'v1', 'ConfigMap');
    expect(cm({ data: { '_x-1.y': 'a', '..foo': 'b' } })).toEqual(['data...foo']);
    expect(cm({ data: { 'config/app.yaml': 'a', 'app config': 'b', '.': 'c' } })).toEqual(['data.config/app.yaml', 'data.app config', 'data..']);
    expect(cm({ data: { a: 'x' }, binaryData: { a: 'eA==' } })).toEqual(['data.a']);
    expect(cm({ data: { a: 'x'.repeat(1024 * 1024), b: 'y' } })).toEqual(['']);
    expect(paths({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'my_config' } }, 'v1', 'ConfigMap')).toEqual(['metadata.name']);
  });
});

describe('validationIssues: Ingress, HorizontalPodAutoscaler, CronJob, PodDisruptionBudget, Secret', () => {
  it('an Ingress: pathType, absolute paths, hosts (a wildcard only as the first label, no IP), one port per backend', () => {
    const ing = (rule: Obj, spec: Obj = {}) => paths({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec: { rules: [rule], ...spec } }, 'networking.k8s.io/v1', 'Ingress');
    const backend = { service: { name: 'web', port: { number: 80 } } };
    const http = (...p: Obj[]) => ({ http: { paths: p } });
    expect(ing({ host: '*.example.com', ...http({ path: '/api', pathType: 'Prefix', backend }, { path: '/(.*)', pathType: 'ImplementationSpecific', backend }) })).toEqual([]);
    expect(ing(http({ path: '/', backend }))).toEqual(['spec.rules[0].http.paths[0].pathType']);
    expect(ing(http({ path: 'api', pathType: 'Prefix', backend }, { path: 'api', pathType: 'ImplementationSpecific', backend }))).toEqual(['spec.rules[0].http.paths[0].path', 'spec.rules[0].http.paths[1].path']);
    expect(ing({ host: 'foo.*.com', ...http() })).toEqual(['spec.rules[0].host', 'spec.rules[0].http.paths']);
    expect(ing({ host: '10.0.0.1' })).toEqual(['spec.rules[0].host']);
    expect(ing(http({ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80, name: 'http' } } } }))).toEqual(['spec.rules[0].http.paths[0].backend']);
    expect(ing(http({ path: '/', pathType: 'Prefix', backend: { service: { name: 'web_svc', port: { number: 0 } } } }))).toEqual(['spec.rules[0].http.paths[0].backend.service.name', 'spec.rules[0].http.paths[0].backend']);
    expect(paths({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec: {} }, 'networking.k8s.io/v1', 'Ingress')).toEqual(['spec']);
  });

  it('an HPA: replicas, targets, metric sources and scaling policies, after the defaults', () => {
    const hpa = (spec: Obj) => paths({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec } }, 'autoscaling/v2', 'HorizontalPodAutoscaler');
    const cpu = (target: Obj) => ({ type: 'Resource', resource: { name: 'cpu', target } });
    expect(hpa({ minReplicas: 2, metrics: [cpu({ type: 'Utilization', averageUtilization: 150 }), cpu({ type: 'AverageValue', averageValue: '500m' })] })).toEqual([]);
    expect(hpa({ minReplicas: 6 })).toEqual(['spec.maxReplicas']);
    expect(hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 0 }), cpu({ type: 'Value', value: '1' })] })).toEqual(['spec.metrics[0].resource.target.averageUtilization', 'spec.metrics[1].resource.target.averageUtilization']);
    // HPAScaleToZero (on in 1.37) needs an Object or External metric; none at all means the default cpu one
    expect(hpa({ minReplicas: 0 })).toEqual(['spec.metrics']);
    expect(hpa({ minReplicas: 0, metrics: [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } }] })).toEqual([]);
    expect(hpa({ behavior: { scaleDown: { policies: [] } } })).toEqual(['spec.behavior.scaleDown.policies']);
    expect(hpa({ behavior: { scaleUp: { stabilizationWindowSeconds: 3601, selectPolicy: 'Maximum', policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] } } })).toEqual([
      'spec.behavior.scaleUp.stabilizationWindowSeconds',
      'spec.behavior.scaleUp.selectPolicy',
      'spec.behavior.scaleUp.policies[0].periodSeconds',
    ]);
    expect(hpa({ scaleTargetRef: { kind: 'Deployment', name: 'web' } })).toEqual(['spec.scaleTargetRef.apiVersion']);
  });

  it('a CronJob: the schedule as robfig/cron reads it, the time zone, the 52-character name', () => {
    const cron = (spec: Obj, name = 'nightly') => found({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name }, spec: { jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.36' }] } } } }, ...spec } }, 'batch/v1', 'CronJob');
    for (const schedule of ['*/5 * * * *', '@hourly', '@every 5m', '0 0 31 2 *', '0 9-17 * * MON-FRI', '5/15 * * * *']) expect([schedule, cron({ schedule })]).toEqual([schedule, []]);
    // Numbers as strconv.Atoi reads them: a step past Go's int is refused, one within it is not.
    expect(cron({ schedule: '*/9223372036854775807 * * * *' })).toEqual([]);
    expect(cron({ schedule: '*/9223372036854775808 * * * *' })).toEqual([expect.stringContaining('too large a number')]);
    expect(cron({ schedule: '0 0 * * 7' })).toEqual(['spec.schedule: "0 0 * * 7" its day of week field "7" goes past 6, the last day of week (Sunday is 0, not 7)']);
    expect(cron({ schedule: '*/5 * * * * *' })).toEqual(['spec.schedule: "*/5 * * * * *" has 6 fields, not 5 (minute hour day-of-month month day-of-week): Kubernetes schedules have no seconds field']);
    expect(cron({ schedule: 'CRON_TZ=UTC 0 * * * *' }).map((m) => m.slice(0, m.indexOf(':')))).toEqual(['spec.schedule']);
    expect(cron({ schedule: '@daily', timeZone: 'Europe/Berlin' })).toEqual([]);
    expect(cron({ schedule: '@daily', timeZone: 'Mars/Olympus' }).map((m) => m.slice(0, m.indexOf(':')))).toEqual(['spec.timeZone']);
    expect(cron({ schedule: '@daily', timeZone: 'Local' }).map((m) => m.slice(0, m.indexOf(':')))).toEqual(['spec.timeZone']);
    expect(cron({ schedule: '@daily' }, 'x'.repeat(52))).toEqual([]);
    expect(cron({ schedule: '@daily' }, 'x'.repeat(53)).map((m) => m.slice(0, m.indexOf(':')))).toEqual(['metadata.name']);
  });

  it('a PodDisruptionBudget and a Secret of a type that requires keys', () => {
    const pdb = (spec: Obj) => paths({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } }, 'policy/v1', 'PodDisruptionBudget');
    expect(pdb({ minAvailable: '100%' })).toEqual([]);
    expect(pdb({ minAvailable: 1, maxUnavailable: 1 })).toEqual(['spec']);
    expect(pdb({ minAvailable: '150%', maxUnavailable: undefined })).toEqual(['spec.minAvailable']);
    expect(pdb({ maxUnavailable: 'abc', selector: { matchLabels: { app: 'web-' } } })).toEqual(['spec.maxUnavailable', 'spec.selector.matchLabels.app']);
    const secret = (o: Obj) => found({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...o }, 'v1', 'Secret');
    expect(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } })).toEqual(['data.tls.key: is missing: a Secret of type kubernetes.io/tls needs tls.key (in data, base64, or in stringData)']);
    expect(secret({ type: 'kubernetes.io/basic-auth', stringData: { username: 'u' } })).toEqual([]);
    expect(secret({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths": {}}' } })).toEqual([]);
    // the value is never shown: it is a Secret's
    const bad = secret({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{auths: hunter2}' } });
    expect(bad).toEqual(['data..dockerconfigjson: is not JSON, which a Secret of type kubernetes.io/dockerconfigjson must hold (the value is not shown: it is a Secret\'s)']);
  });

  it('a Service with one port and protocol twice (a missing protocol is TCP)', () => {
    const svc = (ports: Obj[]) => paths({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns' }, spec: { ports } }, 'v1', 'Service');
    expect(svc([{ name: 'a', port: 53 }, { name: 'b', port: 53, protocol: 'UDP' }])).toEqual([]);
    expect(svc([{ name: 'a', port: 80 }, { name: 'b', port: 80, protocol: 'TCP' }])).toEqual(['spec.ports[1]']);
  });
});

describe('validationIssues: scheduling, security contexts, workload specs', () => {
  it('tolerations, affinity and topology spread of a pod template', () => {
    const pod = (spec: Obj) => paths(deployment({}, spec));
    const T = 'spec.template.spec';
    expect(pod({ tolerations: [{ operator: 'Exists' }, { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] })).toEqual([]);
    expect(pod({ tolerations: [{ key: 'gpu', operator: 'Exists', value: 'true' }, { key: 'gpu', value: 'a', effect: 'NoExecution' }, { key: 'gpu', operator: 'exists' }, { key: 'gpu', effect: 'NoSchedule', tolerationSeconds: 5 }] })).toEqual([
      `${T}.tolerations[0].operator`,
      `${T}.tolerations[1].effect`,
      `${T}.tolerations[2].operator`,
      `${T}.tolerations[3].effect`,
    ]);
    const required = (terms: Obj[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    const N = `${T}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
    expect(pod(required([{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }, { key: 'gpu', operator: 'Exists' }] }]))).toEqual([]);
    expect(pod(required([]))).toEqual([N]);
    expect(pod(required([{ matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }, { key: 'b', operator: 'In' }, { key: 'c', operator: 'Gt', values: ['1', '2'] }] }]))).toEqual([`${N}[0].matchExpressions[0].operator`, `${N}[0].matchExpressions[1].values`, `${N}[0].matchExpressions[2].values`]);
    const anti = (term: Obj) => ({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term], preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { ...term, topologyKey: 'kubernetes.io/hostname' } }] } } });
    expect(pod(anti({ labelSelector: { matchLabels: { app: 'web' } } }))).toEqual([`${T}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey`, `${T}.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight`]);
    const spread = (...c: Obj[]) => pod({ topologySpreadConstraints: c });
    const zone = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } };
    expect(spread(zone, { ...zone, whenUnsatisfiable: 'ScheduleAnyway' }, { ...zone, topologyKey: 'kubernetes.io/hostname', minDomains: 2 })).toEqual([]);
    expect(spread({ ...zone, maxSkew: 0 }, zone, { ...zone, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 })).toEqual([
      `${T}.topologySpreadConstraints[0].maxSkew`,
      `${T}.topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}`,
      `${T}.topologySpreadConstraints[2].minDomains`,
    ]);
  });

  it('security contexts: ids, seccomp, procMount, privileged with allowPrivilegeEscalation: false', () => {
    const C0 = 'spec.template.spec.containers[0].securityContext';
    expect(paths(deployment({ securityContext: { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }, { securityContext: { fsGroup: 2000, fsGroupChangePolicy: 'OnRootMismatch' } }))).toEqual([]);
    expect(paths(deployment({ securityContext: { runAsUser: -1, seccompProfile: { type: 'Localhost' }, procMount: 'Other', privileged: true, allowPrivilegeEscalation: false } }))).toEqual([`${C0}.runAsUser`, `${C0}.procMount`, `${C0}.seccompProfile.localhostProfile`, C0]);
    expect(paths(deployment({}, { securityContext: { seccompProfile: { type: 'unconfined' }, fsGroupChangePolicy: 'Sometimes' } }))).toEqual(['spec.template.spec.securityContext.fsGroupChangePolicy', 'spec.template.spec.securityContext.seccompProfile.type']);
    expect(paths(deployment({}, { dnsPolicy: 'None' }))).toEqual(['spec.template.spec.dnsConfig.nameservers']);
  });

  it('StatefulSet, DaemonSet and Job specs, with the defaults they get', () => {
    const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } };
    const workload = (kind: string, spec: Obj, apiVersion = 'apps/v1') => paths({ apiVersion, kind, metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'x' } }, template, ...spec } }, apiVersion, kind);
    expect(workload('StatefulSet', { serviceName: 'x', podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '50%' } } })).toEqual([]);
    expect(workload('StatefulSet', { podManagementPolicy: 'parallel', updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } })).toEqual([
      'spec.podManagementPolicy',
      'spec.updateStrategy.rollingUpdate',
      'spec.persistentVolumeClaimRetentionPolicy.whenDeleted',
    ]);
    expect(workload('StatefulSet', { selector: { matchLabels: { app: 'y' } } })).toEqual(['spec.template.metadata.labels']);
    // a DaemonSet's rolling update defaults to maxUnavailable 1, which maxSurge may not join
    expect(workload('DaemonSet', { updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } })).toEqual([]);
    expect(workload('DaemonSet', { updateStrategy: { rollingUpdate: { maxSurge: 1 } } })).toEqual(['spec.updateStrategy.rollingUpdate.maxSurge']);
    expect(workload('DaemonSet', { updateStrategy: { rollingUpdate: { maxUnavailable: '0%' } } })).toEqual(['spec.updateStrategy.rollingUpdate.maxUnavailable']);
    expect(workload('DaemonSet', { selector: undefined })).toEqual(['spec.selector']);
    const job = (spec: Obj) => paths({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { ...template.spec, restartPolicy: 'Never' } }, ...spec } }, 'batch/v1', 'Job');
    expect(job({ backoffLimit: 0, completions: 3, parallelism: 3, completionMode: 'Indexed', ttlSecondsAfterFinished: 0 })).toEqual([]);
    expect(job({ backoffLimit: -1, completionMode: 'Indexed', parallelism: 2 })).toEqual(['spec.backoffLimit', 'spec.completions']);
    expect(job({ selector: { matchLabels: { app: 'x' } } })).toEqual(['spec.selector']);
  });
});

describe('validationIssues: what the API server defaults before it validates (review of the rules)', () => {
  const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } };
  const apps = (kind: string, spec: Obj) => paths({ apiVersion: 'apps/v1', kind, metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'x' } }, template, ...spec } }, 'apps/v1', kind);
  const job = (spec: Obj, name = 'migrate') => paths({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { template: { spec: { ...template.spec, restartPolicy: 'Never' } }, ...spec } }, 'batch/v1', 'Job');

  it('reads "" as the default, as Helm renders an unset value quoted', () => {
    expect(apps('StatefulSet', { updateStrategy: { type: '' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: '', whenScaled: '' } })).toEqual([]);
    expect(apps('DaemonSet', { updateStrategy: { type: '' } })).toEqual([]);
    expect(apps('Deployment', { strategy: { type: '' } })).toEqual([]);
    expect(paths({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: '', ports: [{ port: 80 }] } }, 'v1', 'Service')).toEqual([]);
  });

  it('a Job: completions defaulted to 1 with neither it nor parallelism; a hand-written selector only when it misses the Job\'s labels', () => {
    expect(job({ completionMode: 'Indexed' })).toEqual([]);
    expect(job({ completionMode: 'Indexed', parallelism: 2 })).toEqual(['spec.completions']);
    expect(job({ selector: {} })).toEqual([]);
    expect(job({ selector: { matchLabels: { 'batch.kubernetes.io/job-name': 'migrate' } } })).toEqual([]);
    expect(job({ selector: { matchLabels: { app: 'x' } } })).toEqual(['spec.selector']);
    expect(job({ selector: { matchLabels: { app: 'x' } }, manualSelector: true })).toEqual([]);
    // The labels Kubernetes gives the template are added where absent, then required.
    const labelled = (labels: Obj, spec: Obj = {}) => job({ template: { metadata: { labels }, spec: { ...template.spec, restartPolicy: 'Never' } }, ...spec });
    expect(labelled({ 'job-name': 'migrate', 'batch.kubernetes.io/job-name': 'migrate', app: 'x' })).toEqual([]);
    expect(labelled({ 'job-name': 'other', 'batch.kubernetes.io/controller-uid': 'x' })).toEqual(['spec.template.metadata.labels.batch.kubernetes.io/controller-uid', 'spec.template.metadata.labels.job-name']);
    expect(labelled({ 'job-name': 'other' }, { manualSelector: true, selector: { matchLabels: { 'job-name': 'other' } } })).toEqual([]);
    const cron = (jobSpec: Obj) => paths({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { ...template.spec, restartPolicy: 'Never' } }, ...jobSpec } } } }, 'batch/v1', 'CronJob');
    expect(cron({ completionMode: 'Indexed' })).toEqual(['spec.jobTemplate.spec.completions']);
    expect(cron({ selector: {}, manualSelector: true })).toEqual(['spec.jobTemplate.spec.selector', 'spec.jobTemplate.spec.manualSelector']);
  });

  it('time zones as Go\'s tzdata names them, case included; IPs as StrictIPCIDRValidation reads them; selector expression keys and values', () => {
    const cron = (timeZone: string) => found({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '@daily', timeZone, jobTemplate: { spec: { template: { spec: { ...template.spec, restartPolicy: 'Never' } } } } } }, 'batch/v1', 'CronJob');
    for (const zone of ['Factory', 'UTC', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires', 'US/Eastern']) expect([zone, cron(zone)]).toEqual([zone, []]);
    expect(cron('america/new_york')).toEqual(['spec.timeZone: "america/new_york" is not a time zone name: names are case-sensitive; write America/New_York']);
    const aliases = (ip: string) => paths(deployment({}, { hostAliases: [{ ip, hostnames: ['db.local'] }] }));
    expect(aliases('10.0.0.1')).toEqual([]);
    expect(aliases('2001:db8::1')).toEqual([]);
    expect(aliases('010.0.0.1')).toEqual(['spec.template.spec.hostAliases[0].ip']);
    expect(aliases('::ffff:10.0.0.1')).toEqual(['spec.template.spec.hostAliases[0].ip']);
    const pdb = (expr: Obj) => paths({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1, selector: { matchExpressions: [expr] } } }, 'policy/v1', 'PodDisruptionBudget');
    expect(pdb({ key: 'app.kubernetes.io/name', operator: 'In', values: ['web'] })).toEqual([]);
    expect(pdb({ key: 'bad key!', operator: 'In', values: ['web', 'no spaces'] })).toEqual(['spec.selector.matchExpressions[0].key', 'spec.selector.matchExpressions[0].values[1]']);
  });
});

describe('validationIssues: NetworkPolicy, RBAC, PersistentVolumeClaim', () => {
  it('a NetworkPolicy: ports and ranges, peers, strict CIDRs, policy types', () => {
    const np = (spec: Obj) => paths({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' }, spec: { podSelector: {}, ...spec } }, 'networking.k8s.io/v1', 'NetworkPolicy');
    expect(np({ policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }, { port: 8000, endPort: 8080 }, { port: 'http' }] }] })).toEqual([]);
    expect(np({ policyTypes: ['ingress'] })).toEqual(['spec.policyTypes[0]']);
    expect(np({ egress: [{ ports: [{ port: 8080, endPort: 80 }, { port: 'http', endPort: 90 }, { protocol: 'tcp' }] }] })).toEqual(['spec.egress[0].ports[0].endPort', 'spec.egress[0].ports[1].endPort', 'spec.egress[0].ports[2].protocol']);
    // StrictIPCIDRValidation: no host bits, no leading zeros; except strictly inside cidr
    expect(np({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.1/24' } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8', '11.0.0.0/16'] } }, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }, {}] }] })).toEqual([
      'spec.egress[0].to[0].ipBlock.cidr',
      'spec.egress[0].to[1].ipBlock.except[0]',
      'spec.egress[0].to[1].ipBlock.except[1]',
      'spec.egress[0].to[2]',
      'spec.egress[0].to[3]',
    ]);
  });

  it('RBAC: rules need verbs and, for resources, apiGroups; URLs only in ClusterRoles; bindings after their defaults', () => {
    const role = (kind: string, rules: Obj[]) => paths({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'system:r' }, rules }, 'rbac.authorization.k8s.io/v1', kind);
    expect(role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'get'] }])).toEqual([]);
    expect(role('ClusterRole', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }])).toEqual([]);
    expect(role('Role', [{ resources: ['pods'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }])).toEqual(['rules[0].verbs', 'rules[0].apiGroups', 'rules[1].nonResourceURLs']);
    const binding = (kind: string, o: Obj) => paths({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'view' }, ...o }, 'rbac.authorization.k8s.io/v1', kind);
    // roleRef.apiGroup and a User's apiGroup are defaulted
    expect(binding('RoleBinding', { subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'app' }] })).toEqual([]);
    expect(binding('ClusterRoleBinding', { subjects: [{ kind: 'ServiceAccount', name: 'app' }, { kind: 'user', name: 'jane' }] })).toEqual(['subjects[0].namespace', 'subjects[1].kind']);
    expect(binding('ClusterRoleBinding', { roleRef: { kind: 'Role', name: 'x', apiGroup: 'rbac' } })).toEqual(['roleRef.apiGroup', 'roleRef.kind']);
  });

  it('a PersistentVolumeClaim (and a claim template): access modes, a positive size, the volume mode', () => {
    const pvc = (spec: Obj) => paths({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec }, 'v1', 'PersistentVolumeClaim');
    expect(pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: '' })).toEqual([]);
    expect(pvc({ accessModes: ['ReadWriteMulti'], resources: { requests: { storage: '0' } }, volumeMode: 'block' })).toEqual(['spec.accessModes', 'spec.resources.requests.storage', 'spec.volumeMode']);
    expect(pvc({})).toEqual(['spec.accessModes', 'spec.resources.requests.storage']);
  });
});

describe('validationIssues: ResourceQuota, LimitRange, ServiceAccount', () => {
  it('a ResourceQuota: resource names, non-negative amounts, scopes that fit what they limit', () => {
    const quota = (spec: Obj) => paths({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec }, 'v1', 'ResourceQuota');
    expect(quota({ hard: { 'requests.cpu': '4', 'limits.memory': '8Gi', pods: 20, 'count/deployments.apps': 10, 'requests.storage': '100Gi' } })).toEqual([]);
    expect(quota({ hard: { 'request.cpu': '4', storage: '1Ti', pods: -1 } })).toEqual(['spec.hard.request.cpu', 'spec.hard.storage', 'spec.hard.pods']);
    expect(quota({ hard: { pods: 10, 'requests.cpu': '1' }, scopes: ['BestEffort'] })).toEqual(['spec.scopes']);
    expect(quota({ hard: { pods: 10 }, scopes: ['notterminating'] })).toEqual(['spec.scopes']);
    expect(quota({ hard: { pods: 10 }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } })).toEqual([]);
    expect(quota({ hard: { pods: 10 }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'in', values: ['high'] }] } })).toEqual(['spec.scopeSelector.matchExpressions[0].operator']);
  });

  it('a LimitRange: min <= defaultRequest <= default <= max, a ratio of at least 1, a known type', () => {
    const lr = (limit: Obj) => found({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', ...limit }] } }, 'v1', 'LimitRange');
    expect(lr({ min: { cpu: '100m' }, defaultRequest: { cpu: '200m' }, default: { cpu: '500m' }, max: { cpu: '1' }, maxLimitRequestRatio: { cpu: '2' } })).toEqual([]);
    expect(lr({ default: { cpu: '500m' }, max: { cpu: '400m' } })).toEqual(['spec.limits[0].default.cpu: default cpu 500m is more than max 400m: min <= defaultRequest <= default <= max']);
    expect(lr({ maxLimitRequestRatio: { memory: '500m' } }).map((m) => m.slice(0, m.indexOf(':')))).toEqual(['spec.limits[0].maxLimitRequestRatio.memory']);
    expect(lr({ type: 'container' }).map((m) => m.slice(0, m.indexOf(':')))).toEqual(['spec.limits[0].type']);
  });

  it('a ServiceAccount name is a DNS subdomain', () => {
    expect(paths({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'Web' } }, 'v1', 'ServiceAccount')).toEqual(['metadata.name']);
    expect(paths({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web.app' }, automountServiceAccountToken: false }, 'v1', 'ServiceAccount')).toEqual([]);
  });
});

describe('validationIssues: review of the last rules against the Go create path', () => {
  it('reads IPv4-mapped addresses as netip does, and a zone id as no address (no crash)', () => {
    const np = (cidr: string) => paths({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' }, spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr } }] }] } }, 'networking.k8s.io/v1', 'NetworkPolicy');
    expect(np('::ffff:1/128')).toEqual([]);
    for (const cidr of ['0:0:0:0:0:ffff:1.2.3.0/120', '::ffff:102:300/120', 'fe80::%eth0/64', '010.0.0.0/8']) expect([cidr, np(cidr)]).toEqual([cidr, ['spec.egress[0].to[0].ipBlock.cidr']]);
    const found10 = found({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' }, spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.5/24' } }] }] } }, 'networking.k8s.io/v1', 'NetworkPolicy');
    expect(found10).toEqual([expect.stringContaining('refused when the NetworkPolicy is created; an existing one with this exact value may still be updated')]);
  });

  it('skips what the API server replaces or drops before validating: claim-named StatefulSet volumes, a cross-namespace dataSourceRef', () => {
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:17', volumeMounts: [{ name: 'data', mountPath: '/d' }] }], volumes: [{ name: 'data', emptyDir: {}, hostPath: { path: '/x' } }, { name: 'data', emptyDir: {} }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } };
    expect(paths(sts, 'apps/v1', 'StatefulSet')).toEqual([]);
    const pvc = (ref: Obj) => paths({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, dataSourceRef: ref } }, 'v1', 'PersistentVolumeClaim');
    expect(pvc({ kind: 'VolumeSnapshot', name: 's', namespace: 'other' })).toEqual([]);
    expect(pvc({ kind: 'VolumeSnapshot', name: 's' })).toEqual(['spec.dataSourceRef']);
    // dataSource beside it: a standalone claim drops the namespaced ref first, a claim template keeps both.
    const both = (spec: Obj) => paths({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } }, 'v1', 'PersistentVolumeClaim');
    expect(both({ dataSource: { kind: 'PersistentVolumeClaim', name: 'a' }, dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'a', namespace: 'other' } })).toEqual([]);
    expect(both({ dataSource: { kind: 'PersistentVolumeClaim', name: 'a' }, dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'b' } })).toEqual(['spec.dataSource']);
    const template = (claim: Obj) => paths({ ...sts, spec: { ...sts.spec, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...claim } }] } }, 'apps/v1', 'StatefulSet');
    expect(template({ dataSource: { kind: 'PersistentVolumeClaim', name: 'a' }, dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'a', namespace: 'other' } })).toEqual(['spec.volumeClaimTemplates[0].spec.dataSource']);
  });

  it('counts whole units as Go does (the milli-value rounded up), and names what each quota scope limits', () => {
    const quota = (spec: Obj) => found({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec }, 'v1', 'ResourceQuota');
    expect(quota({ hard: { pods: '0.9999' } })).toEqual([]);
    expect(quota({ hard: { pods: '1.5' } }).map((m) => m.slice(0, m.indexOf(':')))).toEqual(['spec.hard.pods']);
    expect(quota({ hard: { 'requests.storage': '1Gi' }, scopes: ['Terminating'] })).toEqual([
      'spec.scopes: holds Terminating, which cannot limit requests.storage: a Terminating quota limits pods and their cpu and memory only; move the rest to another quota',
    ]);
  });
});

describe('exactQuantity', () => {
  it('compares quantities as the API server does', () => {
    const cmp = (a: string | number, b: string | number) => compareExact(exactQuantity(a)!, exactQuantity(b)!);
    expect(cmp('1Gi', 1073741824)).toBe(0);
    expect(cmp('500m', 0.5)).toBe(0);
    expect(cmp('1e3', '1k')).toBe(0);
    expect(cmp('1.5Gi', '1536Mi')).toBe(0);
    expect(cmp('1E', '1e18')).toBe(0);
    expect(cmp('999m', 1)).toBe(-1);
    expect(cmp('1G', '1Gi')).toBe(-1);
    expect(cmp('2', '1')).toBe(1);
    expect(exactQuantity('1GB')).toBeUndefined();
  });
});
