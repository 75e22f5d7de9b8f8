// The serving certificate: rotated without a restart, a broken rotation refused, TLS 1.2 at
// least, the self-signed development certificate, and client certificates with --client-ca.
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { describe, expect, it } from '@jest/globals';
import { selfSignedMaterial } from '../../src/server/tls.js';
import { deployment, review } from '../helpers/reviews.js';
import { clientCertificate, makeCa, rotateSecretVolume, serverCertificate } from './helpers/certificates.js';
import { get, postJson } from './helpers/https-client.js';
import { startTestServer } from './helpers/test-server.js';

const serialOf = (pem: string) => new X509Certificate(pem).serialNumber;
const expiryOf = (pem: string) => Math.floor(Date.parse(new X509Certificate(pem).validTo) / 1000);
/** A sample's value in a Prometheus text exposition. */
const metric = (text: string, series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1));

async function until(check: () => Promise<boolean>, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

describe('certificate rotation', () => {
  it('serves a rotated certificate to new connections without a restart', async () => {
    const t = await startTestServer();
    try {
      const first = (await get(t.url, '/healthz', { ...t.trust, agent: false })).serverSerial;
      // Renewed for 90 days, as cert-manager does: another expiry than the first (a year).
      const next = await serverCertificate(t.ca, 'localhost', new Date(Date.now() + 90 * 86400_000));
      rotateSecretVolume(t.dir, next);
      await until(async () => (await get(t.url, '/healthz', { ...t.trust, agent: false })).serverSerial === serialOf(next.cert));
      expect(serialOf(next.cert)).not.toBe(first);
      expect(t.logs()).toEqual(expect.arrayContaining([expect.objectContaining({ component: 'tls', msg: 'TLS certificate reloaded; new connections use it' })]));
      // An alert on the expiry catches a renewal that stopped; the counter, one that fails.
      const metrics = (await get(t.url, '/metrics', t.trust)).text;
      expect(metric(metrics, 'rollsafe_tls_certificate_expiry_timestamp_seconds')).toBe(expiryOf(next.cert));
      expect(metric(metrics, 'rollsafe_tls_reloads_total{result="success"}')).toBe(1);
    } finally {
      await t.stop();
    }
  });

  it('refuses a certificate whose key does not match, keeps the old one, and logs why', async () => {
    const t = await startTestServer();
    try {
      const first = (await get(t.url, '/healthz', { ...t.trust, agent: false })).serverSerial;
      const expiry = metric((await get(t.url, '/metrics', t.trust)).text, 'rollsafe_tls_certificate_expiry_timestamp_seconds');
      expect(expiry).toBeGreaterThan(Date.now() / 1000);
      const a = await serverCertificate(t.ca);
      const b = await serverCertificate(t.ca);
      rotateSecretVolume(t.dir, { cert: a.cert, key: b.key });
      await until(async () => t.logs().some((l) => l.msg === 'TLS certificate change refused; still serving the previous certificate'));
      const refused = t.logs().find((l) => l.component === 'tls' && l.level === 50);
      expect(refused?.problem).toMatch(/tls\.crt, .*tls\.key: not a usable certificate and key: .*key values mismatch/);
      expect((await get(t.url, '/healthz', { ...t.trust, agent: false })).serverSerial).toBe(first);
      const metrics = (await get(t.url, '/metrics', t.trust)).text;
      expect(metric(metrics, 'rollsafe_tls_reloads_total{result="failure"}')).toBeGreaterThanOrEqual(1);
      expect(metric(metrics, 'rollsafe_tls_reloads_total{result="success"}')).toBe(0);
      expect(metric(metrics, 'rollsafe_tls_certificate_expiry_timestamp_seconds')).toBe(expiry);
    } finally {
      await t.stop();
    }
  });
});

describe('TLS settings', () => {
  it('refuses TLS 1.1', async () => {
    const t = await startTestServer();
    try {
      const { port } = new URL(t.url);
      const error = await new Promise<Error>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port), ca: t.ca.cert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
        socket.on('secureConnect', () => resolve(new Error('connected')));
        socket.on('error', resolve);
      });
      expect(error.message).toMatch(/unsupported protocol|protocol version/i);
    } finally {
      await t.stop();
    }
  });

  it('makes a development certificate for localhost, 127.0.0.1 and rollsafe.<namespace>.svc', async () => {
    const m = await selfSignedMaterial('shop');
    expect(m.selfSigned).toBe(true);
    expect(new X509Certificate(m.cert).subjectAltName).toBe('DNS:localhost, DNS:rollsafe.shop.svc, IP Address:127.0.0.1');
  });
});

describe('client certificates (--client-ca)', () => {
  it('answers reviews only for clients whose certificate the CA signed; probes need none', async () => {
    const clientCa = await makeCa('API server client CA');
    const t = await startTestServer({ clientCa });
    try {
      const apiserver = await clientCertificate(clientCa);
      const stranger = await clientCertificate(await makeCa('another CA'));
      const body = review(deployment(), { uid: 'mtls' });
      const ok = await postJson(t.url, body, { ...t.trust, ...apiserver });
      expect(JSON.parse(ok.text)).toMatchObject({ response: { uid: 'mtls', allowed: true } });
      for (const trust of [t.trust, { ...t.trust, ...stranger }]) {
        const refused = await postJson(t.url, body, trust);
        expect(refused.status).toBe(401);
        expect(JSON.parse(refused.text)).toEqual({ error: 'a client certificate signed by the configured client CA is required' });
      }
      expect((await get(t.url, '/readyz', t.trust)).status).toBe(200);
    } finally {
      await t.stop();
    }
  });
});
