// Patterns in schemas: JavaScript regular expressions with the `u` flag, written by application
// teams and run by the webhook on every value they declare. A pattern such as `^(a+)+$`
// backtracks exponentially (31 characters held the event loop for 16 s, measured), and a
// synchronous regex cannot be interrupted. So a pattern that can backtrack (a repeated group that
// itself repeats or alternates, or two repetitions), or any pattern on a value over 1,000
// characters, runs in a vm context with a time limit; every other pattern runs directly (a few
// hundred nanoseconds, where the time limit costs about 250 µs for its watchdog thread).
import { createContext, Script } from 'node:vm';

/** A pattern in a schema is a JavaScript regular expression with the `u` flag. */
export function validRegex(pattern: string): boolean {
  return regexProblem(pattern) === undefined;
}

/**
 * Why a pattern is not a valid regular expression, in the engine's words and with the usual cause
 * named: an inline flag such as `(?i)` (Go, Python, PCRE) that JavaScript does not read.
 */
export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (err) {
    const why = String((err as Error).message).split(': ').pop() ?? '';
    const inline = /\(\?[a-zA-Z]+[):]/.test(pattern) ? '; inline flags such as (?i) are not JavaScript: write the cases out ([Aa]) or use an enum' : '';
    return `is not a valid regular expression (JavaScript, with the u flag): ${why}${inline}`;
  }
}

/** The same check as a zod refinement, with the reason in the message. */
export const refineRegex = (pattern: string, ctx: { addIssue(issue: { code: 'custom'; message: string; input: string }): void }): void => {
  const problem = regexProblem(pattern);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: pattern });
};

/** How long one value may take to match, in ms. */
export const PATTERN_TIME_LIMIT_MS = 100;
/** Values longer than this run under the time limit whatever the pattern (an unanchored `a+b` is quadratic). */
const LONG_VALUE = 1_000;

interface Compiled {
  readonly re: RegExp;
  readonly risky: boolean;
}
const compiled = new Map<string, Compiled>();
const COMPILED_MAX = 1000;

function compile(pattern: string): Compiled {
  let c = compiled.get(pattern);
  if (!c) {
    if (compiled.size >= COMPILED_MAX) compiled.clear();
    c = { re: new RegExp(pattern, 'u'), risky: mayBacktrack(pattern) };
    compiled.set(pattern, c);
  }
  return c;
}

const guarded = new Script('re.lastIndex = 0; re.test(value)');
const sandbox = createContext({ re: /$/u, value: '' });

/**
 * Declarations (a key's spec, a JSON Schema node) whose pattern has run out of time once: later
 * values are not tried, so a ConfigMap of a thousand such values does not cost a thousand limits.
 * Kept per declaration, not per pattern text: a schema only binds objects of its own namespace, so
 * one tenant's hostile value cannot turn another namespace's schema with the same pattern off.
 */
const slow = new WeakSet<object>();

/**
 * Does the value match the pattern that `owner` declares? `timeout` when matching took longer than
 * PATTERN_TIME_LIMIT_MS twice in a row, or did before for this owner. Twice: the limit is wall-clock
 * time, so a pause of the whole process (a GC, a pod's CPU quota used up for the rest of its
 * 100 ms period, the node descheduling it) can use it up on a value that matches in microseconds,
 * and one such pause made a valid ConfigMap denied and the declaration unchecked until the schema
 * reloaded. A pattern that really backtracks runs out of time again.
 */
export function matchPattern(pattern: string, value: string, owner: object): boolean | 'timeout' {
  const { re, risky } = compile(pattern);
  if (!risky && value.length <= LONG_VALUE) return re.test(value);
  if (slow.has(owner)) return 'timeout';
  sandbox.re = re;
  sandbox.value = value;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return guarded.runInContext(sandbox, { timeout: PATTERN_TIME_LIMIT_MS }) === true;
      } catch {
        if (attempt === 2) break;
      }
    }
    slow.add(owner);
    return 'timeout';
  } finally {
    sandbox.value = '';
  }
}

/** The phrase for a value that does not match, or undefined when it does. */
export function patternProblem(pattern: string, value: string, owner: object): string | undefined {
  const m = matchPattern(pattern, value, owner);
  if (m === true) return undefined;
  if (m === false) return `does not match the pattern ${pattern}`;
  return `could not be checked against the pattern ${pattern}: matching took over ${PATTERN_TIME_LIMIT_MS} ms, because the pattern backtracks on this value; simplify the pattern (no repeated group that repeats or alternates inside, such as (a+)+, and no two repetitions that can match the same text, such as a*a*)`;
}

/**
 * Could matching take more than linear time? A pattern with a repeated group whose body repeats
 * or alternates (exponential: `(a+)+`, `(a|aa)*`, `(.*?,){11}`), or with two repetitions at all
 * (polynomial: `a*a*a*`, `\d+\.\d+` is harmless but not told apart). Errs on the side of yes:
 * a yes only means the time limit is paid. One pass; escapes and classes are single atoms.
 */
export function mayBacktrack(pattern: string): boolean {
  /** Per open group: does its body repeat or alternate? */
  const open: boolean[] = [];
  const markGroup = () => {
    if (open.length > 0) open[open.length - 1] = true;
  };
  let repetitions = 0;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      // A backreference makes matching polynomial even with one repetition: `(.*)x\1` is cubic.
      if (/[1-9k]/.test(pattern[i + 1] ?? '')) return true;
      i += 2;
      continue;
    }
    if (c === '[') {
      i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '(') {
      open.push(false);
    } else if (c === ')') {
      const body = open.pop() ?? false;
      // The quantifier after it (if any) is counted and marks the parent on the next step.
      if (body && repeatsAt(pattern, i + 1)) return true;
      if (body) markGroup();
    } else if (c === '|') {
      markGroup();
    } else if (repeatsAt(pattern, i)) {
      markGroup();
      if (++repetitions >= 2) return true;
    }
    i++;
  }
  return false;
}

const BOUNDS = /\{(\d+)(,(\d*))?\}/y;

/** Is there a repetition quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > 1, `{n}` with n > 1) at j? */
function repeatsAt(pattern: string, j: number): boolean {
  const c = pattern[j];
  if (c === '*' || c === '+') return true;
  if (c !== '{') return false;
  BOUNDS.lastIndex = j;
  const m = BOUNDS.exec(pattern);
  if (!m) return false;
  return m[2] === undefined ? Number(m[1]) > 1 : m[3] === '' || Number(m[3]) > 1;
}
