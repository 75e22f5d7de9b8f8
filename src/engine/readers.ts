// Which ConfigMaps a Deployment's pods read (env configMapKeyRef, envFrom, configMap and projected
// volumes), and the reverse index per namespace that lookups keep, so a ConfigMap review finds
// its consumers without scanning every Deployment.
import { allContainers, podSpec } from '../policies/shared/containers.js';
import type { Deployment } from './objects.js';

export function configMapsRead(d: Deployment): Set<string> {
  const names = new Set<string>();
  const spec = podSpec(d);
  for (const c of allContainers(spec)) {
    for (const e of c.container.env) if (e.valueFrom?.configMapKeyRef?.name) names.add(e.valueFrom.configMapKeyRef.name);
    for (const f of c.container.envFrom) if (f.configMapRef?.name) names.add(f.configMapRef.name);
  }
  for (const v of spec.volumes) {
    if (v.configMap?.name) names.add(v.configMap.name);
    for (const s of v.projected?.sources ?? []) if (s.configMap?.name) names.add(s.configMap.name);
  }
  return names;
}

/** ConfigMap name -> the Deployments that read it, for the Deployments of one namespace. */
export function readersIndex(deployments: readonly Deployment[]): ReadonlyMap<string, readonly Deployment[]> {
  const index = new Map<string, Deployment[]>();
  for (const d of deployments) {
    for (const name of configMapsRead(d)) {
      const list = index.get(name);
      if (list) list.push(d);
      else index.set(name, [d]);
    }
  }
  return index;
}
