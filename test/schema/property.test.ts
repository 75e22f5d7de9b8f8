// Properties of compiled key types (src/schema/compile.ts): a value is a report, never an
// exception, whatever the declared type and whatever a user (or an attacker) puts in a ConfigMap.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkValue } from '../../src/schema/compile.js';
import { KEY_TYPES, KeySpec } from '../../src/schema/document.js';
import type { JsonSchema } from '../../src/schema/json-schema.js';

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const int = fc.integer({ min: -1000, max: 1000 });
const count = fc.nat({ max: 20 });
const durations = fc.constantFrom('0', '300ms', '1s', '5s', '30s', '1m', '1h30m', '-5s', '250us');
const quantities = fc.constantFrom('0', '100m', '500m', '1', '2', '1Ki', '128Mi', '1.5Gi', '2e3', '-1');
const patterns = fc.constantFrom('^[a-z]+$', 'shop', '^\\p{L}*$', '^(https?|grpc)://', '\\d{3}', '^$', '.*');
const hosts = fc.array(fc.constantFrom('auth.example.com', '*.example.com', 'localhost', '::1', '*.svc.cluster.local'), { minLength: 1, maxLength: 3 });
const words = fc.array(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 6 }), { minLength: 1, maxLength: 4 });

/** JSON-Schema-subset declarations nested up to `depth` levels (every keyword optional). */
function jsonSchema(depth: number): fc.Arbitrary<JsonSchema> {
  const child = depth > 0 ? jsonSchema(depth - 1) : fc.constant({});
  return fc.record(
    {
      type: fc.oneof(
        fc.constantFrom('object', 'array', 'string', 'number', 'integer', 'boolean', 'null' as const),
        fc.constant(['string', 'null'] as ('string' | 'null')[]),
      ),
      properties: fc.dictionary(fc.constantFrom('a', 'b', 'server', 'port', 'constructor', 'odd key'), child, { maxKeys: 3 }),
      required: fc.array(fc.constantFrom('a', 'b', 'server', 'toString'), { maxLength: 2 }),
      items: child,
      enum: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }),
      minimum: int,
      maximum: int,
      minLength: count,
      maxLength: count,
      pattern: patterns,
      additionalProperties: fc.oneof(fc.boolean(), child),
    },
    { requiredKeys: [] },
  );
}

const common = { required: opt(fc.boolean()), description: opt(fc.string()) };
const bounded = <T>(bound: fc.Arbitrary<T>) => ({ minimum: opt(bound), maximum: opt(bound) });

/** Raw declarations of every item type (what a list's `items` may be). */
const itemSpecs = {
  string: fc.record({ type: fc.constant('string'), minLength: opt(count), maxLength: opt(count), pattern: opt(patterns), ...common }),
  integer: fc.record({ type: fc.constant('integer'), ...bounded(int), ...common }),
  number: fc.record({ type: fc.constant('number'), ...bounded(fc.double({ noNaN: true, noDefaultInfinity: true })), ...common }),
  boolean: fc.record({ type: fc.constant('boolean'), ...common }),
  duration: fc.record({ type: fc.constant('duration'), ...bounded(durations), ...common }),
  quantity: fc.record({ type: fc.constant('quantity'), ...bounded(quantities), ...common }),
  port: fc.record({ type: fc.constant('port'), ...common }),
  url: fc.record({ type: fc.constant('url'), schemes: opt(fc.subarray(['http', 'https', 'grpc'], { minLength: 1 })), hosts: opt(hosts), allowLoopback: opt(fc.boolean()), ...common }),
  endpoint: fc.record({ type: fc.constant('endpoint'), hosts: opt(hosts), allowLoopback: opt(fc.boolean()), ...common }),
  enum: fc.record({ type: fc.constant('enum'), values: words, ...common }),
};
const itemSpec = fc.oneof(...Object.values(itemSpecs));

