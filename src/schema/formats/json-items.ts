// The JSON type an item of a `format: json` list must have for its declared item type. A JSON
// decoder reads `["8080"]` as strings and `[8080]` as numbers: a Go `[]int` refuses the first
// ("cannot unmarshal string into Go value of type int"), a `[]string` the second, and JSON Schema
// (`type: integer`) agrees. Checking the items as text alone let `["1","2"]` pass as integers.
import type { ItemSpec } from '../document.js';

type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'object';
}

/** JSON types each item type accepts; a quantity may be a number, as Kubernetes' own Quantity reads it. */
const ACCEPTED: Record<ItemSpec['type'], readonly JsonType[]> = {
  string: ['string'],
  integer: ['number'],
  number: ['number'],
  port: ['number'],
  boolean: ['boolean'],
  duration: ['string'],
  quantity: ['string', 'number'],
  url: ['string'],
  endpoint: ['string'],
  enum: ['string'],
};

const NAMES: Record<JsonType, string> = {
  string: 'JSON string',
  number: 'JSON number',
  boolean: 'JSON boolean',
  object: 'a JSON object',
  array: 'a JSON array',
  null: 'null',
};

/**
 * What is wrong with an item of the wrong JSON type, after "has item N": `, the JSON string "8080",
 * where a number is expected (write it without quotes)`; undefined when its type is right (its text
 * is checked next). `shown` is the item's text as a message may show it (masked for a secret key);
 * `textPasses` says whether that text passes the item type, to suggest the quoting fix only when
 * it is the fix.
 */
export function jsonItemTypeProblem(spec: ItemSpec, item: unknown, shown: string, textPasses: () => boolean): string | undefined {
  const seen = jsonType(item);
  // null is an empty item, reported as such by the list check.
  if (seen === 'null' || ACCEPTED[spec.type].includes(seen)) return undefined;
  const wantsString = ACCEPTED[spec.type].includes('string');
  const wanted = spec.type === 'quantity' ? 'a string or a number' : wantsString ? 'a string' : spec.type === 'boolean' ? 'true or false' : 'a number';
  const fix = seen === 'string' ? ' (write it without quotes)' : wantsString && (seen === 'number' || seen === 'boolean') ? ' (quote it)' : '';
  // A number or boolean is shown as JSON writes it, without the quotes a string has.
  const what = seen === 'object' || seen === 'array' ? NAMES[seen] : `the ${NAMES[seen]} ${seen === 'string' || shown.includes('<masked>') ? shown : shown.slice(1, -1)}`;
  return `, ${what}, where ${wanted} is expected${fix && textPasses() ? fix : ''}`;
}
