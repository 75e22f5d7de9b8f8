// What the API server (and so kubectl) receives for each kind of request.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { buildResponse, fitWarning, fitWarnings } from '../../src/admission/respond.js';
import { reviewAdmission, type ReviewDeps } from '../../src/admission/review.js';
import { defaultPolicyConfig, parsePolicyConfig } from '../../src/config/policy-config.js';
import { emptyLookup } from '../../src/engine/lookup.js';
import { ConfigSchemaSpec } from '../../src/schema/document.js';
import { staticLookup } from '../../src/server/static-lookup.js';
import { documentLookup } from '../../src/cli/document-lookup.js';
import { expandPaths, parseDocuments } from '../../src/cli/read-documents.js';
import { decodeObject } from '../../src/engine/objects.js';
import { CORPUS, deepFreeze } from '../helpers/fixtures.js';
import { deployment, review } from '../helpers/reviews.js';

const deps: ReviewDeps = { lookup: emptyLookup, config: defaultPolicyConfig };
const run = (body: unknown, d: ReviewDeps = deps) => {
  const out = reviewAdmission(body, d);
  if (!out.ok) throw new Error(`unexpected 400: ${out.error}`);
  return out;
};
const C = 'spec.template.spec.containers[api]';

describe('decoding', () => {
  it.each([
    ['a body that is not an object', 'hello', /^not an admission\.k8s\.io\/v1 AdmissionReview: /],
    ['an admission.k8s.io/v1beta1 review', { ...review(deployment()), apiVersion: 'admission.k8s.io/v1beta1' }, /^admission\.k8s\.io\/v1beta1 is not supported: set admissionReviewVersions: \[v1\]/],
    ['a review without uid', (() => { const r = review(deployment()); return { ...r, request: { ...r.request, uid: undefined } }; })(), /request\.uid: is required/],
    ['an unknown operation', (() => { const r = review(deployment()); return { ...r, request: { ...r.request, operation: 'PATCH' } }; })(), /request\.operation: must be one of "CREATE", "UPDATE", "DELETE", "CONNECT"/],
  ])('refuses %s with one line saying why', (_, body, message) => {
    const out = reviewAdmission(body, deps);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toMatch(message);
  });

  it('keeps the uid of a review it cannot read, so the error can name it', () => {
    const r = review(deployment(), { uid: 'abc' });
    const out = reviewAdmission({ ...r, request: { ...r.request, operation: 7 } }, deps);
    expect(out).toMatchObject({ ok: false, uid: 'abc' });
  });
});

describe('answers', () => {
  it('allows a safe Deployment with the same uid and nothing else', () => {
    const out = run(review(deployment(), { uid: 'u-1' }));
    expect(out.response).toEqual({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u-1', allowed: true } });
  });

  it('denies with status 403, one line per deny finding and every cause', () => {
    const out = run(review(deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] })));
    const { response } = out.response;
    expect(response.allowed).toBe(false);
    expect(response.status).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(response.status?.message.split('\n')).toEqual([
      'rollsafe denied Deployment shop/api: 1 problem(s)',
      expect.stringMatching(new RegExp(`^\\[env-loopback\\] ${C.replace(/[[\]]/g, '\\$&')}\\.env\\[OTEL_EXPORTER_OTLP_ENDPOINT\\]: env var OTEL_EXPORTER_OTLP_ENDPOINT`)),
    ]);
    expect(response.status?.details?.causes).toEqual([
      { field: `${C}.env[OTEL_EXPORTER_OTLP_ENDPOINT]`, message: expect.stringMatching(/^\[env-loopback\] /), reason: 'FieldValueInvalid' },
    ]);
  });

  it('allows with warnings kubectl prints, each under 256 characters', () => {
    const out = run(review(deployment({ image: 'shop/api:latest', env: [{ name: 'RATE_LIMIT', value: '' }] })));
    expect(out.response.response.allowed).toBe(true);
    const warnings = out.response.response.warnings ?? [];
    expect(warnings.map((w) => w.slice(0, w.indexOf(']') + 1))).toEqual(['[image-pinned]', '[env-empty]']);
    for (const w of warnings) expect(w.length).toBeLessThanOrEqual(256);
  });

  it('puts audit findings in auditAnnotations keyed by policy', () => {
    const config = parsePolicyConfig({ policies: { 'image-pinned': 'audit' } }, 'test');
    const out = run(review(deployment({ image: 'shop/api' })), { ...deps, config });
    expect(out.response.response.warnings).toBeUndefined();
    expect(out.response.response.auditAnnotations).toEqual({ 'image-pinned': expect.stringContaining(`${C}.image: container "api" uses image "shop/api"`) });
  });

  it('caps the status message at 10 findings and says how many more', () => {
    const env = Array.from({ length: 14 }, (_, i) => ({ name: `E${i}`, value: `localhost:${9000 + i}` }));
    const message = run(review(deployment({ env }))).response.response.status?.message.split('\n') ?? [];
    expect(message).toHaveLength(12);
    expect(message[0]).toBe('rollsafe denied Deployment shop/api: 14 problem(s)');
    expect(message[11]).toBe('… and 4 more (all in status.details.causes, or run rollsafe check on the manifest)');
  });
});

