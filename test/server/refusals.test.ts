// Requests that are not AdmissionReviews get a 4xx with a JSON error and a warn log line, and
// the server goes on answering: never a 5xx, never a crash.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deployment, review } from '../helpers/reviews.js';
import { get, postJson, send } from './helpers/https-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const withoutUid = () => {
  const r = review(deployment());
  return { ...r, request: { ...r.request, uid: undefined } };
};

describe('requests refused by POST /validate', () => {
  it.each([
    ['malformed JSON', '{"apiVersion": "admission.k8s.io/v1", ', 400, /^body is not valid JSON/],
    ['an empty body', '', 400, /^empty body/],
    ['JSON that is not an object', '"hello"', 400, /^not an admission\.k8s\.io\/v1 AdmissionReview: /],
    ['an admission.k8s.io/v1beta1 review', { ...review(deployment()), apiVersion: 'admission.k8s.io/v1beta1' }, 400, /^admission\.k8s\.io\/v1beta1 is not supported: set admissionReviewVersions: \[v1\] in the ValidatingWebhookConfiguration$/],
    ['a review without uid', withoutUid(), 400, /request\.uid: /],
    ['a body that is only a __proto__ key', '{"__proto__": {"apiVersion": "admission.k8s.io/v1"}}', 400, /^not an admission\.k8s\.io\/v1 AdmissionReview: /],
  ])('answers %s with HTTP %s and a JSON error', async (_, body, status, error) => {
    const res = await postJson(t.url, body, t.trust);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({ error: expect.stringMatching(error) });
  });

  it('reviews a ConfigMap with a key named __proto__ (valid in Kubernetes) without touching any prototype', async () => {
    // JSON.stringify would drop the key: write it into the body as the API server does.
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'odd', namespace: 'shop' }, data: { PLACEHOLDER: 'x', LOG_LEVEL: 'info' } };
    const body = JSON.stringify(review(cm, { uid: 'proto-key' })).replace('"PLACEHOLDER":"x"', '"__proto__":{"allowed":false,"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}');
    expect(body).toContain('"__proto__":{"allowed":false');
    const res = await postJson(t.url, body, t.trust);
    expect([res.status, JSON.parse(res.text)]).toEqual([200, expect.objectContaining({ response: expect.objectContaining({ uid: 'proto-key', allowed: true }) })]);
    // The server runs in this process: nothing it parsed reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).allowed).toBeUndefined();
  });

  it('names the uid of a review it cannot read, so the API server log can be matched', async () => {
    const r = review(deployment(), { uid: 'bad-op' });
    const res = await postJson(t.url, { ...r, request: { ...r.request, operation: 'PATCH' } }, t.trust);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ uid: 'bad-op', error: expect.stringContaining('request.operation') });
  });

  it('answers a 4 MiB body with 413 and a JSON error', async () => {
    const padded = review(deployment({ env: [{ name: 'BIG', value: 'x'.repeat(4 * 1024 * 1024) }] }));
    const res = await postJson(t.url, padded, t.trust);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ error: "body over 3145728 bytes (3 MiB, the API server's limit)" });
  });

  it('accepts a review just under 3 MiB', async () => {
    const big = review(deployment({ env: [{ name: 'BIG', value: 'x'.repeat(3 * 1024 * 1024 - 4096) }] }), { uid: 'big-ok' });
    const res = await postJson(t.url, big, t.trust);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response: { uid: 'big-ok', allowed: true } });
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/yaml']])('answers content-type %s with 415 and a JSON error', async (type) => {
    const res = await send(`${t.url}/validate`, 'POST', JSON.stringify(review(deployment())), { 'content-type': type }, t.trust);
    expect(res.status).toBe(415);
    expect(JSON.parse(res.text)).toEqual({ error: `content-type must be application/json (got "${type}")` });
  });

  it('logs each refusal as one warn line with the reason, and counts it', async () => {
    const before = t.logs().length;
    await postJson(t.url, '{not json', t.trust);
    expect(t.logs().slice(before)).toEqual([expect.objectContaining({ level: 40, msg: 'refused a request to /validate', status: 400, error: expect.stringMatching(/^body is not valid JSON/) })]);
    const metrics = await get(t.url, '/metrics', t.trust);
    expect(metrics.text).toMatch(/^rollsafe_decode_errors_total [1-9]\d*$/m);
  });

  it('still answers reviews after all of that', async () => {
    const res = await postJson(t.url, review(deployment(), { uid: 'after' }), t.trust);
    expect(JSON.parse(res.text)).toMatchObject({ response: { uid: 'after', allowed: true } });
  });
});
