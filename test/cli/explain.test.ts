import { describe, expect, it } from '@jest/globals';
import { POLICIES } from '../../src/policies/index.js';
import { rollsafe } from '../helpers/run-cli.js';

describe('rollsafe explain', () => {
  it.each(POLICIES.map((p) => [p.id, p] as const))('explains %s from its metadata', async (id, p) => {
    const r = await rollsafe(['explain', id]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`${id} (${p.kinds.join(', ')}; default action: ${p.defaultAction})`);
    expect(r.stdout).toContain(p.summary);
    expect(r.stdout).toContain(`How to fix: ${p.fix}.`);
  });

  it('lists options with the values the configuration accepts and their defaults', async () => {
    const r = await rollsafe(['explain', 'probe-timing']);
    expect(r.stdout).toContain('minPeriodSeconds: smallest periodSeconds accepted (integer, at least 1; default 5)');
    // minReplicas: 0 is refused when the configuration is loaded; explain says so first.
    expect((await rollsafe(['explain', 'replicas'])).stdout).toContain('minReplicas: fewest replicas accepted (integer, at least 1; default 2)');
  });

  it('shows a configuration example that changes the action: warn for a policy that denies, off for one that warns', async () => {
    expect((await rollsafe(['explain', 'env-loopback'])).stdout).toContain(
      'change its action in the policy configuration: policies: {env-loopback: warn} (actions: deny, warn, audit, off)\n',
    );
    // readiness-probe already warns by default: `{readiness-probe: warn}` would change nothing.
    expect((await rollsafe(['explain', 'readiness-probe'])).stdout).toContain(
      'change its action in the policy configuration: policies: {readiness-probe: off} (actions: deny, warn, audit, off)\n',
    );
  });

  it('names the known policies when the id is unknown (exit 2)', async () => {
    const r = await rollsafe(['explain', 'readiness']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`rollsafe: error: explain: unknown policy "readiness"; known policies: ${POLICIES.map((p) => p.id).join(', ')}\n`);
  });
});
