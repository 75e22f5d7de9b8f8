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
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.results.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.policy,
      ruleIndex: ruleIndex.get(f.policy) ?? -1,
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