describe('without cluster access', () => {
  const readsConfigMaps = deployment({
    env: [{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'api-settings', key: 'level' } } }],
    envFrom: [{ configMapRef: { name: 'api-env' } }],
    volumeMounts: [{ name: 'config', mountPath: '/etc/api' }],
  });
  readsConfigMaps.spec.template.spec = { ...readsConfigMaps.spec.template.spec, volumes: [{ name: 'config', configMap: { name: 'api-files' } }] } as typeof readsConfigMaps.spec.template.spec;

  it('does not call ConfigMaps it cannot see missing (npm start, --cluster off)', () => {
    for (const lookup of [emptyLookup, staticLookup([])]) {
      const out = run(review(readsConfigMaps), { lookup, config: defaultPolicyConfig });
      expect(out.response.response).toEqual({ uid: expect.any(String), allowed: true });
    }
  });

  it('says a schema-bound value cannot be read, not that its ConfigMap is missing', () => {
    const spec = ConfigSchemaSpec.parse({ targets: { workloads: [{ selector: { matchLabels: { app: 'api' } } }] }, keys: { LOG_LEVEL: { type: 'enum', values: ['debug', 'info'] } } });
    const out = run(review(readsConfigMaps), { lookup: staticLookup([{ namespace: 'shop', name: 'api-config', spec }]), config: defaultPolicyConfig });
    expect(out.response.response.warnings).toEqual([
      expect.stringMatching(/^\[config-schema\] .*env\[LOG_LEVEL\]: .*cannot be checked .*: ConfigMap shop\/api-settings cannot be read \(the webhook runs without cluster access\)/),
    ]);
  });
});

describe('requests that are not evaluated', () => {
  it.each([
    ['DELETE', review(deployment(), { operation: 'DELETE' })],
    ['a kind it does not check', review({ kind: 'Secret', metadata: { name: 's' } })],
    ['kube-root-ca.crt', review({ kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': '' } } as never)],
    [
      'a ConfigMap UPDATE that changes neither data nor binaryData (leader election)',
      review({ kind: 'ConfigMap', metadata: { name: 'lock', annotations: { holder: 'b' } }, data: { a: '1' } } as never, {
        operation: 'UPDATE',
        oldObject: { kind: 'ConfigMap', metadata: { name: 'lock', annotations: { holder: 'a' } }, data: { a: '1' } },
      }),
    ],
    [
      'a status subresource UPDATE (a controller writing status), when a configuration sends subresources',
      (() => {
        const bad = deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] });
        const r = review(bad, { operation: 'UPDATE', oldObject: bad });
        return { ...r, request: { ...r.request, subResource: 'status', requestSubResource: 'status' } };
      })(),
    ],
    ['the CREATE of a leader-election lock without data', review({ kind: 'ConfigMap', metadata: { name: 'lock', annotations: { 'control-plane.alpha.kubernetes.io/leader': '{"holderIdentity":"a"}' } } } as never)],
  ])('allows %s untouched', (_, body) => {
    const out = run(body);
    expect(out.response.response).toEqual({ uid: expect.any(String), allowed: true });
    expect(out.summary.skipped).toEqual(expect.any(String));
  });
});

describe('leader-election locks', () => {
  const staleDeny: ReviewDeps = { ...deps, config: parsePolicyConfig({ staleCache: 'deny' }, 'test'), cache: { stale: true, ageSeconds: 120 } };
  const lock = (extra: Record<string, unknown> = {}, annotations: Record<string, string> = {}) =>
    review({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lock', namespace: 'shop', annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}', ...annotations } }, ...extra } as never);

  it('creates a lock without data even with staleCache: deny and a stale cache, as the chart\'s matchCondition does on 1.30+', () => {
    expect(run(lock(), staleDeny).response.response.allowed).toBe(true);
  });

  it('still checks a lock created with data or with an exemption', () => {
    expect(run(lock({ data: { a: '1' } }), staleDeny).response.response.allowed).toBe(false);
    expect(run(lock({}, { 'rollsafe.dev/exempt': 'config-ref', 'rollsafe.dev/exempt-reason': 'x' }), staleDeny).response.response.allowed).toBe(false);
  });
});

