// The case table of a policy (STYLE.md §2): every `valid.<case>.yaml` fixture gives no finding of
// the policy; every `invalid.<case>.yaml` gives exactly the expected findings (path and action).
// Each fixture runs through the engine and through the CLI (`rollsafe check -o json`), and the
// two must agree. Full message texts are pinned once per policy in a snapshot.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it, describe } from '@jest/globals';
import type { Action } from '../../src/engine/finding.js';
import { policyById } from '../../src/policies/index.js';
import { evaluateFile, FIXTURES } from '../helpers/fixtures.js';
import { rollsafe } from '../helpers/run-cli.js';

export interface ExpectedFinding {
  /** Object name, when the fixture holds more than one checked object. */
  readonly object?: string;
  readonly path: string;
  readonly action: Exclude<Action, 'off'>;
}

export interface PolicyCases {
  readonly valid: readonly string[];
  readonly invalid: readonly { readonly fixture: string; readonly expect: readonly ExpectedFinding[] }[];
}

export const fixtureDir = (id: string) => join(FIXTURES, 'policies', id);

interface Seen {
  object: string;
  path: string;
  action: string;
  message: string;
}

function engineFindings(id: string, file: string): Seen[] {
  return evaluateFile(file).flatMap((o) =>
    o.findings.filter((f) => f.policy === id).map((f) => ({ object: o.name, path: f.path, action: f.action, message: f.message })),
  );
}

async function cliFindings(id: string, file: string): Promise<Seen[]> {
  const run = await rollsafe(['check', '-o', 'json', file]);
  expect(run.stderr).toBe('');
  expect([0, 1]).toContain(run.code);
  const report = JSON.parse(run.stdout) as { results: { name: string; findings: Omit<Seen, 'object'>[] }[] };
  return report.results.flatMap((r) =>
    r.findings.filter((f) => (f as { policy?: string }).policy === id).map((f) => ({ object: r.name, path: f.path, action: f.action, message: f.message })),
  );
}

const shape = (s: Seen[], withObject: boolean) =>
  s.map((f) => (withObject ? { object: f.object, path: f.path, action: f.action } : { path: f.path, action: f.action }));

export function policyCases(id: string, cases: PolicyCases): void {
  describe(`policy ${id}`, () => {
    it('is registered', () => {
      expect(policyById(id)?.id).toBe(id);
    });

    it('has a fixture file for every case in the table and a case for every fixture file', () => {
      const files = readdirSync(fixtureDir(id)).filter((f) => f.endsWith('.yaml') && !f.startsWith('cluster.')).sort();
      const listed = [...cases.valid.map((c) => `valid.${c}.yaml`), ...cases.invalid.map((c) => `invalid.${c.fixture}.yaml`)].sort();
      expect(files).toEqual(listed);
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
    });

    for (const name of cases.valid) {
      it(`passes ${name}`, async () => {
        const file = join(fixtureDir(id), `valid.${name}.yaml`);
        expect(engineFindings(id, file)).toEqual([]);
        expect(await cliFindings(id, file)).toEqual([]);
      });
    }

    const messages: Record<string, string[]> = {};
    for (const c of cases.invalid) {
      it(`flags ${c.fixture}`, async () => {
        const file = join(fixtureDir(id), `invalid.${c.fixture}.yaml`);
        const withObject = c.expect.some((e) => e.object !== undefined);
        const engine = engineFindings(id, file);
        expect(shape(engine, withObject)).toEqual(c.expect.map((e) => (withObject ? e : { path: e.path, action: e.action })));
        const cli = await cliFindings(id, file);
        expect(cli).toEqual(engine);
        messages[c.fixture] = engine.map((f) => `[${id}] ${f.path}: ${f.message}`);
      });
    }

    it('words its findings as pinned (review wording changes here)', () => {
      expect(messages).toMatchSnapshot();
    });
  });
}
