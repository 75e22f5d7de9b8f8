// The reflector against a stub of the API server's list and watch endpoints over real TLS (a fake:
// the failure modes below, 410 on every watch, a CRD removed, a server that never answers, cannot
// be produced on demand by the real kube-apiserver; test/e2e/cluster.e2e.test.ts covers the real one).
import { Agent, createServer, type Server } from 'node:https';
import { afterEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Connection } from '../../src/cluster/connection.js';
import { Reflector } from '../../src/cluster/reflector.js';
import { configMaps, configSchemas, type ResourceSpec } from '../../src/cluster/resources.js';
import { makeCa, serverCertificate } from '../server/helpers/certificates.js';
import { eventually, settles, sleep } from '../helpers/poll.js';

type WatchMode = 'events-then-close' | 'gone' | 'not-found' | 'hang' | 'list-hangs';

interface Stub {
  lists: number;
  watches: number;
  server: Server;
  connection: Connection;
}

const running: { stub: Stub; reflector: Reflector<unknown> }[] = [];
afterEach(() => {
  for (const { stub, reflector } of running.splice(0)) {
    reflector.stop();
    stub.server.closeAllConnections();
    stub.server.close();
  }
});

async function stub(mode: WatchMode): Promise<Stub> {
  const ca = await makeCa();
  const tls = await serverCertificate(ca);
  const s = { lists: 0, watches: 0 } as Stub;
  s.server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    if (url.searchParams.get('watch') !== 'true') {
      s.lists++;
      if (mode === 'list-hangs') return;
      if (mode === 'not-found' && s.lists > 1) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', code: 404 }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ metadata: { resourceVersion: '10' }, items: [{ metadata: { name: 'a', namespace: 'shop' }, data: { K: 'v' } }] }));
      return;
    }
    s.watches++;
    if (mode === 'hang') return;
    if (mode === 'not-found') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', code: 404 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (mode === 'gone') res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old resource version' } })}\n`);
    else {
      res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'b', namespace: 'shop', resourceVersion: '11' }, data: { K: 'w' } } })}\n`);
      res.write(`${JSON.stringify({ type: 'DELETED', object: { metadata: { name: 'a', namespace: 'shop', resourceVersion: '12' } } })}\n`);
      setTimeout(() => res.end(), 1500);
    }
  });
  await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
  const address = s.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  s.connection = { server: `https://127.0.0.1:${port}`, via: 'test', agent: new Agent({ ca: ca.cert, keepAlive: true }), requestOptions: () => ({ ca: Buffer.from(ca.cert), headers: {} }) };
  return s;
}

/** The stub's open connections (the count it holds, not what the client sees). */
const connections = (s: Stub) => new Promise<number>((resolve) => s.server.getConnections((_e, n) => resolve(n)));

async function start<T>(mode: WatchMode, spec: ResourceSpec<T>) {
  const s = await stub(mode);
  const reflector = new Reflector(s.connection, spec, pino({ level: 'silent' }));
  running.push({ stub: s, reflector: reflector as Reflector<unknown> });
  reflector.start();
  await reflector.whenSynced();
  return { s, reflector };
}

describe('reflector', () => {
  it('applies watch events (ADDED, DELETED) to the store while in sync', async () => {
    const { reflector } = await start('events-then-close', configMaps);
    // Both events, then the stub keeps the watch open 1.5 s: the store is read while it is.
    await eventually(() => reflector.list('shop').map((c) => c.metadata.name).join() === 'b', 10_000);
    expect(reflector.list('shop').map((c) => c.metadata.name)).toEqual(['b']);
    expect(reflector.count).toBe(1);
    expect(reflector.ageSeconds()).toBe(0);
  });

  it('relists after 410 Gone, with backoff: no hot loop against the API server', async () => {
    const { s } = await start('gone', configMaps);
    await sleep(3000);
    // At most one relist per 500 ms pause in these 3 s (a slower machine only lists less).
    expect(s.lists).toBeLessThan(8);
    expect(await eventually(() => s.lists > 1, 10_000)).toBe(true);
  });

  it('relists when the watch answers 404 (the CRD was removed), and then treats the resource as absent', async () => {
    const { s, reflector } = await start('not-found', configSchemas);
    expect(await eventually(() => s.lists > 1, 10_000)).toBe(true);
    // The relist's 404 makes it absent; absent is not stale: nothing exists to be out of date.
    expect(await eventually(() => reflector.ageSeconds() === 0, 10_000)).toBe(true);
    await sleep(500);
    expect(reflector.ageSeconds()).toBe(0);
  });

  it('cuts a watch still waiting for its answer when stopped (shutdown does not hang on it)', async () => {
    const { s, reflector } = await start('hang', configMaps);
    expect(await eventually(() => s.watches >= 1, 10_000)).toBe(true);
    await sleep(300);
    expect(s.watches).toBe(1);
    const before = await connections(s); // the list's kept-alive connection and the waiting watch
    reflector.stop();
    expect(before - (await settles(() => connections(s), (n) => before - n >= 1))).toBe(1);
  });

  it('cuts a list still waiting for its answer when stopped: the process exits after the drain, not when the list times out', async () => {
    const s = await stub('list-hangs');
    const reflector = new Reflector(s.connection, configMaps, pino({ level: 'silent' }));
    running.push({ stub: s, reflector: reflector as Reflector<unknown> });
    reflector.start();
    expect(await eventually(() => s.lists >= 1, 10_000)).toBe(true);
    expect(s.lists).toBe(1);
    expect(await connections(s)).toBe(1);
    reflector.stop();
    expect(await settles(() => connections(s), (n) => n === 0)).toBe(0);
    await sleep(300);
    expect(s.lists).toBe(1); // and no list again after the stop
  });
});
