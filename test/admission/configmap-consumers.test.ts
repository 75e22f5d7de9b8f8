// A ConfigMap CREATE or UPDATE judged against the Deployments that read it, case by case as the
// kubelet delivers a ConfigMap to a container (k8s.io/kubernetes v1.37.2):
// - env: pkg/kubelet/kubelet_pods.go makeEnvironmentVariables (envFrom data keys with their prefix,
//   then env entries in order; an optional reference to a missing map or key is skipped);
// - volumes: pkg/volume/configmap MakePayload (every data and binaryData key without items; only the
//   items' keys with them, a missing one failing the mount unless optional), the same for projected
//   sources (pkg/volume/projected collectData);
// - subPath: pkg/kubelet/kubelet_pods.go makeMounts (a path the volume lacks is created as an empty
//   directory and mounted in place of the file).
import { describe, expect, it } from '@jest/globals';
import { reviewAdmission, type ReviewDeps } from '../../src/admission/review.js';
import { documentLookup } from '../../src/cli/document-lookup.js';
import { defaultPolicyConfig } from '../../src/config/policy-config.js';
import type { Lookup } from '../../src/engine/lookup.js';
import { KnownObject } from '../../src/engine/objects.js';
import { deployment, review } from '../helpers/reviews.js';

const configMap = (data: Record<string, string>, extra: Record<string, unknown> = {}, namespace = 'shop') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-config', namespace }, data, ...extra });
const schema = (keys: Record<string, unknown>) => ({
  apiVersion: 'rollsafe.dev/v1alpha1',
  kind: 'ConfigSchema',
  metadata: { name: 'api', namespace: 'shop' },
  spec: { targets: { workloads: [{ selector: { matchLabels: { app: 'api' } } }] }, additionalKeys: 'allow', keys },
});

/** A ConfigSchema document, as written (parsed when the lookup is built). */
type SchemaDoc = { readonly metadata: { name: string; namespace: string }; readonly spec: object };

function cluster(objects: unknown[], schemas: SchemaDoc[] = []): Lookup {
  const loaded = schemas.map((s) => ({ namespace: s.metadata.namespace, name: s.metadata.name, spec: s.spec as never }));
  return { ...documentLookup(objects.map((o) => KnownObject.parse(o)), 'shop', loaded), source: 'the cluster', complete: true };
}

const stored = configMap({ POOL: '5', MODE: 'fast' });

/** The answer to an UPDATE of the stored map (POOL: 5, MODE: fast) to `edited`, with `readers` in the cluster. */
function edit(edited: ReturnType<typeof configMap>, readers: unknown[], schemas: SchemaDoc[] = []) {
  const deps: ReviewDeps = { lookup: cluster([stored, ...readers], schemas), config: defaultPolicyConfig };
  const out = reviewAdmission(review(edited, { operation: 'UPDATE', oldObject: stored }), deps);
  if (!out.ok) throw new Error(out.error);
  return out.response.response;
}

/** A Deployment whose container mounts `mount` (name cfg) of volume `volume`. */
function mounting(volume: Record<string, unknown>, mount: Record<string, unknown> = {}) {
  const d = deployment({ volumeMounts: [{ name: 'cfg', mountPath: '/etc/app', ...mount }] });
  Object.assign(d.spec.template.spec, { volumes: [{ name: 'cfg', ...volume }] });
  return d;
}

describe('volumes', () => {
  it('a dropped volume item fails the mount, not the container config', () => {
    const r = edit(configMap({ MODE: 'fast' }), [mounting({ configMap: { name: 'api-config', items: [{ key: 'POOL', path: 'pool' }] } })]);
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain(
      '[config-ref] data[POOL]: Deployment shop/api needs a key this ConfigMap lacks: item "POOL" of volume "cfg" is not a key of ConfigMap shop/api-config (keys: MODE); its next pods will not start: the volume cannot be mounted (FailedMount; the pods stay in ContainerCreating)',
    );
  });
});

