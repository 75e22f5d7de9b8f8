// Resource quantities as exact fractions, to compare a request with its limit as the API server
// does (resource.Quantity.Cmp): 1Gi and 1073741824 are equal, 500m is less than 1.
import { QUANTITY } from '../structure.js';

/** numerator / denominator, the denominator positive. */
export interface Exact {
  readonly num: bigint;
  readonly den: bigint;
}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The exact value of a quantity as a manifest writes it (`"1.5Gi"`, `0.5`), or undefined when it is not one. */
export function exactQuantity(written: string | number): Exact | undefined {
  const text = typeof written === 'number' ? String(written) : written.trim();
  if (!QUANTITY.test(text)) return undefined;
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text);
  if (!m) return undefined;
  const [, sign = '', whole = '', fraction = '', suffix = ''] = m;
  let num = BigInt(`${whole}${fraction}` || '0');
  let den = 10n ** BigInt(fraction.length);
  let exp10 = 0;
  if (suffix in BINARY) num *= 2n ** BigInt(BINARY[suffix] ?? 0);
  else if (suffix in DECIMAL) exp10 = DECIMAL[suffix] ?? 0;
  else exp10 = Number(suffix.slice(1));
  if (!Number.isSafeInteger(exp10) || Math.abs(exp10) > 1000) return undefined;
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den *= 10n ** BigInt(-exp10);
  return { num: sign === '-' ? -num : num, den };
}

/** -1, 0 or 1 as a is less than, equal to or more than b. */
export function compareExact(a: Exact, b: Exact): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export const isNegative = (q: Exact): boolean => q.num < 0n;
/**
 * Whole units (what extended resources such as nvidia.com/gpu must be), as Go checks them:
 * `MilliValue() % 1000 == 0`, the milli-value rounded up (0.9999 is 1000m, so whole).
 */
export const isWhole = (q: Exact): boolean => {
  const milli = q.num * 1000n;
  const rounded = milli / q.den + (milli % q.den > 0n ? 1n : 0n);
  return rounded % 1000n === 0n;
};
