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
