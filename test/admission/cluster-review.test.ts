// Reviews against a complete view of the cluster (as the webhook's informer cache gives it):
// ConfigMap edits checked against their consumers, ConfigSchema changes listing the damage,
// and what a stale cache does to cross-object findings.
import { describe, expect, it } from '@jest/globals';
import { reviewAdmission, type ReviewDeps } from '../../src/admission/review.js';
import { documentLookup } from '../../src/cli/document-lookup.js';
import { defaultPolicyConfig, parsePolicyConfig } from '../../src/config/policy-config.js';
import type { Lookup } from '../../src/engine/lookup.js';
import { KnownObject } from '../../src/engine/objects.js';
import { deployment, review } from '../helpers/reviews.js';

const configMap = (data: Record<string, string>, name = 'api-config') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data });
const schema = (keys: Record<string, unknown>) => ({
  apiVersion: 'rollsafe.dev/v1alpha1',
  kind: 'ConfigSchema',
  metadata: { name: 'api', namespace: 'shop' },
  spec: { targets: { workloads: [{ selector: { matchLabels: { app: 'api' } } }] }, keys },
});
/** A Deployment that passes every single-object policy and reads api-config. */
const consumer = deployment({ env: [{ name: 'POOL_SIZE', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'POOL_SIZE' } } }] });

function cluster(objects: unknown[], schemas: ReturnType<typeof schema>[] = []): Lookup {
  const decoded = objects.map((o) => KnownObject.parse(o));
  const loaded = schemas.map((s) => ({ namespace: s.metadata.namespace, name: s.metadata.name, spec: s.spec as never }));
  return { ...documentLookup(decoded, 'shop', loaded), source: 'the cluster', complete: true };
}

const answer = (body: unknown, deps: ReviewDeps) => {
  const out = reviewAdmission(body, deps);
  if (!out.ok) throw new Error(out.error);
  return out.response.response;
};

describe('a ConfigMap edit, seen from the Deployments that read it', () => {
  const lookup = cluster([configMap({ POOL_SIZE: '25' }), consumer], [schema({ POOL_SIZE: { type: 'integer' } })]);
  const deps: ReviewDeps = { lookup, config: defaultPolicyConfig };
  /** An UPDATE of the stored ConfigMap (POOL_SIZE: 25) to these data. */
  const edit = (data: Record<string, string>) => review(configMap(data), { operation: 'UPDATE', oldObject: configMap({ POOL_SIZE: '25' }) });

  it('denies a value that breaks a consumer’s schema, naming the consumer, and warns about the in-place edit', () => {
    const r = answer(edit({ POOL_SIZE: '25connections' }), deps);
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/api reads it: env var POOL_SIZE of container "api" (from ConfigMap shop/api-config key POOL_SIZE): "25connections"');
    expect(r.warnings?.some((w) => w.startsWith('[configmap-in-place] data: edits key POOL_SIZE in place, outside any rollout: shop/api read it as env'))).toBe(true);
  });

  it('denies removing a key a consumer reads', () => {
    const r = answer(edit({ pool_size: '25' }), deps);
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-ref] data[POOL_SIZE]: Deployment shop/api needs a key this ConfigMap lacks');
    // Said once, by config-ref: config-schema adds no "cannot be checked" warning about the same key.
    expect((r.warnings ?? []).filter((w) => w.startsWith('[config-schema]'))).toEqual([]);
  });

  it('denies a newly dropped key even when another consumer already lacked a different one', () => {
    const other = deployment({ env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'MODE' } } }] }, { name: 'worker' });
    const both = cluster([configMap({ POOL_SIZE: '25' }), consumer, other]);
    const r = answer(edit({ OTHER: 'x' }), { lookup: both, config: defaultPolicyConfig });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-ref] data[POOL_SIZE]: Deployment shop/api needs a key');
    expect(r.warnings?.some((w) => w.startsWith('[config-ref] data[MODE]: predates this change: Deployment shop/worker'))).toBe(true);
  });

  it('allows a valid edit with the in-place warning only', () => {
    const r = answer(edit({ POOL_SIZE: '40' }), deps);
    expect(r.allowed).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings?.[0]).toMatch(/^\[configmap-in-place\]/);
  });

  it('allows a new, versioned ConfigMap no one reads yet', () => {
    expect(answer(review(configMap({ POOL_SIZE: '40' }, 'api-config-v2')), deps)).toEqual({ uid: expect.any(String), allowed: true });
  });
});

