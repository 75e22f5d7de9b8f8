import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { rollsafe } from '../helpers/run-cli.js';
import { clusterCases } from './cluster-cases.js';
import { fixtureDir } from './policy-cases.js';

// Only the webhook sees an UPDATE's previous version, so the cases run against a cluster.
clusterCases('configmap-in-place', {
  valid: ['no-consumers', 'create-versioned', 'unread-keys'],
  invalid: [
    {
      fixture: 'env-and-volume',
      expect: [
        {
          path: 'data',
          action: 'warn',
          message: /^edits key LOG_LEVEL in place, outside any rollout: shop\/api read it as env \(each pod sees the change only at its next restart\); shop\/web mount it \(files change in every pod within about a minute, all at once\); create a new, immutable ConfigMap with a versioned name/,
        },
      ],
    },
    {
      fixture: 'subpath-mount',
      expect: [
        {
          path: 'data',
          action: 'warn',
          message: /^edits key app\.yaml in place, outside any rollout: shop\/web mount it with subPath \(never updated in place: each pod sees the change only at its next restart\); shop\/proxy mount it \(files change in every pod within about a minute, all at once\);/,
        },
      ],
    },
  ],
});

it('configmap-in-place: rollsafe check has no previous version and reports nothing', async () => {
  const run = await rollsafe(['check', '-o', 'json', join(fixtureDir('configmap-in-place'), 'valid.cli-has-no-previous.yaml')]);
  const report = JSON.parse(run.stdout) as { results: { findings: { policy: string }[] }[] };
  expect(report.results.flatMap((r) => r.findings.map((f) => f.policy))).not.toContain('configmap-in-place');
  expect(run.code).toBe(0);
});
