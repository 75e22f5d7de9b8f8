// Compile a key's declared type to a zod schema once (cached per declaration) and check values
// with it. Each problem is a phrase about the value ("is not an integer", "is above the maximum
// 500"); the caller puts the key, the value seen (masked if secret) and the schema in front.
// Never throws on any input string: a value is a report, not an exception.
import type { Document } from 'yaml';
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
import { CIRCULAR_YAML, type JsonProblem, type JsonSchema, isCircular, validateJson } from './json-schema.js';
import { nestedDeeperThan, TOO_DEEP, tokensNestedDeeperThan } from './nesting.js';
import { type Divergence, type Divergences, divergencesOf, explain, mayReadDifferently, parseYamlDocument, type YamlVersion, yamlTokens } from './yaml11.js';

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
    case 'yaml':
      return yamlProblems(spec, value, key);
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
  const version = spec.format === 'yaml' ? spec.yamlVersion : '1.2';
  const split = splitList(value, spec.format, version === '1.1' ? '1.1' : '1.2');
  if (!split.ok) return [split.reason];
  const out: string[] = [];
  const n = split.items.length;
  const items = `${n} item${n === 1 ? '' : 's'}`;
  if (spec.minItems !== undefined && n < spec.minItems) out.push(`has ${items}, fewer than ${spec.minItems}`);
  if (spec.maxItems !== undefined && n > spec.maxItems) out.push(`has ${items}, more than ${spec.maxItems}`);
  // Items YAML 1.1 reads otherwise (`- on` is true), by position; only typed items can break.
  const divergent = spec.items && version !== '1.2' && mayReadDifferently(value) ? itemDivergences(value) : undefined;
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
    // json format: an item of the wrong JSON type is told as such (its text is not checked).
    const typed = split.json && jsonItemTypeProblem(itemSpec, split.json[i], showValue(key, item), () => problemsOf(itemSpec, item, key).length === 0);
    const d = divergent?.get(`[${i}]`);
    let problems = typed === undefined ? problemsOf(itemSpec, item, key) : [typed];
    let shown: (p: string) => string = typed === undefined ? (p) => `has item ${i + 1} ${showValue(key, item)} that ${p}` : (p) => `has item ${i + 1}${p}`;
    // Unset, the YAML 1.2 reading's problems come first; with yamlVersion 1.1 that reading is not the app's.
    if (d && (version === '1.1' || problems.length === 0)) {
      problems = itemProblems11(itemSpec, d, key);
      const masked = looksSecret(key);
      const { reading, fix } = explain(d, masked, itemSpec.type === 'string' || itemSpec.type === 'enum');
      shown = (p) => `has item ${i + 1} ${showValue(key, d.text, masked)}, ${reading}, so it ${p}${fix}`;
    }
    if (problems.length === 0) return;
    if (out.length >= ITEM_PROBLEMS_SHOWN) more++;
    else for (const p of problems) out.push(shown(p));
  });
  if (more > 0) out.push(`has ${more} more item${more === 1 ? '' : 's'} with problems`);
  return out;
}

/** Scalars of a yaml list that YAML 1.1 reads otherwise, by path (`[0]`); none when 1.1 cannot parse it. */
function itemDivergences(value: string): ReadonlyMap<string, Divergence> {
  try {
    return divergencesOf(parseYamlDocument(value, '1.1')).values;
  } catch {
    return new Map();
  }
}

/**
 * Problems of a list item as YAML 1.1 reads it. An item of a string or enum list that 1.1 reads
 * as a boolean or a number is not text to the app, whatever text it would print as (`- on` is
 * True to PyYAML, not "on", and str(True) is "True").
 */
function itemProblems11(items: ItemSpec, d: Divergence, key: string): string[] {
  if ((items.type === 'string' || items.type === 'enum') && typeof d.as11 !== 'string') return ['is not text'];
  const text = typeof d.as11 === 'string' ? d.as11 : typeof d.as11 === 'number' || typeof d.as11 === 'boolean' ? String(d.as11) : d.text;
  return problemsOf(items, text, key);
}

/** A yaml value read as `version`: its document and its data, or why it cannot be read. */
type YamlReading = { ok: true; doc: Document.Parsed; data: unknown } | { ok: false; problems: string[] };

function readYaml(value: string, version: YamlVersion, key: string): YamlReading {
  let doc: Document.Parsed;
  let data: unknown;
  try {
    doc = parseYamlDocument(value, version);
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    if ((err as { code?: string }).code === 'MULTIPLE_DOCS') return { ok: false, problems: ['holds several YAML documents (---); expected one'] };
    // linePos is only set with prettyErrors, which adds a multi-line excerpt; count lines from pos instead
    const offset = (err as { pos?: number[] }).pos?.[0];
    const line = offset === undefined ? undefined : value.slice(0, offset).split('\n').length;
    return { ok: false, problems: [`is not valid YAML${parserSaid(key, `${line ? `line ${line}: ` : ''}${(err as Error).message.split('\n')[0]}`)}`] };
  }
  if (isCircular(data)) return { ok: false, problems: [CIRCULAR_YAML] };
  if (nestedDeeperThan(data)) return { ok: false, problems: [TOO_DEEP] };
  return { ok: true, doc, data };
}

