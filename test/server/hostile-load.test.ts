// The webhook under hostile or unlucky load, as a real process with the V8 heap a pod with the
// chart's 256 MiB memory limit gets (Node sizes the heap from the cgroup limit: old space 128 MiB),
// over TLS with certificate verification on. What is asserted is behaviour: the answers, and that
// the process is still running and answers a normal review; memory figures are in the commit
// messages, measured outside the tests.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countJsonValues, MAX_JSON_VALUES, parseJsonBody, TooManyJsonValues } from '../../src/server/json-body.js';
import { deployment, review } from '../helpers/reviews.js';
import { makeCa, type Pem, serverCertificate, tempDir, writeSecretVolume } from './helpers/certificates.js';
import { postJson } from './helpers/https-client.js';
import { freePort, type ServeProcess, spawnServe } from './helpers/serve-process.js';

const BODY_LIMIT = 7 * 1024 * 1024;
const listening = (l: Record<string, unknown>) => typeof l.msg === 'string' && l.msg.startsWith('rollsafe webhook listening at');
/** What Node gives a container limited to 256 MiB (V8 sizes old space from the cgroup limit), and the image's young generation. */
const POD_HEAP = '--max-old-space-size=128 --max-semi-space-size=32';

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
    const dir = tempDir();
    ca = await makeCa();
    const { certFile, keyFile } = writeSecretVolume(dir, await serverCertificate(ca));
    const port = await freePort();
    url = `https://127.0.0.1:${port}`;
    p = spawnServe(['--host', '127.0.0.1', '--port', String(port), '--tls-cert', certFile, '--tls-key', keyFile, '--drain-seconds', '0'], { NODE_OPTIONS: POD_HEAP });
    await p.waitForLog(listening);
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
