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
  if (report.errors.length > 0) rules.push(extraRule(INPUT_ERROR));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  // An input error is a result at its file and line, so code scanning shows it where it is, and
  // the run is not taken for a clean one.
  const inputErrors = report.errors.map((e) => ({
    ruleId: INPUT_ERROR,
    ruleIndex: ruleIndex.get(INPUT_ERROR),
    level: 'error' as const,
    // An option's mistake has no place in a file.
    message: { text: e.option ? e.message : e.detail },
    ...(!e.option && { locations: [{ physicalLocation: { artifactLocation: { uri: toUri(e.file) }, ...(e.line !== undefined && { region: { startLine: e.line } }) } }] }),
  }));
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
        results: [...inputErrors, ...results],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

const INPUT_ERROR = 'input-error';

const EXTRA_RULES: Record<string, { summary: string; help: string; level: 'error' | 'warning' }> = {
  [INPUT_ERROR]: {
    summary: 'A file or document Rollsafe cannot read: invalid YAML, or an object the API server would refuse. Its objects were not checked.',
    help: 'Fix the file at the line given (kubectl apply refuses it too); rollsafe check exits 2 while any input error remains.',
    level: 'error',
  },
  'yaml-key': {
    summary: 'An unquoted map key that YAML 1.1, as kubectl, Helm and Argo CD read manifests, turns into other text: on, yes, NO (Norway) become "true" or "false", 010 becomes "8".',
    help: 'Quote the key ("NO":) when its text is meant; the object otherwise gets the key named in the message.',
    level: 'warning',
  },
  duplicate: {
    summary: 'The same object (kind, namespace, name) is given more than once in one run: alternative renders of a chart, or one folder per environment. Cross-object checks may read another copy\'s ConfigMaps, HPAs and Services.',
    help: 'Check alternative renders and environments in separate runs (one desired state per run).',
    level: 'warning',
  },
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
