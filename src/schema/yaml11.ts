// YAML 1.1 readings of a value. Rollsafe reads YAML as 1.2 (core schema), but many applications
// read it with YAML 1.1 parsers, which resolve some plain scalars otherwise: to PyYAML `NO` is the
// boolean false (the "Norway problem"), `010` is 8, `1:20` is 80, `2024-01-01` a date. A value
// the schema accepts as 1.2 can then be one the application reads as something else. This module
// parses a value as YAML 1.1 and finds the scalars read differently, with the parsers that do.
import { Composer, type CST, type Document, isMap, isScalar, isSeq, Parser, type Scalar, YAMLParseError } from 'yaml';
import { joinPath } from './json-schema.js';

export type YamlVersion = '1.1' | '1.2';

/**
 * The forms of plain scalar that YAML 1.1 parsers read otherwise than YAML 1.2 core, each with
 * the parsers that do, as verified (PyYAML 6.0.3 and go-yaml v2.4 / v3.0 run, SnakeYAML read in
 * its Resolver): y/n are booleans only to go-yaml v2; Go's ParseInt reads 010, 0b101 and 1_000
 * but not 1:20; PyYAML and SnakeYAML read `0o10` as text. go-yaml reads these as booleans only
 * into an untyped value (interface{}, map[string]interface{}); into a `string` field it keeps
 * the text. First match wins: `1_0:20` is sexagesimal, not only a number with an underscore.
 */
const FORMS: readonly { readonly form: RegExp; readonly readers: string }[] = [
  { form: /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/, readers: 'PyYAML, SnakeYAML and go-yaml v2' },
  { form: /^[yYnN]$/, readers: 'go-yaml v2' },
  { form: /^[-+]?(?:[1-9][0-9_]*(?::[0-5]?[0-9])+|[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)$/, readers: 'PyYAML and SnakeYAML' },
  { form: /^[-+]?0b[01_]+$/, readers: 'PyYAML, SnakeYAML, go-yaml v2 and v3' },
  { form: /^[-+]?0[0-7_]+$/, readers: 'PyYAML, SnakeYAML, go-yaml v2 and v3' },
  { form: /^0o[0-7]+$/, readers: 'PyYAML and SnakeYAML' },
  {
    form: /^(?=.*_)[-+]?(?:0x[0-9a-fA-F_]+|[1-9][0-9_]*|[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$/,
    readers: 'PyYAML, SnakeYAML, go-yaml v2 and v3',
  },
  // PyYAML's and SnakeYAML's timestamp pattern (go-yaml v3 also reads these as time.Time)
  {
    form: /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
    readers: 'PyYAML, SnakeYAML and go-yaml v3',
  },
];

/**
 * Could the text hold a scalar of FORMS? A cheap over-approximation (a word such as `no` or `on`,
 * a number with a leading zero, `0b`, `0o`, an underscore, a colon or a date), so a value without
 * one is not parsed a second time. It must never miss: a missed scalar is a missed finding.
 */
const MAYBE_11 =
  /(?<![\w-])(?:[yYnN]|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)(?![\w-])|(?<![\w.])0[0-7bo]|[0-9.]_|(?<![\w.])0[xX][0-9a-fA-F]*_|[0-9]:|[0-9]{4}-[0-9]/;

export const mayReadDifferently = (text: string): boolean => MAYBE_11.test(text);

/** A plain scalar that YAML 1.1 parsers read otherwise than YAML 1.2. */
export interface Divergence {
  /** as written */
  readonly text: string;
  readonly as11: unknown;
  readonly as12: unknown;
  /** the parsers that read it as `as11` */
  readonly readers: string;
}

/** Divergent scalars by the path problems name them with (json-schema.ts joinPath). */
export interface Divergences {
  readonly values: ReadonlyMap<string, Divergence>;
  /** Mapping keys, by the path of the key as YAML 1.1 reads it and as YAML 1.2 reads it. */
  readonly keys: ReadonlyMap<string, Divergence & { readonly parent: string }>;
}

/**
 * The YAML 1.2 core reading of a scalar of FORMS: of the core schema's patterns only the integer
 * ones can match them (decimal `010` is 10, `0o10` is 8); anything else is text.
 */
function read12(text: string): unknown {
  if (/^[-+]?[0-9]+$/.test(text)) return Number.parseInt(text, 10);
  if (/^0o[0-7]+$/.test(text)) return Number.parseInt(text.slice(2), 8);
  return text;
}

const sameReading = (a: unknown, b: unknown) => Object.is(a, b);

function divergence(node: Scalar): Divergence | undefined {
  // A quoted or tagged scalar (`"NO"`, `!!str NO`) reads the same to every parser.
  if (node.type !== 'PLAIN' || node.tag !== undefined || typeof node.source !== 'string') return undefined;
  const text = node.source;
  const form = FORMS.find((f) => f.form.test(text));
  if (!form) return undefined;
  const as12 = read12(text);
  return sameReading(node.value, as12) ? undefined : { text, as11: node.value, as12, readers: form.readers };
}

/** A mapping key as yaml's toJS names it in a plain object. */
const jsKey = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/**
 * Every scalar of a YAML 1.1 document that YAML 1.2 reads otherwise, found without recursion
 * (the document's nesting is bounded by tokensNestedDeeperThan before it is parsed). Aliases are
 * not followed: their anchors are found where they are defined.
 */
export function divergencesOf(doc: Document.Parsed): Divergences {
  const values = new Map<string, Divergence>();
  const keys = new Map<string, Divergence & { parent: string }>();
  const stack: { node: unknown; path: string }[] = [{ node: doc.contents, path: '' }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { node, path } = next;
    if (isScalar(node)) {
      const d = divergence(node);
      if (d) values.set(path, d);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: joinPath(path, i) }));
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const name = jsKey(pair.key.value);
        const d = divergence(pair.key);
        if (d) {
          // "is not an allowed property" names the key as 1.1 reads it, "is missing" as 1.2 does
          const k = { ...d, parent: path };
          keys.set(joinPath(path, name), k);
          keys.set(joinPath(path, jsKey(d.as12)), k);
        }
        stack.push({ node: pair.value, path: joinPath(path, name) });
      }
    }
  }
  return { values, keys };
}

