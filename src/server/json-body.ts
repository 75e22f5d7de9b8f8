// The JSON body parser of /validate. JSON.parse builds every value of a body at once, and a value
// can cost 20 to 30 times its bytes: 7 MiB of `[{},{},…]`, `[[[…]]]` or `{"a":0,"b":0,…}` (within
// the body limit) made about 2.4 million objects and killed the process inside JSON.parse
// ("JavaScript heap out of memory" with the heap a 256 MiB pod gets), one request on its own.
// So a body is refused before parsing when it holds more than MAX_JSON_VALUES values.

import { COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, stringEnd } from './json-text.js';
import { parseWithoutManagedFields } from './managed-fields.js';

/**
 * Values (objects, arrays, array elements and object members) a body may hold: object and old
 * object of a real review hold a few thousand at most (a ConfigMap of 3 MiB is a few large
 * strings). 250,000 of the costliest kind (`{}`, 64 bytes each once parsed) take about 16 MB.
 */
export const MAX_JSON_VALUES = 250_000;


/**
 * An upper bound of the values in a JSON text: `{`, `[` and `,` outside strings. Stops counting
 * past `limit`. Not a validator: JSON.parse still judges the text.
 */
export function countJsonValues(text: string, limit: number): number {
  let count = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i === -1) return count;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET || c === COMMA) {
      if (++count > limit) return count;
    }
  }
  return count;
}

/** Thrown for a body over MAX_JSON_VALUES; /validate answers 413 with its message. */
export class TooManyJsonValues extends Error {
  override name = 'TooManyJsonValues';
  readonly statusCode = 413;
  readonly code = 'ROLLSAFE_TOO_MANY_JSON_VALUES';
  constructor() {
    super(`body holds more than ${MAX_JSON_VALUES} JSON values (objects, arrays, elements, members): a review's object and old object hold a few thousand; parsing more could exhaust the webhook's memory`);
  }
}

/**
 * Parse a body as fastify's JSON parser does (same errors for an empty or invalid body), but count
 * its values first when it is long enough to hold too many: a text of at most MAX_JSON_VALUES
 * characters cannot, so a review of normal size is parsed with no scan. The managedFields of the
 * reviewed objects are read as `[]` without being built (managed-fields.ts).
 */
export function parseJsonBody(text: string): unknown {
  if (text.length > MAX_JSON_VALUES && countJsonValues(text, MAX_JSON_VALUES) > MAX_JSON_VALUES) throw new TooManyJsonValues();
  return parseWithoutManagedFields(text);
}