/** Raw declarations of every key type, each parsed through the `KeySpec` zod schema. */
const keySpecs: Record<string, fc.Arbitrary<KeySpec>> = Object.fromEntries(
  Object.entries({
    ...itemSpecs,
    list: fc.record({ type: fc.constant('list'), format: opt(fc.constantFrom('csv', 'lines', 'json', 'yaml')), items: opt(itemSpec), minItems: opt(count), maxItems: opt(count), ...common }),
    json: fc.record({ type: fc.constant('json'), schema: opt(jsonSchema(2)), ...common }),
    yaml: fc.record({ type: fc.constant('yaml'), schema: opt(jsonSchema(2)), ...common }),
  }).map(([type, raw]) => [type, raw.map((r) => KeySpec.parse(JSON.parse(JSON.stringify(r))))]),
);

/** Inputs that broke, or could break, a parser: self-referencing aliases, odd tags, prototype keys. */
const tricky = fc.constantFrom(
  '&a [*a]',
  '- &a [*a]',
  '&a {x: *a}',
  'a: !!binary aGk=',
  'a: !custom x',
  '? [a]\n: 1',
  'a: 1\n---\nb: 2',
  '- ',
  '[1,',
  '[null]',
  '{"__proto__":{"type":"x"}}',
  '{"constructor":1,"toString":2}',
  'http://[::ffff:127.0.0.1]:80',
  '[0::1]:4318',
  '99999999999999999999',
  '1e400',
  '😀'.repeat(70),
);

/** Arbitrary text, and text shaped like what the checks look for (numbers, URLs, lists, documents). */
const values = fc.oneof(
  tricky,
  fc.tuple(tricky, tricky).map(([a, b]) => `${a}\n${b}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('0', '1', '9', '-', '+', '.', 'e', 'x', ':', ',', ' ', '\n', '[', ']', '{', '}', '"', '&a ', '*a', '- ', 'ms', 'Gi'), maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.webUrl({ withQueryParameters: true }),
  fc.ipV6().map((ip) => `http://[${ip}]:${Math.abs(ip.length * 997) % 70000}`),
  fc.array(fc.webUrl(), { maxLength: 3 }).map((urls) => urls.join(',')),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }).map((items) => items.map((i) => `- ${i}`).join('\n')),
  fc.json(),
);

describe('checkValue on arbitrary input', () => {
  it('has an arbitrary for every key type', () => {
    expect(Object.keys(keySpecs).sort()).toEqual([...KEY_TYPES].sort());
  });

  it.each([...KEY_TYPES])('reports problems of any value for any %s declaration as strings, and never throws', (type) => {
    const spec = keySpecs[type];
    if (!spec) throw new Error(`no arbitrary for ${type}`);
    fc.assert(
      fc.property(spec, values, (s, value) => {
        const problems = checkValue(s, value);
        expect(Array.isArray(problems)).toBe(true);
        for (const p of problems) expect(typeof p).toBe('string');
        expect(problems.every((p) => p.length > 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('integers', () => {
  it('accepts every integer within the declared bounds, written with String(n)', () => {
    const specAndValue = fc
      .tuple(fc.integer(), fc.integer())
      .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const)
      .chain(([minimum, maximum]) => fc.tuple(fc.constant(KeySpec.parse({ type: 'integer', minimum, maximum })), fc.integer({ min: minimum, max: maximum })));
    fc.assert(
      fc.property(specAndValue, ([spec, n]) => {
        expect(checkValue(spec, String(n))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts String(n) for any safe integer n when no bounds are declared', () => {
    const spec = KeySpec.parse({ type: 'integer' });
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(checkValue(spec, String(n))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses integers outside the bounds with the bound in the phrase', () => {
    const spec = KeySpec.parse({ type: 'integer', minimum: 1, maximum: 500 });
    fc.assert(
      fc.property(fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 501 })), (n) => {
        expect(checkValue(spec, String(n))).toEqual([n < 1 ? 'is below the minimum 1' : 'is above the maximum 500']);
      }),
      { numRuns: 500 },
    );
  });
});
