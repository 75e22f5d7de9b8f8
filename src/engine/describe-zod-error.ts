// zod issues as lines a person can act on: `path: what is wrong`, shallow first.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

export interface DescribedIssue {
  /** Rendered path, e.g. `spec.keys.POOL_SIZE.type`; `(top level)` for the value itself. */
  readonly path: string;
  readonly message: string;
}

/**
 * A caller's own sentence for an issue, where it knows more than the issue says (the CLI knows how
 * the value was written in the file); undefined keeps the sentence made here.
 */
export type DescribeIssue = (issue: Issue) => string | undefined;

/** Every problem with its path and what is wrong, shallow first. */
export function describeZodIssues(error: z.ZodError, prefix = '', describe?: DescribeIssue): DescribedIssue[] {
  return flatten(error.issues, [])
    .sort((a, b) => a.path.length - b.path.length)
    .map((issue) => {
      const path = renderPath(issue.path);
      const where = [prefix, path].filter(Boolean).join(prefix && path && !path.startsWith('[') ? '.' : '');
      return { path: where || '(top level)', message: describe?.(issue) ?? describeIssue(issue) };
    });
}

/** The same problems as lines: `path: what is wrong`. */
export function describeZodError(error: z.ZodError, prefix = '', describe?: DescribeIssue): string[] {
  return describeZodIssues(error, prefix, describe).map((i) => `${i.path}: ${i.message}`);
}

/**
 * A union (e.g. "an action, or {action, options}") fails as one opaque issue; report the branch
 * the input was meant for instead: the one whose issues are not just "wrong type here".
 */
function flatten(issues: readonly Issue[], base: PropertyKey[]): Issue[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    // A record key that fails its own schema: report the key's problem, not "Invalid key in record".
    if (issue.code === 'invalid_key') return issue.issues.map((i) => ({ ...i, path }) as Issue);
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ ...issue, path }];
    const depth = (branch: readonly Issue[]) => Math.min(...branch.map((i) => i.path.length));
    const meant = issue.errors.reduce((best, branch) => (depth(branch) > depth(best) ? branch : best));
    return flatten(meant, path);
  });
}

/** `policies.probe-timing.options`, `containers[0]`, `keys["app.yaml"]`: dashes read as names. */
export function renderPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_][\w-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/**
 * zod's own messages start with "Invalid" ("Invalid input: …", "Invalid option: …"); any other is
 * one a declaration wrote for its case (`yamlVersion: 1.1` is told to quote it) and is kept.
 */
const custom = (issue: Issue) => !issue.message.startsWith('Invalid');

const NOUN: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  null: 'null',
};

/** zod's "Invalid input: expected number, received string" as "must be a number, not a string". */
function wrongType(message: string): string | undefined {
  const m = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  const expected = m && NOUN[m[1] as string];
  const received = m && NOUN[m[2] as string];
  return expected && received ? `must be ${expected}, not ${received}` : undefined;
}

function describeIssue(issue: Issue): string {
  if (custom(issue) && issue.code !== 'unrecognized_keys') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      // An absent field: zod says "expected string, received undefined"; the API server says
      // "Required value" for the same mistake, and a person reads "is required" in one go.
      if (/received undefined$/.test(issue.message)) return 'is required';
      return wrongType(issue.message) ?? issue.message;
    case 'unrecognized_keys':
      return issue.message.startsWith('Unrecognized key')
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : issue.message;
    case 'invalid_union':
      // a discriminated union with no matching branch, e.g. `type: intger`
      return 'options' in issue && Array.isArray(issue.options)
        ? `must be one of ${(issue.options as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
        : issue.message;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}
