// integer, number and port values. Whitespace, exponents and hex are refused: parsers disagree
// on them (Go's strconv.Atoi refuses " 5" and "1e3", JavaScript's Number accepts both), and a
// value one reader accepts and another refuses is the outage this exists for.
const INTEGER = /^[+-]?\d+$/;
// Go's ParseInt(s, 0, 64) (envconfig, viper's cast) reads `010` as octal 8; Atoi reads 10.
const LEADING_ZERO = /^[+-]?0\d/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function whyNot(value: string, what: string): string {
  if (value.trim() !== value) return `has leading or trailing spaces; ${what} must be the digits alone`;
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(value)) return `is hexadecimal; ${what} must be written in decimal`;
  if (/^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/.test(value)) return `uses exponent notation; ${what} must be written out in digits`;
  if (/^[+-]?\d+\.\d+$/.test(value)) return `is not a whole number`;
  if (/^[+-]?\d/.test(value)) return `is not ${what} (there is text after the number)`;
  return `is not ${what}`;
}

export function bounds(n: number, minimum: number | undefined, maximum: number | undefined, show = String(n)): string[] {
  const out: string[] = [];
  if (minimum !== undefined && n < minimum) out.push(`is below the minimum ${minimum}`);
  if (maximum !== undefined && n > maximum) out.push(`is above the maximum ${maximum}`);
  return out.map((m) => (show === String(n) ? m : `${m} (${show})`));
}

const leadingZero = (value: string) =>
  `has a leading zero, which some parsers read as octal; write ${value.replace(/^([+-]?)0+(?=\d)/, '$1')}`;

export function checkInteger(value: string, spec: { minimum?: number; maximum?: number }): string[] {
  if (!INTEGER.test(value)) return [whyNot(value, 'an integer')];
  if (LEADING_ZERO.test(value)) return [leadingZero(value)];
  const big = BigInt(value);
  if (big < INT64_MIN || big > INT64_MAX) return ['is out of the 64-bit integer range most apps read'];
  return bounds(Number(value), spec.minimum, spec.maximum);
}

export function checkNumber(value: string, spec: { minimum?: number; maximum?: number }): string[] {
  if (!NUMBER.test(value)) return [value.trim() !== value ? 'has leading or trailing spaces' : 'is not a number'];
  const n = Number(value);
  if (!Number.isFinite(n)) return ['is out of the range of a 64-bit floating-point number'];
  return bounds(n, spec.minimum, spec.maximum);
}

export function checkPort(value: string): string[] {
  if (!INTEGER.test(value)) return [whyNot(value, 'a port number')];
  // Go's net package takes "+80" for a service name and fails to look it up.
  if (value.startsWith('+')) return ['has a + sign; a port number must be the digits alone'];
  if (LEADING_ZERO.test(value)) return [leadingZero(value)];
  const n = Number(value);
  return n >= 1 && n <= 65535 ? [] : ['is not a port number (1 to 65535)'];
}

/** Exactly `true` or `false`: TRUE, yes, on and 1 mean true to some parsers and not to others. */
export function checkBoolean(value: string): string[] {
  if (value === 'true' || value === 'false') return [];
  const lower = value.trim().toLowerCase();
  if (['true', 'false', 'yes', 'no', 'on', 'off', '1', '0', 'y', 'n', 't', 'f'].includes(lower)) {
    return [`is not true or false (${JSON.stringify(value)} is read differently by different parsers; write true or false)`];
  }
  return ['is not true or false'];
}
