// The webhook under hostile or unlucky load, as a real process with the V8 heap a pod with the
// chart's 256 MiB memory limit gets (Node sizes the heap from the cgroup limit: old space 128 MiB),
// over TLS with certificate verification on. What is asserted is behaviour: the answers, and that
// the process is still running and answers a normal review; memory figures are in the commit
// messages, measured outside the tests.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countJsonValues, MAX_JSON_VALUES, parseJsonBody, TooManyJsonValues } from '../../src/server/json-body.js';
import { deployment, review } from '../helpers/reviews.js';
import { makeCa, type Pem, serverCertificate, tempDir, writeSecretVolume } from './helpers/certificates.js';
import { ROOT } from '../helpers/spawn-cli.js';
import { eventually } from '../helpers/poll.js';
import { heldConnections } from './helpers/held-connections.js';
import { postJson } from './helpers/https-client.js';
import { freePort, type ServeProcess, spawnServe } from './helpers/serve-process.js';

const BODY_LIMIT = 7 * 1024 * 1024;
const listening = (l: Record<string, unknown>) => typeof l.msg === 'string' && l.msg.startsWith('rollsafe webhook listening at');
/** What Node gives a container limited to 256 MiB (V8 sizes old space from the cgroup limit), and the image's young generation. */
const POD_HEAP = '--max-old-space-size=128 --max-semi-space-size=16';

/**
 * The real server process (`rollsafe serve`) on a free port of `host`, with a certificate of a new
 * CA mounted as a Secret volume would be, no drain, and `args` after those; `env` for the process.
 * Resolves once it logs that it listens; killed if it does not.
 */
async function served(host: string, args: readonly string[] = [], env: Record<string, string> = {}): Promise<{ p: ServeProcess; ca: Pem; port: number; url: string }> {
  const ca = await makeCa();
  const { certFile, keyFile } = writeSecretVolume(tempDir(), await serverCertificate(ca));
  const port = await freePort();
  const p = spawnServe(['--host', host, '--port', String(port), '--tls-cert', certFile, '--tls-key', keyFile, '--drain-seconds', '0', ...args], env);
  try {
    await p.waitForLog(listening);
  } catch (e) {
    p.child.kill('SIGKILL');
    throw e;
  }
  return { p, ca, port, url: `https://127.0.0.1:${port}` };
}

/** A review whose body is just under the 7 MiB limit, `fill` (JSON text of `room` bytes at most) in an unknown field of a ConfigMap. */
function maximal(fill: (room: number) => string): string {
  const skeleton = JSON.stringify(review({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'shop' }, data: { a: 'b' }, extra: '@@FILL@@' } as never));
  const [before = '', after = ''] = skeleton.split('"@@FILL@@"');
  return before + fill(BODY_LIMIT - before.length - after.length - 16) + after;
}

