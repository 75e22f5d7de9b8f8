// The webhook decodes objects with readers compiled from the strict zod schemas (objects.ts).
// A compiled reader must accept exactly what its schema accepts and return exactly what it
// returns (same fields, same absent ones, same key order), or the engine would judge another
// object than the one zod describes: checked on every document of the corpus (as written, and
// with its nulls removed, as the API server sends objects), on a Deployment with odd values put
// anywhere, and on generated JSON. A schema construct the compiler does not model must stop it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { z } from 'zod';
import { compileReader, type Reader, REFUSED } from '../../src/engine/compiled-reader.js';
import { KNOWN_KINDS, type KnownObject, STRICT_SCHEMAS } from '../../src/engine/objects.js';
import { CORPUS, knownKindDocuments } from '../helpers/fixtures.js';
import { oddValue, paths, replaceAt } from '../helpers/review-arbitraries.js';
import { deployment } from '../helpers/reviews.js';

const READERS = new Map(KNOWN_KINDS.map((kind) => [kind, compileReader(STRICT_SCHEMAS[kind as keyof typeof STRICT_SCHEMAS])]));

/** The value without its null fields and items, as the API server would send the object. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** The compiled reader and the zod schema agree on `raw`; returns whether zod accepted it. */
function expectSame(schema: z.ZodType, reader: Reader<unknown>, raw: unknown): boolean {
  const byZod = schema.safeParse(raw);
  const compiled = reader(raw);
  if (!byZod.success) {
    expect(compiled).toBe(REFUSED);
    return false;
  }
  expect(compiled).toStrictEqual(byZod.data);
  // toStrictEqual ignores key order; the engine's messages and JSON comparisons do not.
  expect(keyOrder(compiled)).toEqual(keyOrder(byZod.data));
  return true;
}

/** The keys of every object in a value, in order, by path. */
function keyOrder(value: unknown, path = '', out: string[] = []): string[] {
  if (typeof value !== 'object' || value === null) return out;
  const keys = Object.keys(value);
  out.push(`${path}: ${keys.join(',')}`);
  for (const k of keys) keyOrder((value as Record<string, unknown>)[k], `${path}.${k}`, out);
  return out;
}

/** Judged by the schema of its kind (given, when a case may have replaced `kind` itself). */
function expectSameForKind(raw: unknown, kind = (raw as { kind: keyof typeof STRICT_SCHEMAS }).kind): boolean {
  return expectSame(STRICT_SCHEMAS[kind], READERS.get(kind) as Reader<unknown>, raw);
}