describe('UPDATE and existing violations', () => {
  const legacy = deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] });

  it('allows a hotfix to an object that already had a deny finding, warning that it predates the change', () => {
    const hotfix = deployment({ image: 'shop/api:1.4.3', env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] });
    const out = run(review(hotfix, { operation: 'UPDATE', oldObject: legacy }));
    expect(out.response.response.allowed).toBe(true);
    expect(out.response.response.warnings?.[0]).toMatch(/^\[env-loopback\] .*: predates this change: /);
    expect(out.summary.preexisting).toBe(1);
  });

  it('still denies a new problem in the same update', () => {
    const worse = deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }], readinessProbe: { httpGet: { path: '/ready', port: 'health' } } });
    const out = run(review(worse, { operation: 'UPDATE', oldObject: legacy }));
    expect(out.response.response.allowed).toBe(false);
    expect(out.response.response.status?.details?.causes.map((c) => c.message.slice(0, c.message.indexOf(']') + 1))).toEqual(['[probe-port]']);
  });

  it.each([
    ['an endpoint moved to another port no container declares', { env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] }, { env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4317' }] }, 'env-loopback'],
    ['a probe port renamed to another name the container does not declare', { readinessProbe: { httpGet: { path: '/ready', port: 'health' } } }, { readinessProbe: { httpGet: { path: '/ready', port: 'healthz' } } }, 'probe-port'],
    ['an image the kubelet cannot parse bumped to another it cannot parse', { image: 'shop/API:1.0' }, { image: 'shop/API:1.1' }, 'image-pinned'],
  ])('denies %s: the change edited the broken field and left it broken, and the denial says so', (_, before, after, policy) => {
    const out = run(review(deployment(after), { operation: 'UPDATE', oldObject: deployment(before) }));
    expect(out.response.response.allowed).toBe(false);
    expect(out.response.response.status?.message.split('\n')[1]).toMatch(new RegExp(`^\\[${policy}\\] \\S+: edited by this change, still a problem: `));
    expect(out.summary.preexisting).toBe(0);
  });

  it('keeps an old problem old when the change alters only what its message shows around it (the replica count, the ports declared)', () => {
    const recreate = (replicas: number, ports: unknown[]) => {
      const d = deployment({ readinessProbe: { httpGet: { path: '/ready', port: 'health' } }, ports });
      return { ...d, spec: { ...d.spec, replicas, strategy: { type: 'Recreate' } } };
    };
    const out = run(review(recreate(5, [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }]), { operation: 'UPDATE', oldObject: recreate(3, [{ name: 'http', containerPort: 8080 }]) }));
    expect(out.response.response.allowed).toBe(true);
    expect(out.summary.preexisting).toBe(2);
  });

  it('says which warnings predate the change and lists the new ones first', () => {
    // Stored: a probe every 2 s (probe-timing) and an image tagged latest (image-pinned), both warnings.
    const probe = { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 2 };
    const stored = deployment({ image: 'shop/api:latest', readinessProbe: probe });
    // The change keeps both and adds an empty env var (env-empty, a policy evaluated after both).
    const changed = deployment({ image: 'shop/api:latest', readinessProbe: probe, env: [{ name: 'MODE', value: '' }] });
    const out = run(review(changed, { operation: 'UPDATE', oldObject: stored }));
    expect(out.response.response.allowed).toBe(true);
    expect(out.response.response.warnings?.map((w) => w.replace(/^(\[[a-z-]+\] \S+: (predates this change: )?).*$/, '$1'))).toEqual([
      `[env-empty] ${C}.env[MODE]: `,
      `[probe-timing] ${C}.readinessProbe.periodSeconds: predates this change: `,
      `[image-pinned] ${C}.image: predates this change: `,
    ]);
    // Only denials downgraded to warnings are counted as pre-existing (the log's `preexisting`).
    expect(out.summary.preexisting).toBe(0);
  });

  it('denies the old problem too with existingViolations: deny', () => {
    const config = parsePolicyConfig({ existingViolations: 'deny' }, 'test');
    const out = run(review(legacy, { operation: 'UPDATE', oldObject: legacy }), { ...deps, config });
    expect(out.response.response.allowed).toBe(false);
  });

  it('lets the garbage collector remove a finalizer of a Deployment being deleted, even with existingViolations: deny', () => {
    const config = parsePolicyConfig({ existingViolations: 'deny' }, 'test');
    const deleting = { ...legacy, metadata: { ...legacy.metadata, deletionTimestamp: '2026-12-05T10:00:00Z', finalizers: [] } };
    const before = { ...deleting, metadata: { ...deleting.metadata, finalizers: ['foregroundDeletion'] } };
    const out = run(review(deleting, { operation: 'UPDATE', oldObject: before, username: 'system:serviceaccount:kube-system:generic-garbage-collector' }), { ...deps, config });
    expect(out.response.response).toEqual({ uid: expect.any(String), allowed: true });
    expect(out.summary.skipped).toBe('the object is being deleted (metadata.deletionTimestamp is set)');
  });
});

