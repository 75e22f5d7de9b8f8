// Kubernetes objects as the engine reads them: only the fields a check needs.
// Decoding is the trust boundary (CLI documents, AdmissionReview objects, informer events):
// everything else in the engine trusts these types. The schemas accept what the API server
// accepts (int-or-string ports, null for absent fields) and keep unknown fields out.
import { z } from 'zod';
import { compileReader, type Reader, REFUSED } from './compiled-reader.js';

/**
 * How a field is read. Two readings of the same shapes, with the same output:
 * - `lenient` accepts what manifests contain: `null` for absent (Helm renders `key: null`; the
 *   API server reads a null label, annotation or ConfigMap value as "", and a null quantity, env
 *   value or list as absent), and numbers for resource quantities (`cpu: 1`, as the API server
 *   reads them). A number or boolean where Kubernetes wants a string (a label value, an env
 *   value) is refused, as the API server refuses it ("json: cannot unmarshal number into Go
 *   struct field EnvVar...value of type string", kubectl 1.37): `rollsafe check` must not pass
 *   what kubectl apply then fails;
 * - `strict` accepts only what the API server sends (absent fields, strings). It has no
 *   transform steps, which zod runs as a pipe per field: about twice as fast, and far more on
 *   a mix of objects of different shapes (measured, webhook hot path).
 * decodeObject tries `strict` first and falls back to `lenient`, whose errors are the ones shown.
 */
interface Reading {
  opt<T extends z.ZodType>(schema: T): z.ZodType<z.output<T> | undefined>;
  list<T extends z.ZodType>(item: T): z.ZodType<z.output<T>[]>;
  /** labels, annotations, ConfigMap data */
  readonly stringMap: z.ZodType<Record<string, string>>;
  /** resource requests and limits: quantities, which may be written as numbers */
  readonly quantityMap: z.ZodType<Record<string, string>>;
}

/** A map read from a manifest: a null value is "" (as the API server decodes it into a string). */
const manifestMap = <T extends z.ZodType<string | number>>(value: T) =>
  z
    .record(z.string(), value.nullable())
    .nullish()
    .transform((v): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const [k, val] of Object.entries(v ?? {})) out[k] = val === null ? '' : String(val);
      return out;
    });

const lenient: Reading = {
  opt: (schema) => schema.nullish().transform((v) => v ?? undefined),
  list: (item) => z.array(item).nullish().transform((v) => v ?? []),
  stringMap: manifestMap(z.string()),
  quantityMap: manifestMap(z.union([z.string(), z.number()])),
};

/**
 * A map of strings as JSON.parse made it: a plain object whose every value is a string, and no
 * `__proto__` key (a record skips it, so the lenient reading decides what it becomes).
 */
function isStringMap(v: unknown): v is Record<string, string> {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const key in v) if (key === '__proto__' || typeof (v as Record<string, unknown>)[key] !== 'string') return false;
  return true;
}

/**
 * The API server sends every one of these maps as strings, quantities too (canonical: `cpu: "1"`).
 * A check of the map as it is, not a z.record: a record runs two schemas per entry and copies the
 * map, and labels, annotations and quantities are most of the entries of a Deployment (measured:
 * decoding a 4-container Deployment took 8 µs instead of 13). The object is shared, not copied:
 * the engine never writes to what it decoded. What fails here is read again leniently, whose
 * errors are the ones shown.
 */
const strictMap = z.custom<Record<string, string>>(isStringMap).default(() => ({}));
const strict: Reading = {
  opt: (schema) => schema.optional(),
  list: (item) => z.array(item).default(() => []),
  stringMap: strictMap,
  quantityMap: strictMap,
};

export const IntOrString = z.union([z.number(), z.string()]);
export type IntOrString = z.infer<typeof IntOrString>;