describe('subPath mounts', () => {
  const subPath = (path: string) => mounting({ configMap: { name: 'api-config' } }, { mountPath: '/etc/app/pool', subPath: path });

  it('denies dropping the key a subPath mount reads: new pods would get an empty directory in place of the file', () => {
    const r = edit(configMap({ MODE: 'fast' }), [subPath('POOL')]);
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain(
      '[config-ref] data[POOL]: Deployment shop/api needs a key this ConfigMap lacks: subPath "POOL" of volume "cfg" in container "api" is not a key of ConfigMap shop/api-config (keys: MODE): the kubelet mounts an empty directory there instead of a file; its next pods get an empty directory mounted where the file was',
    );
  });

  it('allows dropping another key, and warns that the subPath file changes only at restarts', () => {
    const r = edit(configMap({ POOL: '6' }), [subPath('POOL')]);
    expect(r.allowed).toBe(true);
    expect(r.warnings).toEqual(['[configmap-in-place] data: edits key POOL, removes key MODE in place, outside any rollout: shop/api mount it with subPath (never updated in place: each pod sees the change only at its next restart); create a new, immutable ConfigMap with a versioned name and point the Deployments at it, so the change rolls out']);
    // A key added is said to be added (a review found every change worded as an edit).
    const added = edit(configMap({ POOL: '5', MODE: 'fast', NEW: '1' }), [deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }] })]);
    expect(added.warnings?.[0]).toMatch(/^\[configmap-in-place\] data: adds key NEW in place, outside any rollout: shop\/api read it as env/);
  });

  it('allows dropping the key when the volume is optional (with a warning: the file is gone all the same), or the path comes from subPathExpr', () => {
    const optional = edit(configMap({ MODE: 'fast' }), [mounting({ configMap: { name: 'api-config', optional: true } }, { subPath: 'POOL' })]);
    expect(optional.allowed).toBe(true);
    expect(optional.warnings).toContainEqual(expect.stringMatching(/^\[config-ref\] data\[POOL\]: Deployment shop\/api needs a key this ConfigMap lacks: subPath "POOL" .*\(the volume is optional: true, which allows a missing ConfigMap, not a missing file\)/));
    expect(edit(configMap({ MODE: 'fast' }), [mounting({ configMap: { name: 'api-config' } }, { subPathExpr: '$(FILE)' })]).allowed).toBe(true);
  });

  it('does not blame the ConfigMap for a subPath that is not a path of the volume’s items', () => {
    const d = mounting({ configMap: { name: 'api-config', items: [{ key: 'MODE', path: 'mode' }] } }, { subPath: 'pool' });
    const r = edit(configMap({ MODE: 'slow' }), [d]);
    expect(r.allowed).toBe(true);
    expect((r.warnings ?? []).filter((w) => w.startsWith('[config-ref]'))).toEqual([]);
  });
});

describe('DELETE', () => {
  it('allows deleting a ConfigMap a Deployment reads, untouched (README: never checked)', () => {
    const reader = deployment({ env: [{ name: 'POOL', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'POOL' } } }] });
    const out = reviewAdmission(review(stored, { operation: 'DELETE', oldObject: stored }), { lookup: cluster([stored, reader]), config: defaultPolicyConfig });
    if (!out.ok) throw new Error(out.error);
    expect(out.response.response).toEqual({ uid: expect.any(String), allowed: true });
  });
});

/** A Deployment named and labelled `name`, its container changed by `container`. */
function app(name: string, container: Record<string, unknown>, namespace = 'shop') {
  const d = deployment(container, { name, namespace });
  d.spec.selector.matchLabels.app = name;
  d.spec.template.metadata.labels.app = name;
  return d;
}
const appSchema = (name: string, keys: Record<string, unknown>, namespace = 'shop') => {
  const s = schema(keys);
  return { ...s, metadata: { name, namespace }, spec: { ...s.spec, targets: { workloads: [{ selector: { matchLabels: { app: name } } }] } } };
};
const keyRef = (key: string, optional?: boolean) => ({ configMapKeyRef: { name: 'api-config', key, ...(optional !== undefined && { optional }) } });
const denials = (r: ReturnType<typeof edit>) => (r.status?.message ?? '').split('\n').slice(1);

