// `$(VAR)` expansion as the kubelet does it (k8s.io/kubernetes third_party/forked/golang/expansion):
// a reference to a variable defined earlier in the container's env is replaced, `$$` is an escaped
// `$`, and a reference to anything undefined is left as written.

/** Reads a value as the kubelet does: literal text, and `$(NAME)` references (`written` as in the value). */
function readRefs(value: string, text: (s: string) => void, ref: (name: string, written: string) => void): void {
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (ch !== '$' || i + 1 >= value.length) {
      text(ch);
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      text('$');
      i++;
    } else if (next === '(') {
      const close = value.indexOf(')', i + 2);
      if (close === -1) {
        text(value.slice(i));
        return;
      }
      ref(value.slice(i + 2, close), value.slice(i, close + 1));
      i = close;
    } else {
      text(ch);
    }
  }
}

/**
 * The longest value an expansion may produce: Linux refuses an environment string over 128 KiB
 * (MAX_ARG_STRLEN; execve fails with "argument list too long"), so a longer one never reaches a
 * process. Without a bound, each variable may double the one before it (`B=$(A)$(A)`, `C=$(B)$(B)`):
 * 2 KB of manifest grew to hundreds of MB, then past V8's longest string.
 */
export const EXPANDED_MAX = 128 * 1024;

/** `value` as the process sees it, or undefined when that would be longer than `max` characters. */
export function expandVars(value: string, defined: ReadonlyMap<string, string>, max = EXPANDED_MAX): string | undefined {
  if (!value.includes('$')) return value;
  let out = '';
  let over = false;
  const add = (s: string) => {
    if (over || out.length + s.length > max) over = true;
    else out += s;
  };
  readRefs(value, add, (name, written) => add(defined.get(name) ?? written));
  return over ? undefined : out;
}

/**
 * All the expansions of one container's env: the kernel bounds the whole environment too (2 MiB
 * with the default stack limit), and 10,000 variables of 128 KiB each would still exhaust memory.
 */
export const EXPANDED_TOTAL_MAX = 2 * 1024 * 1024;

/** expandVars for the entries of one container in order, within EXPANDED_TOTAL_MAX for all of them. */
export function containerExpander(): (value: string, defined: ReadonlyMap<string, string>) => string | undefined {
  let left = EXPANDED_TOTAL_MAX;
  return (value, defined) => {
    const out = expandVars(value, defined, Math.min(EXPANDED_MAX, left));
    if (out !== undefined && out !== value) left -= out.length;
    return out;
  };
}

/** Names a value refers to with `$(NAME)` (an escaped `$$(NAME)` refers to nothing), in order. */
export function referencedNames(value: string): string[] {
  if (!value.includes('$(')) return [];
  const names: string[] = [];
  readRefs(value, () => undefined, (name) => names.push(name));
  return names;
}
