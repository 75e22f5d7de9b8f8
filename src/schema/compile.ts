// Compile a key's declared type to a zod schema once (cached per declaration) and check values
// with it. Each problem is a phrase about the value ("is not an integer", "is above the maximum
// 500"); the caller puts the key, the value seen (masked if secret) and the schema in front.
// Never throws on any input string: a value is a report, not an exception.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ItemSpec, KeySpec } from './document.js';
import { checkEndpoint, checkUrl } from './formats/addresses.js';
import { parseDuration } from './formats/duration.js';
import { jsonItemTypeProblem } from './formats/json-items.js';
import { splitList } from './formats/list.js';
import { checkBoolean, checkInteger, checkNumber, checkPort } from './formats/numbers.js';
import { parseQuantity } from './formats/quantity.js';
import { looksSecret, showValue } from '../engine/mask.js';
import { patternProblem } from './regex.js';
import { CIRCULAR_YAML, type JsonSchema, isCircular, validateJson } from './json-schema.js';
import { nestedDeeperThan, TOO_DEEP, yamlNestedDeeperThan } from './nesting.js';

const cache = new WeakMap<object, Map<string, z.ZodType<string, string>>>();

/**
 * The zod schema of a declared type: parses a string, with our phrases as issue messages. `key`
 * is the name the value has (a ConfigMap key, an env var): parts of the value quoted in a phrase
 * (list items, parser messages) are masked by it as showValue masks the whole value.
 */
export function compileKey(spec: KeySpec | ItemSpec, key = ''): z.ZodType<string, string> {
  let byKey = cache.get(spec);
  if (!byKey) cache.set(spec, (byKey = new Map()));
  let schema = byKey.get(key);
  if (!schema) {
    schema = z.string().superRefine((value, ctx) => {
      for (const message of problemsOf(spec, value, key)) ctx.addIssue({ code: 'custom', message });
    });
    byKey.set(key, schema);
  }
  return schema;
}

