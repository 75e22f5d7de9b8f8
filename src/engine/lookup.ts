// What the engine may ask about the rest of the cluster. Read-only and synchronous: the webhook
// answers from informer caches and the CLI from the documents given, never from the network.
import type { ConfigSchemaSpec } from '../schema/document.js';
import type { ConfigMap, Deployment, HorizontalPodAutoscaler, Service } from './objects.js';

/** A ConfigSchema that passed validation, as the engine uses it. */
export interface LoadedSchema {
  readonly namespace: string;
  readonly name: string;
  readonly spec: ConfigSchemaSpec;
}

export interface Lookup {
  /** Where the answers come from, for messages: "the documents checked", "the cluster cache". */
  readonly source: string;
  getConfigMap(namespace: string, name: string): ConfigMap | undefined;
  getService(namespace: string, name: string): Service | undefined;
  listDeployments(namespace: string): readonly Deployment[];
  listHorizontalPodAutoscalers(namespace: string): readonly HorizontalPodAutoscaler[];
  listConfigSchemas(namespace: string): readonly LoadedSchema[];
}

/** A lookup that knows of nothing: single-object checks only. */
export const emptyLookup: Lookup = {
  source: 'no cluster data',
  getConfigMap: () => undefined,
  getService: () => undefined,
  listDeployments: () => [],
  listHorizontalPodAutoscalers: () => [],
  listConfigSchemas: () => [],
};
