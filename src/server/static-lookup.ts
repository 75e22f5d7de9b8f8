// The Lookup of a webhook without cluster access: it knows the ConfigSchemas loaded from
// --schemas and nothing else, so cross-object checks (config-ref, service-ref, HPAs) see no
// objects. The informer-backed lookup (src/cluster/cache.ts) replaces it with cluster access.
import { emptyLookup, type LoadedSchema, type Lookup } from '../engine/lookup.js';

export function staticLookup(schemas: readonly LoadedSchema[]): Lookup {
  return {
    ...emptyLookup,
    source: 'the webhook runs without cluster access',
    listConfigSchemas: (namespace) => schemas.filter((s) => s.namespace === namespace),
  };
}
