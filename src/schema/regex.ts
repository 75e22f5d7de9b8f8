// Patterns in schemas: JavaScript regular expressions with the `u` flag, written by application
// teams and run by the webhook on every value they declare. A pattern such as `^(a+)+$`
// backtracks exponentially (31 characters held the event loop for 16 s, measured), and a
// synchronous regex cannot be interrupted. So a pattern that can backtrack badly (a repeated group
// that itself repeats or alternates), or any pattern on a long value, runs in a vm context with a
// time limit; every other pattern runs directly (a few hundred nanoseconds, where the time limit
// costs about 250 µs for its watchdog thread).
import { createContext, Script } from 'node:vm';

/** A pattern in a schema is a JavaScript regular expression with the `u` flag. */
export function validRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** How long one value may take to match, in ms. */
export const PATTERN_TIME_LIMIT_MS = 100;
/** Values longer than this run under the time limit whatever the pattern (polynomial backtracking). */
const LONG_VALUE = 10_000;

interface Compiled {
  readonly re: RegExp;
  readonly risky: boolean;
  /** It has run out of time once: later values are not tried (each would hold the loop as long). */
  slow: boolean;
}
const compiled = new Map<string, Compiled>();
const COMPILED_MAX = 1000;

function compile(pattern: string): Compiled {
  let c = compiled.get(pattern);
  if (!c) {
    if (compiled.size >= COMPILED_MAX) compiled.clear();
    c = { re: new RegExp(pattern, 'u'), risky: nestedRepetition(pattern), slow: false };
    compiled.set(pattern, c);
  }
  return c;
}

const guarded = new Script('re.lastIndex = 0; re.test(value)');
const sandbox = createContext({ re: /$/u, value: '' });

/**
 * Does the value match? `timeout` when matching took longer than PATTERN_TIME_LIMIT_MS, or when
 * this pattern already has: a ConfigMap of a thousand such values must not cost a thousand limits.
 */
export function matchPattern(pattern: string, value: string): boolean | 'timeout' {
  const c = compile(pattern);
  const { re, risky } = c;
  if (!risky && value.length <= LONG_VALUE) return re.test(value);
  if (c.slow) return 'timeout';
  sandbox.re = re;
  sandbox.value = value;
  try {
    return guarded.runInContext(sandbox, { timeout: PATTERN_TIME_LIMIT_MS }) === true;
  } catch {
    c.slow = true;
    return 'timeout';
  } finally {
    sandbox.value = '';
  }
}

/** The phrase for a value that does not match, or undefined when it does. */
export function patternProblem(pattern: string, value: string): string | undefined {
  const m = matchPattern(pattern, value);
  if (m === true) return undefined;
  if (m === false) return `does not match the pattern ${pattern}`;
  return `could not be checked against the pattern ${pattern}: matching took over ${PATTERN_TIME_LIMIT_MS} ms, because the pattern backtracks on this value; simplify the pattern (no repeated group that repeats or alternates inside, such as (a+)+)`;
}

/**
 * A repeated group (`*`, `+`, `{n,}`, `{n,m}` with m > 1) whose body repeats or alternates: the
 * shape of exponential backtracking (`(a+)+`, `(a|aa)*`, `(\.[a-z]+)*`). Errs on the side of yes.
 */
const BOUNDS = /\{(\d+)(,(\d*))?\}/y;

export function nestedRepetition(pattern: string): boolean {
  /** Per open group: does its body repeat or alternate? */
  const open: boolean[] = [];
  let i = 0;
  const repeatsAt = (j: number): boolean => {
    const c = pattern[j];
    if (c === '*' || c === '+') return true;
    if (c !== '{') return false;
    BOUNDS.lastIndex = j;
    const m = BOUNDS.exec(pattern);
    if (!m) return false;
    return m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1);
  };
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '[') {
      // A class is one atom: skip to its closing bracket (escapes inside included).
      i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      open.push(false);
      i++;
    } else if (c === ')') {
      const body = open.pop() ?? false;
      i++;
      if (repeatsAt(i)) {
        if (body) return true;
        if (open.length > 0) open[open.length - 1] = true;
      } else if (body && open.length > 0) {
        open[open.length - 1] = true;
      }
    } else {
      if (c === '|' || repeatsAt(i)) {
        if (open.length > 0) open[open.length - 1] = true;
      }
      i++;
    }
  }
  return false;
}
