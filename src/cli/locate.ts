// Find the line of a finding's path (`spec.template.spec.containers[api].env[X]`) in the YAML it
// came from, so text, SARIF and JUnit output point at the field, not just the object.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { SourceDocument } from './read-documents.js';

type Segment = { key: string } | { key: string; select: string };

export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)(?:\[([^\]]*)\])?/g)) {
    const key = m[1] ?? '';
    out.push(m[2] === undefined ? { key } : { key, select: m[2] });
  }
  return out;
}

/** The value of `key` (the key itself when the value is empty); of a key written twice, the last, which kubectl keeps. */
function child(node: Node | null | undefined, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.findLast((p) => isScalar(p.key) && String(p.key.value) === key);
  return pair && ((pair.value as Node | null) ?? (pair.key as Node));
}

/** renderPath quotes a key that is not a plain name (`keys["app.yaml"]`): the key is what it quotes. */
function unquote(select: string): string {
  if (!select.startsWith('"')) return select;
  try {
    const key: unknown = JSON.parse(select);
    return typeof key === 'string' ? key : select;
  } catch {
    return select;
  }
}

function selectItem(node: Node | undefined, select: string): Node | undefined {
  if (isMap(node)) return child(node, unquote(select)); // data[KEY], matchLabels["kubernetes.io/metadata.name"]
  if (!isSeq(node)) return undefined;
  for (const item of node.items) {
    // volumeMounts[/etc/app.yaml]: a mount is told apart by its mountPath, not its volume's name
    for (const field of ['name', 'key', 'mountPath']) {
      const v = child(item as Node, field);
      if (isScalar(v) && String(v.value) === select) return item as Node;
    }
  }
  if (/^\d+$/.test(select)) return (node.items[Number(select)] as Node | undefined) ?? undefined;
  return undefined;
}

/** 1-based line of the deepest node of the path that exists; the object's line otherwise. */
export function locate(doc: Pick<SourceDocument, 'node' | 'line' | 'lineCounter'>, path: string): number {
  let node: Node | undefined = doc.node;
  let found = doc.line;
  for (const seg of parsePath(path)) {
    node = child(node, seg.key);
    if (!node) break;
    if ('select' in seg) node = selectItem(node, seg.select);
    if (!node?.range) break;
    found = doc.lineCounter.linePos(node.range[0]).line;
  }
  return found;
}