describe('env', () => {
  it('configMapKeyRef: dropping the key is denied, unless the reference is optional (the kubelet skips it)', () => {
    expect(denials(edit(configMap({ MODE: 'fast' }), [deployment({ env: [{ name: 'POOL', valueFrom: keyRef('POOL') }] })]))).toEqual([
      expect.stringMatching(/^\[config-ref\] data\[POOL\]: Deployment shop\/api needs a key this ConfigMap lacks: env var POOL of container "api" reads key "POOL".*\(CreateContainerConfigError\)/),
    ]);
    expect(edit(configMap({ MODE: 'fast' }), [deployment({ env: [{ name: 'POOL', valueFrom: keyRef('POOL', true) }] })]).allowed).toBe(true);
  });

  it('says to keep a key the change removes, and to add one the map never had (a CREATE)', () => {
    const reader = deployment({ env: [{ name: 'POOL', valueFrom: keyRef('POOL') }] });
    expect(denials(edit(configMap({ MODE: 'fast' }), [reader]))[0]).toMatch(/; keep the key, or change the Deployment to stop reading it first$/);
    const created = reviewAdmission(review(configMap({ MODE: 'fast' })), { lookup: cluster([reader]), config: defaultPolicyConfig });
    expect(created.ok && created.response.response.status?.message.split('\n')[1]).toMatch(/^\[config-ref\] data\[POOL\]: Deployment shop\/api needs a key this ConfigMap lacks: .*; add the key POOL, or change the Deployment to stop reading it$/);
  });

  it('an optional configMapKeyRef to a dropped key leaves the variable unset: denied when the schema requires it', () => {
    const r = edit(configMap({ MODE: 'fast' }), [deployment({ env: [{ name: 'POOL', valueFrom: keyRef('POOL', true) }] })], [schema({ POOL: { type: 'integer', required: true } })]);
    expect(denials(r)).toEqual(['[config-schema] data[POOL]: Deployment shop/api reads it: env var POOL of container "api" is not set, but ConfigSchema shop/api requires it; add POOL with an integer']);
  });

  it('a key moved to binaryData is gone for env (the kubelet reads data only)', () => {
    const r = edit(configMap({ MODE: 'fast' }, { binaryData: { POOL: 'NQ==' } }), [deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }] })], [schema({ POOL: { type: 'integer', required: true } })]);
    expect(denials(r)).toEqual([expect.stringMatching(/^\[config-schema\] data\[POOL\]: Deployment shop\/api reads it: env var POOL of container "api" is not set/)]);
  });

  it('envFrom with a prefix: the schema names the variable (DB_POOL), the finding the key (POOL)', () => {
    const r = edit(configMap({ POOL: 'x', MODE: 'fast' }), [deployment({ envFrom: [{ prefix: 'DB_', configMapRef: { name: 'api-config' } }] })], [schema({ DB_POOL: { type: 'integer' } })]);
    expect(denials(r)).toEqual(['[config-schema] data[POOL]: Deployment shop/api reads it: env var DB_POOL of container "api" (from ConfigMap shop/api-config key POOL): "x" is not an integer (ConfigSchema shop/api); set it to an integer']);
    // A schema key POOL is not what the container sees through the prefix: nothing to check.
    expect(edit(configMap({ POOL: 'x', MODE: 'fast' }), [deployment({ envFrom: [{ prefix: 'DB_', configMapRef: { name: 'api-config' } }] })], [schema({ POOL: { type: 'integer' } })]).allowed).toBe(true);
  });

  it('a later env entry or a later envFrom map wins over the edited value (the kubelet applies them in order)', () => {
    const s = [schema({ POOL: { type: 'integer' } })];
    expect(edit(configMap({ POOL: 'x', MODE: 'fast' }), [deployment({ env: [{ name: 'POOL', valueFrom: keyRef('POOL') }, { name: 'POOL', value: '4' }] })], s).allowed).toBe(true);
    const override = { ...configMap({ POOL: '3' }), metadata: { name: 'override', namespace: 'shop' } };
    expect(edit(configMap({ POOL: 'x', MODE: 'fast' }), [override, deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }, { configMapRef: { name: 'override' } }] })], s).allowed).toBe(true);
  });

  // A schema that binds the map (targets.configMaps) and the Deployments (targets.workloads): a
  // required key left empty in the map is, like a missing one, a problem only for a consumer that
  // sees it. Found by a review with kubectl 1.37: an env entry that sets RATE_LIMIT itself was
  // denied on the map's empty value, which never reaches the process.
  it('a required key left empty in the map is denied only where a consumer sees it, when the schema also targets workloads', () => {
    const both = (targets: Record<string, unknown>) => {
      const s = schema({ RATE_LIMIT: { type: 'integer', minimum: 1, required: true } });
      return { ...s, spec: { ...s.spec, targets } };
    };
    const workloads = [{ selector: { matchLabels: { app: 'api' } } }];
    const emptied = configMap({ POOL: '5', MODE: 'fast', RATE_LIMIT: '' });
    const overriding = deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }], env: [{ name: 'RATE_LIMIT', value: '100' }] });
    const overridden = edit(emptied, [overriding], [both({ configMaps: ['api-config'], workloads })]);
    expect(overridden.allowed).toBe(true);
    expect(overridden.warnings?.filter((w) => w.startsWith('[config-schema]'))).toEqual([]);
    const reading = deployment({ envFrom: [{ configMapRef: { name: 'api-config' } }] });
    expect(denials(edit(emptied, [reading], [both({ configMaps: ['api-config'], workloads })]))).toEqual([
      '[config-schema] data[RATE_LIMIT]: Deployment shop/api reads it: env var RATE_LIMIT of container "api" (from ConfigMap shop/api-config key RATE_LIMIT) is empty, but ConfigSchema shop/api requires a value; set it to an integer of at least 1',
    ]);
    // Without the cluster's Deployments (webhook with --cluster off, rollsafe check) it cannot be
    // known who sees the empty value: a warning, never silence.
    const offline = reviewAdmission(review(emptied), { lookup: { ...cluster([], [both({ configMaps: ['api-config'], workloads })]), complete: false }, config: defaultPolicyConfig });
    expect(offline.ok && [offline.response.response.allowed, offline.response.response.warnings]).toEqual([
      true,
      ['[config-schema] data[RATE_LIMIT]: key RATE_LIMIT is empty, but ConfigSchema shop/api requires a value: a Deployment reading it through envFrom gets it empty unless its own env sets RATE_LIMIT (which Deployments read it is known only against the cluster); set it to an integer of at least 1'],
    ]);
    // A schema of the map alone says nothing of who reads it: the map must hold a value (the stored
    // map lacked the key, which that schema refused too: "still a problem").
    expect(denials(edit(emptied, [overriding], [both({ configMaps: ['api-config'] })]))).toEqual([
      '[config-schema] data[RATE_LIMIT]: edited by this change, still a problem: key RATE_LIMIT is empty, but ConfigSchema shop/api requires a value; set it to an integer of at least 1',
    ]);
    // A value that is wrong, not empty, is the map's own problem whoever overrides it.
    expect(denials(edit(configMap({ POOL: '5', MODE: 'fast', RATE_LIMIT: '25connections' }), [overriding], [both({ configMaps: ['api-config'], workloads })]))).toEqual([
      expect.stringMatching(/^\[config-schema\] data\[RATE_LIMIT\]: key RATE_LIMIT: "25connections" is not an integer/),
    ]);
  });

  it('$(VAR) expands a value taken from the map', () => {
    const d = deployment({ env: [{ name: 'P', valueFrom: keyRef('POOL') }, { name: 'POOL_SIZE', value: '$(P)' }] });
    const r = edit(configMap({ POOL: 'x', MODE: 'fast' }), [d], [schema({ POOL_SIZE: { type: 'integer' } })]);
    expect(denials(r)).toEqual(['[config-schema] data: Deployment shop/api reads it: env var POOL_SIZE of container "api": "x" is not an integer (ConfigSchema shop/api); set it to an integer']);
  });

  it('init containers are consumers too', () => {
    const d = deployment();
    Object.assign(d.spec.template.spec, { initContainers: [{ name: 'migrate', image: 'shop/migrate:1', env: [{ name: 'POOL', valueFrom: keyRef('POOL') }] }] });
    expect(denials(edit(configMap({ MODE: 'fast' }), [d]))).toEqual([expect.stringMatching(/^\[config-ref\] data\[POOL\]: Deployment shop\/api needs a key this ConfigMap lacks: env var POOL of container "migrate"/)]);
    expect(denials(edit(configMap({ POOL: 'x', MODE: 'fast' }), [d], [schema({ POOL: { type: 'integer' } })]))).toEqual([expect.stringMatching(/^\[config-schema\] data\[POOL\]: Deployment shop\/api reads it: env var POOL of container "migrate"/)]);
  });
});