describe('exemptions', () => {
  const config = parsePolicyConfig({ exemptions: { allowedGroups: ['platform-admins'] } }, 'test');
  const exempt = (reason?: string) =>
    deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] }, {
      annotations: { 'rollsafe.dev/exempt': 'env-loopback', ...(reason !== undefined && { 'rollsafe.dev/exempt-reason': reason }) },
    });

  it('honours an exemption set by a member of an allowed group, and records it', () => {
    const out = run(review(exempt('collector sidecar added by the mesh'), { groups: ['platform-admins'] }), { ...deps, config });
    expect(out.response.response.allowed).toBe(true);
    expect(out.response.response.auditAnnotations).toEqual({ exempted: 'env-loopback (collector sidecar added by the mesh)' });
    expect(out.summary.exempted).toEqual(['env-loopback']);
    // The one who applies sees it too: kubectl prints the warning (a review found nothing shown).
    expect(out.response.response.warnings).toEqual(['[exemption] metadata.annotations[rollsafe.dev/exempt]: 1 finding(s) of env-loopback not enforced, exempted (collector sidecar added by the mesh); remove the annotation once they are fixed']);
  });

  it('denies the annotation itself when the requester may not exempt', () => {
    const out = run(review(exempt('trust me'), { username: 'dev@example.com' }), { ...deps, config });
    const causes = out.response.response.status?.details?.causes ?? [];
    expect(causes[0]).toEqual({
      field: 'metadata.annotations[rollsafe.dev/exempt]',
      message: '[exemption] dev@example.com may not exempt objects from policies (env-loopback); ask a member of platform-admins to set rollsafe.dev/exempt, or fix the findings',
      reason: 'FieldValueInvalid',
    });
  });

  it('requires a reason and known policy ids', () => {
    expect(run(review(exempt(), { groups: ['platform-admins'] }), { ...deps, config }).response.response.status?.message).toContain('needs a rollsafe.dev/exempt-reason annotation');
    const typo = deployment({}, { annotations: { 'rollsafe.dev/exempt': 'env-loopbak', 'rollsafe.dev/exempt-reason': 'x' } });
    expect(run(review(typo, { groups: ['platform-admins'] }), { ...deps, config }).response.response.status?.message).toContain('names unknown policy env-loopbak');
  });

  it('writes control characters of an annotation value or a user name as escapes in the denial, as kubectl prints it to a terminal', () => {
    const hostile = deployment({}, { annotations: { 'rollsafe.dev/exempt': 'x\u001b[2J\u009b31m', 'rollsafe.dev/exempt-reason': 'x' } });
    const status = run(review(hostile, { username: 'ev\u0007il', groups: ['platform-admins'] }), { ...deps, config }).response.response.status;
    const texts = [status?.message ?? '', ...(status?.details?.causes ?? []).map((c) => c.message)];
    expect(texts.join('\n')).toContain('names unknown policy x\\u001b[2J\\u009b31m');
    for (const t of texts) expect([t, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(t)]).toEqual([t, false]);
  });

  it('denies an exemption set on a ConfigMap by an update that leaves its data alone, so it cannot be used at the next data change', () => {
    const map = (annotations: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop', annotations }, data: { POOL_SIZE: '25' } });
    const marked = map({ 'rollsafe.dev/exempt': 'config-schema', 'rollsafe.dev/exempt-reason': 'trust me' });
    const out = run(review(marked as never, { operation: 'UPDATE', oldObject: map({}), username: 'dev@example.com' }), { ...deps, config });
    expect(out.summary.skipped).toBeUndefined();
    expect(out.response.response.status?.message).toContain('dev@example.com may not exempt objects from policies (config-schema)');
    // An unrelated metadata change to a ConfigMap that already carries an approved exemption is still skipped.
    const relabelled = { ...marked, metadata: { ...marked.metadata, labels: { team: 'b' } } };
    expect(run(review(relabelled as never, { operation: 'UPDATE', oldObject: marked, username: 'dev@example.com' }), { ...deps, config }).summary.skipped).toEqual(expect.any(String));
  });

  it('names the users allowed to exempt when no group is configured', () => {
    const users = parsePolicyConfig({ exemptions: { allowedUsers: ['breakglass@example.com'] } }, 'test');
    const message = run(review(exempt('trust me'), { username: 'dev@example.com' }), { ...deps, config: users }).response.response.status?.message;
    expect(message).toContain('ask breakglass@example.com to set rollsafe.dev/exempt');
  });

  it('records in the audit annotation the policies the exemption skipped, each once, and nothing when it skipped none', () => {
    const listed = deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] }, {
      annotations: { 'rollsafe.dev/exempt': ' env-loopback ,, replicas,env-loopback', 'rollsafe.dev/exempt-reason': 'mesh sidecar' },
    });
    const out = run(review(listed, { groups: ['platform-admins'] }), { ...deps, config });
    expect([out.response.response.allowed, out.response.response.auditAnnotations, out.summary.exempted]).toEqual([true, { exempted: 'env-loopback (mesh sidecar)' }, ['env-loopback']]);
    // Honoured but used by nothing: the request was denied for env-loopback, and an auditor must not read that anything was skipped.
    const unused = { ...listed, metadata: { ...listed.metadata, annotations: { 'rollsafe.dev/exempt': 'replicas,run-as-non-root', 'rollsafe.dev/exempt-reason': 'x' } } };
    const denied = run(review(unused, { groups: ['platform-admins'] }), { ...deps, config });
    expect([denied.response.response.allowed, denied.response.response.auditAnnotations, denied.summary.exempted]).toEqual([false, undefined, []]);
  });

  it('tells a user who may not exempt so first, whatever else is wrong with the annotation', () => {
    const typo = deployment({}, { annotations: { 'rollsafe.dev/exempt': 'env-loopbak' } });
    const causes = run(review(typo, { username: 'dev@example.com' }), { ...deps, config }).response.response.status?.details?.causes ?? [];
    expect(causes.map((c) => c.message)).toEqual([
      '[exemption] dev@example.com may not exempt objects from policies (env-loopbak); ask a member of platform-admins to set rollsafe.dev/exempt, or fix the findings',
    ]);
  });

  it('says the exemption is not needed only when that is known: the object was checked and its policies find nothing', () => {
    const needless = deployment({}, { annotations: { 'rollsafe.dev/exempt': 'replicas', 'rollsafe.dev/exempt-reason': 'x' } });
    const refusal = (d: ReviewDeps, namespace?: string) => {
      const o = namespace ? { ...needless, metadata: { ...needless.metadata, namespace } } : needless;
      return run(review(o, { username: 'dev@example.com' }), d).response.response.status?.message.split('\n')[1];
    };
    expect(refusal({ ...deps, config })).toBe('[exemption] metadata.annotations[rollsafe.dev/exempt]: dev@example.com may not exempt objects from policies (replicas); ask a member of platform-admins to set rollsafe.dev/exempt, or remove it: that policy finds no problem in this object');
    // In an excluded namespace nothing is evaluated, so nothing is known of what it would find.
    const excluding = parsePolicyConfig({ exemptions: { allowedGroups: ['platform-admins'] }, excludeNamespaces: ['legacy'] }, 'test');
    expect(refusal({ ...deps, config: excluding }, 'legacy')).toMatch(/, or fix the findings$/);
  });

  it('tells a user who only re-words the reason of a granted exemption that the reason is what they may not change', () => {
    const granted = exempt('collector sidecar added by the mesh');
    const reworded = exempt('sidecar');
    const out = run(review(reworded, { operation: 'UPDATE', oldObject: granted, username: 'dev@example.com' }), { ...deps, config });
    expect(out.response.response.status?.message.split('\n')[1]).toBe(
      '[exemption] metadata.annotations[rollsafe.dev/exempt]: dev@example.com may not change rollsafe.dev/exempt-reason of the exemption from policies (env-loopback); keep the reason as it was, or ask a member of platform-admins to change it',
    );
  });

  it('keeps the refusal short when the list repeats a policy or is long', () => {
    for (const list of ['env-loopback,'.repeat(15_000), Array.from({ length: 2_000 }, (_, i) => `${'x'.repeat(100)}${i}`).join(',')]) {
      const message = run(review(deployment({}, { annotations: { 'rollsafe.dev/exempt': list, 'rollsafe.dev/exempt-reason': 'x' } }), { username: 'dev@example.com' }), { ...deps, config }).response.response.status?.message ?? '';
      expect([message.includes('dev@example.com may not exempt objects from policies ('), message.length < 1024]).toEqual([true, true]);
    }
  });

  it('warns that an exemption written on the pod template is not read, and where it belongs', () => {
    const d = deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] });
    const onTemplate = { ...d, spec: { ...d.spec, template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, annotations: { 'rollsafe.dev/exempt': 'env-loopback', 'rollsafe.dev/exempt-reason': 'mesh sidecar' } } } } };
    const out = run(review(onTemplate, { groups: ['platform-admins'] }), { ...deps, config }).response.response;
    expect(out.allowed).toBe(false);
    expect(out.warnings).toEqual([
      '[exemption] spec.template.metadata.annotations[rollsafe.dev/exempt]: is on the pod template, where Rollsafe does not read it: it exempts nothing; move rollsafe.dev/exempt and rollsafe.dev/exempt-reason to the Deployment\'s own metadata.annotations',
    ]);
  });

  it('warns when a granted exemption lists a policy that never checks the kind, which therefore silences nothing', () => {
    const listed = deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] }, {
      annotations: { 'rollsafe.dev/exempt': 'env-loopback,configmap-in-place', 'rollsafe.dev/exempt-reason': 'mesh sidecar' },
    });
    const out = run(review(listed, { groups: ['platform-admins'] }), { ...deps, config }).response.response;
    const used = '[exemption] metadata.annotations[rollsafe.dev/exempt]: 1 finding(s) of env-loopback not enforced, exempted (mesh sidecar); remove the annotation once they are fixed';
    expect([out.allowed, out.warnings]).toEqual([
      true,
      [used, '[exemption] metadata.annotations[rollsafe.dev/exempt]: names configmap-in-place, a policy that does not check Deployments: it exempts nothing here; remove it from the list'],
    ]);
    // Every id applies: only the line that says what was not enforced.
    const fine = { ...listed, metadata: { ...listed.metadata, annotations: { 'rollsafe.dev/exempt': 'env-loopback', 'rollsafe.dev/exempt-reason': 'mesh sidecar' } } };
    expect(run(review(fine, { groups: ['platform-admins'] }), { ...deps, config }).response.response.warnings).toEqual([used]);
  });

  it('checks the annotation in excludeNamespaces too, so an exemption cannot be stored there unchecked and kept later', () => {
    const excluded = parsePolicyConfig({ excludeNamespaces: ['shop'], exemptions: { allowedGroups: ['platform-admins'] } }, 'test');
    const out = run(review(exempt('trust me'), { username: 'dev@example.com' }), { ...deps, config: excluded }).response.response;
    expect([out.allowed, out.status?.details?.causes.map((c) => c.field)]).toEqual([false, ['metadata.annotations[rollsafe.dev/exempt]']]);
  });

  it('keeps an approved exemption when someone else updates the object without touching it', () => {
    const bumped = exempt('approved by platform');
    const out = run(review(bumped, { operation: 'UPDATE', oldObject: exempt('approved by platform'), username: 'dev@example.com' }), { ...deps, config });
    expect(out.response.response.allowed).toBe(true);
  });
});