describe('counting the values of a JSON body', () => {
  it('counts objects, arrays, elements and members, and nothing inside strings (escaped quotes included)', () => {
    expect(countJsonValues('{"a":[1,2,{}],"b":"x,{[\\",]"}', 100)).toBe(6);
    expect(countJsonValues('"\\\\",[', 100)).toBe(2);
    expect(countJsonValues('[' + '{},'.repeat(1000) + '{}]', 10)).toBe(11);
  });

  it('parses a body of normal size without counting, and refuses one with too many values', () => {
    expect(parseJsonBody('{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(() => parseJsonBody(`[${'0,'.repeat(MAX_JSON_VALUES)}0]`)).toThrow(TooManyJsonValues);
    // Long, but few values: parsed.
    expect(parseJsonBody(JSON.stringify({ html: ',{['.repeat(MAX_JSON_VALUES) }))).toEqual({ html: ',{['.repeat(MAX_JSON_VALUES) });
  });
});

describe('a webhook with the heap of a 256 MiB pod', () => {
  let ca: Pem;
  let p: ServeProcess;
  let url: string;
  beforeAll(async () => {
    ({ p, ca, url } = await served('127.0.0.1', [], { NODE_OPTIONS: POD_HEAP }));
  }, 30_000);
  afterAll(async () => {
    p.child.kill('SIGKILL');
    await p.exited;
  });

  const answersNormalReview = async () => {
    const res = await postJson(url, review(deployment(), { uid: 'normal' }), { ca: ca.cert, agent: false });
    expect([res.status, (JSON.parse(res.text) as { response?: { uid?: string } }).response?.uid]).toEqual([200, 'normal']);
    expect(p.child.exitCode).toBeNull();
  };

  it.each([
    ['objects', (room: number) => `[${Array(Math.floor((room - 2) / 3)).fill('{}').join(',')}]`],
    ['nested arrays', (room: number) => '['.repeat(Math.floor(room / 2)) + ']'.repeat(Math.floor(room / 2))],
    ['object members', (room: number) => `{${Array.from({ length: Math.floor(room / 12) }, (_, i) => `"${i.toString(36).padStart(5, '0')}":0`).join(',')}}`],
  ])('refuses 7 MiB of tiny %s with 413 before parsing them (JSON.parse of one such body exhausted this heap), and stays up', async (_, fill) => {
    const body = maximal(fill);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    const res = await postJson(url, body, { ca: ca.cert, agent: false });
    expect([res.status, JSON.parse(res.text)]).toEqual([413, { error: expect.stringMatching(new RegExp(`^body holds more than ${MAX_JSON_VALUES} JSON values`)) }]);
    await answersNormalReview();
  }, 30_000);

  it('still reviews a maximal UPDATE of a large ConfigMap (few values, 7 MiB)', async () => {
    const half = Math.floor((BODY_LIMIT - 2000) / 2);
    const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'shop' }, data: { 'index.html': v.repeat(half) } });
    const body = JSON.stringify(review(cm('x'), { uid: 'big', operation: 'UPDATE', oldObject: cm('y') }));
    expect(body.length).toBeGreaterThan(BODY_LIMIT - 4096);
    const res = await postJson(url, body, { ca: ca.cert, agent: false });
    expect([res.status, (JSON.parse(res.text) as { response?: { uid?: string } }).response?.uid]).toEqual([200, 'big']);
    await answersNormalReview();
  }, 30_000);
});

