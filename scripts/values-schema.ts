// The chart's values.schema.json. The chart's own keys are declared here; `config` is the policy
// configuration's JSON Schema, taken from its zod declaration (src/config/policy-config.ts), so
// `helm install` refuses a policy configuration the server would refuse at start-up.
// Written by scripts/gen-values-schema.ts; test/chart/values-schema.test.ts fails when it is stale.
import { z } from 'zod';
import { PolicyConfig } from '../src/config/policy-config.js';

export const VALUES_SCHEMA_FILE = 'charts/rollsafe/values.schema.json';

type Schema = Record<string, unknown>;

/** An object whose keys are all declared: a misspelt key is an error, not a silent no-op. */
const object = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...extra,
});
const string = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
const integer = (description: string, minimum: number, maximum?: number): Schema => ({
  type: 'integer',
  description,
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
});
const boolean = (description: string): Schema => ({ type: 'boolean', description });
const oneOf = (description: string, values: readonly (string | boolean)[]): Schema => ({ description, enum: values });
/** A Kubernetes object passed through as is (affinity, tolerations...): the API server checks it. */
const passThrough = (type: 'object' | 'array', description: string): Schema => ({ type, description });

const goDuration = string('a Go duration, e.g. 2160h or 90m', { pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' });
const failurePolicy = oneOf('Fail: refuse the change when the webhook cannot answer; Ignore: admit it unchecked', ['Fail', 'Ignore']);
const perKind = (kind: string): Schema =>
  object({
    enabled: boolean(`send ${kind} CREATE and UPDATE to the webhook`),
    failurePolicy: oneOf(`failurePolicy for ${kind}; "" = webhook.failurePolicy`, ['', 'Fail', 'Ignore']),
  });
/**
 * A Kubernetes quantity (k8s.io/apimachinery resource.Quantity), unsigned: a decimal number, then a
 * binary suffix (Ki..Ei), a decimal suffix (n u m k M G T P E) or a decimal exponent (e3, E-2).
 * YAML numbers (cpu: 1, cpu: 0.5) are quantities too; the template writes every quantity as a string.
 */
const quantity: Schema = {
  description: 'a Kubernetes quantity, e.g. 100m, 0.5, 128Mi or 1e9',
  anyOf: [
    { type: 'string', pattern: '^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$' },
    { type: 'number', minimum: 0 },
  ],
};
/** Resource names: cpu, memory, ephemeral-storage, hugepages-2Mi, nvidia.com/gpu (a qualified name). */
const resourceName = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$';
/** requests or limits: any resource name to a quantity; cpu and memory are named for their descriptions. */
const quantities = (description: string, required: string[]): Schema => ({
  type: 'object',
  description,
  properties: { cpu: quantity, memory: quantity },
  propertyNames: { pattern: resourceName },
  additionalProperties: quantity,
  required,
});

const ACTIONS = ['deny', 'warn', 'audit', 'off'];
const isActionEnum = (node: Schema): boolean => Array.isArray(node.enum) && JSON.stringify(node.enum) === JSON.stringify(ACTIONS);

/**
 * Helm reads values files as YAML 1.1, where an unquoted `off` is the boolean false: every policy
 * action (in policies and namespaceOverrides[].policies, bare or as `action`) also takes false,
 * which templates/configmap.yaml writes as "off" (the server's own loader reads YAML 1.2).
 */
function withFalseAsOff(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withFalseAsOff);
  if (node === null || typeof node !== 'object') return node;
  const schema = node as Schema;
  if (isActionEnum(schema)) {
    const { type: _type, ...rest } = schema;
    return { ...rest, enum: [...ACTIONS, false], description: `${String(schema.description ?? 'policy action')}; false = off (an unquoted off in a values file)` };
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, withFalseAsOff(v)]));
}

const isSelectorRequirement = (schema: Schema): boolean => {
  const properties = schema.properties as Record<string, Schema> | undefined;
  return properties !== undefined && 'key' in properties && 'values' in properties && JSON.stringify(properties.operator?.enum) === JSON.stringify(['In', 'NotIn', 'Exists', 'DoesNotExist']);
};

/**
 * A matchExpressions entry: In and NotIn need values, Exists and DoesNotExist take none, as the
 * API server and the server's loader (a zod refinement, which toJSONSchema cannot express) require.
 * Without this, `helm install` rendered a selector the pods then refused at start-up (exit 78).
 */