/** A Deployment `name` whose pods are labelled app=`name`, with one container changed by `container`. */
function app(name: string, container: Record<string, unknown>) {
  const d = deployment(container, { name });
  d.spec.selector.matchLabels.app = name;
  d.spec.template.metadata.labels.app = name;
  return d;
}
/** A ConfigSchema `name` for the pods labelled app=`name`. */
const appSchema = (name: string, keys: Record<string, unknown>) => {
  const s = schema(keys);
  return { ...s, metadata: { ...s.metadata, name }, spec: { ...s.spec, targets: { workloads: [{ selector: { matchLabels: { app: name } } }] } } };
};

describe('a ConfigMap edit that removes a key a consumer reads through envFrom', () => {
  // envFrom names no key, so config-ref cannot see the loss; the schema's `required` can.
  const reader = deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }] });
  const stored = configMap({ POOL_SIZE: '25', MODE: 'fast' });
  const required = schema({ POOL_SIZE: { type: 'integer', required: true }, MODE: { type: 'string' } });
  const deps: ReviewDeps = { lookup: cluster([stored, reader], [required]), config: defaultPolicyConfig };
  const edit = (data: Record<string, string>) => review(configMap(data), { operation: 'UPDATE', oldObject: stored });

  it('denies dropping a required key, naming the consumer and the key', () => {
    const r = answer(edit({ MODE: 'fast' }), deps);
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/api reads it: env var POOL_SIZE of container "api" is not set, but ConfigSchema shop/api requires it');
  });

  it('allows dropping a key the schema does not require', () => {
    const r = answer(edit({ POOL_SIZE: '25' }), deps);
    expect(r.allowed).toBe(true);
    expect((r.warnings ?? []).filter((w) => w.startsWith('[config-schema]'))).toEqual([]);
  });

  it('allows the drop when the Deployment also sets the key itself (its env wins over envFrom)', () => {
    const both = deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }], env: [{ name: 'POOL_SIZE', value: '10' }] });
    const r = answer(edit({ MODE: 'fast' }), { lookup: cluster([stored, both], [required]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(true);
  });

  it('does not report on the ConfigMap a problem the consumer already had', () => {
    // The Deployment already lacks REGION, required by a second key of the schema: not this edit's doing.
    const strict = schema({ POOL_SIZE: { type: 'integer', required: true }, MODE: { type: 'string' }, REGION: { type: 'string', required: true } });
    const r = answer(edit({ POOL_SIZE: '30', MODE: 'fast' }), { lookup: cluster([stored, reader], [strict]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(true);
    expect((r.warnings ?? []).filter((w) => w.startsWith('[config-schema]'))).toEqual([]);
  });

  it('denies the drop when the schema binds the ConfigMap by name and the Deployment by label', () => {
    const both = { ...required, spec: { ...required.spec, targets: { ...required.spec.targets, configMaps: ['api-config'] } } };
    const r = answer(edit({ MODE: 'fast' }), { lookup: cluster([stored, reader], [both]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/api reads it: env var POOL_SIZE of container "api" is not set, but ConfigSchema shop/api requires it');
  });

  it('denies the drop even when the stored map already lacked another required key (UPDATE matches old findings by path)', () => {
    const mapSchema = { ...schema({ REGION: { type: 'string', required: true } }), metadata: { name: 'api-config', namespace: 'shop' } };
    const byName = { ...mapSchema, spec: { ...mapSchema.spec, additionalKeys: 'allow', targets: { configMaps: ['api-config'] } } } as unknown as ReturnType<typeof schema>;
    const r = answer(edit({ MODE: 'fast' }), { lookup: cluster([stored, reader], [required, byName]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/api reads it');
    expect(r.warnings).toContain('[config-schema] data[REGION]: predates this change: key REGION is missing, but ConfigSchema shop/api-config requires it; add REGION: text');
  });

  it('does not deny an edit that leaves a consumer broken the way it already was', () => {
    // PORT=$(MODE) is not an integer before ("fast") or after ("slow"): the Deployment's problem, not this edit's.
    const d = deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }], env: [{ name: 'PORT', value: '$(MODE)' }] });
    const s = schema({ PORT: { type: 'integer' }, MODE: { type: 'string' }, POOL_SIZE: { type: 'integer' } });
    const r = answer(edit({ POOL_SIZE: '25', MODE: 'slow' }), { lookup: cluster([stored, d], [s]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(true);
    // ...while breaking it is denied.
    const ok = deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }], env: [{ name: 'PORT', value: '$(POOL_SIZE)' }] });
    const broken = answer(edit({ POOL_SIZE: 'many', MODE: 'fast' }), { lookup: cluster([stored, ok], [s]), config: defaultPolicyConfig });
    expect(broken.allowed).toBe(false);
    expect(broken.status?.message).toContain('[config-schema] data: Deployment shop/api reads it: env var PORT of container "api": "many"');
  });

  it('with additionalKeys: deny in a consumer’s schema, denies adding a key it does not declare, at that key', () => {
    const closed = { ...required, spec: { ...required.spec, additionalKeys: 'deny' } } as ReturnType<typeof schema>;
    const r = answer(edit({ POOL_SIZE: '25', MODE: 'fast', OTHER_APP_FLAG: 'on' }), { lookup: cluster([stored, reader], [closed]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[OTHER_APP_FLAG]: Deployment shop/api reads it: env var OTHER_APP_FLAG of container "api" is not declared in ConfigSchema shop/api');
  });

  it('denies a drop one consumer needs even when another consumer already had a problem with that key', () => {
    // web: POOL_SIZE at most 10, and the stored 25 already breaks it; worker requires POOL_SIZE.
    const web = app('web', { envFrom: [{ configMapRef: { name: 'api-config' } }] });
    const worker = app('worker', { envFrom: [{ configMapRef: { name: 'api-config' } }] });
    const schemas = [appSchema('web', { POOL_SIZE: { type: 'integer', maximum: 10 } }), appSchema('worker', { POOL_SIZE: { type: 'integer', required: true } })];
    const r = answer(edit({ MODE: 'fast' }), { lookup: cluster([stored, web, worker], schemas), config: defaultPolicyConfig });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/worker reads it: env var POOL_SIZE of container "api" is not set, but ConfigSchema shop/worker requires it');
  });

  it('names the map key, not the env var, when the Deployment reads the map with an envFrom prefix', () => {
    const prefixed = deployment({ envFrom: [{ prefix: 'APP_', configMapRef: { name: 'api-config' } }] });
    const s = schema({ APP_POOL_SIZE: { type: 'integer', required: true }, APP_MODE: { type: 'string' } });
    const r = answer(edit({ MODE: 'fast' }), { lookup: cluster([stored, prefixed], [s]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/api reads it: env var APP_POOL_SIZE of container "api" is not set');
  });

  it('checks a value the Deployment sees under another name even when the schema also binds the map by name', () => {
    const prefixed = deployment({ envFrom: [{ prefix: 'APP_', configMapRef: { name: 'api-config' } }] });
    const s = schema({ APP_POOL_SIZE: { type: 'integer' }, APP_MODE: { type: 'string' } });
    const both = { ...s, spec: { ...s.spec, additionalKeys: 'allow', targets: { ...s.spec.targets, configMaps: ['api-config'] } } } as ReturnType<typeof schema>;
    const r = answer(edit({ POOL_SIZE: 'many', MODE: 'fast' }), { lookup: cluster([stored, prefixed], [both]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/api reads it: env var APP_POOL_SIZE of container "api" (from ConfigMap shop/api-config key POOL_SIZE): "many"');
  });

  it('keeps the envFrom value when an optional configMapKeyRef names a key its map lacks (the kubelet skips that entry)', () => {
    const overrides = { ...configMap({ OTHER: 'x' }, 'overrides') };
    const d = deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }], env: [{ name: 'POOL_SIZE', valueFrom: { configMapKeyRef: { name: 'overrides', key: 'POOL_SIZE', optional: true } } }] });
    const r = answer(edit({ POOL_SIZE: 'many', MODE: 'fast' }), { lookup: cluster([stored, overrides, d], [required]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/api reads it: env var POOL_SIZE of container "api" (from ConfigMap shop/api-config key POOL_SIZE): "many"');
  });

  it('keeps the envFrom value when an optional configMapKeyRef names a ConfigMap that does not exist', () => {
    const d = deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }], env: [{ name: 'POOL_SIZE', valueFrom: { configMapKeyRef: { name: 'overrides', key: 'POOL_SIZE', optional: true } } }] });
    const r = answer(edit({ POOL_SIZE: 'many', MODE: 'fast' }), { lookup: cluster([stored, d], [required]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/api reads it: env var POOL_SIZE of container "api" (from ConfigMap shop/api-config key POOL_SIZE): "many"');
  });

  it('names only what the container the problem is about reads from the map', () => {
    // api sets POOL_SIZE=$(MODE) itself; side reads POOL_SIZE straight from the map. Breaking MODE breaks api.
    const d = deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }], env: [{ name: 'POOL_SIZE', value: '$(MODE)' }] });
    d.spec.template.spec.containers.push({ ...d.spec.template.spec.containers[0], name: 'side', env: [] } as (typeof d.spec.template.spec.containers)[0]);
    const s = schema({ POOL_SIZE: { type: 'integer' }, MODE: { type: 'string' } });
    const numeric = configMap({ POOL_SIZE: '5', MODE: '3' });
    const r = answer(review(configMap({ POOL_SIZE: '5', MODE: 'many' }), { operation: 'UPDATE', oldObject: numeric }), { lookup: cluster([numeric, d], [s]), config: defaultPolicyConfig });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data: Deployment shop/api reads it: env var POOL_SIZE of container "api": "many"');
  });

  it('denies creating the ConfigMap a Deployment waits for without a required key', () => {
    const waiting: ReviewDeps = { lookup: cluster([reader], [required]), config: defaultPolicyConfig };
    const r = answer(review(configMap({ MODE: 'fast' })), waiting);
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema] data[POOL_SIZE]: Deployment shop/api reads it: env var POOL_SIZE of container "api" is not set, but ConfigSchema shop/api requires it');
    expect(answer(review(configMap({ MODE: 'fast', POOL_SIZE: '5' })), waiting).allowed).toBe(true);
  });
});

describe('a ConfigSchema change lists the stored objects it would fail', () => {
  const lookup = cluster([configMap({ POOL_SIZE: '25' }), consumer]);
  const deps: ReviewDeps = { lookup, config: defaultPolicyConfig };

  it('warns (and allows) when a tightened schema fails a running Deployment', () => {
    const r = answer(review(schema({ POOL_SIZE: { type: 'integer', maximum: 10 } })), deps);
    expect(r.allowed).toBe(true);
    expect(r.warnings).toEqual([expect.stringMatching(/^\[config-schema\] spec\.keys: Deployment shop\/api would fail this schema at its next change: spec\.template\.spec\.containers\[api\]\.env\[POOL_SIZE\]: env var POOL_SIZE/)]);
  });

  it('says nothing when every bound object passes', () => {
    expect(answer(review(schema({ POOL_SIZE: { type: 'integer', maximum: 100 } })), deps).warnings).toBeUndefined();
  });
});

describe('a stale cluster cache', () => {
  // The ConfigMap api-config is not in the cache: config-ref would deny the missing key... of a map it cannot see.
  const lookup = cluster([configMap({ OTHER: 'x' })]);
  const stale = { stale: true as const, ageSeconds: 95 };
  const body = review(consumer);

  it('denies with a fresh cache', () => {
    expect(answer(body, { lookup, config: defaultPolicyConfig, cache: { stale: false } }).allowed).toBe(false);
  });

  it('staleCache: warn (default) turns cross-object denials into warnings that say the cache is stale', () => {
    const r = answer(body, { lookup, config: defaultPolicyConfig, cache: stale });
    expect(r.allowed).toBe(true);
    expect(r.warnings?.[0]).toMatch(/^\[config-ref\] spec\.template\.spec\.containers\[api\]\.env\[POOL_SIZE\]: not verified, the cluster cache has not synced with the API server for 95 s: /);
  });

  it('staleCache: allow drops cross-object findings; single-object checks still work', () => {
    const config = parsePolicyConfig({ staleCache: 'allow' }, 'test');
    expect(answer(body, { lookup, config, cache: stale }).warnings).toBeUndefined();
    const unsafe = review(deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://localhost:4318' }] }));
    expect(answer(unsafe, { lookup, config, cache: stale }).allowed).toBe(false);
  });

  it('staleCache: deny refuses an UPDATE too (a stale cache is not a problem the old object had)', () => {
    const config = parsePolicyConfig({ staleCache: 'deny' }, 'test');
    const r = answer(review(consumer, { operation: 'UPDATE', oldObject: consumer }), { lookup, config, cache: stale });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[stale-cache] the cluster cache has not synced');
  });

  it('staleCache: deny leaves excluded namespaces alone', () => {
    const config = parsePolicyConfig({ staleCache: 'deny', excludeNamespaces: ['shop'] }, 'test');
    expect(answer(body, { lookup, config, cache: stale }).allowed).toBe(true);
  });

  it('staleCache: deny refuses the object and says why', () => {
    const config = parsePolicyConfig({ staleCache: 'deny' }, 'test');
    const r = answer(body, { lookup, config, cache: stale });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[stale-cache] the cluster cache has not synced with the API server for 95 s, so cross-object checks cannot be trusted (staleCache: deny)');
  });
});

/** The Deployment with its one container's image changed: the usual hotfix. */
function withImage<T extends ReturnType<typeof deployment>>(d: T, image: string): T {
  const [c] = d.spec.template.spec.containers;
  return { ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers: [{ ...c, image }] } } } } as T;
}

describe('UPDATE: an old problem is one the change did not touch', () => {
  const bad = configMap({ POOL_SIZE: '25connections', MODE: 'fast' });
  /** The same map with a schema bound to it by name, or through the Deployment that reads POOL_SIZE. */
  const mapSchema = { ...schema({ POOL_SIZE: { type: 'integer' } }), metadata: { name: 'api-config', namespace: 'shop' } };
  const byName = { ...mapSchema, spec: { ...mapSchema.spec, additionalKeys: 'allow', targets: { configMaps: ['api-config'] } } } as unknown as ReturnType<typeof schema>;
  const byConsumer = schema({ POOL_SIZE: { type: 'integer' } });

  it.each([
    ['a schema that binds the map', [bad], byName, '[config-schema] data[POOL_SIZE]: edited by this change, still a problem: key POOL_SIZE: "30connections" is not an integer'],
    ['the schema of a Deployment that reads it', [bad, consumer], byConsumer, '[config-schema] data[POOL_SIZE]: edited by this change, still a problem: Deployment shop/api reads it: env var POOL_SIZE of container "api" (from ConfigMap shop/api-config key POOL_SIZE): "30connections" is not an integer'],
  ])('denies a ConfigMap edit from 25connections to 30connections under %s, and still allows editing another key', (_, objects, s, denial) => {
    const deps: ReviewDeps = { lookup: cluster(objects, [s]), config: defaultPolicyConfig };
    const edited = answer(review(configMap({ POOL_SIZE: '30connections', MODE: 'fast' }), { operation: 'UPDATE', oldObject: bad }), deps);
    expect(edited.allowed).toBe(false);
    expect(edited.status?.message).toContain(denial);
    const other = answer(review(configMap({ POOL_SIZE: '25connections', MODE: 'slow' }), { operation: 'UPDATE', oldObject: bad }), deps);
    expect(other.allowed).toBe(true);
    expect(other.warnings?.some((w) => w.startsWith('[config-schema] data[POOL_SIZE]: predates this change: '))).toBe(true);
  });

  describe('a Deployment reading its config through envFrom', () => {
    const v1 = configMap({ POOL_SIZE: '25connections', TIMEOUT: '30' });
    const v2 = configMap({ POOL_SIZE: '25', TIMEOUT: '30s' }, 'api-config-v2');
    const deps: ReviewDeps = { lookup: cluster([v1, v2], [schema({ POOL_SIZE: { type: 'integer' }, TIMEOUT: { type: 'integer' } })]), config: defaultPolicyConfig };
    const reading = (...envFrom: unknown[]) => deployment({ envFrom });
    const stored = reading({ configMapRef: { name: 'api-config' } });

    it('denies switching to a versioned map with another broken key (every key of an envFrom shares its path)', () => {
      const r = answer(review(reading({ configMapRef: { name: 'api-config-v2' } }), { operation: 'UPDATE', oldObject: stored }), deps);
      expect(r.allowed).toBe(false);
      expect(r.status?.message).toContain('[config-schema] spec.template.spec.containers[api].envFrom[0]: env var TIMEOUT of container "api" (from ConfigMap shop/api-config-v2 key TIMEOUT): "30s" is not an integer');
    });

    it('keeps the old problem old when an entry is added before the envFrom (its index moves)', () => {
      const r = answer(review(reading({ secretRef: { name: 'creds' } }, { configMapRef: { name: 'api-config' } }), { operation: 'UPDATE', oldObject: stored }), deps);
      expect(r.allowed).toBe(true);
      expect(r.warnings).toContainEqual(expect.stringMatching(/^\[config-schema\] spec\.template\.spec\.containers\[api\]\.envFrom\[1\]: predates this change: env var POOL_SIZE of container "api"/));
    });
  });

  it('denies a configMapKeyRef moved from one missing key to another', () => {
    const refTo = (key: string) => deployment({ env: [{ name: 'POOL_SIZE', valueFrom: { configMapKeyRef: { name: 'api-config', key } } }] });
    const deps: ReviewDeps = { lookup: cluster([configMap({ POOL_SIZE: '25' })]), config: defaultPolicyConfig };
    const r = answer(review(refTo('poolsize'), { operation: 'UPDATE', oldObject: refTo('pool') }), deps);
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('edited by this change, still a problem: env var POOL_SIZE of container "api" reads key "poolsize"');
    const hotfix = withImage(refTo('pool'), 'shop/api:1.4.3');
    expect(answer(review(hotfix, { operation: 'UPDATE', oldObject: refTo('pool') }), deps).allowed).toBe(true);
  });
});
