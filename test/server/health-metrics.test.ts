// /healthz, /readyz and /metrics: what the kubelet and Prometheus see, and that none of them
// writes a log line.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deployment, review } from '../helpers/reviews.js';
import { get, postJson } from './helpers/https-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

describe('health and metrics endpoints', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ config: { exemptions: { allowedGroups: ['platform-admins'] } } });
  });
  afterAll(() => t.stop());

  it('answers /healthz and /readyz with 200 once configuration and schemas are loaded', async () => {
    expect(await get(t.url, '/healthz', t.trust)).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    expect(await get(t.url, '/readyz', t.trust)).toMatchObject({ status: 200, text: '{"status":"ready"}' });
  });

  it('counts reviews by kind, operation and decision, findings, exemptions and latency', async () => {
    const loopback = { env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] };
    const exempt = deployment(loopback, { annotations: { 'rollsafe.dev/exempt': 'env-loopback', 'rollsafe.dev/exempt-reason': 'mesh sidecar' } });
    await postJson(t.url, review(deployment(loopback)), t.trust);
    await postJson(t.url, review(deployment({ image: 'shop/api:latest' })), t.trust);
    await postJson(t.url, review(exempt, { groups: ['platform-admins'] }), t.trust);
    await postJson(t.url, review(deployment(), { operation: 'DELETE' }), t.trust);
    await postJson(t.url, { ...review({ kind: 'Widget', metadata: { name: 'w' } }) }, t.trust);
    const { status, headers, text } = await get(t.url, '/metrics', t.trust);
    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('rollsafe_reviews_total{kind="Deployment",operation="CREATE",decision="deny"} 1');
    // image-pinned's warning, and the exempted one (its warning says what was not enforced)
    expect(text).toContain('rollsafe_reviews_total{kind="Deployment",operation="CREATE",decision="warn"} 2');
    expect(text).toContain('rollsafe_reviews_total{kind="Deployment",operation="DELETE",decision="allow"} 1');
    // kinds outside the checked set share one label value: no series per made-up kind
    expect(text).toContain('rollsafe_reviews_total{kind="other",operation="CREATE",decision="allow"} 1');
    expect(text).toContain('rollsafe_findings_total{policy="env-loopback",action="deny"} 1');
    expect(text).toContain('rollsafe_findings_total{policy="image-pinned",action="warn"} 1');
    expect(text).toContain('rollsafe_exemptions_total{policy="env-loopback"} 1');
    expect(text).toContain('rollsafe_findings_total{policy="exemption",action="warn"} 1');
    expect(text).toContain('rollsafe_review_duration_seconds_count 5');
    expect(text).toContain('rollsafe_decode_errors_total 0');
    expect(text).toContain('rollsafe_config_reloads_total{result="success"} 0');
    expect(text).toContain('rollsafe_config_reloads_total{result="failure"} 0');
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('shows the connections held open, idle ones included, and their closing', async () => {
    const { connect } = await import('node:tls');
    const gauge = async () => Number(/^rollsafe_open_connections (\d+)$/m.exec((await get(t.url, '/metrics', t.trust)).text)?.[1]);
    const before = await gauge();
    const { port } = new URL(t.url);
    const idle = await Promise.all(
      Array.from({ length: 5 }, () => new Promise<import('node:tls').TLSSocket>((resolve) => {
        const s = connect({ host: '127.0.0.1', port: Number(port), ca: t.trust.ca, servername: 'localhost' }, () => resolve(s));
      })),
    );
    expect((await gauge()) - before).toBe(5);
    for (const s of idle) s.destroy();
    // The server sees the closes at once here (same process); 10 s is an upper bound, not the time expected.
    let after = await gauge();
    for (const until = Date.now() + 10_000; after - before > 0 && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 20));
      after = await gauge();
    }
    expect(after - before).toBe(0);
  });

  it('writes no log line for probes and scrapes', async () => {
    const before = t.logs().length;
    for (const path of ['/healthz', '/readyz', '/metrics', '/healthz']) await get(t.url, path, t.trust);
    expect(t.logs().slice(before)).toEqual([]);
  });
});

describe('readiness during shutdown', () => {
  it('fails /readyz at once on shutdown while reviews are still answered, asking clients to reconnect', async () => {
    const t = await startTestServer({ settings: { drainSeconds: 1 } });
    t.server.shutdown('SIGTERM');
    expect(await get(t.url, '/readyz', t.trust)).toMatchObject({ status: 503, text: '{"status":"not ready","reasons":["shutting down"]}' });
    expect(await get(t.url, '/healthz', t.trust)).toMatchObject({ status: 200 });
    const res = await postJson(t.url, review(deployment(), { uid: 'draining' }), t.trust);
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.text)).toMatchObject({ response: { uid: 'draining', allowed: true } });
    await t.server.shutdown.done;
    await expect(get(t.url, '/healthz', t.trust)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(t.logs().map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: /readyz now fails; still answering reviews while endpoints update', 'stopped']));
  });
});

describe('keep-alive', () => {
  it('keeps an idle connection longer than the API server keeps it (90 s), so the API server is the one to close it', async () => {
    const t = await startTestServer();
    try {
      const res = await postJson(t.url, review(deployment()), t.trust);
      expect(res.headers['keep-alive']).toBe('timeout=120');
    } finally {
      await t.stop();
    }
  });
});
