// What the API server refuses while decoding a manifest, before any validation: a field its
// object type does not have (kubectl apply's default, strict field validation: `strict decoding
// error: unknown field "spec.template.spec.containers[0].resource"`), and a value of the wrong
// JSON type (`json: cannot unmarshal number into Go struct field Container...command of type
// string`). Checked against the types of src/kube/api-types.ts (Kubernetes 1.37). `null` is
// accepted anywhere, as the API server reads it as "not set". Pure: the CLI words the issues.
import { API_TYPES } from './api-types.js';
import type { TypeRef, TypeTable } from './type-table.js';

export type Path = readonly (string | number)[];

/** What a value is, in a JSON type's terms. */
export type JsonKind = 'string' | 'number' | 'boolean' | 'list' | 'map';

/** What a field wants, when the value's JSON type is wrong. */
export type Wanted = 'string' | 'integer' | 'number' | 'boolean' | 'quantity' | 'int-or-string' | 'bytes' | 'time' | 'list' | 'map' | 'object';

export type StructuralIssue =
  | {
      readonly code: 'unknown-field';
      readonly path: Path;
      /** The object type that has no such field (`Container`). */
      readonly type: string;
      /** A field of that type the name is likely a misspelling of (`resources` for `resource`). */
      readonly didYouMean?: string;
      /** Where the field does exist, when it is a field of other types of the object (`spec.template.spec.containers[]`; `` for the object itself). */
      readonly belongsAt?: readonly string[];
    }
  | { readonly code: 'wrong-type'; readonly path: Path; readonly wanted: Wanted; readonly is: JsonKind; readonly type?: string }
  | { readonly code: 'not-whole'; readonly path: Path; readonly value: number }
  | { readonly code: 'out-of-range'; readonly path: Path; readonly value: number; readonly bits: 32 | 64 }
  | { readonly code: 'not-base64'; readonly path: Path }
  | { readonly code: 'not-quantity'; readonly path: Path; readonly value: string }
  | { readonly code: 'not-time'; readonly path: Path; readonly value: string };

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** int64 bounds; a JavaScript number holds them only approximately, which is enough to tell 1e30. */
const INT64 = { min: -(2 ** 63), max: 2 ** 63 };

export const jsonKind = (v: unknown): JsonKind =>
  Array.isArray(v) ? 'list' : typeof v === 'object' ? 'map' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'boolean';

export const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The type name a message shows: `Container` for `core.v1.Container`. */
export const displayName = (type: string): string => type.slice(type.lastIndexOf('.') + 1);

/** Go's base64.StdEncoding, as encoding/json decodes a []byte (it drops \r and \n first). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A quantity as resource.ParseQuantity (k8s.io/apimachinery) reads it, after Quantity.UnmarshalJSON
 * trims spaces: a decimal number, then a binary suffix (Ki … Ei), a decimal one (n u m k M G T P E)
 * or an exponent (e3, E-2). The API server's message gives a looser pattern than it applies.
 */
export const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** metav1.Time: time.Parse(time.RFC3339, …). */
const RFC3339 = /^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$/;

/**
 * Every structural problem of an object, shallow first; undefined when the table has no type
 * for its apiVersion and kind (kubectl would say the kind is unknown in that version).
 */
export function structuralIssues(value: unknown, apiVersion: string, kind: string, table: TypeTable = API_TYPES): StructuralIssue[] | undefined {
  const root = table.roots[`${apiVersion} ${kind}`];
  if (root === undefined) return undefined;
  const issues: StructuralIssue[] = [];
  walk(table, root, root, value, [], issues);
  return issues.sort((a, b) => a.path.length - b.path.length);
}

