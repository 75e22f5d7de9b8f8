// list values: one value holding several items, in a declared format. When the value is in
// another format than declared, say which one it looks like: that was the CORS incident (a
// one-line list became a YAML list the app could not parse).
import { CIRCULAR_YAML, isCircular } from '../json-schema.js';
import { nestedDeeperThan, TOO_DEEP, tokensNestedDeeperThan } from '../nesting.js';
import { parseYamlDocument, type YamlVersion, yamlTokens } from '../yaml11.js';

export type ListFormat = 'csv' | 'lines' | 'json' | 'yaml';

const NAMES: Record<ListFormat, string> = {
  csv: 'comma-separated (csv)',
  lines: 'one item per line (lines)',
  json: 'a JSON array (json)',
  yaml: 'a YAML sequence (yaml)',
};

/** The format a value looks like, when it clearly looks like one. */
export function lookalike(value: string): ListFormat | undefined {
  const t = value.trim();
  if (/^\[[\s\S]*\]$/.test(t)) {
    try {
      if (Array.isArray(JSON.parse(t))) return 'json';
    } catch {
      /* not JSON */
    }
    return 'yaml'; // a flow sequence: [a, b]
  }
  if (/^-\s/m.test(t) && t.split('\n').every((l) => l.trim() === '' || /^\s*-(\s|$)/.test(l) || /^\s{2,}/.test(l))) return 'yaml';
  if (t.includes('\n')) return 'lines';
  if (t.includes(',')) return 'csv';
  return undefined;
}

/** Items of a parsed JSON/YAML sequence as text; null (`- ` with nothing after it) is an empty item. */
const asItems = (parsed: unknown[]) => parsed.map((v) => (typeof v === 'string' ? v : v === null ? '' : JSON.stringify(v)));

/**
 * `items` as text, what an item type checks; `json` (json format only) the items as JSON.parse
 * read them, whose JSON types an application's decoder holds to: `["8080"]` is a list of strings.
 */
export type SplitResult = { ok: true; items: string[]; json?: readonly unknown[] } | { ok: false; reason: string };

/** `version`: how a yaml list is read (YAML 1.1 reads `- on` as true, so its item is "true"). */
export function splitList(value: string, format: ListFormat, version: YamlVersion = '1.2'): SplitResult {
  const seen = lookalike(value);
  const wrongFormat = (): SplitResult => ({
    ok: false,
    reason: `looks like ${NAMES[seen ?? format]}; this key is declared as ${NAMES[format]}`,
  });
  switch (format) {
    case 'csv':
      if (seen === 'yaml' || seen === 'json' || seen === 'lines') return wrongFormat();
      return { ok: true, items: value === '' ? [] : value.split(',').map((s) => s.trim()) };
    case 'lines':
      if (seen === 'yaml' || seen === 'json') return wrongFormat();
      return { ok: true, items: value.replace(/\r?\n$/, '') === '' ? [] : value.replace(/\r?\n$/, '').split(/\r?\n/).map((s) => s.trim()) };
    case 'json': {
      try {
        const parsed: unknown = JSON.parse(value);
        if (!Array.isArray(parsed)) return { ok: false, reason: 'is JSON but not an array; this key is declared as a JSON array (json)' };
        if (nestedDeeperThan(parsed)) return { ok: false, reason: TOO_DEEP };
        return { ok: true, items: asItems(parsed), json: parsed };
      } catch (err) {
        // `[1,` is a broken JSON array, not a csv list that happens to contain a comma
        if (value.trim().startsWith('[')) return { ok: false, reason: `is not valid JSON (${(err as Error).message})` };
        return seen && seen !== 'json' ? wrongFormat() : { ok: false, reason: 'is not a JSON array' };
      }
    }
    case 'yaml': {
      if (tokensNestedDeeperThan(yamlTokens(value))) return { ok: false, reason: TOO_DEEP };
      let parsed: unknown;
      try {
        parsed = parseYamlDocument(value, version).toJS({ maxAliasCount: 100 });
      } catch (err) {
        return { ok: false, reason: `is not valid YAML (${(err as Error).message.split('\n')[0]})` };
      }
      if (parsed === null || parsed === undefined) return { ok: true, items: [] };
      if (isCircular(parsed)) return { ok: false, reason: CIRCULAR_YAML };
      if (!Array.isArray(parsed)) return seen === 'csv' ? wrongFormat() : { ok: false, reason: 'is not a YAML sequence' };
      return { ok: true, items: asItems(parsed) };
    }
  }
}

/**
 * The value written in the declared format, when it is a list in another one (the CORS incident:
 * `- https://a` and `- https://b` where `https://a,https://b` is declared); undefined when it does
 * not read as a list, or an item would not survive the declared format (a comma in a csv item, a
 * line break in a lines item).
 */
export function inFormat(value: string, format: ListFormat): string | undefined {
  const seen = lookalike(value);
  if (seen === undefined || seen === format) return undefined;
  const split = splitList(value, seen);
  if (!split.ok || split.items.length === 0) return undefined;
  const items = split.items;
  switch (format) {
    case 'csv':
      return items.some((i) => i.includes(',') || i !== i.trim()) ? undefined : items.join(',');
    case 'lines':
      return items.some((i) => /[\r\n]/.test(i) || i !== i.trim()) ? undefined : items.join('\n');
    case 'json':
      return JSON.stringify(items);
    case 'yaml':
      return `${items.map((i) => `- ${JSON.stringify(i)}`).join('\n')}\n`;
  }
}
