// Generated AdmissionReviews (random values at every level of a real review, random objects,
// huge strings, deep nesting, unicode): reviewAdmission never throws; it answers a well-formed
// AdmissionReview with the request's uid, or a one-line error for a 400.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { reviewAdmission } from '../../src/admission/review.js';
import { defaultPolicyConfig } from '../../src/config/policy-config.js';
import { emptyLookup } from '../../src/engine/lookup.js';
import { mutatedReview, randomObjectReview } from '../helpers/review-arbitraries.js';

const deps = { lookup: emptyLookup, config: defaultPolicyConfig };

function wellFormed(body: unknown): void {
  let out;
  expect(() => (out = reviewAdmission(body, deps))).not.toThrow();
  const result = out as unknown as ReturnType<typeof reviewAdmission>;
  if (result.ok) {
    const uid = (body as { request: { uid: string } }).request.uid;
    expect(result.response.apiVersion).toBe('admission.k8s.io/v1');
    expect(result.response.response.uid).toBe(uid);
    expect(typeof result.response.response.allowed).toBe('boolean');
    // Within what the API server passes on whole: 4 KiB in all, and each at most 256 once over Rollsafe's 3 KiB share.
    const warnings = result.response.response.warnings ?? [];
    const total = warnings.reduce((n, w) => n + w.length, 0);
    expect(total).toBeLessThanOrEqual(4096);
    if (total > 3072) for (const w of warnings) expect(w.length).toBeLessThanOrEqual(256);
  } else {
    expect(result.error.length).toBeGreaterThan(0);
    expect(result.error).not.toContain('\n');
  }
}

describe('reviewAdmission on generated input', () => {
  it('answers every review with one value replaced anywhere (thousands of cases)', () => {
    fc.assert(
      fc.property(mutatedReview, (body) => wellFormed(body)),
      { numRuns: 3000 },
    );
  });

  it('answers arbitrary bodies', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 5 }), (body) => wellFormed(body)), { numRuns: 1000 });
  });

  it('answers random objects of every checked kind inside a valid review', () => {
    fc.assert(fc.property(randomObjectReview, (body) => wellFormed(body)), { numRuns: 1000 });
  });
});