describe('ConfigSchema admission', () => {
  it('denies an invalid schema with the path of the mistake', () => {
    const schema = {
      apiVersion: 'rollsafe.dev/v1alpha1',
      kind: 'ConfigSchema',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { targets: { configMaps: ['api'] }, keys: { POOL_SIZE: { type: 'intger' } } },
    };
    const causes = run(review(schema)).response.response.status?.details?.causes;
    expect(causes).toEqual([{ field: 'spec.keys.POOL_SIZE.type', message: expect.stringMatching(/^\[config-schema\] invalid ConfigSchema: "intger" is not a type; did you mean "integer"\? Types: string, integer, /), reason: 'FieldValueInvalid' }]);
  });
});

describe('ConfigSchema updates', () => {
  const schema = (type: string, labels: Record<string, string> = {}) => ({
    apiVersion: 'rollsafe.dev/v1alpha1',
    kind: 'ConfigSchema',
    metadata: { name: 'api', namespace: 'shop', labels },
    spec: { targets: { configMaps: ['api'] }, keys: { POOL_SIZE: { type } } },
  });

  it('allows relabelling a stored schema with a mistake it already had, warning that it predates the change', () => {
    const out = run(review(schema('int', { team: 'b' }), { operation: 'UPDATE', oldObject: schema('int') }));
    expect(out.response.response.allowed).toBe(true);
    expect(out.response.response.warnings?.[0]).toMatch(/^\[config-schema\] spec\.keys\.POOL_SIZE\.type: predates this change: invalid ConfigSchema: "int" is not a type; did you mean "integer"\?/);
  });

  it('denies a new mistake, one in place of another at the same path, and the old one with existingViolations: deny', () => {
    expect(run(review(schema('int'), { operation: 'UPDATE', oldObject: schema('integer') })).response.response.allowed).toBe(false);
    expect(run(review(schema('number-ish'), { operation: 'UPDATE', oldObject: schema('int') })).response.response.allowed).toBe(false);
    const strict = parsePolicyConfig({ existingViolations: 'deny' }, 'test');
    expect(run(review(schema('int', { team: 'b' }), { operation: 'UPDATE', oldObject: schema('int') }), { ...deps, config: strict }).response.response.allowed).toBe(false);
  });
});

