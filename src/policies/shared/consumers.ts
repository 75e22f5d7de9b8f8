// Which Deployments read a ConfigMap, and how: env (configMapKeyRef), envFrom, or a volume
// (configMap or projected). A ConfigMap edit reaches these workloads' pods, so checks of the
// ConfigMap look at them too.
import type { Lookup } from '../../engine/lookup.js';
import type { Deployment } from '../../engine/objects.js';
import { type ConfigMapRead, configMapReads } from '../../engine/readers.js';

export interface Consumer {
  readonly deployment: Deployment;
  /** `namespace/name`. */
  readonly name: string;
  /**
   * How its pods see the ConfigMap, and which keys: env and subPath files at container start,
   * mounted volume files updated in place. Empty when it refers to the map only through a volume
   * no container mounts.
   */
  readonly reads: readonly ConfigMapRead[];
}

/** Deployments in the namespace whose pods read the ConfigMap. */
export function consumersOf(configMap: string, namespace: string, lookup: Lookup): Consumer[] {
  return lookup
    .listConfigMapReaders(namespace, configMap)
    .map((deployment) => ({ deployment, name: `${namespace}/${deployment.metadata.name ?? ''}`, reads: configMapReads(deployment, configMap) }));
}

/** "a, b and 3 more" for messages. */
export function nameList(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
