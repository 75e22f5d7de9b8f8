// The engine, the policies and the schema language are pure (DESIGN.md layout; STYLE.md §3): no I/O, no clock, no
// logger, no environment, and no import of the shells around them. The CLI and the webhook then
// reach the same verdicts, and the engine can be tested with plain objects.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ROOT } from '../helpers/spawn-cli.js';

const FORBIDDEN_IMPORTS = [
  /from '\.\.?\/(\.\.\/)*(server|cluster|cli|config)\//,
  /from 'node:(fs|net|http|https|child_process|dgram|dns|os|worker_threads)'/,
  /from '(fastify|pino|@kubernetes\/client-node|prom-client|commander)'/,
];
const FORBIDDEN_CALLS = [/\bprocess\.(env|argv|exit|stdout|stderr)\b/, /\bDate\.now\(|new Date\(/, /\bMath\.random\(/, /\bconsole\./, /\bawait\b/];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('engine purity', () => {
  const files = ['src/engine', 'src/policies', 'src/schema'].flatMap((d) => sources(join(ROOT, d)));

  it('finds the engine and policy sources', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files.map((f) => [f.slice(ROOT.length)]))('%s does no I/O and imports no shell', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const re of [...FORBIDDEN_IMPORTS, ...FORBIDDEN_CALLS]) expect({ file, match: text.match(re)?.[0] }).toEqual({ file, match: undefined });
  });
});
