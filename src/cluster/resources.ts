// The resources the webhook watches and what it keeps of each: only the fields checks read.
// Raw objects are trimmed before decoding (no managedFields, annotations, status or binaryData
// contents), and decoding with the engine's schemas drops every other field, so the cache holds
// a fraction of what the API server stores.
import type { LoadedSchema } from '../engine/lookup.js';
import { ConfigMap, Deployment, HorizontalPodAutoscaler, LimitRange, Namespace, Service } from '../engine/objects.js';
import { ConfigSchemaDocument } from '../schema/document.js';

export interface ResourceSpec<T> {
  /** Plural, as in RBAC rules and metric labels. */
  readonly name: string;
  /** API path of the list across all namespaces. */
  readonly path: string;
  /** The kind of the items (list items carry no kind). */
  readonly kind: string;
  readonly apiVersion: string;
  /** A resource whose API may be absent (a CRD not installed): a 404 is an empty list, retried later. */
  readonly optional?: boolean;
  /** What to keep of one object, or a reason it cannot be kept. */
  decode(raw: Record<string, unknown>): { ok: true; value: T } | { ok: false; reason: string };
}

type Raw = Record<string, unknown>;
const asRecord = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});

/** metadata with only name, namespace and labels. */
function trimMeta(raw: Raw): Raw {
  const m = asRecord(raw.metadata);
  return { name: m.name, namespace: m.namespace, labels: m.labels };
}

function decoded<T>(result: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }) {
  if (result.success) return { ok: true as const, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false as const, reason: issue ? `${issue.path.join('.')}: ${issue.message}` : 'cannot be decoded' };
}

export const configMaps: ResourceSpec<ConfigMap> = {
  name: 'configmaps',
  path: '/api/v1/configmaps',
  kind: 'ConfigMap',
  apiVersion: 'v1',
  decode(raw) {
    // binaryData values are never read (only their keys): keep the keys.
    const binary = Object.fromEntries(Object.keys(asRecord(raw.binaryData)).map((k) => [k, '']));
    return decoded(ConfigMap.safeParse({ apiVersion: 'v1', kind: 'ConfigMap', metadata: trimMeta(raw), data: raw.data, binaryData: binary, immutable: raw.immutable }));
  },
};

/** What checks of other objects read of a container: its name, where its env comes from, which volumes it mounts. */
const trimContainers = (v: unknown): Raw[] | undefined =>
  Array.isArray(v)
    ? v.map((c: Raw) => ({
        name: c.name,
        env: c.env,
        envFrom: c.envFrom,
        volumeMounts: Array.isArray(c.volumeMounts) ? (c.volumeMounts as Raw[]).map((m) => ({ name: m.name, subPath: m.subPath, subPathExpr: m.subPathExpr })) : undefined,
        restartPolicy: c.restartPolicy,
      }))
    : undefined;

/**
 * A stored Deployment is only ever read as the consumer of a ConfigMap or the target of a
 * ConfigSchema: labels, containers' env, and ConfigMap volumes. Probes, resources and the rest
 * are checked when the Deployment itself is reviewed, from the request.
 */
function trimPodSpec(v: unknown): Raw {
  const spec = asRecord(v);
  const volumes = Array.isArray(spec.volumes) ? (spec.volumes as Raw[]).filter((x) => x.configMap || x.projected).map((x) => ({ name: x.name, configMap: x.configMap, projected: x.projected })) : undefined;
  return { containers: trimContainers(spec.containers), initContainers: trimContainers(spec.initContainers), volumes };
}

export const deployments: ResourceSpec<Deployment> = {
  name: 'deployments',
  path: '/apis/apps/v1/deployments',
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  decode(raw) {
    const spec = asRecord(raw.spec);
    const template = asRecord(spec.template);
    const templateMeta = asRecord(template.metadata);
    return decoded(
      Deployment.safeParse({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: trimMeta(raw),
        spec: { replicas: spec.replicas, selector: spec.selector, template: { metadata: { labels: templateMeta.labels }, spec: trimPodSpec(template.spec) } },
      }),
    );
  },
};

export const services: ResourceSpec<Service> = {
  name: 'services',
  path: '/api/v1/services',
  kind: 'Service',
  apiVersion: 'v1',
  decode(raw) {
    const spec = asRecord(raw.spec);
    return decoded(Service.safeParse({ apiVersion: 'v1', kind: 'Service', metadata: trimMeta(raw), spec: { type: spec.type, externalName: spec.externalName, clusterIP: spec.clusterIP, ports: spec.ports } }));
  },
};

export const horizontalPodAutoscalers: ResourceSpec<HorizontalPodAutoscaler> = {
  name: 'horizontalpodautoscalers',
  path: '/apis/autoscaling/v2/horizontalpodautoscalers',
  kind: 'HorizontalPodAutoscaler',
  apiVersion: 'autoscaling/v2',
  decode(raw) {
    return decoded(HorizontalPodAutoscaler.safeParse({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: trimMeta(raw), spec: raw.spec }));
  },
};

export const limitRanges: ResourceSpec<LimitRange> = {
  name: 'limitranges',
  path: '/api/v1/limitranges',
  kind: 'LimitRange',
  apiVersion: 'v1',
  decode(raw) {
    // Stored LimitRanges are defaulted by the API server (defaultRequest from default, max, min).
    const limits = asRecord(raw.spec).limits;
    const kept = Array.isArray(limits) ? (limits as Raw[]).map((l) => ({ type: l.type, default: l.default, defaultRequest: l.defaultRequest, max: l.max, min: l.min })) : undefined;
    return decoded(LimitRange.safeParse({ apiVersion: 'v1', kind: 'LimitRange', metadata: trimMeta(raw), spec: { limits: kept } }));
  },
};

export const namespaces: ResourceSpec<Namespace> = {
  name: 'namespaces',
  path: '/api/v1/namespaces',
  kind: 'Namespace',
  apiVersion: 'v1',
  decode(raw) {
    return decoded(Namespace.safeParse({ apiVersion: 'v1', kind: 'Namespace', metadata: trimMeta(raw) }));
  },
};

export const configSchemas: ResourceSpec<LoadedSchema> = {
  name: 'configschemas',
  path: '/apis/rollsafe.dev/v1alpha1/configschemas',
  kind: 'ConfigSchema',
  apiVersion: 'rollsafe.dev/v1alpha1',
  optional: true,
  decode(raw) {
    const result = decoded(ConfigSchemaDocument.safeParse({ apiVersion: 'rollsafe.dev/v1alpha1', kind: 'ConfigSchema', metadata: trimMeta(raw), spec: raw.spec }));
    if (!result.ok) return result;
    const { metadata, spec } = result.value;
    return { ok: true, value: { namespace: metadata.namespace ?? 'default', name: metadata.name, spec } };
  },
};
