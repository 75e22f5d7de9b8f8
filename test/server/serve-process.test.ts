// `rollsafe serve` as a process, as Kubernetes runs it: refusing a bad configuration at start-up,
// swapping its certificate under load, and shutting down on SIGTERM under load. All traffic
// goes to 127.0.0.1 over TLS with certificate verification on.
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { spawnRollsafe } from '../helpers/spawn-cli.js';
import { makeCa, rotateSecretVolume, serverCertificate, tempDir, writeSecretVolume } from './helpers/certificates.js';
import { get } from './helpers/https-client.js';
import { eventually, sleep } from '../helpers/poll.js';
import { startLoad } from './helpers/load.js';
import { freePort, spawnServe } from './helpers/serve-process.js';

const listening = (l: Record<string, unknown>) => typeof l.msg === 'string' && l.msg.startsWith('rollsafe webhook listening at');

describe('start-up with an invalid configuration', () => {
  const run = (args: string[], env: Record<string, string> = {}) => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return spawnRollsafe(['serve', ...args]);
    } finally {
      process.env = saved;
    }
  };

  /** A file of this text in a new temporary directory. */
  const fileWith = (name: string, text: string) => {
    const file = join(tempDir(), name);
    writeFileSync(file, text);
    return file;
  };

  it('exits 78 with one line naming ROLLSAFE_PORT and its value, and no stack trace', () => {
    const r = run([], { ROLLSAFE_PORT: '84a3' });
    expect(r.code).toBe(78);
    expect(r.stderr).toBe('rollsafe: invalid setting ROLLSAFE_PORT="84a3": must be a port number (decimal digits)\n');
  });

  it('refuses numbers that are not decimal digits, and an empty one, instead of reading them as 0 or hex', () => {
    const r = run([], { ROLLSAFE_PORT: '0x20FB', ROLLSAFE_DRAIN_SECONDS: '', ROLLSAFE_REQUEST_TIMEOUT_MS: '4e3', ROLLSAFE_HOST: '256.1.1.1' });
    expect(r.code).toBe(78);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'rollsafe: invalid setting ROLLSAFE_PORT="0x20FB": must be a port number (decimal digits)',
      'rollsafe: invalid setting ROLLSAFE_HOST="256.1.1.1": must be an IP address or a host name (e.g. ::, 0.0.0.0, localhost)',
      'rollsafe: invalid setting ROLLSAFE_DRAIN_SECONDS="": must be a number of seconds (decimal digits)',
      'rollsafe: invalid setting ROLLSAFE_REQUEST_TIMEOUT_MS="4e3": must be a number of milliseconds (decimal digits)',
    ]);
  });

  it('exits 78 naming the host when it is not an address of this machine', () => {
    const r = run(['--port', '18451', '--cluster', 'off', '--host', '192.0.2.1']);
    expect(r.code).toBe(78);
    expect(r.stderr).toBe('rollsafe: invalid setting --host (ROLLSAFE_HOST) "192.0.2.1": cannot listen there: EADDRNOTAVAIL\n');
  });

  it('names the flag when the value came from a flag, one line per problem', () => {
    const r = run(['--port', '0', '--log-level', 'loud']);
    expect(r.code).toBe(78);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'rollsafe: invalid setting --port "0": must be 1 to 65535',
      'rollsafe: invalid setting --log-level "loud": must be one of fatal, error, warn, info, debug, trace',
    ]);
  });

  it('exits 78 naming the file and the problem of an invalid policy configuration', () => {
    const file = fileWith('rollsafe.yaml', 'policies:\n  replicas: loud\n');
    const r = run(['--config', file, '--port', '18443']);
    expect(r.code).toBe(78);
    expect(r.stderr).toBe(`rollsafe: error: ${file}:2: invalid policy configuration: policies.replicas: must be one of "deny", "warn", "audit", "off"\n`);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ level: 60, msg: 'invalid configuration; not starting' });
  });

  it('says the allowed range, and refuses a host that is not an address or a name, before listening', () => {
    const r = run(['--request-timeout-ms', '50', '--drain-seconds', '500'], { ROLLSAFE_HOST: 'not_a_host' });
    expect(r.code).toBe(78);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'rollsafe: invalid setting ROLLSAFE_HOST="not_a_host": must be an IP address or a host name (e.g. ::, 0.0.0.0, localhost)',
      'rollsafe: invalid setting --drain-seconds "500": must be 0 to 300 seconds',
      'rollsafe: invalid setting --request-timeout-ms "50": must be 100 to 30000 milliseconds',
    ]);
  });

  it('exits 78 naming the file when the client CA is not a certificate, instead of answering every review 401', () => {
    const file = fileWith('ca.pem', 'not a pem\n');
    const r = run(['--client-ca', file, '--port', '18443', '--cluster', 'off']);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(new RegExp(`^rollsafe: error: ${file.replace(/[.]/g, '\\.')}: the client CA is not a PEM certificate`));
  });

  it('names ROLLSAFE_KUBECONFIG when the kubeconfig it names cannot be read', () => {
    const r = run(['--port', '18443'], { ROLLSAFE_KUBECONFIG: '/nonexistent/kubeconfig' });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/^rollsafe: error: ROLLSAFE_KUBECONFIG \/nonexistent\/kubeconfig: cannot be read/);
  });

  it('exits 78 naming a certificate file it cannot read, and why in words', () => {
    const r = run(['--tls-cert', '/nonexistent/tls.crt', '--tls-key', '/nonexistent/tls.key']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('/nonexistent/tls.crt: cannot read the certificate: no such file or directory (ENOENT)');
  });

  it('exits 78 for a certificate without its key', () => {
    const r = run(['--tls-cert', '/nonexistent/tls.crt']);
    expect(r.code).toBe(78);
    expect(r.stderr).toBe('rollsafe: invalid setting --tls-key (ROLLSAFE_TLS_KEY): the certificate and the key must be given together\n');
  });
});

