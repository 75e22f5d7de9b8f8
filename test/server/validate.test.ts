// What the API server (and so kubectl) gets back from POST /validate over real TLS, with the
// client verifying the server certificate against a test CA.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AdmissionResponse } from '../../src/admission/respond.js';
import { deployment, review } from '../helpers/reviews.js';
import { postJson } from './helpers/https-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

const SCHEMAS = fileURLToPath(new URL('../fixtures/server/schemas/', import.meta.url));
const C = 'spec.template.spec.containers[api]';
const loopback = { env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    config: { policies: { 'env-empty': 'audit' }, exemptions: { allowedGroups: ['platform-admins'] } },
    schemaPaths: [SCHEMAS],
  });
});
afterAll(() => t.stop());

async function answer(body: unknown): Promise<AdmissionResponse['response']> {
  const res = await postJson(t.url, body, t.trust);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const parsed = JSON.parse(res.text) as AdmissionResponse;
  expect(parsed).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' });
  return parsed.response;
}

const reviewLines = () => t.logs().filter((l) => l.msg === 'review');

describe('POST /validate over TLS', () => {
  it('allows a safe Deployment with the same uid and nothing else', async () => {
    expect(await answer(review(deployment(), { uid: 'safe-1' }))).toEqual({ uid: 'safe-1', allowed: true });
  });

  it('denies with status 403, one message line per deny finding and every cause', async () => {
    const r = await answer(review(deployment(loopback), { uid: 'deny-1' }));
    expect(r.uid).toBe('deny-1');
    expect(r.allowed).toBe(false);
    expect(r.status).toMatchObject({ code: 403, reason: 'Forbidden' });
    const lines = r.status?.message.split('\n') ?? [];
    expect(lines[0]).toBe('rollsafe denied Deployment shop/api: 1 problem(s)');
    expect(lines[1]).toMatch(/^\[env-loopback\] spec\.template\.spec\.containers\[api\]\.env\[OTEL_EXPORTER_OTLP_ENDPOINT\]: /);
    expect(r.status?.details?.causes).toEqual([{ field: `${C}.env[OTEL_EXPORTER_OTLP_ENDPOINT]`, message: expect.stringMatching(/^\[env-loopback\] /), reason: 'FieldValueInvalid' }]);
  });

  it('allows with warnings kubectl prints', async () => {
    const r = await answer(review(deployment({ image: 'shop/api:latest' })));
    expect(r.allowed).toBe(true);
    expect(r.warnings).toEqual([expect.stringMatching(/^\[image-pinned\] spec\.template\.spec\.containers\[api\]\.image: /)]);
  });

  it('puts audit findings in auditAnnotations and in the review log line', async () => {
    const r = await answer(review(deployment({ env: [{ name: 'RATE_LIMIT', value: '' }] }), { uid: 'audit-1' }));
    expect(r.allowed).toBe(true);
    expect(r.warnings).toBeUndefined();
    expect(r.auditAnnotations).toEqual({ 'env-empty': expect.stringContaining(`${C}.env[RATE_LIMIT]`) });
    const line = reviewLines().find((l) => l.uid === 'audit-1');
    expect(line).toMatchObject({ decision: 'allow', findings: { deny: 0, warn: 0, audit: 1 }, audit: [{ policy: 'env-empty', path: `${C}.env[RATE_LIMIT]` }] });
  });

  const exempt = deployment(loopback, { annotations: { 'rollsafe.dev/exempt': 'env-loopback', 'rollsafe.dev/exempt-reason': 'collector sidecar injected by the mesh' } });

  it('honours an exemption set by a member of an allowed group, and logs and records it', async () => {
    const r = await answer(review(exempt, { uid: 'exempt-ok', username: 'admin@example.com', groups: ['platform-admins'] }));
    expect(r.allowed).toBe(true);
    expect(r.auditAnnotations).toEqual({ exempted: 'env-loopback (collector sidecar injected by the mesh)' });
    expect(reviewLines().find((l) => l.uid === 'exempt-ok')).toMatchObject({ exempted: ['env-loopback'], username: 'admin@example.com' });
  });

  it('denies the exemption annotation itself when the user may not exempt', async () => {
    const r = await answer(review(exempt, { uid: 'exempt-refused', username: 'dev@example.com', groups: ['developers'] }));
    expect(r.allowed).toBe(false);
    expect(r.status?.details?.causes[0]).toMatchObject({ field: 'metadata.annotations[rollsafe.dev/exempt]', message: expect.stringMatching(/^\[exemption\] dev@example\.com may not exempt objects/) });
  });

  it('allows an UPDATE whose deny finding the old object already had, warning that it predates the change', async () => {
    const hotfix = deployment({ ...loopback, image: 'shop/api:1.4.3' });
    const r = await answer(review(hotfix, { operation: 'UPDATE', oldObject: deployment(loopback), uid: 'update-old' }));
    expect(r.allowed).toBe(true);
    expect(r.warnings).toEqual([expect.stringMatching(/^\[env-loopback\] .*: predates this change: /)]);
    expect(reviewLines().find((l) => l.uid === 'update-old')).toMatchObject({ operation: 'UPDATE', preexisting: 1 });
  });

  it('denies an UPDATE that adds a new deny finding', async () => {
    const r = await answer(review(deployment(loopback), { operation: 'UPDATE', oldObject: deployment() }));
    expect(r.allowed).toBe(false);
    expect(r.status?.details?.causes.map((c) => c.field)).toEqual([`${C}.env[OTEL_EXPORTER_OTLP_ENDPOINT]`]);
  });

  it('denies an invalid ConfigSchema with the path of the mistake', async () => {
    const schema = {
      apiVersion: 'rollsafe.dev/v1alpha1',
      kind: 'ConfigSchema',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { targets: { configMaps: ['api'] }, keys: { POOL_SIZE: { type: 'intger' } } },
    };
    const r = await answer(review(schema));
    expect(r.allowed).toBe(false);
    expect(r.status?.details?.causes).toEqual([{ field: 'spec.keys.POOL_SIZE.type', message: expect.stringMatching(/^\[config-schema\] invalid ConfigSchema: "intger" is not a type; did you mean "integer"\? Types: string, integer, /), reason: 'FieldValueInvalid' }]);
  });

  it('denies a ConfigMap that breaks a ConfigSchema loaded with --schemas', async () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-config', namespace: 'shop' }, data: { POOL_SIZE: '25connections' } };
    const r = await answer(review(configMap));
    expect(r.allowed).toBe(false);
    expect(r.status?.details?.causes).toEqual([expect.objectContaining({ field: 'data[POOL_SIZE]', message: expect.stringMatching(/^\[config-schema\] key POOL_SIZE: "25connections" is not an integer .*\(ConfigSchema shop\/api-config\)/) })]);
  });

  it('allows a DELETE untouched', async () => {
    expect(await answer(review(deployment(loopback), { operation: 'DELETE', uid: 'del-1' }))).toEqual({ uid: 'del-1', allowed: true });
  });

  it('logs one info line per review with who and what, never the object or the groups', async () => {
    await answer(review(deployment(loopback), { uid: 'log-1', username: 'dev@example.com', groups: ['secret-team'] }));
    const lines = t.logs().filter((l) => l.uid === 'log-1');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'review', kind: 'Deployment', namespace: 'shop', name: 'api', operation: 'CREATE', username: 'dev@example.com', decision: 'deny', findings: { deny: 1, warn: 0, audit: 0 }, durationMs: expect.any(Number) }),
    ]);
    const text = JSON.stringify(lines);
    expect(text).not.toContain('secret-team');
    expect(text).not.toContain('localhost:4318');
  });
});

describe('the README example', () => {
  it('denies test/fixtures/server/review.json with its uid', async () => {
    const body = readFileSync(fileURLToPath(new URL('../fixtures/server/review.json', import.meta.url)), 'utf8');
    const r = await answer(JSON.parse(body));
    expect(r).toMatchObject({ uid: 'b3c1f7de-2f5e-4c0a-9d7e-0a1c2e3f4a5b', allowed: false, warnings: [expect.stringMatching(/^\[image-pinned\]/)] });
  });
});
