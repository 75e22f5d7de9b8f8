// `rollsafe check` over every file of shared/corpus/real-world (349 Deployments from 59 public
// projects). It must never crash on real manifests, and report input errors only for the files
// kubectl apply refuses too (test/fixtures/corpus-refused.tsv); every deny on them must be a reviewed true
// positive (test/fixtures/corpus-denials.tsv): a webhook that denies what works gets uninstalled.
// Per-policy counts are printed for the closing note and for review.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { CORPUS, FIXTURES } from '../helpers/fixtures.js';
import { rollsafe } from '../helpers/run-cli.js';
import { spawnRollsafe } from '../helpers/spawn-cli.js';

const rows = (file: string) =>
  readFileSync(`${FIXTURES}${file}`, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'));

/**
 * Files kubectl apply refuses (a value of a type the API server cannot decode, as kubectl reads
 * YAML; a Deployment without the selector apps/v1 requires; an example Ingress whose host is the
 * placeholder __INGRESS_HOST__), each verified with kubectl
 * --dry-run=server (test/fixtures/kube-schema/corpus-kubectl.tsv); they are checked on their own
 * below. The corpus is real and unedited: vouch-proxy's `value: true` has been refused since it
 * was written, and metrics-server's base-deployment.yaml is a kustomize base that gets its selector
 * from its kustomization.
 */
const refusals = rows('corpus-refused.tsv').map(([file, line, message]) => ({ file: file ?? '', said: `${line}: ${(message ?? '').replaceAll('\\n', '\n')}` }));
/** Each refused file and what check prints for it, in order (a file may hold several refused documents). */
const refused = new Map<string, string[]>();
for (const { file, said } of refusals) refused.set(file, [...(refused.get(file) ?? []), said]);

interface Report {
  results: { file: string; kind: string; name: string; findings: { policy: string; action: string; path: string }[] }[];
  summary: { files: number; objects: number; checked: number; skipped: number };
}

const dir = `${CORPUS}real-world`;
const rel = (file: string) => file.slice(dir.length + 1);
// The whole corpus in one run: a refused file is reported and the others are still checked.
const run = spawnRollsafe(['check', '-o', 'json', dir]);
const report = JSON.parse(run.stdout || '{"results":[],"errors":[],"summary":{}}') as Report & { errors: { file: string; line?: number; message: string }[] };

describe('rollsafe check on the real-world corpus', () => {
  it('reads every file without a crash, with an input error only for those kubectl apply refuses (exit 2)', () => {
    expect(run.code).toBe(2);
    expect(report.summary.files).toBe(229);
    // 349 Deployments, less the four kubectl refuses
    expect(report.results.filter((r) => r.kind === 'Deployment')).toHaveLength(349 - 4);
    expect(report.errors.map((e) => `${rel(e.file)}\t${e.line}: ${e.message}`)).toEqual(refusals.map(({ file, said }) => `${file}\t${said}`));
    expect(run.stderr).toBe(refusals.map(({ file, said }) => `rollsafe: error: ${dir}/${file}:${said}\n`).join(''));
  });

  it.each([...refused])('refuses %s on its own as kubectl apply does (exit 2, file, line, path and fix)', async (file, said) => {
    const r = await rollsafe(['check', `${dir}/${file}`]);
    expect([r.code, r.stderr]).toEqual([2, said.map((s) => `rollsafe: error: ${dir}/${file}:${s}\n`).join('')]);
  });

  // File by file: the corpus holds several renders of one chart (grafana.yaml and
  // grafana-with-hpa.yaml both define demo/demo-grafana), which would see each other's HPA if
  // checked together. A real repository holds one desired state, so the CLI resolves across all
  // the documents it is given.
  it('denies only the reviewed true positives listed in corpus-denials.tsv (each file on its own)', async () => {
    const seen: string[] = [];
    for (const file of [...new Set(report.results.map((r) => r.file))]) {
      const one = JSON.parse((await rollsafe(['check', '-o', 'json', file])).stdout) as Report;
      for (const r of one.results) {
        for (const f of r.findings) if (f.action === 'deny') seen.push(`${rel(r.file)}\t${r.name}\t${f.policy}\t${f.path}`);
      }
    }
    seen.sort();
    const reviewed = rows('corpus-denials.tsv')
      .map((l) => l.slice(0, 4).join('\t'))
      .sort();
    expect(seen).toEqual(reviewed);
  });

  it('prints per-policy counts', () => {
    const counts = new Map<string, { findings: number; objects: Set<string> }>();
    for (const r of report.results) {
      for (const f of r.findings) {
        const key = `${f.policy} (${f.action})`;
        const c = counts.get(key) ?? { findings: 0, objects: new Set<string>() };
        c.findings++;
        c.objects.add(`${r.file}#${r.name}`);
        counts.set(key, c);
      }
    }
    const lines = [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, c]) => `  ${k.padEnd(32)} ${String(c.findings).padStart(5)} findings in ${String(c.objects.size).padStart(4)} objects`);
    console.log(
      `real-world corpus: ${report.summary.checked} objects checked (${report.results.filter((r) => r.kind === 'Deployment').length} Deployments), ${report.summary.skipped} skipped\n${lines.join('\n')}`,
    );
    expect(counts.size).toBeGreaterThan(5);
  });
});
