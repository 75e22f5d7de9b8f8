// metadata.managedFields of the reviewed objects, left out of JSON.parse.
//
// The API server sends every object with its managedFields: one entry per field manager, each a
// tree of every field it set (`{"f:spec":{"f:template":{…}}}`). No policy reads them, yet they are
// a third of a Deployment's review (7.8 of 22.5 KB in the one kube-apiserver 1.37 sent for
// kubectl apply, bench/reviews) and half the time JSON.parse takes over it, one small object per
// field (measured: 32 of 65 µs).
//
// So the array value of each key named managedFields is cut from the text and a placeholder
// string put in its place; JSON.parse builds the rest. Where a cut landed is then checked on the
// parsed body: every placeholder must be the managedFields of request.object.metadata or
// request.oldObject.metadata, where it becomes `[]`. Otherwise (a key named managedFields anywhere
// else, such as a ConfigSchema setting; a duplicate key; a body that is not JSON) the text is
// parsed whole, as before, and JSON.parse judges it. Not checked: what lies inside a cut array
// beyond its strings and brackets (see arrayEnd).
import { randomBytes } from 'node:crypto';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, OPEN_BRACE, OPEN_BRACKET, QUOTE, stringEnd } from './json-text.js';

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

const KEY = '"managedFields":';

/**
 * The placeholder: random per process and never shown, so a body cannot hold it (a body that put
 * it where a cut is expected could otherwise pass a cut made elsewhere for one made there).
 */
const PLACEHOLDER = `rollsafe-managed-fields-${randomBytes(16).toString('hex')}`;
const PLACEHOLDER_JSON = `"${PLACEHOLDER}"`;

/**
 * Where the array that opens at `open` ends (the index after the `]` that closes it), or -1 when
 * it does not, or a bracket closes one of the other kind (`[}`), so that an invalid body cannot
 * move where the cut ends. Strings are jumped over (stringEnd). What lies between the brackets is
 * not checked further (`[1 2]`, a raw control character in a string): such a fault inside a cut
 * array goes undetected.
 */
function arrayEnd(text: string, open: number): number {
  const n = text.length;
  // The closing bracket each open one expects, innermost last.
  const closers: number[] = [];
  for (let i = open; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i === -1) return -1;
    } else if (c === OPEN_BRACE) {
      closers.push(CLOSE_BRACE);
    } else if (c === OPEN_BRACKET) {
      closers.push(CLOSE_BRACKET);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (closers.pop() !== c) return -1;
      if (closers.length === 0) return i + 1;
    }
  }
  return -1;
}

const isSpace = (c: number) => c === SPACE || c === TAB || c === LF || c === CR;

/** Metadata of a request's object, when the parsed body has it. */
function metadataOf(request: unknown, key: 'object' | 'oldObject'): Record<string, unknown> | undefined {
  const o = (request as Record<string, unknown>)[key];
  if (typeof o !== 'object' || o === null) return undefined;
  const m = (o as Record<string, unknown>).metadata;
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : undefined;
}

/**
 * JSON.parse of a review body, with the managedFields of request.object.metadata and
 * request.oldObject.metadata read as `[]` without being built. For every valid JSON text, the
 * same value as JSON.parse otherwise; an invalid one gets JSON.parse's error, unless its only
 * fault is inside a cut array (see arrayEnd). The API server sends JSON encoded by Go, and a
 * client that sends anything else changes only the answer to its own request.
 */
export function parseWithoutManagedFields(text: string): unknown {
  let at = text.indexOf(KEY);
  if (at === -1) return JSON.parse(text);
  let cut = '';
  let from = 0;
  let cuts = 0;
  while (at !== -1) {
    // A key: `"managedFields":` cannot be inside a string (its quotes would be escaped), but it can
    // end a longer key (`"x\"managedFields":`); an escaped opening quote is skipped. The value
    // after the colon (and any spaces) must be an array.
    let v = at + KEY.length;
    while (v < text.length && isSpace(text.charCodeAt(v))) v++;
    if (text.charCodeAt(at - 1) !== BACKSLASH && text.charCodeAt(v) === OPEN_BRACKET) {
      const end = arrayEnd(text, v);
      if (end === -1) return JSON.parse(text);
      cut += text.slice(from, v) + PLACEHOLDER_JSON;
      from = end;
      cuts++;
      at = text.indexOf(KEY, end);
    } else {
      at = text.indexOf(KEY, at + KEY.length);
    }
  }
  if (cuts === 0) return JSON.parse(text);
  let body: unknown;
  try {
    body = JSON.parse(cut + text.slice(from));
  } catch {
    return JSON.parse(text);
  }
  const request = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).request : undefined;
  if (typeof request !== 'object' || request === null) return JSON.parse(text);
  const metadata = [metadataOf(request, 'object'), metadataOf(request, 'oldObject')].filter((m): m is Record<string, unknown> => m?.managedFields === PLACEHOLDER);
  // Each cut left one placeholder; all of them must be where one is expected.
  if (metadata.length !== cuts) return JSON.parse(text);
  for (const m of metadata) m.managedFields = [];
  return body;
}
