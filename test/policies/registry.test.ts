// The registry is honest (STYLE.md §8): one id, one spelling, everywhere. Every policy has its own
// file, test, fixtures with valid and invalid cases, a README row and a row in DESIGN.md's table.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { POLICIES } from '../../src/policies/index.js';
import { ROOT } from '../helpers/spawn-cli.js';

const design = readFileSync(join(ROOT, '../shared/DESIGN.md'), 'utf8');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const changes = readFileSync(join(ROOT, 'docs/design-changes.md'), 'utf8');

/** DESIGN.md's default action, unless docs/design-changes.md records a different one and why. */
function designedDefault(id: string, designed: string | undefined): string | undefined {
  const row = changes.split('\n').find((l) => l.startsWith(`| \`${id}\` | ${designed} |`));
  return row ? row.split('|')[3]?.trim() : designed;
}

/** DESIGN.md's kinds, plus those docs/design-changes.md records (`| \`id\` | kinds: A | kinds: A, B |`). */
function designedKinds(id: string, designed: string | undefined): string[] | undefined {
  const row = changes.split('\n').find((l) => l.startsWith(`| \`${id}\` | kinds: ${designed} |`));
  const kinds = row ? row.split('|')[3]?.trim().replace(/^kinds: /, '') : designed;
  return kinds?.split(/,\s*/);
}

describe('policy registry', () => {
  it('has unique ids in kebab-case', () => {
    const ids = POLICIES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('registers every policy file under src/policies', () => {
    const files = readdirSync(join(ROOT, 'src/policies'))
      .filter((f) => f.endsWith('.ts') && !['index.ts', 'reference.ts'].includes(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files).toEqual(POLICIES.map((p) => p.id).sort());
  });

  it.each(POLICIES.map((p) => [p.id, p] as const))('%s has a test, valid and invalid fixtures, docs and a DESIGN.md row', (id, p) => {
    expect(existsSync(join(ROOT, `test/policies/${id}.test.ts`))).toBe(true);
    const fixtures = readdirSync(join(ROOT, `test/fixtures/policies/${id}`));
    expect(fixtures.some((f) => /^(cluster\.)?valid\./.test(f))).toBe(true);
    expect(fixtures.some((f) => /^(cluster\.)?invalid\./.test(f))).toBe(true);
    expect(readme).toContain(`[\`${id}\`](docs/policies.md#${id})`);
    const row = design.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
    expect(row).toBeDefined();
    const [, , kinds, action] = (row ?? '').split('|').map((c) => c.trim());
    expect({ id, kinds: designedKinds(id, kinds), action: designedDefault(id, action) }).toEqual({ id, kinds: expect.arrayContaining([...p.kinds]), action: p.defaultAction });
    for (const text of [p.summary, p.rationale, p.fix]) expect(text.length).toBeGreaterThan(10);
  });
});