/**
 * Options of yaml's parser for a reading: merge keys (`<<: *defaults`) on in both, since PyYAML,
 * SnakeYAML and go-yaml all apply them, and yaml applies them to 1.1 only by default. Off in the
 * 1.2 reading, `<<` was an ordinary key: a schema with `additionalProperties: false` refused it,
 * and a required field given by the merge was missing.
 */
const READ_OPTIONS = { '1.1': { version: '1.1', merge: true }, '1.2': { merge: true } } as const;

let lastText: string | undefined;
let lastTokens: readonly CST.Token[] = [];

/**
 * The CST of a YAML text. Reading it is most of a parse (70 ms of 100 for 48 KB), and one value
 * needs it up to three times: the nesting check and the YAML 1.2 and 1.1 readings compose from
 * the same tokens (Composer only reads them). The last text's tokens are kept for the next call.
 */
export function yamlTokens(text: string): readonly CST.Token[] {
  if (text !== lastText) {
    lastTokens = [...new Parser().parse(text)];
    lastText = text;
  }
  return lastTokens;
}

/**
 * One YAML document as `version` reads it, as yaml's parseDocument would compose it (without
 * prettyErrors; errors and warnings stay on the document); throws its first error, and a
 * MULTIPLE_DOCS error for a second document, as yaml's parse does.
 */
export function parseYamlDocument(text: string, version: YamlVersion): Document.Parsed {
  // logLevel 'error': a YAML warning (an unresolved tag) is about the value, not for the process's stderr
  const composer = new Composer({ prettyErrors: false, logLevel: 'error', ...READ_OPTIONS[version] });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(yamlTokens(text), true, text.length)) {
    if (doc) {
      // as yaml's parse: the first document's own error, else this one
      throw doc.errors[0] ?? new YAMLParseError(next.range.slice(0, 2) as [number, number], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()');
    }
    doc = next;
  }
  // compose always yields a document with forceDoc; an empty text is a document whose contents are null
  if (!doc) throw new YAMLParseError([0, 0], 'IMPOSSIBLE', 'no document');
  const [error] = doc.errors;
  if (error) throw error;
  return doc;
}

/** How a reading is named in a message; `masked` names its type only (the value may be a secret). */
function named(v: unknown, masked: boolean): string {
  if (typeof v === 'boolean') return masked ? 'a boolean' : `the boolean ${v}`;
  if (typeof v === 'number') return masked ? 'a number' : `the number ${v}`;
  if (v instanceof Date) return 'a date';
  if (typeof v === 'string') return masked ? 'text' : `the text ${JSON.stringify(v)}`;
  return 'another value';
}

/**
 * "which PyYAML, SnakeYAML and go-yaml v2 read as the boolean false (YAML 1.1)", and how to write
 * the scalar so that every parser reads it alike ("; quote it: "NO""), to put around the problem
 * the 1.1 reading has: `${reading}, so it is a boolean, expected string${fix}`. `text`: the schema
 * wants text there, so a number is quoted too (`010` for a string is "010", not 10).
 */
export function explain(d: Divergence, masked: boolean, text: boolean): { reading: string; fix: string } {
  const as12 = typeof d.as12 === 'number' ? `; YAML 1.2 reads ${masked ? 'another number' : d.as12}` : '';
  const reading = `which ${d.readers} read as ${named(d.as11, masked)} (YAML 1.1${as12})`;
  let fix: string;
  if (text || typeof d.as12 === 'string') fix = masked ? 'quote it' : `quote it: ${JSON.stringify(d.text)}`;
  else if (d.text.startsWith('0o')) fix = masked ? 'write it in decimal' : `write it in decimal: ${String(d.as12)}`;
  else fix = 'write it without the leading zero';
  return { reading, fix: `; ${fix}` };
}
