// Generated AdmissionReviews (random values at every level of a real review, random objects,
// huge strings, deep nesting, unicode): reviewAdmission never throws; it answers a well-formed
// AdmissionReview with the request's uid, or a one-line error for a 400.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { reviewAdmission } from '../../src/admission/review.js';
import { defaultPolicyConfig } from '../../src/config/policy-config.js';
import { emptyLookup } from '../../src/engine/lookup.js';
import { deployment, review } from '../helpers/reviews.js';

const deps = { lookup: emptyLookup, config: defaultPolicyConfig };

/** Every path of an object, to replace one of them with a generated value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, Array.isArray(value) ? Number(k) : k]))];
}

function replaceAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: Record<string | number, unknown> = Array.isArray(root) ? [...root] as never : { ...(root as object) };
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}

const base = review(deployment({ env: [{ name: 'A', value: 'localhost:1' }] }), { operation: 'UPDATE', oldObject: deployment() });
const allPaths = paths(base);

const oddValues = fc.oneof(
  fc.anything({ maxDepth: 4, withBigInt: false }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('x'.repeat(200_000), '', '\u0000', '💥'.repeat(1000), -1, 1e308, NaN, null, [], {}),
  fc.integer({ min: 1, max: 200 }).map((depth) => Array.from({ length: depth }).reduce<unknown>((acc) => ({ a: [acc] }), 'deep')),
);

function wellFormed(body: unknown): void {
  let out;
  expect(() => (out = reviewAdmission(body, deps))).not.toThrow();
  const result = out as unknown as ReturnType<typeof reviewAdmission>;
  if (result.ok) {
    const uid = (body as { request: { uid: string } }).request.uid;
    expect(result.response.apiVersion).toBe('admission.k8s.io/v1');
    expect(result.response.response.uid).toBe(uid);
    expect(typeof result.response.response.allowed).toBe('boolean');
    for (const w of result.response.response.warnings ?? []) expect(w.length).toBeLessThanOrEqual(256);
  } else {
    expect(result.error.length).toBeGreaterThan(0);
    expect(result.error).not.toContain('\n');
  }
}

describe('reviewAdmission on generated input', () => {
  it('answers every review with one value replaced anywhere (thousands of cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...allPaths), oddValues, (path, value) => wellFormed(replaceAt(base, path, value))),
      { numRuns: 3000 },
    );
  });

  it('answers arbitrary bodies', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 5 }), (body) => wellFormed(body)), { numRuns: 1000 });
  });

  it('answers random objects of every checked kind inside a valid review', () => {
    const kinds = fc.constantFrom('Deployment', 'ConfigMap', 'ConfigSchema');
    fc.assert(
      fc.property(kinds, fc.dictionary(fc.string(), fc.anything({ maxDepth: 4 })), (kind, object) => {
        const body = review({ kind, metadata: { name: 'x' } });
        wellFormed({ ...body, request: { ...body.request, object: { ...object, kind } } });
      }),
      { numRuns: 1000 },
    );
  });
});
