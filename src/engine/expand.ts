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

export function expandVars(value: string, defined: ReadonlyMap<string, string>): string {
  if (!value.includes('$')) return value;
  let out = '';
  readRefs(
    value,
    (s) => (out += s),
    (name, written) => (out += defined.get(name) ?? written),
  );
  return out;
}

/** Names a value refers to with `$(NAME)` (an escaped `$$(NAME)` refers to nothing), in order. */
export function referencedNames(value: string): string[] {
  if (!value.includes('$(')) return [];
  const names: string[] = [];
  readRefs(value, () => undefined, (name) => names.push(name));
  return names;
}
