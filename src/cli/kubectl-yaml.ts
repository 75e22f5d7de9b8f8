// How kubectl reads a manifest's YAML, so that `rollsafe check` reads the same values kubectl sends.
// kubectl (and Helm, and Argo CD) turn YAML into JSON with sigs.k8s.io/yaml, which parses it with
// go-yaml v2 into untyped values: YAML 1.1 scalars, resolved by go-yaml's own rules (resolve.go).
// yaml's `version: '1.1'` schema resolves booleans and nulls the same way, but not numbers and
// dates, so those are replaced here by go-yaml v2's rules. Verified against sigs.k8s.io/yaml v1.6.0
// with go.yaml.in/yaml/v2 v2.4.4 (what kubectl 1.37 is built with) and kubectl 1.37 --dry-run=server:
// - booleans: y Y yes Yes YES on On ON true True TRUE, and n N no No NO off Off OFF false False FALSE;
//   null: ~ null Null NULL and the empty value (yaml's 1.1 tags, kept);
// - integers: Go's strconv.ParseInt(text without '_', base 0): 0755 and 0o755 are 493, 0x1F 31,
//   0b101 5, 1_000 1000; beyond int64, ParseUint; then a decimal float (08 is 8, 1e3 1000); a number
//   out of range (0xFFFFFFFFFFFFFFFFF, 1e400) stays text;
// - text, unlike yaml's 1.1 schema: 1:20 (no sexagesimal numbers), 2024-01-01 (a timestamp, but
//   kept as its text in an untyped value), and ._5 (but .5_0 is 0.5: ParseFloat's underscores);
// - .inf, -.inf and .nan are read, but JSON has no such number: kubectl fails the file with
//   "error converting YAML to JSON: json: unsupported value: +Inf".
// Map keys are read the same way and then written as text: `on:` is the key "true", `010:` "8".
// An explicit tag (`!!float 2`, `!!int "3"`, `!!binary aGVsbG8=`) is go-yaml v2's resolve(tag, text):
// the text is read as above, quoted or not, and must be of the tag's type, except that !!float takes
// an integer (!!float 2 is 2, !!int 1.5 and !!int 08 fail the file: "yaml: cannot decode !!float
// `1.5` as a !!int"); !!timestamp keeps a date's text; !!binary is decoded from base64 (line breaks
// ignored) to text, "hello" for aGVsbG8=; !!str and any other tag (!foo) keep the text.
import { Scalar, type ScalarTag, type Tags } from 'yaml';

const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';
const TIMESTAMP = 'tag:yaml.org,2002:timestamp';
const BOOL = 'tag:yaml.org,2002:bool';
const NULL = 'tag:yaml.org,2002:null';
const BINARY = 'tag:yaml.org,2002:binary';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** go-yaml v2's float form, tried once the text is no integer (underscores already removed). */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's ParseInt syntax for base 0: 0x, 0b, 0o or a leading 0 (octal), or decimal. */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]?([0-7]+)|(0|[1-9][0-9]*))$/;

/** strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64) (no sign allowed), as go-yaml v2 tries them. */
function goInteger(s: string): { value: number; uint: boolean } | undefined {
  const m = GO_INT.exec(s);
  if (!m) return undefined;
  const [, sign, hex, bin, oct, dec] = m;
  const magnitude = hex !== undefined ? BigInt(`0x${hex}`) : bin !== undefined ? BigInt(`0b${bin}`) : oct !== undefined ? BigInt(`0o${oct}`) : BigInt(dec ?? '0');
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return { value: Number(value), uint: false };
  if (sign === '' && value <= UINT64_MAX) return { value: Number(value), uint: true };
  return undefined;
}

/** go-yaml v2's reading of text starting with a digit, a sign or a dot (timestamps aside). */
type GoNumeric = { readonly kind: 'int'; readonly value: number; readonly uint: boolean } | { readonly kind: 'float'; readonly value: number } | { readonly kind: 'str' };

function goNumeric(text: string): GoNumeric {
  if (text.startsWith('.')) {
    // strconv.ParseFloat on the text as written, which takes an underscore only between digits
    // (.5_0 is 0.5; ._5, .5__0 and .5_e1 stay text)
    if (!/^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/.test(text)) return { kind: 'str' };
    const f = Number.parseFloat(text.replaceAll('_', ''));
    return Number.isFinite(f) ? { kind: 'float', value: f } : { kind: 'str' };
  }
  const plain = text.replaceAll('_', '');
  const int = goInteger(plain);
  if (int !== undefined) return { kind: 'int', ...int };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number.parseFloat(plain);
    // ParseFloat fails out of range (1e400): go-yaml keeps the text
    if (Number.isFinite(f)) return { kind: 'float', value: f };
  }
  return { kind: 'str' };
}

/** The value go-yaml v2 gives a plain scalar starting with a digit, a sign or a dot: a number, or the text. */
export function goNumber(text: string): number | string {
  const n = goNumeric(text);
  return n.kind === 'str' ? text : n.value;
}

const goNumberTag: ScalarTag = {
  tag: INT,
  default: true,
  identify: (v) => typeof v === 'number',
  test: /^[-+.0-9]/,
  resolve: (text) => new Scalar(goNumber(text)),
};

/** Why kubectl cannot send a document: marks the parse errors that are kubectl's, not YAML's. */
export const KUBECTL_REFUSES = 'kubectl cannot send this value:';

/** What kubectl says of infinity or not-a-number, which JSON cannot hold. */
function infinityRefusal(text: string): string {
  const go = /nan/i.test(text) ? 'NaN' : text.startsWith('-') ? '-Inf' : '+Inf';
  return (
    `${KUBECTL_REFUSES} YAML 1.1, as kubectl reads it, reads ${text} as ${go === 'NaN' ? 'not-a-number' : 'infinity'}, which JSON cannot hold, ` +
    `so kubectl apply fails ("error converting YAML to JSON: json: unsupported value: ${go}"); quote it: "${text}"`
  );
}

