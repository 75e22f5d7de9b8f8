// The chart's own workload passes Rollsafe's policies (issue 7): every rendered Deployment, in
// every configuration of the chart, through `rollsafe check` as a pipeline would run it on
// `helm template` output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/spawn-cli.js';
import { HELM_BUILD_TIMEOUT_MS, installHelm, renderText, SCENARIOS } from './helm.js';

interface CheckOutput {
  results: { kind: string; name: string; decision: string; findings: { policy: string; action: string; message: string }[] }[];
  summary: { checked: number };
}

function check(manifests: string, config?: string): { code: number; output: CheckOutput; stderr: string } {
  const args = ['bin/rollsafe.js', 'check', '--output', 'json', ...(config ? ['--config', config] : []), '-'];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, input: manifests, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? 1, output: JSON.parse(r.stdout || '{"results":[],"summary":{"checked":0}}') as CheckOutput, stderr: r.stderr };
}

/** Findings the chart accepts on purpose, by scenario: a one-replica install is the user's choice. */
const ACCEPTED: Readonly<Record<string, readonly string[]>> = {
  'one replica': ['replicas'],
};

let strictConfig: string;
let dir: string;
beforeAll(() => {
  installHelm();
  dir = mkdtempSync(join(tmpdir(), 'rollsafe-chart-check-'));
  strictConfig = join(dir, 'strict.yaml');
  writeFileSync(strictConfig, 'profile: strict\n');
}, HELM_BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(Object.entries(SCENARIOS))('chart with %s', (name, args) => {
  test.each([
    ['the default policies', undefined],
    ['profile: strict', 'strict'],
  ])('its Deployment has no finding under %s', (_label, profile) => {
    const r = check(renderText(args), profile ? strictConfig : undefined);
    expect(r.stderr).toBe('');
    const deployments = r.output.results.filter((x) => x.kind === 'Deployment');
    expect(deployments.map((d) => d.name)).toEqual(['rollsafe']);
    const findings = r.output.results.flatMap((x) => x.findings.map((f) => `${x.kind}/${x.name} [${f.policy}] ${f.action}: ${f.message}`));
    const accepted = ACCEPTED[name] ?? [];
    expect(findings.filter((f) => !accepted.some((p) => f.includes(`[${p}]`)))).toEqual([]);
    // An accepted finding that no longer appears is taken off the list.
    for (const p of accepted) expect(findings.some((f) => f.includes(`[${p}] warn`))).toBe(true);
    expect(r.code).toBe(0);
  });
});
