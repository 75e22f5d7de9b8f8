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
import { Scalar, type ScalarTag, type Tags } from 'yaml';

const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';
const TIMESTAMP = 'tag:yaml.org,2002:timestamp';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** go-yaml v2's float form, tried once the text is no integer (underscores already removed). */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's ParseInt syntax for base 0: 0x, 0b, 0o or a leading 0 (octal), or decimal. */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]?([0-7]+)|(0|[1-9][0-9]*))$/;

/** strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64) (no sign allowed), as go-yaml v2 tries them. */
function goInteger(s: string): number | undefined {
  const m = GO_INT.exec(s);
  if (!m) return undefined;
  const [, sign, hex, bin, oct, dec] = m;
  const magnitude = hex !== undefined ? BigInt(`0x${hex}`) : bin !== undefined ? BigInt(`0b${bin}`) : oct !== undefined ? BigInt(`0o${oct}`) : BigInt(dec ?? '0');
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return Number(value);
  if (sign === '' && value <= UINT64_MAX) return Number(value);
  return undefined;
}

/** The value go-yaml v2 gives a plain scalar starting with a digit, a sign or a dot: a number, or the text. */
export function goNumber(text: string): number | string {
  if (text.startsWith('.')) {
    // strconv.ParseFloat on the text as written, which takes an underscore only between digits
    // (.5_0 is 0.5; ._5, .5__0 and .5_e1 stay text)
    if (!/^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/.test(text)) return text;
    const f = Number.parseFloat(text.replaceAll('_', ''));
    return Number.isFinite(f) ? f : text;
  }
  const plain = text.replaceAll('_', '');
  const int = goInteger(plain);
  if (int !== undefined) return int;
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number.parseFloat(plain);
    // ParseFloat fails out of range (1e400): go-yaml keeps the text
    if (Number.isFinite(f)) return f;
  }
  return text;
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

const infinityTag: ScalarTag = {
  tag: FLOAT,
  default: true,
  identify: (v) => typeof v === 'number' && !Number.isFinite(v),
  test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  resolve: (text, onError) => {
    const go = /nan/i.test(text) ? 'NaN' : text.startsWith('-') ? '-Inf' : '+Inf';
    onError(
      `${KUBECTL_REFUSES} YAML 1.1, as kubectl reads it, reads ${text} as ${go === 'NaN' ? 'not-a-number' : 'infinity'}, which JSON cannot hold, ` +
        `so kubectl apply fails ("error converting YAML to JSON: json: unsupported value: ${go}"); quote it: "${text}"`,
    );
    return new Scalar(text);
  },
};

/** yaml's YAML 1.1 tags with numbers and timestamps as go-yaml v2 reads them into untyped values. */
function kubectlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'string' || ![INT, FLOAT, TIMESTAMP].includes(t.tag));
  return [...kept, infinityTag, goNumberTag];
}

/** Options for yaml's parser that read a manifest as kubectl does (merge keys are applied by go-yaml v2 too). */
export const KUBECTL_YAML = { version: '1.1', customTags: kubectlTags, merge: true } as const;
