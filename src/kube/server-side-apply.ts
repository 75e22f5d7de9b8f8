// What server-side apply (kubectl apply --server-side, Argo CD's ServerSideApply=true, Flux) refuses
// in a manifest that client-side apply sends: the API server turns the applied object into a
// typed patch (structured-merge-diff) before anything else, and that refuses a list the schema
// merges by key (x-kubernetes-list-type: map) holding two entries of one key, and a set list
// holding a value twice: `failed to create typed patch object (shop/web; apps/v1, Kind=Deployment):
// .spec.template.spec.containers[name="web"].env: duplicate entries for key [name="MODE"]`.
// Client-side apply and `kubectl create` accept both (with a warning for env and ports), so these
// manifests break when a pipeline moves to server-side apply. It also refuses an entry of such a
// list with no key field at all, and an object that carries metadata.managedFields (`kubectl get
// -o yaml` output). Pure; types of src/kube/api-types.ts.
import { API_TYPES } from './api-types.js';
import { isMap, type Path } from './structure.js';
import type { ListType, TypeRef, TypeTable } from './type-table.js';

export interface ApplyIssue {
  readonly path: Path;
  readonly message: string;
}

/** A key as structured-merge-diff prints it, fields sorted by name: `[containerPort=8080,protocol="TCP"]`. */
const keyText = (fields: readonly (readonly [string, unknown])[]) => `[${fields.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;

/**
 * An entry's key as structured-merge-diff builds it (keyedAssociativeListItemToPathElement): each
 * key field it has, else that field's default; a field with neither is left out of the key.
 */
function entryKey(list: Exclude<ListType, 'set'>, item: Record<string, unknown>): [string, unknown][] {
  const fields: [string, unknown][] = [];
  for (const k of list.keys) {
    if (item[k] !== undefined) fields.push([k, item[k]]);
    else if (list.defaults?.[k] !== undefined) fields.push([k, list.defaults[k]]);
  }
  return fields.sort(([a], [b]) => (a < b ? -1 : 1));
}

/** What server-side apply refuses in `value`, an object of `apiVersion` and `kind` as the manifest writes it. */
export function serverSideApplyIssues(value: unknown, apiVersion: string, kind: string, table: TypeTable = API_TYPES): ApplyIssue[] {
  const issues: ApplyIssue[] = [];
  const metadata = isMap(value) ? value.metadata : undefined;
  if (isMap(metadata) && metadata.managedFields != null) {
    issues.push({
      path: ['metadata', 'managedFields'],
      message: 'must not be set: the API server keeps it, and server-side apply refuses an object that carries it (metadata.managedFields must be nil); remove it (it comes with kubectl get -o yaml output)',
    });
  }
  const root = table.roots[`${apiVersion} ${kind}`];
  if (root !== undefined) walk(table, root, value, [], issues);
  return issues;
}

/**
 * Every value, as structured-merge-diff validates the applied object: into atomic lists and types
 * too (a StatefulSet's volumeClaimTemplates, a CRD's schema), whose own merging is whole but whose
 * items' set and map lists must still hold each key once.
 */
function walk(table: TypeTable, ref: TypeRef, value: unknown, path: (string | number)[], issues: ApplyIssue[]): void {
  if (ref.startsWith('[')) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(table, ref.slice(1, -1), v, [...path, i], issues));
    return;
  }
  if (ref.startsWith('{')) {
    if (isMap(value)) for (const [k, v] of Object.entries(value)) walk(table, ref.slice(1, -1), v, [...path, k], issues);
    return;
  }
  const fields = table.types[ref];
  if (fields === undefined || !isMap(value)) return;
  const lists = table.lists[ref];
  for (const [k, v] of Object.entries(value)) {
    const field = Object.hasOwn(fields, k) ? fields[k] : undefined;
    if (field === undefined) continue;
    const list = lists && Object.hasOwn(lists, k) ? lists[k] : undefined;
    if (list !== undefined && Array.isArray(v)) issues.push(...duplicates(list, v, [...path, k]));
    walk(table, field, v, [...path, k], issues);
  }
}

/** Each entry of a keyed or set list whose key an earlier entry already has, and each entry with no key at all. */
function duplicates(list: ListType, items: readonly unknown[], path: Path): ApplyIssue[] {
  const issues: ApplyIssue[] = [];
  const seen = new Map<string, number>();
  const field = String(path[path.length - 1]);
  items.forEach((item, i) => {
    let key: string;
    let what: string;
    if (list === 'set') {
      if (item === null || typeof item === 'object') return;
      key = JSON.stringify(item);
      what = `repeats ${key}, the value of ${field}[${seen.get(key) ?? 0}]`;
    } else {
      if (!isMap(item)) return;
      const fields = entryKey(list, item);
      if (fields.length === 0) {
        issues.push({ path: [...path, i], message: `has none of the fields ${field} entries are told apart by (${list.keys.join(', ')}): server-side apply refuses it (associative list with keys has an element that omits all key fields); set ${list.keys[0] ?? 'the key'}` });
        return;
      }
      key = keyText(fields);
      what = `has the same ${fields.map(([k]) => k).join(' and ')} as ${field}[${seen.get(key) ?? 0}]`;
    }
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    issues.push({
      path: [...path, i],
      message: `${what}: server-side apply refuses two entries with the same key in this list (duplicate entries for key ${list === 'set' ? `[=${key}]` : key}); keep one of them${field === 'env' ? ' (the container gets the value of the last one today)' : ''}`,
    });
  });
  return issues;
}
