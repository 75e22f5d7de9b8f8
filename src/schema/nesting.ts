// How deeply a json or yaml value nests, found without recursion. The parsers and what runs on a
// parsed document (the yaml composer, JSON.stringify, the JSON-Schema validator) recurse once per
// level: a ConfigMap value of a few thousand `[` threw RangeError out of the review (a 500), and two
// deeply nested YAML values in a row aborted the process (V8: "RegExpCompiler Allocation failed").

/** Deepest nesting a json or yaml value may have to be checked; no configuration comes close. */
export const NESTING_MAX = 100;

export const TOO_DEEP = `is nested more than ${NESTING_MAX} levels deep, too deep to check`;

/** Does a parsed value have arrays or objects nested more than `max` deep? (A circular value does.) */
export function nestedDeeperThan(value: unknown, max = NESTING_MAX): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (next.v === null || typeof next.v !== 'object') continue;
    if (next.depth >= max) return true;
    for (const child of Object.values(next.v)) if (child !== null && typeof child === 'object') stack.push({ v: child, depth: next.depth + 1 });
  }
  return false;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * Does YAML text nest collections more than `max` deep? Read from the CST of yaml's Parser (the
 * tokens of yaml11.ts yamlTokens, which the readings then compose), which keeps its own stack (no
 * recursion), before the composer, which recurses, ever sees the text.
 */
export function tokensNestedDeeperThan(tokens: readonly unknown[], max = NESTING_MAX): boolean {
  const stack: { node: unknown; depth: number }[] = tokens.map((node) => ({ node, depth: 0 }));
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { node } = next;
    if (node === null || typeof node !== 'object') continue;
    const depth = next.depth + (COLLECTIONS.has((node as { type?: unknown }).type as string) ? 1 : 0);
    if (depth > max) return true;
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push({ node: child, depth });
  }
  return false;
}