describe('bounds on what clients can make the webhook hold (pod heap)', () => {

  it('answers 503 to bodies past --max-bodies-mib and closes connections past --max-connections, and answers a normal review meanwhile', async () => {
    const { connect: tlsConnect } = await import('node:tls');
    const { connect: netConnect } = await import('node:net');
    const { p, ca, port, url } = await served('127.0.0.1', ['--max-connections', '100', '--max-bodies-mib', '16'], { NODE_OPTIONS: POD_HEAP });
    const sockets: { destroy(): void }[] = [];
    try {
      // Slow senders: each sends all of a 7 MiB body but its last byte, then waits.
      const body = Buffer.alloc(BODY_LIMIT - 1, 0x20);
      const statuses: string[] = [];
      for (let i = 0; i < 8; i++) {
        const s = tlsConnect({ host: '127.0.0.1', port, ca: ca.cert, servername: 'localhost' }, () => {
          s.write(`POST /validate HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${BODY_LIMIT}\r\n\r\n`);
          s.write(body);
        });
        s.on('data', (d: Buffer) => statuses.push(d.toString('latin1').split(' ')[1] ?? ''));
        s.on('error', () => undefined);
        sockets.push(s);
      }
      // Two 7 MiB bodies fit in 16 MiB; the others are refused with 503 before their body is read
      // (the client, still writing, may see the connection closed rather than the answer). A
      // refusal means two bodies are held: the normal review is sent while they are.
      const shedLines = () => p.logs.filter((l) => l.msg === 'refused a review: the bodies being received would pass --max-bodies-mib');
      await eventually(() => shedLines().length >= 5, 15_000);
      const normal = await postJson(url, review(deployment(), { uid: 'normal' }), { ca: ca.cert, agent: false });
      expect([normal.status, (JSON.parse(normal.text) as { response?: { uid?: string } }).response?.uid]).toEqual([200, 'normal']);
      const shed = shedLines();
      expect(shed.length).toBeGreaterThanOrEqual(5);
      expect(shed[0]).toMatchObject({ level: 40, status: 503, maxBodyBytes: 16 * 1024 * 1024 });
      expect(statuses.every((s) => s === '503' || s === '408')).toBe(true);

      // Connections that never start the TLS handshake, past --max-connections: the extra ones are closed at once.
      let closed = 0;
      for (let i = 0; i < 150; i++) {
        const s = netConnect({ host: '127.0.0.1', port });
        s.on('error', () => undefined);
        s.on('close', () => closed++);
        sockets.push(s);
      }
      await eventually(() => closed >= 50, 15_000);
      expect(closed).toBeGreaterThanOrEqual(50);
      const log = await p.waitForLog((l) => typeof l.msg === 'string' && /^closed 1 new connection\(s\) since the last such line: 100 connections already open/.test(l.msg));
      expect(log).toMatchObject({ level: 40, maxConnections: 100, closedSinceLastLine: 1 });
      // Half-open connections are closed after the request timeout (4 s, counted from each one's
      // accept), freeing the slots: the review after that is answered.
      await eventually(async () => (await heldConnections(p.child.pid ?? 0, port)) < 100, 20_000);
      const after = await postJson(url, review(deployment(), { uid: 'after' }), { ca: ca.cert, agent: false });
      expect(after.status).toBe(200);
      const metrics = await import('./helpers/https-client.js').then((m) => m.get(url, '/metrics', { ca: ca.cert, agent: false }));
      expect(metrics.text).toMatch(/rollsafe_shed_total\{reason="body_bytes"\} [1-9]/);
      expect(metrics.text).toMatch(/rollsafe_shed_total\{reason="connections"\} [1-9]/);
      expect(p.child.exitCode).toBeNull();
    } finally {
      for (const s of sockets) s.destroy();
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }, 90_000);
});

describe('--max-connections, counted by the server (the sockets the process holds, not what a client sees)', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const MAX = 30;

  /** A served process capped at MAX, and a function opening `count` connections of a kind to `host`. */
  async function capped(host: string, env: Record<string, string> = {}) {
    const { connect: tlsConnect } = await import('node:tls');
    const { connect: netConnect } = await import('node:net');
    const { p, ca, port } = await served(host, ['--max-connections', String(MAX)], env);
    const pid = p.child.pid ?? 0;
    const body = JSON.stringify(review(deployment()));
    const open = (kind: 'tcp' | 'tls' | 'review', count: number, to = '127.0.0.1') =>
      Array.from({ length: count }, () => {
        const raw = netConnect({ host: to, port });
        raw.on('error', () => undefined);
        if (kind === 'tcp') return raw;
        const s = tlsConnect({ socket: raw, ca: ca.cert, servername: 'localhost' }, () => {
          if (kind === 'review') s.write(`POST /validate HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        });
        s.on('error', () => undefined);
        return s;
      });
    /** The most connections the process held, sampled about every 45 ms for `ms` after it first held `atLeast`. */
    const peakHeld = async (atLeast: number, ms: number) => {
      // An upper bound for the connections to arrive on a busy machine, not the time expected.
      const until = Date.now() + 15_000;
      while ((await heldConnections(pid, port)) < atLeast && Date.now() < until) await sleep(25);
      let peak = 0;
      for (const end = Date.now() + ms; Date.now() < end; await sleep(25)) peak = Math.max(peak, await heldConnections(pid, port));
      return peak;
    };
    const drained = async () => {
      const until = Date.now() + 15_000;
      while ((await heldConnections(pid, port)) > 0 && Date.now() < until) await sleep(25);
      return await heldConnections(pid, port);
    };
    return { p, port, open, peakHeld, drained };
  }

  it.each<[string, 'tcp' | 'tls' | 'review']>([
    ['TCP connections that never start TLS', 'tcp'],
    ['TLS connections that idle after the handshake', 'tls'],
    ['kept-alive connections that had a review answered', 'review'],
  ])('holds at most --max-connections %s, 3 times as many arriving at once', async (_, kind) => {
    const { p, open, peakHeld, drained } = await capped('127.0.0.1');
    try {
      const sockets = open(kind, 3 * MAX);
      // Reaching MAX shows the connections did arrive; never more than MAX is the bound.
      expect(await peakHeld(MAX, 1000)).toBe(MAX);
      for (const s of sockets) s.destroy();
      expect(await drained()).toBe(0);
      expect(p.child.exitCode).toBeNull();
    } finally {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }, 60_000);

  it('holds at most --max-connections with --host localhost, where localhost is 127.0.0.1 and ::1 (one listener, not one bound per address)', async () => {
    const { p, open, peakHeld, drained } = await capped('localhost', { NODE_OPTIONS: `--require ${ROOT}test/server/helpers/localhost-both.cjs` });
    try {
      const sockets = [...open('tcp', 2 * MAX, '127.0.0.1'), ...open('tcp', 2 * MAX, '::1')];
      expect(await peakHeld(MAX, 1000)).toBe(MAX);
      expect(p.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('Server listening at'))).toHaveLength(1);
      for (const s of sockets) s.destroy();
      expect(await drained()).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }, 60_000);
});
