// Which Deployments read a ConfigMap, and how: env (configMapKeyRef), envFrom, or a volume
// (configMap or projected). A ConfigMap edit reaches these workloads' pods, so checks of the
// ConfigMap look at them too.
import type { Lookup } from '../../engine/lookup.js';
import type { Deployment } from '../../engine/objects.js';
import { allContainers, podSpec } from './containers.js';

export type ConsumedAs = 'env' | 'volume';

export interface Consumer {
  readonly deployment: Deployment;
  /** `namespace/name`. */
  readonly name: string;
  /** How its pods see the ConfigMap: env at container start, volume files updated in place. */
  readonly as: ReadonlySet<ConsumedAs>;
}

export function consumedAs(d: Deployment, configMap: string): Set<ConsumedAs> {
  const as = new Set<ConsumedAs>();
  const spec = podSpec(d);
  for (const c of allContainers(spec)) {
    if (c.container.env.some((e) => e.valueFrom?.configMapKeyRef?.name === configMap)) as.add('env');
    if (c.container.envFrom.some((f) => f.configMapRef?.name === configMap)) as.add('env');
  }
  for (const v of spec.volumes) {
    if (v.configMap?.name === configMap || v.projected?.sources.some((s) => s.configMap?.name === configMap)) as.add('volume');
  }
  return as;
}

/** Deployments in the namespace whose pods read the ConfigMap. */
export function consumersOf(configMap: string, namespace: string, lookup: Lookup): Consumer[] {
  const out: Consumer[] = [];
  for (const deployment of lookup.listConfigMapReaders(namespace, configMap)) {
    const as = consumedAs(deployment, configMap);
    if (as.size > 0) out.push({ deployment, name: `${namespace}/${deployment.metadata.name ?? ''}`, as });
  }
  return out;
}

/** "a, b and 3 more" for messages. */
export function nameList(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
