// Reading a manifest's raw value (already known to have the right JSON types: src/kube/structure.ts
// ran first; `null` may still stand anywhere, and means absent) and the issue each rule reports.

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
