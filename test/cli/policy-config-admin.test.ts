// The policy configuration as a cluster admin writes it: each file goes through `rollsafe check -c`
// and through the webhook's loader and review, which must agree on the verdict, and a mistake
// must stop both with one line naming the file, the line and the setting.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from '@jest/globals';
import { reviewAdmission } from '../../src/admission/review.js';
import { InputError } from '../../src/cli/input-error.js';
import { loadReviewConfig } from '../../src/server/review-config.js';
import { deployment, review } from '../helpers/reviews.js';
import { rollsafe } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rollsafe-policy-config-'));
let n = 0;
function write(text: string, name = `config-${++n}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

interface Verdict {
  readonly policy: string;
  readonly action: string;
}

/** What `rollsafe check -c` and the webhook say about one Deployment under one configuration file. */
async function bothPaths(configText: string, object: ReturnType<typeof deployment>): Promise<{ check: Verdict[]; webhook: Verdict[] }> {
  const config = write(configText);
  const manifest = write(stringify(object), `manifest-${n}.yaml`);
  const r = await rollsafe(['check', '-o', 'json', '-c', config, manifest]);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as { results: { findings: Verdict[] }[] };
  const check = (report.results[0]?.findings ?? []).map(({ policy, action }) => ({ policy, action }));
  const out = reviewAdmission(review(object), loadReviewConfig({ policyConfigFile: config, schemaPaths: [] }).deps);
  if (!out.ok) throw new Error(out.error);
  const webhook = out.summary.findings.map(({ policy, action }) => ({ policy, action }));
  return { check, webhook };
}

/** The one line each path gives for a configuration file with a mistake. */
async function refusal(configText: string): Promise<{ check: string; webhook: string; file: string }> {
  const config = write(configText);
  const r = await rollsafe(['check', '-c', config, write(stringify(deployment()), `manifest-${n}.yaml`)]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  let webhook = '';
  try {
    loadReviewConfig({ policyConfigFile: config, schemaPaths: [] });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    webhook = String((err as Error).message);
  }
  return { check: r.stderr, webhook, file: config };
}

// Probes every 3 s; the liveness probe restarts the container 9 s after start.
const fastProbes = deployment({
  readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 3, timeoutSeconds: 1 },
  livenessProbe: { httpGet: { path: '/live', port: 'http' }, periodSeconds: 3, timeoutSeconds: 1 },
});

describe('options of a namespace override', () => {
  it('are merged key by key over the options of policies: an option the override does not write keeps its configured value', async () => {
    const { check, webhook } = await bothPaths(
      [
        'policies:',
        '  probe-timing: {options: {minPeriodSeconds: 3}}',
        'namespaceOverrides:',
        '  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}',
        '    policies: {probe-timing: {options: {minLivenessGraceSeconds: 5}}}',
        '',
      ].join('\n'),
      fastProbes,
    );
    // Before: the override's options replaced the whole set, so minPeriodSeconds went back to 5
    // in `shop` and both probes were reported as running too often.
    expect(check).toEqual([]);
    expect(webhook).toEqual(check);
  });

  it('still win where they write a key', async () => {
    const { check, webhook } = await bothPaths(
      [
        'policies:',
        '  probe-timing: {action: deny, options: {minPeriodSeconds: 3, minLivenessGraceSeconds: 5}}',
        'namespaceOverrides:',
        '  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}',
        '    policies: {probe-timing: {options: {minLivenessGraceSeconds: 30}}}',
        '',
      ].join('\n'),
      fastProbes,
    );
    expect(check).toEqual([{ policy: 'probe-timing', action: 'deny' }]);
    expect(webhook).toEqual(check);
  });
});

describe('namespace names and selectors that could never match', () => {
  it.each([
    [
      'a pattern in excludeNamespaces',
      'excludeNamespaces:\n  - kube-system\n  - "team-*"\n',
      3,
      'excludeNamespaces[1]: "team-*" is not a namespace name (lower-case letters, digits and \'-\', at most 63); there are no patterns: list each one',
    ],
    ['an upper-case namespace in excludeNamespaces', 'excludeNamespaces: [Payments]\n', 1, 'excludeNamespaces[0]: "Payments" is not a namespace name'],
    [
      'a pattern as the namespace name in matchLabels',
      'namespaceOverrides:\n  - namespaceSelector:\n      matchLabels:\n        kubernetes.io/metadata.name: "team-*"\n    policies: {replicas: deny}\n',
      4,
      'namespaceOverrides[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"]: "team-*" is not a label value (letters, digits, \'-\', \'_\', \'.\', at most 63); selectors match whole values, not patterns',
    ],
    [
      'a pattern among the values of an expression',
      'namespaceOverrides:\n  - namespaceSelector:\n      matchExpressions:\n        - {key: kubernetes.io/metadata.name, operator: In, values: [team-a, "team-*"]}\n    policies: {replicas: deny}\n',
      4,
      'namespaceOverrides[0].namespaceSelector.matchExpressions[0].values[1]: "team-*" is not a label value',
    ],
    ['a label key with a space', 'namespaceOverrides:\n  - namespaceSelector: {matchLabels: {"team name": a}}\n    policies: {replicas: deny}\n', 2, '"team name" is not a label key'],
  ])('refuses %s in check and in the webhook, naming the file, line and setting', async (_what, text, line, message) => {
    const r = await refusal(text);
    // Before: each loaded, and the namespaces meant were checked as if the line were not there.
    expect(r.check).toContain(`${r.file}:${line}: invalid policy configuration:`);
    expect(r.check).toContain(message);
    expect(r.check.trim().split('\n')).toHaveLength(2);
    expect(r.webhook).toContain(message);
  });

  it('still reads a number in matchLabels as the label string, and expressions over namespace names', async () => {
    const text = [
      'namespaceOverrides:',
      '  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}',
      '    policies: {image-pinned: deny}',
      '  - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [shop, payments]}]}',
      '    policies: {image-pinned: audit}',
      '  - namespaceSelector: {matchLabels: {tier: 1}}',
      '    policies: {image-pinned: off}',
      '',
    ].join('\n');
    const { check, webhook } = await bothPaths(text, deployment({ image: 'shop/api:latest' }));
    // Later entries win; `tier: 1` matches no label here, the webhook knows only the name.
    expect(check).toEqual([{ policy: 'image-pinned', action: 'audit' }]);
    expect(webhook).toEqual(check);
  });
});

describe('a configuration file with nothing in it', () => {
  it.each([
    ['empty', ''],
    ['only comments', '# policies:\n#   replicas: off\n'],
    ['null', '~\n'],
  ])('is refused when %s (before: the built-in defaults, silently), and {} still means the defaults', async (_what, text) => {
    const r = await refusal(text);
    const line = `${r.file}: no policy configuration in the file (it is empty, or only comments or null); write {} for the built-in defaults`;
    expect(r.check).toBe(`rollsafe: error: ${line}\n`);
    expect(r.webhook).toBe(line);
  });

  it('{} is the built-in defaults', async () => {
    const { check, webhook } = await bothPaths('{}\n', deployment({ image: 'shop/api:latest' }));
    expect(check).toEqual([{ policy: 'image-pinned', action: 'warn' }]);
    expect(webhook).toEqual(check);
  });
});

describe('what a finding says when an option changed the verdict', () => {
  it('replicas names minReplicas instead of calling two pods a single point of failure', async () => {
    const object = deployment();
    object.spec.replicas = 2;
    const config = write('policies:\n  replicas: {action: deny, options: {minReplicas: 3}}\n');
    const r = await rollsafe(['check', '-o', 'json', '-c', config, write(stringify(object), `manifest-${n}.yaml`)]);
    const findings = (JSON.parse(r.stdout) as { results: { findings: { policy: string; message: string }[] }[] }).results[0]?.findings ?? [];
    expect(findings.map((f) => f.message)).toEqual([
      'runs 2 replica(s) (replicas: 2), below 3, the minReplicas of the policy configuration; set spec.replicas to 3 or more, or scale the Deployment with a HorizontalPodAutoscaler',
    ]);
    const out = reviewAdmission(review(object), loadReviewConfig({ policyConfigFile: config, schemaPaths: [] }).deps);
    if (!out.ok) throw new Error(out.error);
    expect(out.summary.findings.map((f) => f.message)).toEqual(findings.map((f) => f.message));
  });
});
