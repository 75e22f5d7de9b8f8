// `rollsafe check`: a ConfigSchema that binds no object among the inputs, while its targets are
// there in another namespace. Manifests often carry no `metadata.namespace` and are read as
// `--namespace` (default), while the schema says `payments`: every value then went unchecked and
// the run passed, with nothing said.
import { emptyLookup, type LoadedSchema } from '../engine/lookup.js';
import type { KnownObject } from '../engine/objects.js';
import { schemasForConfigMap, schemasForDeployment } from '../schema/bind.js';

/** One line per such schema: what it would bind, where that is, and the likely fix. */
export function schemaReachNotes(schemas: readonly LoadedSchema[], objects: readonly KnownObject[], defaultNamespace: string): string[] {
  const notes: string[] = [];
  for (const schema of schemas) {
    const only = { ...emptyLookup, listConfigSchemas: () => [schema] };
    const bound = objects.flatMap((o): { o: KnownObject; namespace: string }[] => {
      const namespace = o.metadata.namespace ?? defaultNamespace;
      if (o.kind === 'ConfigMap') return schemasForConfigMap(o, namespace, only).length > 0 ? [{ o, namespace }] : [];
      if (o.kind === 'Deployment') return schemasForDeployment(o, namespace, only).length > 0 ? [{ o, namespace }] : [];
      return [];
    });
    if (bound.length === 0 || bound.some((b) => b.namespace === schema.namespace)) continue;
    const first = bound[0] as (typeof bound)[number];
    const unset = first.o.metadata.namespace === undefined;
    notes.push(
      `ConfigSchema ${schema.namespace}/${schema.name} checked nothing: ${first.o.kind} ${first.o.metadata.name ?? ''} matches its targets but is in namespace ${first.namespace}` +
        (unset ? ` (its manifest has no metadata.namespace, so it is read as --namespace ${defaultNamespace}); run with -n ${schema.namespace}, or set the namespace in the manifests` : `; a schema binds objects of its own namespace only`),
    );
  }
  return notes;
}