/** A Deployment with a field of every shape the readers build (lists, probes, maps, refs). */
const full = deployment({
  env: [{ name: 'POOL_SIZE', value: '25' }, { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level', optional: true } } }],
  envFrom: [{ configMapRef: { name: 'env' }, prefix: 'APP_' }],
  ports: [{ name: 'http', containerPort: 8080 }],
  livenessProbe: { httpGet: { port: 'http', path: '/healthz', httpHeaders: [{ name: 'X', value: 'y' }] }, periodSeconds: 10 },
  resources: { requests: { cpu: '100m' }, limits: { memory: '1Gi' } },
  securityContext: { runAsNonRoot: true },
}, { labels: { app: 'api', tier: 'web' }, annotations: { note: 'x' } });

describe('compiled readers give what the strict zod schema gives', () => {
  it.each([
    ['real-world', `${CORPUS}real-world`],
    ['peer-fixtures', `${CORPUS}peer-fixtures`],
  ])('on every %s document of a known kind, as written and without its nulls', (_, dir) => {
    const known = knownKindDocuments(dir);
    expect(known.length).toBeGreaterThan(300);
    let accepted = 0;
    for (const raw of known) {
      expectSameForKind(raw);
      if (expectSameForKind(withoutNulls(raw))) accepted++;
    }
    // Most objects pass the strict reading once their nulls are gone (quantities written as
    // numbers do not): the comparison covers accepted objects, not only refusals.
    expect(accepted).toBeGreaterThan(known.length / 2);
  });

  it('accepts the full Deployment these cases start from', () => {
    expect(expectSameForKind(full)).toBe(true);
  });

  it('on a Deployment with a null, a number, a boolean, junk or nothing anywhere (5,000 cases)', () => {
    const value = fc.oneof(fc.constantFrom(null, undefined, 0, -0, 7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, false, '', 'x', [], {}, ['x'], { a: 'b' }), oddValue);
    fc.assert(
      fc.property(fc.constantFrom(...paths(full).filter((p) => p.length > 0)), value, (path, v) => {
        expectSameForKind(replaceAt(full, path, v), 'Deployment');
      }),
      { numRuns: 5000 },
    );
  });

  it('on generated JSON of each kind (2,000 cases)', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN_KINDS), fc.dictionary(fc.constantFrom('apiVersion', 'metadata', 'spec', 'data', 'binaryData', 'immutable', 'other'), json), (kind, fields) => {
        expectSameForKind({ ...fields, kind }, kind as keyof typeof STRICT_SCHEMAS);
      }),
      { numRuns: 2000 },
    );
  });

  it('makes a fresh default for each object: two objects without labels do not share one map', () => {
    const reader = READERS.get('ConfigMap') as Reader<KnownObject>;
    const a = reader({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }) as KnownObject;
    const b = reader({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }) as KnownObject;
    expect(a.metadata.labels).toEqual({});
    expect(a.metadata.labels).not.toBe(b.metadata.labels);
  });
});

