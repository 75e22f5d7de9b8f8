// Requests that are not AdmissionReviews get a 4xx with a JSON error and a warn log line, and
// the server goes on answering: never a 5xx, never a crash.
import { request } from 'node:https';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { createMetrics } from '../../src/server/metrics.js';
import { Readiness } from '../../src/server/readiness.js';
import { selfSignedMaterial } from '../../src/server/tls.js';
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

  it('answers a POST with no body and no content-type as an empty body', async () => {
    const res = await send(`${t.url}/validate`, 'POST', undefined, {}, t.trust);
    expect([res.status, JSON.parse(res.text)]).toEqual([400, { error: expect.stringMatching(/^empty body/) }]);
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

  it('answers a body over 7 MiB with 413 and a JSON error', async () => {
    const padded = review(deployment({ env: [{ name: 'BIG', value: 'x'.repeat(7 * 1024 * 1024) }] }));
    const res = await postJson(t.url, padded, t.trust);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ error: 'body over 7340032 bytes (7 MiB: a review carries the object and, on UPDATE, the old object, each up to the 3 MiB the API server accepts)' });
  });

  it('accepts the UPDATE review of a large ConfigMap that the API server sends over 3 MiB', async () => {
    // 720 KB of HTML in a ConfigMap (the limit is 1 MiB), twice (object and oldObject), written
    // as Go's encoding/json writes it: <, > and & as \u003c, \u003e, \u0026.
    const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pages', namespace: 'shop' }, data: { 'index.html': v } });
    const html = '<b>x</b>'.repeat(90_000);
    const body = JSON.stringify(review(cm(`${html}.`), { uid: 'big-update', operation: 'UPDATE', oldObject: cm(html) })).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
    expect(body.length).toBeGreaterThan(4 * 1024 * 1024);
    const res = await postJson(t.url, body, t.trust);
    expect([res.status, JSON.parse(res.text)]).toEqual([200, expect.objectContaining({ response: expect.objectContaining({ uid: 'big-update', allowed: true }) })]);
  });

  it('answers a Deployment whose env doubles at each variable (2^40 characters as the kubelet would expand it), without running out of memory', async () => {
    const env = [{ name: 'V0', value: 'ab' }, ...Array.from({ length: 40 }, (_, i) => ({ name: `V${i + 1}`, value: `$(V${i})$(V${i})` }))];
    // Growth of this process's RSS, not its size: under `npm test` this jest worker ran other suites first.
    const before = process.memoryUsage().rss;
    const res = await postJson(t.url, review(deployment({ env }), { uid: 'doubling' }), t.trust);
    expect([res.status, JSON.parse(res.text)]).toEqual([200, expect.objectContaining({ response: expect.objectContaining({ uid: 'doubling', allowed: true }) })]);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
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

  it('does not count a client that hung up mid-request as a refusal, and logs what happened', async () => {
    // The API server cuts a review when its timeoutSeconds run out: nothing was refused, and an
    // alert on rollsafe_decode_errors_total must not fire for it.
    const decodeErrors = async () => Number(/^rollsafe_decode_errors_total (\d+)$/m.exec((await get(t.url, '/metrics', t.trust)).text)?.[1]);
    const countBefore = await decodeErrors();
    const before = t.logs().length;
    // The server in this process has the request (its headers parsed) before the client goes.
    const received = new Promise<void>((resolve) => t.server.app.server.once('request', () => resolve()));
    const req = request(`${t.url}/validate`, { method: 'POST', ca: t.trust.ca, agent: false, headers: { 'content-type': 'application/json', 'content-length': '1000' } });
    req.on('error', () => undefined);
    req.write('{"apiVersion":');
    await received;
    await new Promise((r) => setTimeout(r, 200));
    req.destroy();
    const end = Date.now() + 5000;
    while (t.logs().length === before && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(t.logs().slice(before)).toEqual([expect.objectContaining({ level: 40, msg: 'the client closed the connection before the request was complete; nothing answered' })]);
    expect(await decodeErrors()).toBe(countBefore);
  });

  it('still answers reviews after all of that', async () => {
    const res = await postJson(t.url, review(deployment(), { uid: 'after' }), t.trust);
    expect(JSON.parse(res.text)).toMatchObject({ response: { uid: 'after', allowed: true } });
  });
});

describe('an unexpected error while reviewing', () => {
  it('answers 500 with the request id, and only the log has the error text (it may quote a value)', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const app = buildApp({
      logger: createLogger('info', sink),
      requestTimeoutMs: 4000,
      maxConnections: 1000,
      maxBodyBytes: 32 * 1024 * 1024,
      tls: await selfSignedMaterial('500'),
      reviewDeps: () => {
        throw new TypeError('cannot read DB_PASSWORD=hunter2');
      },
      metrics: createMetrics(),
      readiness: new Readiness(),
    });
    try {
      const res = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(review(deployment())) });
      expect(res.statusCode).toBe(500);
      const { error } = JSON.parse(res.body) as { error: string };
      expect(error).toMatch(/^internal error in rollsafe \(request req-\w+\); its log line with this reqId has the details$/);
      expect(res.body).not.toContain('hunter2');
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; reqId?: string; err?: { message: string } }).find((l) => l.msg === 'review failed: a bug in rollsafe');
      expect(logged).toEqual(expect.objectContaining({ reqId: /\(request (req-\w+)\)/.exec(error)?.[1], err: expect.objectContaining({ message: 'cannot read DB_PASSWORD=hunter2' }) }));
    } finally {
      await app.close();
    }
  });
});