describe('warning limits of the API server', () => {
  const finding = (n: number) => ({ policy: 'p', action: 'warn' as const, path: 'x', message: `${'a'.repeat(n)}; fix it` });

  it('drops the fix, then cuts, to keep each warning at 256 characters', () => {
    expect(fitWarning(finding(10))).toBe(`[p] x: ${'a'.repeat(10)}; fix it`);
    expect(fitWarning(finding(245))).toBe(`[p] x: ${'a'.repeat(245)}`);
    expect(fitWarning(finding(400))).toHaveLength(256);
  });

  it('writes control characters as escapes and never cuts an emoji in half (the API server drops such warnings)', () => {
    expect(fitWarning({ policy: 'p', action: 'warn', path: 'x', message: 'bad\u0085x\u0007' })).toBe('[p] x: bad\\u0085x\\u0007');
    const cut = fitWarning({ policy: 'p', action: 'warn', path: 'x', message: '😀'.repeat(300) });
    expect(cut.length).toBeLessThanOrEqual(256);
    expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut); // no lone surrogate (it would not survive UTF-8)
  });

  it('sends warnings whole, fix included, while they leave a quarter of the API server\'s 4 KiB free (it cuts nothing below 4 KiB)', () => {
    const few = [finding(400), finding(600), finding(900)];
    expect(fitWarnings(few)).toEqual(few.map((f) => `[p] x: ${f.message}`));
    // 3,100 characters: over the share kept for Rollsafe, so each is fitted to 256 as the API server would cut it.
    const many = Array.from({ length: 10 }, () => finding(300));
    expect(fitWarnings(many).every((w) => w.length <= 256)).toBe(true);
  });

  it('sends at most three warnings with a denial, and counts the rest: kubectl prints warnings before the error', () => {
    const warns = (n: number) => Array.from({ length: n }, (_, i) => ({ policy: 'p', action: 'warn' as const, path: `w${i}`, message: 'soft; fix it' }));
    const deny = { policy: 'd', action: 'deny' as const, path: 'x', message: 'blocks; fix it' };
    const denied = buildResponse({ uid: 'u', subject: 'Deployment shop/api', findings: [...warns(13), deny] }).response;
    expect(denied.warnings).toEqual(['[p] w0: soft; fix it', '[p] w1: soft; fix it', '[p] w2: soft; fix it', '… and 10 more warning(s), which do not block this change; run rollsafe check on the manifest for all of them']);
    expect(denied.status?.message).toBe('rollsafe denied Deployment shop/api: 1 problem(s)\n[d] x: blocks; fix it');
    // Four fit in the lines a count would take; an allowed object gets every warning.
    expect(buildResponse({ uid: 'u', subject: 's', findings: [...warns(4), deny] }).response.warnings).toHaveLength(4);
    expect(buildResponse({ uid: 'u', subject: 's', findings: warns(13) }).response.warnings).toHaveLength(13);
  });

  it('keeps all warnings under 4 KiB and says how many were left out', () => {
    const out = fitWarnings(Array.from({ length: 40 }, () => finding(240)));
    expect(out.join('').length).toBeLessThanOrEqual(4096);
    expect(out.at(-1)).toMatch(/^… and \d+ more warning\(s\); run rollsafe check on the manifest for all of them$/);
  });

  it('stays under 4 KiB whatever the count, the last warning included, and accounts for every finding', () => {
    for (let n = 1; n <= 30; n++) {
      for (const len of [150, 200, 230, 245]) {
        const out = fitWarnings(Array.from({ length: n }, () => finding(len)));
        const more = /^… and (\d+) more warning/.exec(out.at(-1) ?? '');
        const shown = more ? out.length - 1 : out.length;
        expect([n, len, out.join('').length <= 4096, shown + Number(more?.[1] ?? 0)]).toEqual([n, len, true, n]);
      }
    }
  });

  it('builds no status for an allowed review', () => {
    expect(buildResponse({ uid: 'u', subject: 's', findings: [] }).response).toEqual({ uid: 'u', allowed: true });
  });
});

describe('hostile ConfigMap updates', () => {
  it('answers a ConfigMap UPDATE whose data is nested 200,000 levels deep (no stack overflow)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    const body = review({ kind: 'ConfigMap', metadata: { name: 'c' }, data: deep } as never, { operation: 'UPDATE', oldObject: { kind: 'ConfigMap', metadata: { name: 'c' }, data: deep } });
    const out = reviewAdmission(body, deps);
    expect(out.ok).toBe(true);
  });
});

describe('config-schema on values that expand other variables', () => {
  const spec = ConfigSchemaSpec.parse({ targets: { workloads: [{ selector: { matchLabels: { app: 'api' } } }] }, keys: { POOL_SIZE: { type: 'integer' } } });
  const d = { lookup: staticLookup([{ namespace: 'shop', name: 'api', spec }]), config: defaultPolicyConfig };

  it.each([
    ['resourceFieldRef', { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } }, /it expands \$\(MEM_MB\), and it is set at run time/],
    ['secretKeyRef', { secretKeyRef: { name: 'db', key: 'pool' } }, /it expands \$\(MEM_MB\), and it comes from Secret db/],
  ])('warns that $(VAR) of a %s variable cannot be checked, and does not deny the reference as written', (_, valueFrom, why) => {
    const out = run(review(deployment({ env: [{ name: 'MEM_MB', valueFrom }, { name: 'POOL_SIZE', value: '$(MEM_MB)' }] })), d);
    expect(out.response.response.allowed).toBe(true);
    expect(out.response.response.warnings).toEqual([expect.stringMatching(why)]);
  });

  it('warns that $(VAR) cannot be checked when an envFrom Secret may define VAR', () => {
    const out = run(review(deployment({ envFrom: [{ secretRef: { name: 'db' } }], env: [{ name: 'POOL_SIZE', value: '$(DB_POOL)' }] })), d);
    expect(out.response.response.allowed).toBe(true);
    expect(out.response.response.warnings).toEqual([expect.stringMatching(/it expands \$\(DB_POOL\), which may come from .*envFrom\[0\]/)]);
  });

  it('still checks $(VAR) of a literal variable, and a reference escaped as $$(VAR)', () => {
    const expanded = run(review(deployment({ env: [{ name: 'N', value: 'ten' }, { name: 'POOL_SIZE', value: '$(N)' }] })), d);
    expect(expanded.response.response.status?.message).toMatch(/POOL_SIZE.*"ten" is not an integer/);
    const escaped = run(review(deployment({ env: [{ name: 'MEM_MB', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'POOL_SIZE', value: '$$(MEM_MB)' }] })), d);
    expect(escaped.response.response.status?.message).toMatch(/POOL_SIZE.*is not an integer/);
  });
});

