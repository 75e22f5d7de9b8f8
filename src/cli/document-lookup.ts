// The engine's Lookup over the documents given on the command line, so `rollsafe check` resolves
// ConfigMaps, Services, HPAs and LimitRanges the way the webhook resolves them from the cluster.
import type { LoadedSchema, Lookup } from '../engine/lookup.js';
import { configMapUses } from '../engine/readers.js';
import type { ConfigMap, Deployment, HorizontalPodAutoscaler, KnownObject, LimitRange, Service } from '../engine/objects.js';

export function documentLookup(objects: readonly KnownObject[], defaultNamespace: string, schemas: readonly LoadedSchema[] = []): Lookup {
  const ns = (o: KnownObject) => o.metadata.namespace ?? defaultNamespace;
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  const configMaps = new Map<string, ConfigMap>();
  const services = new Map<string, Service>();
  const deployments = new Map<string, Deployment[]>();
  const hpas = new Map<string, HorizontalPodAutoscaler[]>();
  const limitRanges = new Map<string, LimitRange[]>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...(m.get(k) ?? []), v]);
  for (const o of objects) {
    const name = o.metadata.name ?? '';
    if (o.kind === 'ConfigMap') configMaps.set(key(ns(o), name), o);
    else if (o.kind === 'Service') services.set(key(ns(o), name), o);
    else if (o.kind === 'Deployment') push(deployments, ns(o), o);
    else if (o.kind === 'HorizontalPodAutoscaler') push(hpas, ns(o), o);
    else if (o.kind === 'LimitRange') push(limitRanges, ns(o), o);
  }
  return {
    source: 'the documents checked',
    complete: false,
    knowsObjects: true,
    getConfigMap: (namespace, name) => configMaps.get(key(namespace, name)),
    getService: (namespace, name) => services.get(key(namespace, name)),
    listDeployments: (namespace) => deployments.get(namespace) ?? [],
    listConfigMapReaders: (namespace, configMap) => (deployments.get(namespace) ?? []).filter((d) => configMapUses(d).has(configMap)),
    listHorizontalPodAutoscalers: (namespace) => hpas.get(namespace) ?? [],
    listLimitRanges: (namespace) => limitRanges.get(namespace) ?? [],
    listConfigSchemas: (namespace) => schemas.filter((s) => s.namespace === namespace),
  };
}
