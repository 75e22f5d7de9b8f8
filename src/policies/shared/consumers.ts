// Which Deployments read a ConfigMap, and how: env (configMapKeyRef), envFrom, or a volume
// (configMap or projected). A ConfigMap edit reaches these workloads' pods, so checks of the
// ConfigMap look at them too.
import type { Lookup } from '../../engine/lookup.js';
import type { Deployment } from '../../engine/objects.js';
import { type ConfigMapUse, configMapUses } from '../../engine/readers.js';

export interface Consumer {
  readonly deployment: Deployment;
  /** `namespace/name`. */
  readonly name: string;
  /** How its pods see the ConfigMap: env at container start, volume files updated in place. */
  readonly as: ReadonlySet<ConfigMapUse>;
}

/** Deployments in the namespace whose pods read the ConfigMap. */
export function consumersOf(configMap: string, namespace: string, lookup: Lookup): Consumer[] {
  const out: Consumer[] = [];
  for (const deployment of lookup.listConfigMapReaders(namespace, configMap)) {
    const as = configMapUses(deployment).get(configMap);
    if (as) out.push({ deployment, name: `${namespace}/${deployment.metadata.name ?? ''}`, as });
  }
  return out;
}

/** "a, b and 3 more" for messages. */
export function nameList(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