describe('config-schema: an endpoint on the pod\'s loopback', () => {
  const lookup = (allowLoopback?: boolean) =>
    staticLookup([{ namespace: 'shop', name: 'api', spec: ConfigSchemaSpec.parse({ targets: { workloads: [{ selector: { matchLabels: { app: 'api' } } }] }, keys: { OTEL_EXPORTER_OTLP_ENDPOINT: { type: 'endpoint', ...(allowLoopback !== undefined && { allowLoopback }) } } }) }]);
  const withCollector = () => {
    const d = deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] });
    d.spec.template.spec.containers.push({ name: 'otel-collector', image: 'otel/collector:0.98.0', ports: [{ containerPort: 4318 }] } as never);
    return d;
  };

  it('names allowLoopback in the fix: a sidecar serving the port makes the value work', () => {
    const out = run(review(withCollector()), { lookup: lookup(), config: defaultPolicyConfig });
    expect(out.response.response.status?.message.split('\n').slice(1)).toEqual([
      `[config-schema] ${C}.env[OTEL_EXPORTER_OTLP_ENDPOINT]: env var OTEL_EXPORTER_OTLP_ENDPOINT of container "api": "localhost:4318" points at loopback (localhost): inside a pod that is the pod itself (ConfigSchema shop/api); set it to host:port or a URL, not on localhost, or, if a container of the pod serves that port (a sidecar), allow it with allowLoopback: true on OTEL_EXPORTER_OTLP_ENDPOINT in ConfigSchema shop/api`,
    ]);
    expect(run(review(withCollector()), { lookup: lookup(true), config: defaultPolicyConfig }).response.response.allowed).toBe(true);
  });

  it('reports the loopback once, as the schema words it; env-loopback still denies when config-schema is exempted', () => {
    const alone = deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] });
    const once = run(review(alone), { lookup: lookup(), config: defaultPolicyConfig });
    expect(once.response.response.status?.message.split('\n')).toEqual([expect.stringContaining('1 problem(s)'), expect.stringMatching(/^\[config-schema\] .*env\[OTEL_EXPORTER_OTLP_ENDPOINT\]: .*points at loopback/)]);
    const exempted = { ...alone, metadata: { ...alone.metadata, annotations: { 'rollsafe.dev/exempt': 'config-schema', 'rollsafe.dev/exempt-reason': 'schema being fixed' } } };
    const config = parsePolicyConfig({ exemptions: { allowedGroups: ['platform-admins'] } }, 'test');
    const out = run(review(exempted, { groups: ['platform-admins'] }), { lookup: lookup(), config });
    expect(out.response.response.status?.message.split('\n').slice(1)).toEqual([expect.stringMatching(/^\[env-loopback\] .*env\[OTEL_EXPORTER_OTLP_ENDPOINT\]: /)]);
    expect(out.summary.exempted).toEqual(['config-schema']);
  });

  it('keeps both lines when the schema refuses the value for another reason (it allows loopback, wants https)', () => {
    const https = staticLookup([{ namespace: 'shop', name: 'api', spec: ConfigSchemaSpec.parse({ targets: { workloads: [{ selector: { matchLabels: { app: 'api' } } }] }, keys: { OTEL_EXPORTER_OTLP_ENDPOINT: { type: 'url', schemes: ['https'], allowLoopback: true } } }) }]);
    const d = deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://localhost:4318' }] });
    const lines = run(review(d), { lookup: https, config: defaultPolicyConfig }).response.response.status?.message.split('\n').slice(1) ?? [];
    expect(lines.map((l) => l.slice(0, l.indexOf(']') + 1))).toEqual(['[env-loopback]', '[config-schema]']);
  });

  it('counts a denial let through as predating the change once, as it is shown once', () => {
    const legacy = deployment({ image: 'shop/api:1.0.0', env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] });
    const bumped = deployment({ image: 'shop/api:1.0.1', env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] });
    const out = run(review(bumped, { operation: 'UPDATE', oldObject: legacy }), { lookup: lookup(), config: defaultPolicyConfig });
    expect(out.response.response.allowed).toBe(true);
    expect(out.response.response.warnings?.map((w) => w.slice(0, w.indexOf(']') + 1))).toEqual(['[config-schema]']);
    expect(out.summary.preexisting).toBe(1);
  });

  it('does not name it for a value wrong in another way', () => {
    const d = deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'collector:http' }] });
    const message = run(review(d), { lookup: lookup(), config: defaultPolicyConfig }).response.response.status?.message;
    expect(message).toMatch(/^\[config-schema\] .*"collector:http"/m);
    expect(message).not.toContain('allowLoopback');
  });
});