const infinityTag: ScalarTag = {
  tag: FLOAT,
  default: true,
  identify: (v) => typeof v === 'number' && !Number.isFinite(v),
  test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  resolve: (text, onError) => {
    onError(infinityRefusal(text));
    return new Scalar(text);
  },
};

type GoTag = 'null' | 'bool' | 'int' | 'float' | 'timestamp';
type GoResolved = { readonly kind: GoTag | 'str'; readonly value?: unknown; readonly uint?: boolean };

/** go-yaml v2's resolveMap: the scalars it reads by their text alone. */
const GO_KNOWN = new Map<string, GoResolved>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((t) => [t, { kind: 'bool', value: true }] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((t) => [t, { kind: 'bool', value: false }] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((t) => [t, { kind: 'null', value: null }] as const),
  ...['.nan', '.NaN', '.NAN'].map((t) => [t, { kind: 'float', value: Number.NaN }] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((t) => [t, { kind: 'float', value: Number.POSITIVE_INFINITY }] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((t) => [t, { kind: 'float', value: Number.NEGATIVE_INFINITY }] as const),
]);

/** Go's time.Parse with go-yaml v2's formats: 2006-1-2, then a time after T, t or a space (a zone only after T or t). */
const GO_TIMESTAMP = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})| ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?)?$/;

function isGoTimestamp(text: string): boolean {
  const m = GO_TIMESTAMP.exec(text);
  if (!m) return false;
  const [year, month, day, h, min, sec] = [m[1], m[2], m[3], m[4] ?? m[7], m[5] ?? m[8], m[6] ?? m[9]].map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= days && h <= 23 && min <= 59 && sec <= 59;
}

/** go-yaml v2's resolve(tag, text) for a tag other than !!str and !!binary: what the text is, quoted or not. */
function goResolve(tag: GoTag, text: string): GoResolved {
  if (text !== '' && !/^[-+0-9yYnNtTfFoO~.]/.test(text)) return { kind: 'str' };
  const known = GO_KNOWN.get(text);
  if (known) return known;
  if (!/^[-+0-9.]/.test(text)) return { kind: 'str' };
  // a timestamp is tried only for an explicit !!timestamp (and a plain scalar), before numbers
  if (tag === 'timestamp' && /^[-+0-9]/.test(text) && isGoTimestamp(text)) return { kind: 'timestamp', value: text };
  const n = goNumeric(text);
  return n.kind === 'str' ? { kind: 'str' } : n;
}

/** A text for a message: control characters escaped, so none reaches the terminal. */
const shown = (text: string) => JSON.stringify(text).slice(1, -1) || '""';

/** `!!int 1.5`, `!!float 2`: read as go-yaml v2 reads a scalar with an explicit tag, or refused as kubectl refuses it. */
function explicitTag(name: GoTag, tag: string): ScalarTag {
  return {
    tag,
    default: false,
    identify: () => false,
    resolve: (text, onError) => {
      const r = goResolve(name, text);
      // !!float takes an integer (not one beyond int64) as the same number
      if (r.kind === name || (name === 'float' && r.kind === 'int' && !r.uint)) {
        if (typeof r.value === 'number' && !Number.isFinite(r.value)) {
          onError(infinityRefusal(text));
          return new Scalar(text);
        }
        return new Scalar(r.value);
      }
      onError(
        `${KUBECTL_REFUSES} !!${name} ${shown(text)} is not a${name === 'int' ? 'n' : ''} !!${name} to YAML 1.1 as kubectl reads it (it is a !!${r.kind}), ` +
          `so kubectl apply fails ("yaml: cannot decode !!${r.kind} \`${shown(text)}\` as a !!${name}"); remove the tag, or write a value of its type`,
      );
      return new Scalar(text);
    },
  };
}

/** `!!binary aGVsbG8=`: go-yaml v2 decodes standard base64 (line breaks ignored) into text. */
const binaryTag: ScalarTag = {
  tag: BINARY,
  default: false,
  identify: () => false,
  resolve: (text, onError) => {
    const base64 = text.replace(/[\r\n]/g, '');
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64)) {
      onError(`${KUBECTL_REFUSES} !!binary ${shown(text)} is not base64, so kubectl apply fails ("yaml: !!binary value contains invalid base64 data"); write base64, or remove the tag`);
      return new Scalar(text);
    }
    // JSON holds text: bytes that are not UTF-8 are sent as U+FFFD, as Go's encoding/json does
    return new Scalar(Buffer.from(base64, 'base64').toString('utf8'));
  },
};

/** The tags written explicitly, found by name before yaml's own (which read !!float 2 as text and !!binary as bytes). */
const EXPLICIT_TAGS: ScalarTag[] = [
  explicitTag('null', NULL),
  explicitTag('bool', BOOL),
  explicitTag('int', INT),
  explicitTag('float', FLOAT),
  explicitTag('timestamp', TIMESTAMP),
  binaryTag,
];

/** yaml's YAML 1.1 tags with numbers and timestamps as go-yaml v2 reads them into untyped values. */
function kubectlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'string' || ![INT, FLOAT, TIMESTAMP].includes(t.tag));
  return [...EXPLICIT_TAGS, ...kept, infinityTag, goNumberTag];
}

/** Options for yaml's parser that read a manifest as kubectl does (merge keys are applied by go-yaml v2 too). */
export const KUBECTL_YAML = { version: '1.1', customTags: kubectlTags, merge: true } as const;