/** Problems of one value (named `key`) against its declared type; empty when it is valid. */
export function checkValue(spec: KeySpec | ItemSpec, value: string, key = ''): string[] {
  const r = compileKey(spec, key).safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

/**
 * A parser's message, without any of the value it quotes: V8's JSON.parse repeats the start of
 * the input (`Unexpected token 'h', "{"password": hunter2}" is not valid JSON`), which showValue
 * has already shown, masked. Nothing at all for a secret-looking key.
 */
function parserSaid(key: string, message: string): string {
  if (looksSecret(key)) return '';
  const own = message.endsWith(' is not valid JSON') ? (/^(.*?), (?:\.\.\.)?"/.exec(message)?.[1] ?? '') : message;
  return own === '' ? '' : ` (${own})`;
}

function problemsOf(spec: KeySpec | ItemSpec, value: string, key = ''): string[] {
  switch (spec.type) {
    case 'string': {
      const out: string[] = [];
      const length = [...value].length;
      if (spec.minLength !== undefined && length < spec.minLength) out.push(`is ${characters(length)}, shorter than ${spec.minLength}`);
      if (spec.maxLength !== undefined && length > spec.maxLength) out.push(`is ${characters(length)}, longer than ${spec.maxLength}`);
      const mismatch = spec.pattern === undefined ? undefined : patternProblem(spec.pattern, value, spec);
      if (mismatch) out.push(mismatch);
      return out;
    }
    case 'integer':
      return checkInteger(value, spec);
    case 'number':
      return checkNumber(value, spec);
    case 'boolean':
      return checkBoolean(value);
    case 'port':
      return checkPort(value);
    case 'duration':
      // Go's time.ParseDuration refuses " 5s"; say so rather than "is not a duration".
      if (value.trim() !== value) return ['has leading or trailing spaces'];
      return ranged(parseDuration(value), (r) => r.ms, parseDuration, spec, 'a duration (e.g. 300ms, 5s, 1h30m)');
    case 'quantity':
      return ranged(parseQuantity(value), (r) => r.value, parseQuantity, spec, 'a Kubernetes quantity (e.g. 500m, 1Gi)');
    case 'url':
      return checkUrl(value, spec);
    case 'endpoint':
      return checkEndpoint(value, spec);
    case 'enum': {
      if (spec.values.includes(value)) return [];
      const near = spec.values.find((v) => v.toLowerCase() === value.trim().toLowerCase());
      return [`is not one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`];
    }
    case 'list':
      return listProblems(spec, value, key);
    case 'json': {
      let doc: unknown;
      try {
        doc = JSON.parse(value);
      } catch (err) {
        return [`is not valid JSON${parserSaid(key, (err as Error).message)}`];
      }
      if (nestedDeeperThan(doc)) return [TOO_DEEP];
      return documentProblems(spec.schema, doc);
    }
    case 'yaml': {
      if (yamlNestedDeeperThan(value)) return [TOO_DEEP];
      let doc: unknown;
      try {
        // logLevel 'error': a YAML warning (an unresolved tag) is about the value, not for the process's stderr
        doc = parseYaml(value, { prettyErrors: false, maxAliasCount: 100, logLevel: 'error' });
      } catch (err) {
        if ((err as { code?: string }).code === 'MULTIPLE_DOCS') return ['holds several YAML documents (---); expected one'];
        // linePos is only set with prettyErrors, which adds a multi-line excerpt; count lines from pos instead
        const offset = (err as { pos?: number[] }).pos?.[0];
        const line = offset === undefined ? undefined : value.slice(0, offset).split('\n').length;
        return [`is not valid YAML${parserSaid(key, `${line ? `line ${line}: ` : ''}${(err as Error).message.split('\n')[0]}`)}`];
      }
      if (isCircular(doc)) return [CIRCULAR_YAML];
      if (nestedDeeperThan(doc)) return [TOO_DEEP];
      return documentProblems(spec.schema, doc);
    }
  }
}

type Parsed<T> = ({ ok: true } & T) | { ok: false; reason: string };

function ranged<T>(
  parsed: Parsed<T>,
  amount: (r: T) => number,
  parseBound: (s: string) => Parsed<T>,
  spec: { minimum?: string | undefined; maximum?: string | undefined },
  what: string,
): string[] {
  if (!parsed.ok) return [parsed.reason.startsWith('is') || parsed.reason.startsWith('has') ? parsed.reason : `is not ${what}`];
  const n = amount(parsed);
  const out: string[] = [];
  const bound = (s: string | undefined) => {
    if (s === undefined) return undefined;
    const b = parseBound(s);
    return b.ok ? amount(b) : undefined;
  };
  const min = bound(spec.minimum);
  const max = bound(spec.maximum);
  if (min !== undefined && n < min) out.push(`is below the minimum ${spec.minimum}`);
  if (max !== undefined && n > max) out.push(`is above the maximum ${spec.maximum}`);
  return out;
}

function listProblems(spec: Extract<KeySpec, { type: 'list' }>, value: string, key: string): string[] {
  const split = splitList(value, spec.format);
  if (!split.ok) return [split.reason];
  const out: string[] = [];
  const n = split.items.length;
  const items = `${n} item${n === 1 ? '' : 's'}`;
  if (spec.minItems !== undefined && n < spec.minItems) out.push(`has ${items}, fewer than ${spec.minItems}`);
  if (spec.maxItems !== undefined && n > spec.maxItems) out.push(`has ${items}, more than ${spec.maxItems}`);
  // Items with problems past the first few are counted, not described: a value of 500,000 commas
  // made a deny message of megabytes (and took 3 s to build).
  let more = 0;
  split.items.forEach((item, i) => {
    if (item === '') {
      if (out.length >= ITEM_PROBLEMS_SHOWN) more++;
      else out.push(`has an empty item ${i + 1}${spec.format === 'csv' && i === n - 1 ? ' (a trailing comma?)' : ''}`);
      return;
    }
    if (!spec.items) return;
    const itemSpec = spec.items;
    const typed = split.json && jsonItemTypeProblem(itemSpec, split.json[i], showValue(key, item), () => problemsOf(itemSpec, item, key).length === 0);
    const problems = typed === undefined ? problemsOf(itemSpec, item, key) : [];
    if (typed === undefined && problems.length === 0) return;
    if (out.length >= ITEM_PROBLEMS_SHOWN) more++;
    else if (typed !== undefined) out.push(`has item ${i + 1}${typed}`);
    else for (const p of problems) out.push(`has item ${i + 1} ${showValue(key, item)} that ${p}`);
  });
  if (more > 0) out.push(`has ${more} more item${more === 1 ? '' : 's'} with problems`);
  return out;
}

/** Problems of a list value described one by one; items with problems after these are counted. */
export const ITEM_PROBLEMS_SHOWN = 10;

function documentProblems(schema: JsonSchema | undefined, doc: unknown): string[] {
  if (!schema) return [];
  return validateJson(schema, doc)
    .slice(0, 10)
    .map((p) => (p.missing ? `is missing ${p.path}, which is required` : p.path ? `has ${p.path} that ${p.message}` : p.message));
}

const characters = (n: number) => `${n} character${n === 1 ? '' : 's'}`;
