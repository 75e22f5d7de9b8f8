// The shape of src/kube/api-types.ts: the Kubernetes object types `rollsafe check` decodes,
// reduced to what tells a misspelt field or a value of the wrong type.

/**
 * A field's type: `string`, `int32`, `int64`, `number`, `boolean`, `bytes` (base64 text),
 * `time` (RFC 3339 text), `quantity` (a string or a number), `int-or-string`, `any` (free-form), `[T]` a list of T,
 * `{T}` a map of T, or the name of an object type of the table.
 */
export type TypeRef = string;

/**
 * How server-side apply merges a list field (x-kubernetes-list-type): `set`, a list of scalars
 * each at most once; or a map keyed by fields of its items, each key at most once, a key field
 * left out counting as its default (a port's protocol is TCP). Atomic lists are not recorded.
 */
export type ListType = 'set' | { readonly keys: readonly string[]; readonly defaults?: Readonly<Record<string, string | number>> };

export interface TypeTable {
  /** `apiVersion kind` (`apps/v1 Deployment`) -> object type name. */
  readonly roots: Readonly<Record<string, string>>;
  /** Object type name (the OpenAPI one less `io.k8s.api.` or `io.k8s.apimachinery.pkg.apis.`) -> field -> type. */
  readonly types: Readonly<Record<string, Readonly<Record<string, TypeRef>>>>;
  /**
   * Object type name -> list field -> how server-side apply merges it, for set and map lists (a
   * list not here is atomic: merged whole, but its items are still checked).
   */
  readonly lists: Readonly<Record<string, Readonly<Record<string, ListType>>>>;
}