/**
 * A yaml value against its schema, as the application may read it. yamlVersion "1.2" or "1.1":
 * as that version reads it. Unset: as YAML 1.2 reads it, and also as YAML 1.1 parsers do, because
 * the schema does not say which one the app uses and both are common (PyYAML, SnakeYAML and
 * go-yaml v2 are 1.1); a problem only the 1.1 reading has is reported with the scalar that causes
 * it, and the 1.1 parse is skipped unless the value holds something 1.1 may read otherwise.
 */
function yamlProblems(spec: Extract<KeySpec, { type: 'yaml' }>, value: string, key: string): string[] {
  if (tokensNestedDeeperThan(yamlTokens(value))) return [TOO_DEEP];
  const version = spec.yamlVersion;
  const primary = readYaml(value, version === '1.1' ? '1.1' : '1.2', key);
  if (!primary.ok) return primary.problems;
  if (!spec.schema) return [];
  const problems = validateJson(spec.schema, primary.data);
  if (version === '1.1') {
    const d = divergencesOf(primary.doc);
    const told = new Set<Divergence>();
    const out: string[] = [];
    for (const p of problems.slice(0, DOCUMENT_PROBLEMS_SHOWN)) {
      const message = problem11(p, d, key, told);
      if (message !== null) out.push(message ?? documentProblem(p));
    }
    return out;
  }
  const out = problems.map(documentProblem);
  if (version === undefined && out.length < DOCUMENT_PROBLEMS_SHOWN && mayReadDifferently(value)) {
    const other = readYaml(value, '1.1', key);
    // A value only YAML 1.1 cannot read (a key that 1.1 reads as a duplicate, `yes:` and `Yes:`) is left to the app.
    if (other.ok) {
      const seen = new Set(problems.map((p) => `${p.path}\0${p.message}`));
      const d = divergencesOf(other.doc);
      const told = new Set<Divergence>();
      // A problem of the 1.1 reading that no scalar of the table explains is not reported: it
      // would be yaml's own 1.1 quirk (`2024-1-1` is a date to it, text to PyYAML), not the app's.
      for (const p of validateJson(spec.schema, other.data)) {
        const message = seen.has(`${p.path}\0${p.message}`) ? undefined : problem11(p, d, key, told);
        if (message) out.push(message);
      }
    }
  }
  return out.slice(0, DOCUMENT_PROBLEMS_SHOWN);
}

/** Problems of a list value described one by one; items with problems after these are counted. */
export const ITEM_PROBLEMS_SHOWN = 10;

/** Problems of a json or yaml document shown per value; the rest add nothing a person would read. */
const DOCUMENT_PROBLEMS_SHOWN = 10;

function documentProblems(schema: JsonSchema | undefined, doc: unknown): string[] {
  if (!schema) return [];
  return validateJson(schema, doc).slice(0, DOCUMENT_PROBLEMS_SHOWN).map(documentProblem);
}

const documentProblem = (p: JsonProblem): string => (p.missing ? `is missing ${p.path}, which is required` : p.path ? `has ${p.path} that ${p.message}` : p.message);

/**
 * A problem of a YAML 1.1 reading told with the scalar that 1.1 reads otherwise (a value, or a
 * mapping key for a missing or unexpected property); undefined when no such scalar is at its path,
 * null when its key was told already.
 * Under a secret-looking key or field, neither the scalar nor its readings are shown.
 */
function problem11(p: JsonProblem, d: Divergences, key: string, told: Set<Divergence>): string | undefined | null {
  const masked = looksSecret(key) || looksSecret(p.path);
  if (p.missing || p.unexpected) {
    const k = d.keys.get(p.path);
    // `on:` for a required `on` is both missing and, as true, not allowed: one problem, told once
    if (!k) return undefined;
    if (told.has(k)) return null;
    told.add(k);
    const { reading, fix } = explain(k, masked, true);
    return `has key ${showValue(key, k.text, masked)}${k.parent ? ` in ${k.parent}` : ''}, ${reading}, so the document ${documentProblem(p)}${fix}`;
  }
  const v = d.values.get(p.path);
  if (!v) return undefined;
  const { reading, fix } = explain(v, masked, /expected (?:\w+ or )*string$/.test(p.message));
  // "is 8, below the minimum 9" shows the reading; masked, only the bound
  const message = masked ? p.message.replace(/^is [^,]*, (below|above) /, 'is $1 ') : p.message;
  return `${p.path ? `has ${p.path}` : 'is'} ${showValue(key, v.text, masked)}, ${reading}, so it ${message}${fix}`;
}

const characters = (n: number) => `${n} character${n === 1 ? '' : 's'}`;
