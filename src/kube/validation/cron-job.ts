// A CronJob's own fields as batch validation checks them on create (Kubernetes 1.37): the schedule
// as robfig/cron v3's ParseStandard reads it, the time zone, the policies and limits, and the
// name, which leaves room for the 11 characters of each Job's suffix. Its pod template is
// workloads.ts's.
import { fields, type Fields, nonNegative, quote, text, type ValidationIssue } from './raw.js';
import { TIME_ZONES } from './time-zones.js';

/** A field's range; names (case-insensitive) stand for min, min + 1, … */
interface Bounds {
  readonly what: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}
const BOUNDS: readonly Bounds[] = [
  { what: 'minute', min: 0, max: 59 },
  { what: 'hour', min: 0, max: 23 },
  { what: 'day of month', min: 1, max: 31 },
  { what: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { what: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];
const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
/** time.ParseDuration: a signed sequence of decimal numbers with units, or 0. */
const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;
const POLICIES = ['Allow', 'Forbid', 'Replace'];
/** 63 (a Job's name) less the 11 characters of the `-<minutes since epoch>` the controller appends. */
const MAX_NAME = 52;

const GO_INT_MAX = 2n ** 63n - 1n;

/** strconv.Atoi (a 64-bit int), never negative (mustParseInt). */
function goUint(s: string): number | string {
  if (!/^[-+]?\d+$/.test(s)) return `${quote(s)} is not a number`;
  const n = BigInt(s);
  if (n > GO_INT_MAX || n < -GO_INT_MAX - 1n) return `${s} is too large a number (Go's int is 64 bits)`;
  return n < 0n ? `${s} is negative` : Number(n);
}

/** What is wrong with one field of a schedule (getField), or undefined. */
function fieldProblem(field: string, b: Bounds): string | undefined {
  for (const expr of field.split(',').filter((e) => e !== '')) {
    const [range = '', step, ...more] = expr.split('/');
    if (more.length > 0) return `${quote(expr)} has more than one "/"`;
    const ends = range.split('-');
    let start: number;
    let end: number;
    if (ends[0] === '*' || ends[0] === '?') {
      start = b.min;
      end = b.max;
    } else {
      if (ends.length > 2) return `${quote(expr)} has more than one "-"`;
      const read = (s: string): number | string => {
        const named = b.names?.indexOf(s.toLowerCase()) ?? -1;
        return named !== -1 ? named + b.min : goUint(s);
      };
      const low = read(ends[0] ?? '');
      if (typeof low === 'string') return low;
      const high = ends.length === 2 ? read(ends[1] ?? '') : low;
      if (typeof high === 'string') return high;
      start = low;
      end = step !== undefined && ends.length === 1 ? b.max : high;
    }
    if (step !== undefined) {
      const s = goUint(step);
      if (typeof s === 'string') return s;
      if (s === 0) return `${quote(expr)} has a step of 0`;
    }
    if (start < b.min) return `${quote(expr)} starts below ${b.min}, the first ${b.what}`;
    if (end > b.max) return `${quote(expr)} goes past ${b.max}, the last ${b.what}${b.what === 'day of week' ? ' (Sunday is 0, not 7)' : ''}`;
    if (start > end) return `${quote(expr)} starts after it ends`;
  }
  return undefined;
}

/** What cron.ParseStandard refuses in a schedule, or undefined. */
export function scheduleProblem(schedule: string): string | undefined {
  let spec = schedule;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    if (space === -1) return 'has a time zone and no schedule';
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.includes(spec)) return undefined;
    if (spec.startsWith('@every ')) return GO_DURATION.test(spec.slice(7)) ? undefined : `has ${quote(spec.slice(7))}, which is not a duration such as 5m or 1h30m`;
    return `${quote(spec)} is not one of ${DESCRIPTORS.join(', ')} or @every DURATION`;
  }
  const parts = spec.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) return `has ${parts.length} fields, not 5 (minute hour day-of-month month day-of-week)${parts.length === 6 ? ': Kubernetes schedules have no seconds field' : ''}`;
  for (const [i, b] of BOUNDS.entries()) {
    const bad = fieldProblem(parts[i] ?? '', b);
    if (bad) return `its ${b.what} field ${bad}`;
  }
  return undefined;
}

/** What time.LoadLocation (and the rules before it) refuses in a timeZone, or undefined. */
function timeZoneProblem(zone: string): string | undefined {
  if (zone === '') return 'is empty: leave timeZone out for the kube-controller-manager\'s time zone, or name one such as Etc/UTC';
  for (const part of zone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part)) return 'is not a time zone name';
  }
  if (zone.toLowerCase() === 'local') return 'is "Local": name an explicit time zone, such as Etc/UTC or Europe/Berlin';
  // Go's LoadLocation reads "UTC" itself, and the rest from the tzdata the API server carries (case matters).
  if (zone !== 'UTC' && !TIME_ZONES.has(zone)) {
    const cased = [...TIME_ZONES].find((z) => z.toLowerCase() === zone.toLowerCase());
    return cased ? `is not a time zone name: names are case-sensitive; write ${cased}` : 'is not in the IANA time zone database (as Kubernetes 1.37 carries it)';
  }
  return undefined;
}

export function cronJobIssues(object: unknown): ValidationIssue[] {
  const o = fields(object);
  const spec: Fields = fields(o?.spec) ?? {};
  const issues: ValidationIssue[] = [];
  const name = text(fields(o?.metadata)?.name) ?? '';
  if (name.length > MAX_NAME) issues.push({ path: ['metadata', 'name'], message: `has ${name.length} characters, more than ${MAX_NAME}: each Job a CronJob starts is named after it with 11 characters more, and a Job's name has at most 63 (the API server refuses this when the CronJob is created; one that exists may still be updated)` });
  const schedule = text(spec.schedule) ?? '';
  if (schedule === '') issues.push({ path: ['spec', 'schedule'], message: 'is missing: write when to run, such as "0 3 * * *" (03:00 every day) or "@hourly"' });
  else {
    const bad = scheduleProblem(schedule);
    if (bad) issues.push({ path: ['spec', 'schedule'], message: `${quote(schedule)} ${bad}` });
    if (schedule.includes('TZ')) issues.push({ path: ['spec', 'schedule'], message: `${quote(schedule)} names a time zone (TZ or CRON_TZ): put it in spec.timeZone instead` });
  }
  const zone = text(spec.timeZone);
  if (zone !== undefined) {
    const bad = timeZoneProblem(zone);
    if (bad) issues.push({ path: ['spec', 'timeZone'], message: `${quote(zone)} ${bad}` });
  }
  const policy = text(spec.concurrencyPolicy) ?? '';
  if (policy !== '' && !POLICIES.includes(policy)) issues.push({ path: ['spec', 'concurrencyPolicy'], message: `is ${quote(policy)}: write one of ${POLICIES.join(', ')}` });
  nonNegative(spec, ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'], ['spec'], issues);
  return issues;
}