/** The objects the engine reads, in one reading. */
function shapes({ opt, list, stringMap, quantityMap }: Reading) {
  const ObjectMeta = z.object({
    name: opt(z.string()),
    generateName: opt(z.string()),
    namespace: opt(z.string()),
    labels: stringMap,
    annotations: stringMap,
  });

  const PortAction = z.object({
    port: IntOrString,
    path: opt(z.string()),
    host: opt(z.string()),
    /** httpGet only; compared when two probes are judged identical. */
    scheme: opt(z.string()),
    httpHeaders: list(z.object({ name: z.string(), value: z.string() })),
  });

  const Probe = z.object({
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

  const KeyRef = z.object({ name: opt(z.string()), key: z.string(), optional: opt(z.boolean()) });
  const NameRef = z.object({ name: opt(z.string()), optional: opt(z.boolean()) });

  const EnvVar = z.object({
    name: z.string(),
    value: opt(z.string()),
    valueFrom: opt(
      z.object({
        configMapKeyRef: opt(KeyRef),
        secretKeyRef: opt(KeyRef),
        fieldRef: opt(z.object({ fieldPath: z.string() })),
        resourceFieldRef: opt(z.object({ resource: z.string() })),
      }),
    ),
  });

  const EnvFromSource = z.object({
    prefix: opt(z.string()),
    configMapRef: opt(NameRef),
    secretRef: opt(NameRef),
  });

  const SecurityContext = z.object({
    runAsNonRoot: opt(z.boolean()),
    runAsUser: opt(z.number()),
  });

  const Container = z.object({
    name: z.string(),
    image: opt(z.string()),
    ports: list(
      z.object({ name: opt(z.string()), containerPort: z.number(), protocol: opt(z.string()) }),
    ),
    env: list(EnvVar),
    envFrom: list(EnvFromSource),
    /** Which volumes the container mounts, and whether as one path inside it (`subPath`). */
    volumeMounts: list(z.object({ name: z.string(), mountPath: opt(z.string()), subPath: opt(z.string()), subPathExpr: opt(z.string()) })),
    readinessProbe: opt(Probe),
    livenessProbe: opt(Probe),
    startupProbe: opt(Probe),
    resources: opt(z.object({ requests: quantityMap, limits: quantityMap })),
    securityContext: opt(SecurityContext),
    /** `Always` on an init container makes it a native sidecar (Kubernetes 1.29+). */
    restartPolicy: opt(z.string()),
  });

  const KeyToPath = z.object({ key: z.string(), path: opt(z.string()) });
  const ConfigMapVolume = z.object({
    name: opt(z.string()),
    items: list(KeyToPath),
    optional: opt(z.boolean()),
  });

  const Volume = z.object({
    name: z.string(),
    configMap: opt(ConfigMapVolume),
    projected: opt(z.object({ sources: list(z.object({ configMap: opt(ConfigMapVolume) })) })),
    persistentVolumeClaim: opt(z.object({ claimName: z.string() })),
  });

  const PodSpec = z.object({
    containers: list(Container),
    initContainers: list(Container),
    ephemeralContainers: list(Container),
    securityContext: opt(SecurityContext),
    /** Pod-level requests and limits (PodLevelResources, beta and on by default since Kubernetes 1.34). */
    resources: opt(z.object({ requests: quantityMap, limits: quantityMap })),
    volumes: list(Volume),
    /** With host networking, localhost is the node, not the pod. */
    hostNetwork: opt(z.boolean()),
  });

  const LabelSelector = z.object({
    matchLabels: stringMap,
    matchExpressions: list(
      z.object({ key: z.string(), operator: z.string(), values: list(z.string()) }),
    ),
  });

  const Deployment = z.object({
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

  const ConfigMap = z.object({
    apiVersion: z.string(),
    kind: z.literal('ConfigMap'),
    metadata: ObjectMeta,
    data: stringMap,
    binaryData: stringMap,
    immutable: opt(z.boolean()),
  });

  const Service = z.object({
    apiVersion: z.string(),
    kind: z.literal('Service'),
    metadata: ObjectMeta,
    spec: opt(
      z.object({
        type: opt(z.string()),
        externalName: opt(z.string()),
        /** `None` for a headless Service: clients connect to the pods' own ports. */
        clusterIP: opt(z.string()),
        selector: stringMap,
        ports: list(
          z.object({ name: opt(z.string()), port: z.number(), targetPort: opt(IntOrString) }),
        ),
      }),
    ),
  });

  const MetricTarget = z.object({ type: opt(z.string()) });
  const HorizontalPodAutoscaler = z.object({
    apiVersion: z.string(),
    kind: z.literal('HorizontalPodAutoscaler'),
    metadata: ObjectMeta,
    spec: z.object({
      scaleTargetRef: z.object({ kind: z.string(), name: z.string(), apiVersion: opt(z.string()) }),
      /** The fewest replicas the HPA keeps (the API server defaults it to 1). */
      minReplicas: opt(z.number()),
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

  const Namespace = z.object({
    apiVersion: z.string(),
    kind: z.literal('Namespace'),
    metadata: ObjectMeta,
  });

  /** Defaults the LimitRanger admission plugin writes into every pod of the namespace. */
  const LimitRange = z.object({
    apiVersion: z.string(),
    kind: z.literal('LimitRange'),
    metadata: ObjectMeta,
    spec: z.object({
      limits: list(z.object({ type: z.string(), default: quantityMap, defaultRequest: quantityMap, max: quantityMap, min: quantityMap })),
    }),
  });
  return { ObjectMeta, PortAction, Probe, KeyRef, NameRef, EnvVar, EnvFromSource, SecurityContext, Container, KeyToPath, ConfigMapVolume, Volume, PodSpec, LabelSelector, Deployment, ConfigMap, Service, MetricTarget, HorizontalPodAutoscaler, Namespace, LimitRange };
}

const LENIENT = shapes(lenient);
const STRICT = shapes(strict);

export const { ObjectMeta, Probe, EnvVar, EnvFromSource, SecurityContext, Container, ConfigMapVolume, Volume, PodSpec, LabelSelector, Deployment, ConfigMap, Service, HorizontalPodAutoscaler, Namespace, LimitRange } = LENIENT;
export type ObjectMeta = z.infer<typeof ObjectMeta>;
export type Probe = z.infer<typeof Probe>;
export type EnvVar = z.infer<typeof EnvVar>;
export type EnvFromSource = z.infer<typeof EnvFromSource>;
export type SecurityContext = z.infer<typeof SecurityContext>;
export type Container = z.infer<typeof Container>;
export type ConfigMapVolume = z.infer<typeof ConfigMapVolume>;
export type Volume = z.infer<typeof Volume>;
export type PodSpec = z.infer<typeof PodSpec>;
export type LabelSelector = z.infer<typeof LabelSelector>;
export type Deployment = z.infer<typeof Deployment>;
export type ConfigMap = z.infer<typeof ConfigMap>;
export type Service = z.infer<typeof Service>;
export type HorizontalPodAutoscaler = z.infer<typeof HorizontalPodAutoscaler>;
export type Namespace = z.infer<typeof Namespace>;
export type LimitRange = z.infer<typeof LimitRange>;

/** The kinds the engine decodes; any other kind is skipped and counted. */
export const KnownObject = z.discriminatedUnion('kind', [
  Deployment,
  ConfigMap,
  Service,
  HorizontalPodAutoscaler,
  Namespace,
  LimitRange,
]);
export type KnownObject = z.infer<typeof KnownObject>;
export type KnownKind = KnownObject['kind'];

const KINDS = ['Deployment', 'ConfigMap', 'Service', 'HorizontalPodAutoscaler', 'Namespace', 'LimitRange'] as const;

/** The strict reading of each kind, as zod schemas: what the compiled readers are made from and tested against. */
export const STRICT_SCHEMAS: Readonly<Record<KnownKind, z.ZodType<KnownObject>>> = STRICT;

type ByKind = Readonly<Record<string, { lenient: z.ZodType<KnownObject>; strict: Reader<KnownObject> }>>;
const BY_KIND: ByKind = Object.fromEntries(KINDS.map((k) => [k, { lenient: LENIENT[k], strict: compileReader<KnownObject>(STRICT[k]) }]));

/**
 * Decode an object of a known kind. Same result as `KnownObject.safeParse`, but it picks the
 * schema by `kind` first (the union costs about as much again as the object itself), and reads
 * it strictly first: what the API server sends (no nulls, strings as strings) passes it; a manifest
 * with `null`s or numbers for quantities is read again leniently (see Reading). The strict reading
 * runs compiled (compiled-reader.ts): the same result as its zod schema, in a fraction of the
 * time and garbage.
 */
export function decodeObject(raw: unknown): z.ZodSafeParseResult<KnownObject> {
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const schemas = typeof kind === 'string' && Object.hasOwn(BY_KIND, kind) ? BY_KIND[kind] : undefined;
  if (!schemas) return KnownObject.safeParse(raw);
  const fast = schemas.strict(raw);
  return fast !== REFUSED ? { success: true, data: fast } : schemas.lenient.safeParse(raw);
}

export const KNOWN_KINDS: readonly string[] = KINDS;
