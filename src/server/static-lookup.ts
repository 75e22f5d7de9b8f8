// The Lookup of a webhook without cluster access: it knows the ConfigSchemas loaded from
// --schemas and nothing else, so cross-object checks (config-ref, service-ref, HPAs) see no
// objects. The informer-backed lookup replaces it once the cluster caches exist.
import type { LoadedSchema, Lookup } from '../engine/lookup.js';

export function staticLookup(schemas: readonly LoadedSchema[]): Lookup {
  return {
    source: 'the cluster cache (disabled: no cluster access)',
    complete: false,
    getConfigMap: () => undefined,
    getService: () => undefined,
    listDeployments: () => [],
    listConfigMapReaders: () => [],
    listHorizontalPodAutoscalers: () => [],
    listConfigSchemas: (namespace) => schemas.filter((s) => s.namespace === namespace),
  };
}
