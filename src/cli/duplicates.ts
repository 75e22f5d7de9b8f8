// The check-only `[duplicate]` warning of `rollsafe check`: an object given more than once in
// one run (alternative renders of a chart, one folder per environment).
import type { Finding } from '../engine/finding.js';
import type { KnownObject } from '../engine/objects.js';
import type { SourceDocument } from './read-documents.js';

/** Kind, namespace and name: one object of the desired state. Unnamed objects (generateName) have none. */
function identity(object: KnownObject, defaultNamespace: string): string | undefined {
  if (!object.metadata.name) return undefined;
  const namespace = object.kind === 'Namespace' ? '' : (object.metadata.namespace ?? defaultNamespace);
  return `${object.kind} ${namespace === '' ? '' : `${namespace}/`}${object.metadata.name}`;
}

export function placesByIdentity(decoded: readonly { doc: SourceDocument; object: KnownObject }[], defaultNamespace: string): ReadonlyMap<string, readonly SourceDocument[]> {
  const places = new Map<string, SourceDocument[]>();
  for (const { doc, object } of decoded) {
    const id = identity(object, defaultNamespace);
    if (id !== undefined) places.set(id, [...(places.get(id) ?? []), doc]);
  }
  return places;
}

const DUPLICATES_NAMED = 3;

/**
 * The same object given more than once (alternative renders of a chart, one folder per
 * environment): the documents of a run are one desired state, so cross-object checks read
 * whichever copy of a ConfigMap or HPA the lookup holds, perhaps from another render. Said on the
 * object, with where the other copies are, so a finding caused by another file can be traced.
 */
export function duplicateNotes(doc: SourceDocument, object: KnownObject, places: ReadonlyMap<string, readonly SourceDocument[]>, defaultNamespace: string): Finding[] {
  const id = identity(object, defaultNamespace);
  const others = id === undefined ? [] : (places.get(id) ?? []).filter((d) => d !== doc);
  if (others.length === 0) return [];
  const named = others.slice(0, DUPLICATES_NAMED).map((d) => `${d.file}:${d.line}`).join(', ');
  const more = others.length > DUPLICATES_NAMED ? ` and ${others.length - DUPLICATES_NAMED} more` : '';
  return [{
    policy: 'duplicate',
    action: 'warn',
    path: 'metadata.name',
    message: `${id} is also given at ${named}${more}: all documents of one run are one desired state, so cross-object checks (ConfigMap keys, HPAs, Services) may have read another copy's objects; check alternative renders or environments in separate runs`,
  }];
}