describe('construct by construct: compiling either refuses the schema or agrees with zod on any value', () => {
  const custom = z.custom<string>((v) => typeof v === 'string' && v !== '');
  /** Each construct alone, and as the field `a` of an object, where absence is decided. */
  const constructs: [string, z.ZodType, 'compiles' | 'refused'][] = [
    ['string', z.string(), 'compiles'],
    ['number', z.number(), 'compiles'],
    ['boolean', z.boolean(), 'compiles'],
    ['literal', z.literal('a'), 'compiles'],
    ['literal undefined', z.literal(undefined), 'compiles'],
    ['custom', custom, 'compiles'],
    ['custom accepting anything', z.custom(() => true), 'compiles'],
    ['optional', z.string().optional(), 'compiles'],
    ['default', z.string().default('d'), 'compiles'],
    ['default of a custom', custom.default(() => 'fresh'), 'compiles'],
    ['union', z.union([z.number(), z.string()]), 'compiles'],
    ['overlapping union of objects', z.union([z.object({ a: z.string() }), z.object({ a: z.string(), b: z.number() })]), 'compiles'],
    ['union with undefined', z.union([z.string(), z.literal(undefined)]), 'compiles'],
    ['array', z.array(z.number()), 'compiles'],
    ['array with a default', z.array(z.string()).default(() => []), 'compiles'],
    ['object', z.object({ x: z.string(), y: z.number().optional(), z: z.array(z.string()).default(() => []) }), 'compiles'],
    ['object with a check', z.object({ x: z.string() }).refine((o) => o.x !== ''), 'refused'],
    ['string with a check', z.string().min(1), 'refused'],
    ['string format', z.email(), 'refused'],
    ['integer', z.int(), 'refused'],
    ['coerced string', z.coerce.string(), 'refused'],
    ['custom with a refinement', custom.refine((v) => v.length < 3), 'refused'],
    ['optional of a default', z.string().default('d').optional(), 'refused'],
    ['exact optional', z.exactOptional(z.string()), 'refused'],
    ['xor', z.xor([z.string(), z.number()]), 'refused'],
    ['discriminated union', z.discriminatedUnion('k', [z.object({ k: z.literal('a') }), z.object({ k: z.literal('b') })]), 'refused'],
    ['transform', z.string().transform((v) => v.trim()), 'refused'],
    ['nullable', z.string().nullable(), 'refused'],
    ['catch', z.string().catch('c'), 'refused'],
    ['readonly', z.object({ x: z.string() }).readonly(), 'refused'],
    ['enum', z.enum(['a', 'b']), 'refused'],
    ['record', z.record(z.string(), z.string()), 'refused'],
    ['strict object', z.strictObject({ x: z.string() }), 'refused'],
    ['loose object', z.looseObject({ x: z.string() }), 'refused'],
    ['object with a catchall', z.object({ x: z.string() }).catchall(z.string()), 'refused'],
    ['tuple', z.tuple([z.string()]), 'refused'],
    ['unknown', z.unknown(), 'refused'],
  ];
  const anything = fc.anything({ withNullPrototype: true, withBigInt: true, withBoxedValues: true, withSparseArray: true, withObjectString: true, withDate: true, withMap: true, withSet: true });
  class Model {
    x = 'x';
    get a(): string {
      return 'a';
    }
  }
  const odd: unknown[] = [undefined, null, '', 'a', 0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, [], [1, 'a'], {}, { a: undefined }, Object.create({ a: 'inherited', x: 'x' }), new Model(), Object.create(null), { a: 'x', b: 1 }];

  it.each(constructs)('%s', (_, schema, expected) => {
    for (const s of [schema, z.object({ a: schema })]) {
      let reader: Reader<unknown>;
      try {
        reader = compileReader(s);
      } catch (err) {
        expect(expected).toBe('refused');
        expect(String(err)).toMatch(/^Error: compileReader: \(root\)(\.a)? .*which the compiled reader does not model|not modelled/);
        continue;
      }
      expect(expected).toBe('compiles');
      for (const v of [...odd, ...odd.map((a) => ({ a }))]) expectSame(s, reader, v);
      fc.assert(fc.property(anything, (v) => void expectSame(s, reader, v)), { numRuns: 300 });
      fc.assert(fc.property(anything, (a) => void expectSame(s, reader, { a })), { numRuns: 300 });
    }
  });

  it('shares what zod shares: a map read by a custom schema is the input map itself', () => {
    const raw = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { app: 'x' } }, data: { k: 'v' } };
    const viaZod = STRICT_SCHEMAS.ConfigMap.safeParse(raw);
    const compiled = (READERS.get('ConfigMap') as Reader<KnownObject>)(raw) as KnownObject & { data: unknown };
    expect(viaZod.success && viaZod.data.metadata.labels).toBe(raw.metadata.labels);
    expect(compiled.metadata.labels).toBe(raw.metadata.labels);
    expect(compiled.data).toBe(raw.data);
  });
});

describe('where Node forbids code generation (--disallow-code-generation-from-strings)', () => {
  it('decodes with the zod schema instead, to the same object, and refuses what it refuses', () => {
    const script = `
      import { decodeObject } from ${JSON.stringify(fileURLToPath(new URL('../../src/engine/objects.ts', import.meta.url)))};
      let generated = true;
      try { new Function('return 1'); } catch { generated = false; }
      const ok = decodeObject(${JSON.stringify(full)});
      const bad = decodeObject({ ...${JSON.stringify(full)}, spec: { replicas: 'two' } });
      console.log(JSON.stringify({ generated, ok: ok.success && ok.data, bad: bad.success }));`;
    const run = (flags: string[]) => {
      const r = spawnSync(process.execPath, [...flags, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { generated: boolean; ok: unknown; bad: boolean };
    };
    const hardened = run(['--disallow-code-generation-from-strings']);
    const normal = run([]);
    expect(hardened.generated).toBe(false);
    expect(normal.generated).toBe(true);
    expect(hardened.ok).toEqual(normal.ok);
    expect(hardened.ok).toMatchObject({ kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'api' }] } } } });
    expect(hardened.bad).toBe(false);
  });
});
