// `--output sarif`: SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab, Azure DevOps).
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { POLICIES } from '../../policies/index.js';
import type { CheckReport } from '../check.js';

const LEVEL = { deny: 'error', warn: 'warning', audit: 'note' } as const;

export function formatSarif(report: CheckReport, version: string): string {
  const rules = POLICIES.map((p) => ({
    id: p.id,
    name: p.id,
    shortDescription: { text: p.summary },
    fullDescription: { text: p.rationale },
    help: { text: `${p.summary} Fix: ${p.fix}. Run \`rollsafe explain ${p.id}\` for details.` },
    defaultConfiguration: { level: LEVEL[p.defaultAction] },
  }));
  // A finding that is not a policy's (the `exemption` check of `rollsafe.dev/exempt`) still needs
  // a rule: code scanning shows a result's rule as its title and help.
  const known = new Set(rules.map((r) => r.id));
  for (const id of new Set(report.results.flatMap((r) => r.findings.map((f) => f.policy)))) {
    if (!known.has(id)) rules.push(extraRule(id));
  }
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.results.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.policy,
      ruleIndex: ruleIndex.get(f.policy),
      level: LEVEL[f.action],
      message: { text: `${r.kind} ${r.namespace}/${r.name}: ${f.path}: ${f.message}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(r.file) },
            region: { startLine: f.line },
          },
          logicalLocations: [{ fullyQualifiedName: `${r.kind}/${r.namespace}/${r.name}/${f.path}`, kind: 'object' }],
        },
      ],
    })),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'rollsafe', version, informationUri: 'https://rollsafe.dev', rules } },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

const EXTRA_RULES: Record<string, { summary: string; help: string; level: 'error' | 'warning' }> = {
  exemption: {
    summary: 'A rollsafe.dev/exempt annotation is honoured only for the users and groups the policy configuration allows.',
    help:
      'Without --as, check does not apply the exemption and warns; with --as, the annotation is denied for a user who may not set it, as the webhook denies it. ' +
      'Run check --as USER (and --as-group GROUP) as whoever applies the manifest, or set the annotation from an allowed account.',
    level: 'error',
  },
};

function extraRule(id: string) {
  const known = EXTRA_RULES[id];
  const summary = known?.summary ?? `Rollsafe check ${id}.`;
  return {
    id,
    name: id,
    shortDescription: { text: summary },
    fullDescription: { text: summary },
    help: { text: known?.help ?? summary },
    defaultConfiguration: { level: known?.level ?? 'warning' },
  };
}

/**
 * SARIF wants URIs (`uri-reference`), and code scanning resolves a relative one against the
 * repository root, where CI runs: a path under the working directory is written relative to it,
 * with forward slashes and each segment percent-encoded (a space, `#`, `%` or a non-ASCII letter
 * is not allowed raw in a URI, and `#` would start a fragment); a path outside it is an absolute
 * `file:` URI; stdin is the placeholder `stdin`.
 */
export function toUri(file: string, cwd = process.cwd()): string {
  if (file === '-' || file === '<stdin>') return 'stdin';
  const rel = relative(cwd, resolve(cwd, file));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return pathToFileURL(resolve(cwd, file)).href;
  return rel.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
}
