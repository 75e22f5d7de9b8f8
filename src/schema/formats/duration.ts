// Go-style durations (`300ms`, `5s`, `1h30m`, `-1.5h`), as time.ParseDuration accepts them, so a
// ConfigSchema `duration` agrees with the Go and Node apps that read the value. A bare number
// other than 0 has no unit and is refused, as Go refuses it. A duration beyond Go's int64
// nanoseconds (about 292 years) is refused, as Go refuses it ("invalid duration").

/** Nanoseconds per unit: exact, to find what Go's int64 nanoseconds cannot hold. */
const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
/** Milliseconds per unit, for the value's length. */
const UNIT_MS: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(UNIT_NS).map(([unit, ns]) => [unit, Number(ns) / 1e6]));
const TWO_63 = 2n ** 63n;
const TOO_LONG = 'is out of the range of a Go duration (int64 nanoseconds: at most 2562047h47m16.854775807s)';

export type DurationResult = { ok: true; ms: number } | { ok: false; reason: string };

export function parseDuration(input: string): DurationResult {
  let s = input;
  if (s === '') return { ok: false, reason: 'is empty' };
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, ms: 0 };
  if (s === '') return { ok: false, reason: 'has a sign and no number' };
  let total = 0;
  let ns = 0n;
  const part = /^(\d+(?:\.\d*)?|\.\d+)([a-zµμ]+)/;
  while (s !== '') {
    const m = part.exec(s);
    if (!m) {
      return /^\d+(\.\d*)?$/.test(s)
        ? { ok: false, reason: `has no unit after ${s} (use ns, us, ms, s, m or h, e.g. ${s}s)` }
        : { ok: false, reason: `is not a duration (expected e.g. 300ms, 5s, 1h30m)` };
    }
    const unit = UNIT_MS[m[2] ?? ''];
    if (unit === undefined) return { ok: false, reason: `has an unknown unit "${m[2]}" (use ns, us, ms, s, m or h)` };
    total += Number(m[1]) * unit;
    // As time.ParseDuration counts: the whole part exactly, the fraction truncated to whole ns.
    const [whole = '', fraction = ''] = (m[1] ?? '').split('.');
    const perUnit = UNIT_NS[m[2] ?? ''] ?? 1n;
    ns += BigInt(whole || '0') * perUnit;
    if (fraction !== '') ns += BigInt(Math.floor(Number(`0.${fraction}`) * Number(perUnit)));
    if (ns > TWO_63) return { ok: false, reason: TOO_LONG };
    s = s.slice(m[0].length);
  }
  // Go allows -2^63 ns but at most 2^63-1 ns.
  if (sign === 1 && ns === TWO_63) return { ok: false, reason: TOO_LONG };
  return { ok: true, ms: sign * total };
}
