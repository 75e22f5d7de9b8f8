// Values an author of a Deployment or ConfigMap controls, built to make one review expensive or
// to crash the webhook: each is answered, with a bounded result.
import { describe, expect, it } from '@jest/globals';
import { reviewAdmission, type ReviewDeps } from '../../src/admission/review.js';
import { defaultPolicyConfig } from '../../src/config/policy-config.js';
import { emptyLookup } from '../../src/engine/lookup.js';
import { deployment, review } from '../helpers/reviews.js';

const deps: ReviewDeps = { lookup: emptyLookup, config: defaultPolicyConfig };
const run = (body: unknown, d: ReviewDeps = deps) => {
  const out = reviewAdmission(body, d);
  if (!out.ok) throw new Error(`unexpected 400: ${out.error}`);
  return out.response.response;
};

describe('env values', () => {
  it('reads $( without a closing parenthesis in one pass (20 values of 128 KiB: minutes for the regex it replaced)', () => {
    const env = Array.from({ length: 20 }, (_, i) => ({ name: `V${i}`, value: '$('.repeat(65_536) }));
    expect(run(review(deployment({ env })))).toEqual({ uid: expect.any(String), allowed: true });
  });

  it('still masks a value that expands a secret-looking variable', () => {
    const env = [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'X_URL', value: 'http://localhost:1/$(DB_PASSWORD)' }];
    const r = run(review(deployment({ env })));
    expect(r.allowed).toBe(false);
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });
});