describe('several consumers', () => {
  it('each Deployment is held to its own schema', () => {
    const readers = [app('a', { envFrom: [{ configMapRef: { name: 'api-config' } }] }), app('b', { envFrom: [{ configMapRef: { name: 'api-config' } }] })];
    const r = edit(configMap({ POOL: '50', MODE: 'fast' }), readers, [appSchema('a', { POOL: { type: 'integer' } }), appSchema('b', { POOL: { type: 'integer', maximum: 10 } })]);
    expect(denials(r)).toEqual([expect.stringMatching(/^\[config-schema\] data\[POOL\]: Deployment shop\/b reads it: .*"50" is above the maximum 10/)]);
  });

  it('a Deployment in another namespace reads its own map of the same name', () => {
    const elsewhere = [app('a', { env: [{ name: 'POOL', valueFrom: keyRef('POOL') }] }, 'other'), configMap({ POOL: '1' }, {}, 'other')];
    const r = edit(configMap({ POOL: 'x' }), elsewhere, [appSchema('a', { POOL: { type: 'integer' } }, 'other')]);
    expect(r).toEqual({ uid: expect.any(String), allowed: true });
  });
});

describe('volumes without subPath', () => {
  it('a key not in the items is not mounted: dropping it is allowed, silently', () => {
    expect(edit(configMap({ POOL: '5' }), [mounting({ configMap: { name: 'api-config', items: [{ key: 'POOL', path: 'pool' }] } })])).toEqual({ uid: expect.any(String), allowed: true });
  });

  it('an optional volume and a volume no container mounts do not stop a pod', () => {
    expect(edit(configMap({ MODE: 'fast' }), [mounting({ configMap: { name: 'api-config', optional: true, items: [{ key: 'POOL', path: 'pool' }] } })]).allowed).toBe(true);
    const unmounted = deployment();
    Object.assign(unmounted.spec.template.spec, { volumes: [{ name: 'cfg', configMap: { name: 'api-config', items: [{ key: 'POOL', path: 'pool' }] } }] });
    expect(edit(configMap({ MODE: 'fast' }), [unmounted]).allowed).toBe(true);
  });

  it('a projected source naming a dropped key stops the mount', () => {
    const r = edit(configMap({ MODE: 'fast' }), [mounting({ projected: { sources: [{ configMap: { name: 'api-config', items: [{ key: 'POOL', path: 'pool' }] } }] } })]);
    expect(denials(r)).toEqual([expect.stringMatching(/^\[config-ref\] data\[POOL\]: .*item "POOL" of volume "cfg".*\(FailedMount/)]);
  });
});
