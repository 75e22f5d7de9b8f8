// Go-style durations (`300ms`, `5s`, `1h30m`, `-1.5h`), as time.ParseDuration accepts them, so a
// ConfigSchema `duration` agrees with the Go and Node apps that read the value. A bare number
// other than 0 has no unit and is refused, as Go refuses it.
const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

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
    s = s.slice(m[0].length);
  }
  return { ok: true, ms: sign * total };
}
