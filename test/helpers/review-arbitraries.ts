// Generated AdmissionReview bodies for property tests and `npm run fuzz`: a real review with one
// value replaced anywhere by something odd (wrong types, huge strings, deep nesting, unicode),
// random objects of every checked kind, arbitrary JSON, and raw bytes that are not JSON.
import fc from 'fast-check';
import { deployment, review } from './reviews.js';

type Path = (string | number)[];

/** Every path into a JSON value, the root (`[]`) included. */
export function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, Array.isArray(value) ? Number(k) : k]))];
}

export function replaceAt(root: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: Record<string | number, unknown> = Array.isArray(root) ? ([...root] as never) : { ...(root as object) };
  const [head, ...rest] = path as [string | number, ...Path];
  copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}

export const baseReview = review(deployment({ env: [{ name: 'A', value: 'localhost:1' }] }), { operation: 'UPDATE', oldObject: deployment() });

export const oddValue = fc.oneof(
  fc.anything({ maxDepth: 4, withBigInt: false }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('x'.repeat(200_000), '', '\u0000', '💥'.repeat(1000), -1, 1e308, null, [], {}),
  fc.integer({ min: 1, max: 500 }).map((depth) => Array.from({ length: depth }).reduce<unknown>((acc) => ({ a: [acc] }), 'deep')),
);

/** A review with one value replaced anywhere. */
export const mutatedReview = fc.tuple(fc.constantFrom(...paths(baseReview)), oddValue).map(([path, value]) => replaceAt(baseReview, path, value));

/** A valid review around a random object of a checked kind. */
export const randomObjectReview = fc
  .tuple(fc.constantFrom('Deployment', 'ConfigMap', 'ConfigSchema'), fc.dictionary(fc.string(), fc.anything({ maxDepth: 4 })), fc.constantFrom('CREATE', 'UPDATE'))
  .map(([kind, object, operation]) => {
    const body = review({ kind, metadata: { name: 'x' } }, { operation: operation as 'CREATE' | 'UPDATE' });
    return { ...body, request: { ...body.request, object: { ...object, kind }, oldObject: operation === 'UPDATE' ? { ...object, kind } : null } };
  });

/** A request body as bytes: mostly JSON of the generators above, sometimes not JSON at all. */
export const requestPayload = fc.oneof(
  { weight: 5, arbitrary: mutatedReview.map((b) => JSON.stringify(b) ?? 'null') },
  { weight: 2, arbitrary: randomObjectReview.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 5 }).map((b) => JSON.stringify(b) ?? 'null') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 500 }) },
);
