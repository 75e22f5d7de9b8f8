// Kubernetes objects as the engine reads them: only the fields a check needs.
// Decoding is the trust boundary (CLI documents, AdmissionReview objects, informer events):
// everything else in the engine trusts these types. The schemas accept what the API server
// accepts (int-or-string ports, null for absent fields) and keep unknown fields out.
import { z } from 'zod';

/** `null` and absent mean the same thing in Kubernetes manifests (Helm renders `key: null`). */
const opt = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((v): z.output<T> | undefined => v ?? undefined);

const list = <T extends z.ZodType>(item: T) =>
  z.array(item).nullish().transform((v): z.output<T>[] => v ?? []);

const stringMap = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).nullable())
  .nullish()
  .transform((v): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v ?? {})) out[k] = val === null ? '' : String(val);
    return out;
  });

export const IntOrString = z.union([z.number(), z.string()]);
export type IntOrString = z.infer<typeof IntOrString>;

export const ObjectMeta = z.object({
  name: opt(z.string()),
  generateName: opt(z.string()),
  namespace: opt(z.string()),
  labels: stringMap,
  annotations: stringMap,
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

const PortAction = z.object({ port: IntOrString, path: opt(z.string()), host: opt(z.string()) });

export const Probe = z.object({
  httpGet: opt(PortAction),
  tcpSocket: opt(PortAction),
  grpc: opt(z.object({ port: z.number(), service: opt(z.string()) })),
  exec: opt(z.object({ command: list(z.string()) })),
  initialDelaySeconds: opt(z.number()),
  periodSeconds: opt(z.number()),
  timeoutSeconds: opt(z.number()),
  failureThreshold: opt(z.number()),
  successThreshold: opt(z.number()),
});
export type Probe = z.infer<typeof Probe>;

const KeyRef = z.object({ name: opt(z.string()), key: z.string(), optional: opt(z.boolean()) });
const NameRef = z.object({ name: opt(z.string()), optional: opt(z.boolean()) });

export const EnvVar = z.object({
  name: z.string(),
  // The API server only accepts strings; numbers and booleans in a manifest are coerced
  // the way `kubectl` users expect to see them in a message.
  value: opt(z.union([z.string(), z.number(), z.boolean()]).transform(String)),
  valueFrom: opt(
    z.object({
      configMapKeyRef: opt(KeyRef),
      secretKeyRef: opt(KeyRef),
      fieldRef: opt(z.object({ fieldPath: z.string() })),
      resourceFieldRef: opt(z.object({ resource: z.string() })),
    }),
  ),
});
export type EnvVar = z.infer<typeof EnvVar>;

export const EnvFromSource = z.object({
  prefix: opt(z.string()),
  configMapRef: opt(NameRef),
  secretRef: opt(NameRef),
});
export type EnvFromSource = z.infer<typeof EnvFromSource>;

export const SecurityContext = z.object({
  runAsNonRoot: opt(z.boolean()),
  runAsUser: opt(z.number()),
});
export type SecurityContext = z.infer<typeof SecurityContext>;

const Quantities = stringMap;

export const Container = z.object({
  name: z.string(),
  image: opt(z.string()),
  ports: list(
    z.object({ name: opt(z.string()), containerPort: z.number(), protocol: opt(z.string()) }),
  ),
  env: list(EnvVar),
  envFrom: list(EnvFromSource),
  readinessProbe: opt(Probe),
  livenessProbe: opt(Probe),
  startupProbe: opt(Probe),
  resources: opt(z.object({ requests: Quantities, limits: Quantities })),
  securityContext: opt(SecurityContext),
  /** `Always` on an init container makes it a native sidecar (Kubernetes 1.29+). */
  restartPolicy: opt(z.string()),
});
export type Container = z.infer<typeof Container>;

const KeyToPath = z.object({ key: z.string(), path: opt(z.string()) });
const ConfigMapVolume = z.object({
  name: opt(z.string()),
  items: list(KeyToPath),
  optional: opt(z.boolean()),
});
export type ConfigMapVolume = z.infer<typeof ConfigMapVolume>;

export const Volume = z.object({
  name: z.string(),
  configMap: opt(ConfigMapVolume),
  projected: opt(z.object({ sources: list(z.object({ configMap: opt(ConfigMapVolume) })) })),
  persistentVolumeClaim: opt(z.object({ claimName: z.string() })),
});
export type Volume = z.infer<typeof Volume>;

export const PodSpec = z.object({
  containers: list(Container),
  initContainers: list(Container),
  ephemeralContainers: list(Container),
  securityContext: opt(SecurityContext),
  volumes: list(Volume),
  /** With host networking, localhost is the node, not the pod. */
  hostNetwork: opt(z.boolean()),
});
export type PodSpec = z.infer<typeof PodSpec>;

export const LabelSelector = z.object({
  matchLabels: stringMap,
  matchExpressions: list(
    z.object({ key: z.string(), operator: z.string(), values: list(z.string()) }),
  ),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

export const Deployment = z.object({
  apiVersion: z.string(),
  kind: z.literal('Deployment'),
  metadata: ObjectMeta,
  spec: z.object({
    replicas: opt(z.number()),
    selector: opt(LabelSelector),
    strategy: opt(
      z.object({
        type: opt(z.string()),
        rollingUpdate: opt(
          z.object({ maxUnavailable: opt(IntOrString), maxSurge: opt(IntOrString) }),
        ),
      }),
    ),
    template: z.object({
      metadata: opt(z.object({ labels: stringMap, annotations: stringMap })),
      spec: PodSpec,
    }),
  }),
});
export type Deployment = z.infer<typeof Deployment>;

export const ConfigMap = z.object({
  apiVersion: z.string(),
  kind: z.literal('ConfigMap'),
  metadata: ObjectMeta,
  data: stringMap,
  binaryData: stringMap,
  immutable: opt(z.boolean()),
});
export type ConfigMap = z.infer<typeof ConfigMap>;

export const Service = z.object({
  apiVersion: z.string(),
  kind: z.literal('Service'),
  metadata: ObjectMeta,
  spec: opt(
    z.object({
      type: opt(z.string()),
      externalName: opt(z.string()),
      selector: stringMap,
      ports: list(
        z.object({ name: opt(z.string()), port: z.number(), targetPort: opt(IntOrString) }),
      ),
    }),
  ),
});
export type Service = z.infer<typeof Service>;

const MetricTarget = z.object({ type: opt(z.string()) });
export const HorizontalPodAutoscaler = z.object({
  apiVersion: z.string(),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata: ObjectMeta,
  spec: z.object({
    scaleTargetRef: z.object({ kind: z.string(), name: z.string(), apiVersion: opt(z.string()) }),
    /** autoscaling/v1 */
    targetCPUUtilizationPercentage: opt(z.number()),
    metrics: list(
      z.object({
        type: z.string(),
        resource: opt(z.object({ name: z.string(), target: opt(MetricTarget) })),
        containerResource: opt(
          z.object({ name: z.string(), container: z.string(), target: opt(MetricTarget) }),
        ),
      }),
    ),
  }),
});
export type HorizontalPodAutoscaler = z.infer<typeof HorizontalPodAutoscaler>;

export const Namespace = z.object({
  apiVersion: z.string(),
  kind: z.literal('Namespace'),
  metadata: ObjectMeta,
});
export type Namespace = z.infer<typeof Namespace>;

/** The kinds the engine decodes; any other kind is skipped and counted. */
export const KnownObject = z.discriminatedUnion('kind', [
  Deployment,
  ConfigMap,
  Service,
  HorizontalPodAutoscaler,
  Namespace,
]);
export type KnownObject = z.infer<typeof KnownObject>;
export type KnownKind = KnownObject['kind'];

const BY_KIND: Readonly<Record<string, z.ZodType<KnownObject>>> = {
  Deployment,
  ConfigMap,
  Service,
  HorizontalPodAutoscaler,
  Namespace,
};

/**
 * Decode an object of a known kind. Same result as `KnownObject.safeParse`, but it picks the
 * schema by `kind` first: the union costs about as much again as the object itself (measured
 * on a 4-container Deployment, webhook hot path).
 */
export function decodeObject(raw: unknown): z.ZodSafeParseResult<KnownObject> {
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const schema = typeof kind === 'string' && Object.hasOwn(BY_KIND, kind) ? BY_KIND[kind] : undefined;
  return (schema ?? KnownObject).safeParse(raw);
}

export const KNOWN_KINDS: readonly string[] = [
  'Deployment',
  'ConfigMap',
  'Service',
  'HorizontalPodAutoscaler',
  'Namespace',
];
