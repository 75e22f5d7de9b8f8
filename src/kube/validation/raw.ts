// Reading a manifest's raw value (already known to have the right JSON types: src/kube/structure.ts
// ran first; `null` may still stand anywhere, and means absent) and the issue each rule reports.
import { isPercent } from './formats.js';

export type Path = readonly (string | number)[];

/** One thing the API server's validation refuses (422 Invalid): where, and the sentence for it. */
export interface ValidationIssue {
  readonly path: Path;
  /** What is wrong and how to write it; the caller adds that kubectl apply refuses it. */
  readonly message: string;
}

export type Fields = Readonly<Record<string, unknown>>;

export const fields = (v: unknown): Fields | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Fields) : undefined);
export const items = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
export const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const whole = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
/** A map of strings (labels, annotations, data); a null value reads as "". */
export const stringMap = (v: unknown): [string, string][] => Object.entries(fields(v) ?? {}).map(([k, x]) => [k, typeof x === 'string' ? x : '']);

export const quote = (v: string): string => JSON.stringify(v);

/** Each of `keys` of `spec` (under `at`) that is a negative number. */
export function nonNegative(spec: Fields, keys: readonly string[], at: Path, issues: ValidationIssue[]): void {
  for (const key of keys) {
    const v = whole(spec[key]);
    if (v !== undefined && v < 0) issues.push({ path: [...at, key], message: `is ${v}: it must not be negative` });
  }
}

/**
 * An int-or-percent as ValidatePositiveIntOrPercent (and, with `atMost100`, IsNotMoreThan100Percent)
 * reads it: its amount (a number, or the percentage's number), or undefined when it is no amount
 * (reported). `example` is the percentage a message offers.
 */
export function intOrPercent(value: unknown, path: Path, issues: ValidationIssue[], example: string, atMost100: boolean): number | undefined {
  if (typeof value === 'number') {
    if (value < 0) issues.push({ path, message: `is ${value}: it must not be negative` });
    return value;
  }
  if (typeof value !== 'string') return undefined;
  if (!isPercent(value)) {
    const digits = /^-?[0-9]+$/.test(value);
    const pods = value.startsWith('-') ? 'a number of pods write it' : `${value} pods write the number`;
    issues.push({ path, message: digits ? `is the string ${quote(value)}: a string must be a percentage such as "${example}"; for ${pods} without quotes` : `is ${quote(value)}: write a number of pods, or a percentage such as "${example}"` });
    return undefined;
  }
  const percent = Number(value.slice(0, -1));
  if (atMost100 && percent > 100) issues.push({ path, message: `is ${quote(value)}: it must not be more than 100%` });
  return percent;
}
