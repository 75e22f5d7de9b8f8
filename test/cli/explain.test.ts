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

  it('names the known policies when the id is unknown (exit 2)', async () => {
    const r = await rollsafe(['explain', 'readiness']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`rollsafe: error: explain: unknown policy "readiness"; known policies: ${POLICIES.map((p) => p.id).join(', ')}\n`);
  });
});
