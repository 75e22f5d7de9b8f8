// Which ConfigMaps a Deployment's pods read (env configMapKeyRef, envFrom, configMap and projected
// volumes), and the reverse index per namespace that lookups keep, so a ConfigMap review finds
// its consumers without scanning every Deployment.
import { allContainers, podSpec } from '../policies/shared/containers.js';
import type { Deployment } from './objects.js';

/** How a pod sees a ConfigMap: env at container start, or volume files updated in place. */
export type ConfigMapUse = 'env' | 'volume';

/** Each ConfigMap the Deployment's pods read, and how. */
export function configMapUses(d: Deployment): Map<string, Set<ConfigMapUse>> {
  const uses = new Map<string, Set<ConfigMapUse>>();
  const add = (name: string | undefined, use: ConfigMapUse) => {
    if (!name) return;
    let set = uses.get(name);
    if (!set) uses.set(name, (set = new Set()));
    set.add(use);
  };
  const spec = podSpec(d);
  for (const c of allContainers(spec)) {
    for (const e of c.container.env) add(e.valueFrom?.configMapKeyRef?.name, 'env');
    for (const f of c.container.envFrom) add(f.configMapRef?.name, 'env');
  }
  for (const v of spec.volumes) {
    add(v.configMap?.name, 'volume');
    for (const src of v.projected?.sources ?? []) add(src.configMap?.name, 'volume');
  }
  return uses;
}

/** ConfigMap name -> the Deployments that read it, for the Deployments of one namespace. */
export function readersIndex(deployments: readonly Deployment[]): ReadonlyMap<string, readonly Deployment[]> {
  const index = new Map<string, Deployment[]>();
  for (const d of deployments) {
    for (const name of configMapUses(d).keys()) {
      const list = index.get(name);
      if (list) list.push(d);
      else index.set(name, [d]);
    }
  }
  return index;
}
