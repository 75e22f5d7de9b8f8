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

function cluster(objects: unknown[], schemas: ReturnType<typeof schema>[] = []): Lookup {
  const loaded = schemas.map((s) => ({ namespace: s.metadata.namespace, name: s.metadata.name, spec: s.spec as never }));
  return { ...documentLookup(objects.map((o) => KnownObject.parse(o)), 'shop', loaded), source: 'the cluster', complete: true };
}

const stored = configMap({ POOL: '5', MODE: 'fast' });

/** The answer to an UPDATE of the stored map (POOL: 5, MODE: fast) to `edited`, with `readers` in the cluster. */
function edit(edited: ReturnType<typeof configMap>, readers: unknown[], schemas: ReturnType<typeof schema>[] = []) {
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
    expect(r.warnings).toEqual(['[configmap-in-place] data: edits keys MODE, POOL in place, outside any rollout: shop/api mount it with subPath (never updated in place: each pod sees the change only at its next restart)']);
  });

  it('allows dropping the key when the volume is optional, or the path comes from subPathExpr', () => {
    expect(edit(configMap({ MODE: 'fast' }), [mounting({ configMap: { name: 'api-config', optional: true } }, { subPath: 'POOL' })]).allowed).toBe(true);
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
