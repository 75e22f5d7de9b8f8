// What the engine may ask about the rest of the cluster. Read-only and synchronous: the webhook
// answers from informer caches and the CLI from the documents given, never from the network.
import type { ConfigSchemaSpec } from '../schema/document.js';
import type { ConfigMap, Deployment, HorizontalPodAutoscaler, LimitRange, Service } from './objects.js';

/** A ConfigSchema that passed validation, as the engine uses it. */
export interface LoadedSchema {
  readonly namespace: string;
  readonly name: string;
  readonly spec: ConfigSchemaSpec;
}

export interface Lookup {
  /** Where the answers come from, for messages: "the documents checked", "the cluster cache". */
  readonly source: string;
  /**
   * True when the lookup holds every object of the cluster (a synced informer cache), so a
   * missing object is known to be missing. The CLI sees only the documents it is given.
   */
  readonly complete: boolean;
  /**
   * False when the lookup holds no objects at all (the webhook without cluster access): an
   * object it does not have says nothing about the cluster, so no check reports it missing.
   */
  readonly knowsObjects: boolean;
  getConfigMap(namespace: string, name: string): ConfigMap | undefined;
  getService(namespace: string, name: string): Service | undefined;
  listDeployments(namespace: string): readonly Deployment[];
  /** Deployments of the namespace whose pods read the ConfigMap (env, envFrom, volumes). */
  listConfigMapReaders(namespace: string, configMap: string): readonly Deployment[];
  listHorizontalPodAutoscalers(namespace: string): readonly HorizontalPodAutoscaler[];
  /** LimitRanges of the namespace: the resource defaults every new pod there gets. */
  listLimitRanges(namespace: string): readonly LimitRange[];
  listConfigSchemas(namespace: string): readonly LoadedSchema[];
}

/** Why a ConfigMap the lookup did not return cannot be read, for messages. */
export const configMapUnseen = (lookup: Lookup, namespace: string, name: string): string =>
  lookup.knowsObjects ? `ConfigMap ${namespace}/${name} was not found in ${lookup.source}` : `ConfigMap ${namespace}/${name} cannot be read (${lookup.source})`;

/** A lookup that knows of nothing: single-object checks only. */
export const emptyLookup: Lookup = {
  source: 'no cluster data',
  complete: false,
  knowsObjects: false,
  getConfigMap: () => undefined,
  getService: () => undefined,
  listDeployments: () => [],
  listConfigMapReaders: () => [],
  listHorizontalPodAutoscalers: () => [],
  listLimitRanges: () => [],
  listConfigSchemas: () => [],
};

/** `base` with `cm` in place of the ConfigMap of the same name: what the cluster looks like once it is stored. */
export function withConfigMap(base: Lookup, namespace: string, cm: ConfigMap): Lookup {
  const name = cm.metadata.name;
  return {
    ...base,
    getConfigMap: (ns, n) => (ns === namespace && n === name ? cm : base.getConfigMap(ns, n)),
  };
}

/** `base` with `schema` in place of the ConfigSchema of the same name. */
export function withConfigSchema(base: Lookup, schema: LoadedSchema): Lookup {
  return {
    ...base,
    listConfigSchemas: (ns) => {
      const others = base.listConfigSchemas(ns).filter((s) => !(s.namespace === schema.namespace && s.name === schema.name));
      return ns === schema.namespace ? [...others, schema] : others;
    },
  };
}
