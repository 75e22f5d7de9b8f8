// `$(VAR)` expansion as the kubelet does it (k8s.io/kubernetes third_party/forked/golang/expansion):
// a reference to a variable defined earlier in the container's env is replaced, `$$` is an escaped
// `$`, and a reference to anything undefined is left as written.
export function expandVars(value: string, defined: ReadonlyMap<string, string>): string {
  if (!value.includes('$')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch !== '$' || i + 1 >= value.length) {
      out += ch;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = value.indexOf(')', i + 2);
      if (close === -1) {
        out += value.slice(i);
        break;
      }
      const name = value.slice(i + 2, close);
      const resolved = defined.get(name);
      out += resolved ?? value.slice(i, close + 1);
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Names a value refers to with `$(NAME)` (an escaped `$$(NAME)` refers to nothing), in order. */
export function referencedNames(value: string): string[] {
  if (!value.includes('$(')) return [];
  const names: string[] = [];
  for (let i = 0; i < value.length - 1; i++) {
    if (value[i] !== '$') continue;
    if (value[i + 1] === '$') {
      i++;
    } else if (value[i + 1] === '(') {
      const close = value.indexOf(')', i + 2);
      if (close === -1) break;
      names.push(value.slice(i + 2, close));
      i = close;
    }
  }
  return names;
}
