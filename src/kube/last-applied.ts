// What client-side `kubectl apply` adds to every object it sends: the annotation
// kubectl.kubernetes.io/last-applied-configuration, holding the whole object as JSON (k8s.io/kubectl
// pkg/util/apply.go, GetModifiedConfiguration). The API server allows 256 KiB of annotations in
// all (ValidateAnnotationsSize), so an object of more than about 256 KiB of JSON (Grafana
// dashboards in a ConfigMap, a large CRD), or with more than about 128 KiB of annotations (counted
// twice: in the copy and as themselves), is refused: `metadata.annotations: Too long: may not be
// more than 262144 bytes`. Argo CD applies this way unless the ServerSideApply=true sync option is set; kubectl apply
// --server-side, Flux and Helm add no such copy. Pure.

import { isClusterScoped } from './scope.js';
import { isMap } from './structure.js';
import { annotationBytes } from './validation/metadata.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export { ANNOTATIONS_LIMIT } from './validation/metadata.js';

/**
 * The bytes Go's json.Encoder writes for a JSON value, as kubectl encodes the object
 * (unstructured.UnstructuredJSONScheme): UTF-8, `<`, `>`, `&`, U+2028 and U+2029 escaped as
 * \u00XX (HTML-safe, the Encoder's default), a control character as \n, \r, \t, \b, \f or \u00XX, a
 * trailing newline not counted. Numbers as JavaScript writes them, which is Go's float64 format
 * too (exponent below 1e-6 and from 1e21).
 */
export function goJsonBytes(value: unknown): number {
  if (value === null || value === undefined) return 4;
  switch (typeof value) {
    case 'string':
      return goStringBytes(value);
    case 'number':
    case 'bigint':
      return String(value).length;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (Array.isArray(value)) {
        let n = 2 + Math.max(0, value.length - 1);
        for (const item of value) n += goJsonBytes(item);
        return n;
      }
      const entries = Object.entries(value);
      // {} and the commas, and per member its key and a colon
      let n = 2 + Math.max(0, entries.length - 1);
      for (const [k, v] of entries) n += goStringBytes(k) + 1 + goJsonBytes(v);
      return n;
    }
    default:
      return 4;
  }
}

/** A string as Go's encoding/json writes it, quotes included. */
function goStringBytes(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      // Go 1.22 and later write \b and \f short too.
      if (c === 0x22 || c === 0x5c || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x08 || c === 0x0c) n += 2;
      else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26) n += 6;
      else n += 1;
    } else if (c < 0x800) n += 2;
    else if (c === 0x2028 || c === 0x2029) n += 6;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // a surrogate pair: one character of 4 bytes
      n += 4;
      i++;
    } else n += 3; // other BMP characters, and a lone surrogate, written as U+FFFD
  }
  return n;
}

export interface LastAppliedSize {
  /** The bytes of the copy kubectl puts in the annotation. */
  readonly copy: number;
  /** The annotations the manifest has (but a copy already in it), keys and values. */
  readonly annotations: number;
  /** The annotations together once it is added, keys and values. */
  readonly total: number;
}

/**
 * The annotation kubectl apply adds to `object` (a manifest's value, as kubectl reads it), and the
 * annotations' size with it. As kubectl encodes the copy: an object of a namespaced kind without a
 * namespace gets `defaultNamespace` (kubectl's -n, here check's --namespace), one of a
 * cluster-scoped kind loses any namespace written (cli-runtime SetNamespace, FilterNamespace); a
 * copy already in the manifest (`kubectl get -o yaml` output) is replaced.
 */
export function lastAppliedSize(object: unknown, defaultNamespace: string): LastAppliedSize | undefined {
  if (!isMap(object)) return undefined;
  const { namespace, ...metadata } = isMap(object.metadata) ? object.metadata : {};
  // kubectl drops any old copy and sets the annotations as a map, `{}` when there were none.
  const annotations = isMap(metadata.annotations) ? { ...metadata.annotations } : {};
  delete annotations[LAST_APPLIED];
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const scoped = isClusterScoped(kind) ? {} : { namespace: typeof namespace === 'string' && namespace !== '' ? namespace : defaultNamespace };
  const encoded = { ...object, metadata: { ...metadata, ...scoped, annotations } };
  // json.Encoder ends the text with a newline, which stays in the annotation.
  const copy = goJsonBytes(encoded) + 1;
  const own = annotationBytes(annotations);
  return { copy, annotations: own, total: own + LAST_APPLIED.length + copy };
}