function walk(table: TypeTable, root: string, ref: TypeRef, value: unknown, path: (string | number)[], issues: StructuralIssue[]): void {
  if (value === null || value === undefined) return;
  const wrong = (wanted: Wanted, type?: string): void => void issues.push({ code: 'wrong-type', path: [...path], wanted, is: jsonKind(value), ...(type && { type }) });
  switch (ref) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') wrong('string');
      return;
    case 'bytes':
      if (typeof value !== 'string') wrong('bytes');
      else if (!BASE64.test(value.replace(/[\r\n]/g, ''))) issues.push({ code: 'not-base64', path: [...path] });
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrong('boolean');
      return;
    case 'number':
      if (typeof value !== 'number') wrong('number');
      return;
    case 'quantity':
      if (typeof value === 'string' && !QUANTITY.test(value.trim())) issues.push({ code: 'not-quantity', path: [...path], value });
      else if (typeof value !== 'string' && typeof value !== 'number') wrong('quantity');
      return;
    case 'time':
      if (typeof value !== 'string') wrong('time');
      else if (!RFC3339.test(value)) issues.push({ code: 'not-time', path: [...path], value });
      return;
    case 'int32':
    case 'int64':
    case 'int-or-string': {
      if (ref === 'int-or-string' && typeof value === 'string') return;
      if (typeof value !== 'number') return wrong(ref === 'int-or-string' ? 'int-or-string' : 'integer');
      if (!Number.isInteger(value)) return void issues.push({ code: 'not-whole', path: [...path], value });
      const bounds = ref === 'int64' ? INT64 : INT32;
      if (value < bounds.min || value > bounds.max) issues.push({ code: 'out-of-range', path: [...path], value, bits: ref === 'int64' ? 64 : 32 });
      return;
    }
    default:
  }
  if (ref.startsWith('[')) {
    if (!Array.isArray(value)) return wrong('list');
    const item = ref.slice(1, -1);
    value.forEach((v, i) => walk(table, root, item, v, [...path, i], issues));
    return;
  }
  if (ref.startsWith('{')) {
    if (!isMap(value)) return wrong('map');
    const item = ref.slice(1, -1);
    for (const [k, v] of Object.entries(value)) walk(table, root, item, v, [...path, k], issues);
    return;
  }
  const fields = table.types[ref];
  if (fields === undefined) throw new Error(`api-types: no type ${ref}`);
  if (!isMap(value)) return wrong('object', displayName(ref));
  for (const [k, v] of Object.entries(value)) {
    const field = Object.hasOwn(fields, k) ? fields[k] : undefined;
    if (field === undefined) {
      const didYouMean = closest(k, Object.keys(fields));
      const belongsAt = didYouMean === undefined ? whereDeclared(table, root, k) : undefined;
      issues.push({ code: 'unknown-field', path: [...path, k], type: displayName(ref), ...(didYouMean && { didYouMean }), ...(belongsAt && { belongsAt }) });
    } else {
      walk(table, root, field, v, [...path, k], issues);
    }
  }
}

/** The apiVersions in which the table's Kubernetes serves a kind (`apps/v1` for Deployment); none for a kind it does not hold. */
export function servedVersions(kind: string, table: TypeTable = API_TYPES): string[] {
  return Object.keys(table.roots)
    .filter((k) => k.slice(k.indexOf(' ') + 1) === kind)
    .map((k) => k.slice(0, k.indexOf(' ')))
    .sort()
    .reverse();
}

/** A field name `written` is probably a misspelling of: the same but for case, or at most two edits away (one for short names). */
export function closest(written: string, names: readonly string[]): string | undefined {
  const lower = written.toLowerCase();
  const sameButCase = names.find((n) => n.toLowerCase() === lower);
  if (sameButCase) return sameButCase;
  const limit = written.length < 5 ? 1 : 2;
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = editDistance(lower, name.toLowerCase(), limit);
    if (d <= limit && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** Damerau-Levenshtein (optimal string alignment) distance, or limit + 1 once it is certainly above limit. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...Array<number>(b.length).fill(0)]);
  const first = rows[0] ?? [];
  for (let j = 0; j <= b.length; j++) first[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    const prev = rows[i - 1] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row[j] = d;
    }
  }
  return rows[a.length]?.[b.length] ?? limit + 1;
}

/**
 * Where a field of this name is declared in the object, as paths from its root
 * (`spec.template.spec.containers[]`): those of the shallowest object types that have it, when
 * one or two do (`image` is a field of containers[] and of ephemeralContainers[]). The object's
 * own status and metadata are not searched: a field put there by mistake belongs in its spec.
 */
function whereDeclared(table: TypeTable, root: string, field: string): string[] | undefined {
  const seen = new Set<string>([root]);
  let level: { type: string; path: string }[] = [{ type: root, path: '' }];
  while (level.length > 0) {
    const found = level.filter((l) => Object.hasOwn(table.types[l.type] ?? {}, field));
    if (found.length > 0) return found.length <= 2 ? found.map((f) => f.path) : undefined;
    const next: { type: string; path: string }[] = [];
    for (const { type, path } of level) {
      for (const [name, ref] of Object.entries(table.types[type] ?? {})) {
        if (path === '' && (name === 'status' || name === 'metadata')) continue;
        const { inner, suffix } = unwrap(ref);
        if (!(inner in table.types) || seen.has(inner)) continue;
        seen.add(inner);
        next.push({ type: inner, path: `${path}${path ? '.' : ''}${name}${suffix}` });
      }
    }
    level = next;
  }
  return undefined;
}

/** `[core.v1.Container]` -> Container with `[]`; `{T}` -> T with `[*]`. */
function unwrap(ref: TypeRef): { inner: string; suffix: string } {
  let inner = ref;
  let suffix = '';
  while (inner.startsWith('[') || inner.startsWith('{')) {
    suffix += inner.startsWith('[') ? '[]' : '[*]';
    inner = inner.slice(1, -1);
  }
  return { inner, suffix };
}

/** The `kubectl explain` argument for the object type at a path: `deployment.spec.template.spec.containers`. */
export function explainTarget(kind: string, path: Path): string {
  return [kind.toLowerCase(), ...path.filter((s): s is string => typeof s === 'string')].join('.');
}
