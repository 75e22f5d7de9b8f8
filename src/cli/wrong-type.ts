// A value of the wrong JSON type, told the way a developer fixes it in one read: what the value is
// to kubectl, why (YAML 1.1 when YAML 1.2 would have read text), that kubectl apply refuses it,
// and how to write it. The API server decodes a manifest into Go structs and refuses a number or a
// boolean for a string field and a string for a number or boolean field (kubectl 1.37:
// `json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value
// of type string`, `... cannot unmarshal string into Go struct field
// ContainerPort.spec.template.spec.containers.ports.containerPort of type int32`); for labels,
// annotations and names kubectl itself refuses the file before sending it (`unable to decode`).
import { isMap, isScalar, isSeq, type Node, parse, type Scalar } from 'yaml';
import type { DescribeIssue } from '../engine/describe-zod-error.js';
import type { SourceDocument } from './read-documents.js';

type Json = 'string' | 'number' | 'boolean';

/**
 * The YAML node at a path of the document's value, when the file holds it there (not through a
 * merge key), and whether its key is written twice in its map (kubectl keeps the last, as here).
 */
export function nodeAt(root: Node | undefined, path: readonly PropertyKey[]): { node: Node | undefined; key?: string; twice: boolean } {
  let node: unknown = root;
  let key: string | undefined;
  let twice = false;
  for (const seg of path) {
    if (isMap(node)) {
      const pairs = node.items.filter((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      const pair = pairs.at(-1);
      twice = pairs.length > 1;
      key = isScalar(pair?.key) ? writtenKey(pair.key) : undefined;
      node = pair?.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      twice = false;
      key = undefined;
      node = node.items[seg];
    } else {
      return { node: undefined, twice: false };
    }
  }
  return { node: (node as Node | null | undefined) ?? undefined, ...(key !== undefined && { key }), twice };
}

/**
 * A key as the fix writes it: a plain key as in the file (`n:` is the key "false" to kubectl, and
 * the fix must say `n:`); any other (quoted, or holding a control character) as a JSON string,
 * which YAML reads back the same and which cannot carry a raw ESC or line break to the terminal.
 */
function writtenKey(key: Scalar): string {
  if (key.type === 'PLAIN' && typeof key.source === 'string' && !/[\u0000-\u001f\u007f-\u009f]/.test(key.source)) return key.source;
  return JSON.stringify(String(key.value));
}

/** resources.requests.cpu, and a LimitRange's spec.limits[0].max.memory: a number or a string. */
const isQuantity = (path: readonly PropertyKey[]) =>
  (path.at(-3) === 'resources' && (path.at(-2) === 'requests' || path.at(-2) === 'limits')) || (path[0] === 'spec' && path[1] === 'limits' && path.length === 5);

export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const seg of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
  return v;
}

export const named = (v: string | number | boolean) => (typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `the ${typeof v} ${String(v)}`);

/**
 * Why kubectl reads a plain scalar otherwise than YAML 1.2 would, if it does: `yes` is text to
 * YAML 1.2 and the boolean true to YAML 1.1; `0755` the number 755 and 493.
 */
export function yaml11Reason(source: string, value: number | boolean): string {
  let as12: unknown;
  try {
    as12 = parse(source);
  } catch {
    return ''; // a multi-line plain scalar read on its own: no reason rather than a crash
  }
  if (Object.is(as12, value)) return '';
  const other = typeof as12 === 'string' ? 'text' : String(as12);
  return ` (kubectl reads YAML 1.1, in which ${source} is ${named(value)}, not ${other})`;
}

/** The text of a plain (unquoted) scalar as the file writes it; undefined for any other node. */
export const plainText = (node: Node | undefined): string | undefined =>
  isScalar(node) && node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : undefined;

/**
 * The sentence for a number or boolean where `owner` wants a string, or a string where it wants
 * a number or a boolean; undefined for any other issue (zod's sentence is kept). `wants` lists the
 * JSON types for which the file's owner refuses another type (a CRD accepts `minimum: "1"`).
 */
export function describeWrongType(doc: Pick<SourceDocument, 'value' | 'node'>, owner: string, wants: readonly Json[] = ['string', 'number', 'boolean']): DescribeIssue {
  return (issue) =>
    issue.code === 'invalid_type' && (wants as readonly string[]).includes(issue.expected) ? wrongTypeAt(doc, owner, issue.path, issue.expected as Json) : undefined;
}

/** The same sentence for the value at `path`, where `owner` wants `expected`; undefined when the value is of that type or no scalar. */
export function wrongTypeAt(doc: Pick<SourceDocument, 'value' | 'node'>, owner: string, path: readonly PropertyKey[], expected: Json): string | undefined {
  const value = valueAt(doc.value, path);
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  if (typeof value === expected) return undefined;
  const at = nodeAt(doc.node, path);
  const source = plainText(at.node);
  const last = path.at(-1);
  const written = typeof last === 'string' ? (at.key ?? last) : undefined;
  const key = written === undefined ? '' : `${written}: `;
  const twice = at.twice && written !== undefined ? ` (${written} is written twice in its map; kubectl keeps the last)` : '';
  if (isQuantity(path) && typeof value === 'boolean') {
    // the API server: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    const reason = source === undefined ? '' : yaml11Reason(source, value);
    return `is ${named(value)}${twice} where ${owner} wants a quantity${reason}, so kubectl apply refuses it; write a quantity: a number, or a string such as "500m" or "1Gi"`;
  }
  const refused = `is ${named(value)}${twice} where ${owner} wants a ${expected}`;
  if (expected === 'string' && typeof value !== 'string') {
    const text = source ?? String(value);
    return `${refused}${source === undefined ? '' : yaml11Reason(source, value)}, so kubectl apply refuses it; quote it: ${key}${JSON.stringify(text)}`;
  }
  const fix =
    expected === 'number'
      ? typeof value === 'string' && /^(?:0|-?[1-9][0-9]*)$/.test(value)
        ? `write it without quotes: ${key}${value}`
        : 'write a number'
      : value === 'true' || value === 'false'
        ? `write it without quotes: ${key}${value}`
        : 'write true or false';
  const reason = source !== undefined && typeof value !== 'string' ? yaml11Reason(source, value) : '';
  return `${refused}${reason}, so kubectl apply refuses it; ${fix}`;
}
