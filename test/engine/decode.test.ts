// decodeObject reads an object strictly first (what the API server sends) and falls back to the
// lenient reading (nulls, numeric quantities) that manifests need. Whichever reading succeeds,
// the engine must see exactly what the lenient reading alone gives (KnownObject), and a broken
// object must get the same errors: checked on every document of the corpus and on generated
// variations of a Deployment with a null, a number, a boolean or junk put anywhere.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeObject, KnownObject } from '../../src/engine/objects.js';
import { CORPUS, knownKindDocuments } from '../helpers/fixtures.js';
import { oddValue, paths, replaceAt } from '../helpers/review-arbitraries.js';
import { deployment } from '../helpers/reviews.js';

/** What the engine gets: the decoded object, or the errors a user sees. */
const seen = (r: ReturnType<typeof decodeObject>) => (r.success ? { data: r.data } : { issues: r.error.issues });

function expectSameAsLenient(raw: unknown): void {
  expect(seen(decodeObject(raw))).toEqual(seen(KnownObject.safeParse(raw)));
}

describe('decodeObject: strict first, lenient when needed, the same result', () => {
  it.each([
    ['real-world', `${CORPUS}real-world`],
    ['peer-fixtures', `${CORPUS}peer-fixtures`],
  ])('on every %s document of a known kind', (_, dir) => {
    const known = knownKindDocuments(dir);
    expect(known.length).toBeGreaterThan(300);
    for (const raw of known) expectSameAsLenient(raw);
  });

  const full = deployment({
    env: [{ name: 'POOL_SIZE', value: '25' }, { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level' } } }],
    envFrom: [{ configMapRef: { name: 'env' }, prefix: 'APP_' }],
    livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 10 },
  }, { labels: { app: 'api', tier: 'web' }, annotations: { note: 'x' } });
  it('on a Deployment with a null, a number, a boolean or junk anywhere (3,000 cases)', () => {
    const value = fc.oneof(fc.constantFrom(null, 0, 7, true, false, '', 'x', [], {}), oddValue);
    fc.assert(
      fc.property(fc.constantFrom(...paths(full).filter((p) => p.length > 0)), value, (path, v) => {
        expectSameAsLenient(replaceAt(full, path, v));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a manifest with nulls (Helm) and numeric quantities as the API server does', () => {
    const manifest = deployment(
      { env: [{ name: 'PORT', value: null }], ports: null, resources: { requests: { cpu: 1, memory: null }, limits: { cpu: 0.5 } } },
      { labels: { app: 'api', empty: null }, annotations: null },
    );
    const r = decodeObject(manifest);
    expect(r.success).toBe(true);
    if (!r.success || r.data.kind !== 'Deployment') return;
    expect(r.data.metadata.labels).toEqual({ app: 'api', empty: '' });
    expect(r.data.metadata.annotations).toEqual({});
    const container = r.data.spec.template.spec.containers[0];
    expect(container?.env).toEqual([{ name: 'PORT', value: undefined }]);
    expect(container?.ports).toEqual([]);
    expect(container?.resources).toEqual({ requests: { cpu: '1', memory: '' }, limits: { cpu: '0.5' } });
  });

  // kubectl 1.37 apply --dry-run=server: "json: cannot unmarshal number into Go struct field
  // EnvVar.spec.template.spec.containers.env.value of type string", and for labels kubectl's own
  // "unable to decode ...: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels".
  it.each([
    ['an env value', deployment({ env: [{ name: 'PORT', value: 8080 }] }), ['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'value']],
    ['a label value', deployment({}, { labels: { app: 'api', enabled: true } }), ['metadata', 'labels', 'enabled']],
    ['a boolean quantity', deployment({ resources: { requests: { cpu: true } } }), ['spec', 'template', 'spec', 'containers', 0, 'resources', 'requests', 'cpu']],
  ])('refuses a number or boolean where Kubernetes wants a string: %s', (_, manifest, path) => {
    const r = decodeObject(manifest);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path)).toContainEqual(path);
  });
});