describe('a running webhook', () => {
  it('swaps its certificate while a load runs, with no failed request, and serves the new one after', async () => {
    const dir = tempDir();
    const ca = await makeCa();
    const first = await serverCertificate(ca);
    const { certFile, keyFile } = writeSecretVolume(dir, first);
    const port = await freePort();
    const p = spawnServe(['--host', '127.0.0.1', '--port', String(port), '--tls-cert', certFile, '--tls-key', keyFile, '--drain-seconds', '0']);
    try {
      await p.waitForLog(listening);
      const url = `https://127.0.0.1:${port}`;
      const load = startLoad(url, { ca: ca.cert });
      // The load runs on the first certificate, then on the new one: each for at least 60
      // answers, however long a busy machine takes to give them.
      const firstSerial = new X509Certificate(first.cert).serialNumber;
      await eventually(() => load.progress().ok >= 60, 20_000);
      const next = await serverCertificate(ca);
      const nextSerial = new X509Certificate(next.cert).serialNumber;
      rotateSecretVolume(dir, next);
      await p.waitForLog((l) => l.msg === 'TLS certificate reloaded; new connections use it', 10000);
      const atReload = load.progress().ok;
      await eventually(() => load.progress().serials.has(nextSerial) && load.progress().ok >= atReload + 60, 20_000);
      const result = await load.stop();
      expect(result.errors).toEqual([]);
      expect(result.sent).toBeGreaterThan(100);
      expect([...result.serials.keys()].sort()).toEqual([firstSerial, nextSerial].sort());
      expect((await get(url, '/healthz', { ca: ca.cert, agent: false })).serverSerial).toBe(nextSerial);
    } finally {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  });

  it('listens on IPv4 and IPv6 by default (::), so pod-IP probes reach it in a single-stack IPv6 cluster too', async () => {
    const dir = tempDir();
    const ca = await makeCa();
    const { certFile, keyFile } = writeSecretVolume(dir, await serverCertificate(ca));
    const port = await freePort();
    const p = spawnServe(['--port', String(port), '--tls-cert', certFile, '--tls-key', keyFile, '--drain-seconds', '0']);
    try {
      await p.waitForLog(listening);
      expect((await get(`https://127.0.0.1:${port}`, '/healthz', { ca: ca.cert })).status).toBe(200);
      // Where this machine has no IPv6 at all, the server listens on 0.0.0.0 and says so (unit-tested in listen-host.test.ts).
      const hasIPv6 = Object.values(networkInterfaces()).some((list) => list?.some((i) => i.family === 'IPv6'));
      if (hasIPv6) expect((await get(`https://[::1]:${port}`, '/healthz', { ca: ca.cert })).status).toBe(200);
    } finally {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  });

  it('on SIGTERM fails readiness, keeps answering through the drain period, then exits 0, with no failed request', async () => {
    const dir = tempDir();
    const ca = await makeCa();
    const { certFile, keyFile } = writeSecretVolume(dir, await serverCertificate(ca));
    const port = await freePort();
    const p = spawnServe(['--host', '127.0.0.1', '--port', String(port), '--tls-cert', certFile, '--tls-key', keyFile, '--drain-seconds', '5']);
    try {
      await p.waitForLog(listening);
      const url = `https://127.0.0.1:${port}`;
      const trust = { ca: ca.cert };
      const load = startLoad(url, trust);
      await eventually(() => load.progress().ok >= 100, 20_000);
      p.child.kill('SIGTERM');
      const signalledAt = Date.now();
      load.mark();
      await p.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('shutting down'));
      expect((await get(url, '/readyz', { ...trust, agent: false })).status).toBe(503);
      // The endpoints controller takes the pod out of the Service within the drain period: the
      // load (like the API servers) stops sending before it ends, 1 s after the signal (or as
      // soon as the checks above are done, on a machine slow enough to take longer), 4 s before.
      await sleep(signalledAt + 1000 - Date.now());
      const result = await load.stop();
      const killer = setTimeout(() => p.child.kill('SIGKILL'), 10000); // bounded: a hang fails the test
      const exit = await p.exited;
      clearTimeout(killer);
      expect(result.errors).toEqual([]);
      expect(result.sent).toBeGreaterThan(100);
      expect(result.okAfterMark).toBeGreaterThan(0);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(p.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['drain period over: refusing new connections, finishing reviews in flight', 'stopped']));
      expect(p.stderr()).toBe('');
    } finally {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  });
});
