// zod issues as lines a person can act on: `path: what is wrong`, shallow first.
import { z } from 'zod';

export function describeZodError(error: z.ZodError, prefix = ''): string[] {
  return [...error.issues]
    .sort((a, b) => a.path.length - b.path.length)
    .map((issue) => {
      const path = z.core.toDotPath([...issue.path]);
      const where = [prefix, path].filter(Boolean).join(prefix && path && !path.startsWith('[') ? '.' : '');
      return `${where || '(top level)'}: ${describeIssue(issue)}`;
    });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}