describe('config-schema: a list in another format than declared', () => {
  const lookup = (key: string) => staticLookup([{ namespace: 'shop', name: 'api', spec: ConfigSchemaSpec.parse({ targets: { workloads: [{ selector: { matchLabels: { app: 'api' } } }] }, keys: { [key]: { type: 'list', format: 'csv' } } }) }]);
  const fixOf = (key: string) => run(review(deployment({ env: [{ name: key, value: '- alpha\n- beta\n' }] })), { lookup: lookup(key), config: defaultPolicyConfig }).response.response.status?.message.split('; ').at(-1);

  it('gives the items as the key wants them, and never under a secret-looking key', () => {
    expect(fixOf('FEATURES')).toBe('set it to a list, comma-separated: "alpha,beta"');
    expect(fixOf('API_KEYS')).toBe('set it to a list, comma-separated');
  });
});

describe('config-schema and classic init containers', () => {
  const schema = (extra: Record<string, unknown> = {}) =>
    staticLookup([{ namespace: 'shop', name: 'api', spec: ConfigSchemaSpec.parse({ targets: { workloads: [{ selector: { matchLabels: { app: 'api' } }, ...extra }] }, additionalKeys: 'deny', keys: { POOL_SIZE: { type: 'integer', required: true } } }) }]);
  const withInit = (init: Record<string, unknown>) => {
    const d = deployment({ env: [{ name: 'POOL_SIZE', value: '25' }] });
    d.spec.template.spec = { ...d.spec.template.spec, initContainers: [{ name: 'migrate', image: 'shop/migrate:1.0', ...init }] } as typeof d.spec.template.spec;
    return d;
  };

  it('does not require the schema keys of a migrate or wait-for init container, nor refuse its own variables', () => {
    const out = run(review(withInit({ env: [{ name: 'WAIT_FOR', value: 'db:5432' }] })), { lookup: schema(), config: defaultPolicyConfig });
    expect(out.response.response).toEqual({ uid: expect.any(String), allowed: true });
  });

  it('still checks the values it sets, and holds it to the whole schema when the schema names it or it is a native sidecar', () => {
    expect(run(review(withInit({ env: [{ name: 'POOL_SIZE', value: '25connections' }] })), { lookup: schema(), config: defaultPolicyConfig }).response.response.status?.message).toContain('initContainers[migrate].env[POOL_SIZE]');
    expect(run(review(withInit({})), { lookup: schema({ containers: ['api', 'migrate'] }), config: defaultPolicyConfig }).response.response.status?.message).toContain('env var POOL_SIZE of container "migrate" is not set');
    expect(run(review(withInit({ restartPolicy: 'Always' })), { lookup: schema(), config: defaultPolicyConfig }).response.response.status?.message).toContain('env var POOL_SIZE of container "migrate" is not set');
  });
});

// The decoder shares the string maps of the body (labels, annotations, quantities, ConfigMap data)
// instead of copying them, so nothing after it may write to what the API server sent. In ES
// modules a write to a frozen object throws: a review of a deep-frozen body must give the same
// answer as one of a fresh body.
describe('the body is read, never written', () => {
  const files = expandPaths([`${CORPUS}real-world`]).map((file) => {
    try {
      return parseDocuments(file, readFileSync(file, 'utf8')).map((d) => d.value);
    } catch {
      return [];
    }
  });
  const deployments = files
    .flat()
    .filter((v): v is ReturnType<typeof deployment> => (v as { kind?: unknown } | null)?.kind === 'Deployment' && (v as { apiVersion?: unknown }).apiVersion === 'apps/v1');

  it('for every real-world Deployment, created and updated (with a granted exemption)', () => {
    expect(deployments.length).toBeGreaterThan(300);
    const config = parsePolicyConfig({ exemptions: { allowedGroups: ['platform'] } }, 'test');
    for (const d of deployments) {
      const old = { ...d, metadata: { ...d.metadata, annotations: { ...(d.metadata as { annotations?: object }).annotations, 'rollsafe.dev/exempt': 'replicas', 'rollsafe.dev/exempt-reason': 'batch job' } } };
      for (const body of [review(d), review(old, { operation: 'UPDATE', oldObject: d, groups: ['platform'] })]) {
        // Parsed as the server parses it (JSON.parse), in this realm: structuredClone would make
        // objects of another realm's Object.prototype, which the decoder copies instead of sharing.
        const text = JSON.stringify(body);
        const fresh = reviewAdmission(JSON.parse(text), { ...deps, config });
        expect(reviewAdmission(deepFreeze(JSON.parse(text)), { ...deps, config })).toEqual(fresh);
      }
    }
  });

  it('for every real-world ConfigMap, updated in a cluster of the Deployments of its file (the consumers are judged too)', () => {
    let reviewed = 0;
    for (const docs of files) {
      const objects = docs.flatMap((d) => {
        const r = decodeObject(d);
        return r.success ? [r.data] : [];
      });
      const maps = docs.filter((d): d is { kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string> } => (d as { kind?: unknown } | null)?.kind === 'ConfigMap' && typeof (d as { data?: unknown }).data === 'object');
      if (maps.length === 0) continue;
      const lookup = { ...documentLookup(objects, 'default'), source: 'the cluster', complete: true };
      for (const map of maps) {
        const edited = { ...map, data: { ...map.data, 'rollsafe-test': 'changed' } };
        const text = JSON.stringify(review(edited, { operation: 'UPDATE', oldObject: map }));
        const fresh = reviewAdmission(JSON.parse(text), { lookup, config: defaultPolicyConfig });
        expect(reviewAdmission(deepFreeze(JSON.parse(text)), { lookup, config: defaultPolicyConfig })).toEqual(fresh);
        reviewed++;
      }
    }
    expect(reviewed).toBeGreaterThan(50);
  });
});
