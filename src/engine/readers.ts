// Which ConfigMaps a Deployment's pods read (env configMapKeyRef, envFrom, configMap and projected
// volumes), and the reverse index per namespace that lookups keep, so a ConfigMap review finds
// its consumers without scanning every Deployment.
import { allContainers, podSpec } from '../policies/shared/containers.js';
import type { ConfigMapVolume, Deployment, Volume } from './objects.js';

/** The ConfigMaps a volume shows: its own, and those among a projected volume's sources. */
export const configMapSources = (v: Volume): ConfigMapVolume[] =>
  [v.configMap, ...(v.projected?.sources ?? []).map((src) => src.configMap)].filter((s): s is ConfigMapVolume => s !== undefined);

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
  for (const v of spec.volumes) for (const source of configMapSources(v)) add(source.name, 'volume');
  return uses;
}

/**
 * One way a Deployment's pods read a ConfigMap: `env` (envFrom, configMapKeyRef) and `subPath`
 * (a file mounted as one path, which the kubelet never updates) at container start; `volume` (a
 * mounted directory) in place, as the kubelet rewrites it.
 */
export interface ConfigMapRead {
  readonly use: ConfigMapUse | 'subPath';
  /** Does this read show the key (`binary`: a binaryData key, which env never shows)? */
  shows(key: string, binary: boolean): boolean;
}

/** Each way the Deployment's pods read ConfigMap `name`, with the keys each shows. */
export function configMapReads(d: Deployment, name: string): ConfigMapRead[] {
  const reads: ConfigMapRead[] = [];
  const spec = podSpec(d);
  const containers = allContainers(spec);
  for (const c of containers) {
    for (const e of c.container.env) {
      const ref = e.valueFrom?.configMapKeyRef;
      if (ref?.name === name) reads.push({ use: 'env', shows: (key, binary) => !binary && key === ref.key });
    }
    // envFrom shows every key of data, none of binaryData.
    if (c.container.envFrom.some((f) => f.configMapRef?.name === name)) reads.push({ use: 'env', shows: (_key, binary) => !binary });
  }
  for (const v of spec.volumes) {
    const sources = configMapSources(v).filter((s) => s.name === name);
    if (sources.length === 0) continue;
    // The file path of each key the volume shows (a key with no items is its own file name).
    const pathsOf = (key: string): string[] =>
      sources.flatMap((s) => (s.items.length > 0 ? s.items.filter((i) => i.key === key).map((i) => i.path ?? key) : [key]));
    // The kubelet mounts only volumes some container mounts (volumemanager: "Skipping unused volume").
    for (const m of containers.flatMap((c) => c.container.volumeMounts.filter((vm) => vm.name === v.name))) {
      if (m.subPathExpr) reads.push({ use: 'subPath', shows: (key) => pathsOf(key).length > 0 });
      else if (m.subPath) {
        const sub = m.subPath.replace(/^\/+|\/+$/g, '');
        reads.push({ use: 'subPath', shows: (key) => pathsOf(key).some((p) => sub === '' || p === sub || p.startsWith(`${sub}/`)) });
      } else reads.push({ use: 'volume', shows: (key) => pathsOf(key).length > 0 });
    }
  }
  return reads;
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