function withOperatorValues(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withOperatorValues);
  if (node === null || typeof node !== 'object') return node;
  const schema = Object.fromEntries(Object.entries(node as Schema).map(([k, v]) => [k, withOperatorValues(v)]));
  if (!isSelectorRequirement(schema)) return schema;
  const when = (operators: string[], then: Schema): Schema => ({ if: { properties: { operator: { enum: operators } } }, then });
  return {
    ...schema,
    allOf: [
      when(['In', 'NotIn'], { required: ['values'], properties: { values: { type: 'array', minItems: 1 } } }),
      when(['Exists', 'DoesNotExist'], { properties: { values: { anyOf: [{ type: 'null' }, { type: 'array', maxItems: 0 }] } } }),
    ],
  };
}

/** The policy configuration as users write it, without its own `$schema` (one per document). */
function policyConfigSchema(): Schema {
  const { $schema: _drop, ...schema } = z.toJSONSchema(PolicyConfig, { io: 'input', target: 'draft-7' }) as Schema;
  return { ...(withOperatorValues(withFalseAsOff(schema)) as Schema), description: 'the policy configuration the server reads with --config (README "Policy configuration")' };
}

export function valuesSchema(): Schema {
  return {
    // Draft 7: Helm before 3.18 (gojsonschema) knows drafts 4, 6 and 7 only.
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: 'Generated by scripts/gen-values-schema.ts from scripts/values-schema.ts and src/config/policy-config.ts. Do not edit.',
    title: 'Values of the Rollsafe chart',
    ...object({
      global: { type: 'object', description: 'values shared with a parent chart' },
      replicaCount: integer('webhook pods; keep 2 or more with failurePolicy Fail', 1),
      image: object(
        {
          repository: string('image repository', { minLength: 1 }),
          // `latest` is refused by the template (rollsafe.validate): JSON Schema's `not` reads "'not' failed".
          tag: string('image tag; empty = the chart appVersion; never latest', { pattern: '^$|^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' }),
          digest: string('image digest, sha256:<64 hex>', { pattern: '^$|^sha256:[a-f0-9]{64}$' }),
          pullPolicy: oneOf('image pull policy', ['IfNotPresent', 'Always', 'Never']),
        },
        { required: ['repository'] },
      ),
      imagePullSecrets: { type: 'array', items: object({ name: string('Secret name', { minLength: 1 }) }, { required: ['name'] }) },
      nameOverride: string('replaces the chart name in object names'),
      fullnameOverride: string('replaces the full object name', { maxLength: 52 }),
      server: object({
        port: integer('container port of the HTTPS server', 1, 65535),
        host: string('address to listen on (ROLLSAFE_HOST); empty = the server default, :: (IPv6 and IPv4)', {
          pattern: '^$|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$|^[0-9]{1,3}(\\.[0-9]{1,3}){3}$|^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$',
        }),
        logLevel: oneOf('server log level', ['fatal', 'error', 'warn', 'info', 'debug', 'trace']),
        drainSeconds: { type: 'number', description: 'seconds to keep serving after SIGTERM', minimum: 0, maximum: 300 },
        requestTimeoutMs: integer('ms allowed to receive a request (TLS handshake, headers, body), below webhook.timeoutSeconds', 100, 30000),
        cluster: oneOf('auto: watch the cluster with the pod ServiceAccount; off (or false, an unquoted off in a values file): single-object checks only', ['auto', 'off', false]),
        cacheStaleSeconds: { type: 'number', description: 'seconds the cluster cache may be out of sync before staleCache applies', minimum: 1, maximum: 3600 },
        maxConnections: integer('open connections at most (ROLLSAFE_MAX_CONNECTIONS); more are closed as they arrive', 10, 100000),
        maxBodiesMib: integer('MiB of review bodies received at once (ROLLSAFE_MAX_BODIES_MIB); a review past it gets 503', 7, 1024),
        extraEnv: passThrough('array', 'extra container env entries'),
      }),
      config: policyConfigSchema(),
      schemas: {
        type: 'object',
        description: 'ConfigSchema files: file name -> YAML text',
        propertyNames: { pattern: '^[-._a-zA-Z0-9]+\\.ya?ml$' },
        additionalProperties: { type: 'string' },
      },
      webhook: object({
        failurePolicy,
        timeoutSeconds: integer('seconds the API server waits for an answer', 1, 30),
        excludeNamespaces: { type: 'array', description: 'more namespaces never sent to the webhook; kube-system, kube-node-lease, kube-public and the release namespace are always excluded', items: { type: 'string', minLength: 1 } },
        optOutLabel: string('label that keeps an object away from the webhook when "true"; "" for none', {
          pattern: '^$|^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$',
        }),
        matchConditions: oneOf('CEL matchConditions: auto (Kubernetes 1.30+), true or false', ['auto', true, false]),
        deployments: perKind('Deployments'),
        configMaps: perKind('ConfigMaps'),
        configSchemas: perKind('ConfigSchemas'),
      }),
      certificates: object(
        {
          mode: oneOf('how the serving certificate is made', ['selfSigned', 'certManager', 'secret']),
          selfSigned: object({ validityDays: integer('validity of the generated CA and certificate', 1, 36500) }),
          certManager: object({
            issuerRef: object(
              {
                name: string('Issuer or ClusterIssuer name', { minLength: 1 }),
                kind: oneOf('issuer kind', ['Issuer', 'ClusterIssuer']),
                group: string('issuer API group', { minLength: 1 }),
              },
              { description: 'an existing issuer; {} = the chart makes its own CA' },
            ),
            caDuration: goDuration,
            duration: goDuration,
            renewBefore: goDuration,
          }),
          secret: object({
            name: string('existing kubernetes.io/tls Secret in the release namespace'),
            caBundle: string('PEM of the CA that signed the Secret'),
          }),
          clusterDomain: string('cluster DNS suffix', { minLength: 1 }),
        },
        {
          // certificates.mode=secret needs the Secret's name and its CA.
          if: { properties: { mode: { const: 'secret' } }, required: ['mode'] },
          then: {
            properties: {
              secret: {
                properties: {
                  name: { minLength: 1 },
                  caBundle: { pattern: '-----BEGIN CERTIFICATE-----' },
                },
              },
            },
          },
        },
      ),
      serviceAccount: object({
        create: boolean('create the ServiceAccount'),
        name: string('ServiceAccount name; empty = the full name'),
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      }),
      rbac: object({ create: boolean('create the read-only ClusterRole and its binding') }),
      service: object({ port: integer('Service port the API server calls', 1, 65535) }),
      resources: object(
        {
          requests: quantities('resource name -> quantity requested, e.g. ephemeral-storage: 1Gi', ['cpu', 'memory']),
          limits: quantities('resource name -> limit', ['memory']),
        },
        // What Rollsafe's own `resources` policy asks of every workload.
        { required: ['requests', 'limits'] },
      ),
      podSecurityContext: passThrough('object', 'pod securityContext'),
      securityContext: passThrough('object', 'container securityContext'),
      topologySpreadConstraints: {
        type: 'array',
        description: 'topology spread constraints; labelSelector defaults to the pod labels',
        items: {
          type: 'object',
          required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
          properties: { whenUnsatisfiable: oneOf('what the scheduler does when the spread cannot be kept', ['ScheduleAnyway', 'DoNotSchedule']) },
        },
      },
      podDisruptionBudget: object({
        enabled: boolean('render a PodDisruptionBudget (from 2 replicas)'),
        minAvailable: { description: 'pods kept through voluntary disruptions', anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^[0-9]{1,3}%$' }] },
      }),
      terminationGracePeriodSeconds: integer('seconds between SIGTERM and SIGKILL; above server.drainSeconds + server.requestTimeoutMs + 1 s', 1),
      priorityClassName: string('PriorityClass of the pods'),
      nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
      tolerations: passThrough('array', 'pod tolerations'),
      affinity: passThrough('object', 'pod affinity'),
      podAnnotations: { type: 'object', additionalProperties: { type: 'string' } },
      podLabels: { type: 'object', additionalProperties: { type: 'string' } },
      metrics: object({
        serviceMonitor: object({
          enabled: boolean('render a prometheus-operator ServiceMonitor'),
          interval: goDuration,
          scrapeTimeout: goDuration,
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          tlsConfig: passThrough('object', 'ServiceMonitor tlsConfig; {} = the chart CA'),
        }),
      }),
      networkPolicy: object({
        enabled: boolean('render a NetworkPolicy'),
        ingressFrom: passThrough('array', 'NetworkPolicyPeers allowed to reach the webhook port; [] = any'),
        apiServer: object({
          cidrs: { type: 'array', items: string('CIDR of the API server endpoints', { pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$' }) },
          ports: { type: 'array', minItems: 1, items: integer('API server port', 1, 65535) },
        }),
      }),
    }, { required: REQUIRED_SECTIONS }),
  };
}

/**
 * Sections the templates read fields of: `--set config=null` (Helm deletes the key) made the
 * render fail with a template's nil pointer or deepCopy error; the schema names the section.
 */
const REQUIRED_SECTIONS = ['image', 'server', 'config', 'webhook', 'certificates', 'service', 'rbac', 'serviceAccount', 'podDisruptionBudget', 'terminationGracePeriodSeconds', 'metrics', 'networkPolicy'];

export const valuesSchemaJson = (): string => `${JSON.stringify(valuesSchema(), null, 2)}\n`;
