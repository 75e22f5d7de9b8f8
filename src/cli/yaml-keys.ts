// Map keys that YAML 1.1 reads as something other than their text. kubectl, Helm and Argo CD read
// manifests with go-yaml v2 (kubectl-yaml.ts), which resolves an unquoted key as it resolves a
// value and then writes it as text: a ConfigMap key written `on:` or `NO:` (Norway's country code)
// becomes "true" or "false", `010:` becomes "8", `~:` becomes "". The object applied has a key its
// author never wrote, and the app looking up "NO" finds nothing. rollsafe check reads the keys as
// kubectl does; this lists where the key it reads differs from the key as written.
import { isMap, isScalar, isSeq } from 'yaml';
import { isMap as isJsonMap } from '../kube/structure.js';

export interface RetypedKey {
  /** Where the key is, as keys and indexes of the object as kubectl reads it (the last one is the key). */
  readonly path: readonly (string | number)[];
  /** The key as written. */
  readonly written: string;
  /** The key the object gets. */
  readonly key: string;
  /** What YAML 1.1 read it as: `the boolean true`, `the number 8`, `null`. */
  readonly readAs: string;
}

const readAs = (v: unknown): string => (v === null ? 'null' : typeof v === 'boolean' ? `the boolean ${v}` : `the number ${String(v)}`);

/** Unquoted keys of `node` (a YAML node) whose key in `value` (what the node reads as) differs from their text. */
export function retypedKeys(node: unknown, value: unknown, path: readonly (string | number)[] = []): RetypedKey[] {
  const out: RetypedKey[] = [];
  if (isMap(node) && isJsonMap(value)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const written = pair.key.source ?? String(pair.key.value);
      const key = pair.key.value === null ? '' : String(pair.key.value);
      if (!Object.hasOwn(value, key)) continue;
      if (pair.key.type === 'PLAIN' && typeof pair.key.value !== 'string' && written !== key) out.push({ path: [...path, key], written, key, readAs: readAs(pair.key.value) });
      out.push(...retypedKeys(pair.value, value[key], [...path, key]));
    }
  } else if (isSeq(node) && Array.isArray(value)) {
    node.items.forEach((item, i) => out.push(...retypedKeys(item, value[i], [...path, i])));
  }
  return out;
}
