// Watch events as the reflector reads them through @kubernetes/client-node's Watch, against a fake
// API server (test/cluster/fake-apiserver.ts says why not the real one: these are byte-level cuts
// it never makes on demand). A line that is not JSON is not tested: client-node's Watch skips it
// (a known limitation, docs/design-changes.md; the API server does not write such lines).
import { afterEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { Reflector } from '../../src/cluster/reflector.js';
import { configMaps } from '../../src/cluster/resources.js';
import { cm, eventually, type FakeApiServer, fakeApiServer, type Handler, json, line, openStream } from './fake-apiserver.js';

const open: { api: FakeApiServer; reflector: Reflector<unknown> }[] = [];
afterEach(() => {
  for (const { api, reflector } of open.splice(0)) {
    reflector.stop();
    api.close();
  }
});

const listA: Handler = (_r, res) => json(res, 200, { metadata: { resourceVersion: '10' }, items: [cm('a', 5)] });

async function reflect(watch: Handler, list: Handler = listA) {
  const api = await fakeApiServer({ list, watch });
  const reflector = new Reflector(api.connection, configMaps, pino({ level: 'silent' }));
  open.push({ api, reflector: reflector as Reflector<unknown> });
  reflector.start();
  await reflector.whenSynced();
  return { api, reflector };
}

const names = (r: Reflector<{ metadata: { name?: string | undefined } }>) => r.list('shop').map((c) => c.metadata.name).sort();

describe('watch events', () => {
  it('joins a line split across chunks, also in the middle of a UTF-8 character', async () => {
    const { reflector } = await reflect((r, res) => {
      if (r.n > 1) return;
      openStream(res);
      const bytes = Buffer.from(line('ADDED', cm('b', 11, { GREETING: 'grüße €' })));
      const cut = bytes.indexOf(Buffer.from('€')) + 1; // inside the 3 bytes of €
      res.write(bytes.subarray(0, 7));
      setTimeout(() => res.write(bytes.subarray(7, cut)), 50);
      setTimeout(() => res.write(Buffer.concat([bytes.subarray(cut), Buffer.from(line('ADDED', cm('c', 12)))])), 100);
    });
    expect(await eventually(() => names(reflector).join() === 'a,b,c')).toBe(true);
    expect(reflector.get('shop', 'b')?.data.GREETING).toBe('grüße €');
  });

  it('reads a 3 MiB line arriving in 1 KiB chunks', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const { reflector } = await reflect((r, res) => {
      if (r.n > 1) return;
      openStream(res);
      const bytes = Buffer.from(line('MODIFIED', cm('a', 11, { BIG: big })) + line('ADDED', cm('b', 12)));
      for (let i = 0; i < bytes.length; i += 1024) res.write(bytes.subarray(i, i + 1024));
    });
    expect(await eventually(() => names(reflector).join() === 'a,b', 15_000)).toBe(true);
    expect(reflector.get('shop', 'a')?.data.BIG?.length).toBe(big.length);
  });

  it('an event of an unknown type changes no object and moves the version on (as client-go: logged, version kept)', async () => {
    const { api, reflector } = await reflect((r, res) => {
      openStream(res);
      if (r.n === 1) {
        res.write(line('SOMETHING_NEW', cm('z', 11)));
        res.end();
      }
    });
    expect(await eventually(() => api.watches.length > 1)).toBe(true);
    expect(names(reflector)).toEqual(['a']);
    expect(api.watches[1]?.get('resourceVersion')).toBe('11');
    expect(api.lists).toHaveLength(1); // a clean end (the server's timeout) watches again, it does not relist
  });
});

describe('refused watch', () => {
  it('a 403 on the watch is logged with its status and the verb the ServiceAccount lacks (client-node gives only the status text)', async () => {
    const logs: { msg: string; err?: string }[] = [];
    const api = await fakeApiServer({
      list: listA,
      watch: (_r, res) => json(res, 403, { kind: 'Status', code: 403, reason: 'Forbidden', message: 'configmaps is forbidden: User "u" cannot watch resource "configmaps"' }),
    });
    const reflector = new Reflector(api.connection, configMaps, pino({ level: 'info' }, { write: (s: string) => logs.push(JSON.parse(s) as { msg: string }) }));
    open.push({ api, reflector: reflector as Reflector<unknown> });
    reflector.start();
    await reflector.whenSynced();
    expect(await eventually(() => logs.some((l) => l.msg === 'cluster cache: configmaps watch failed; retrying'))).toBe(true);
    expect(logs.find((l) => l.msg.includes('watch failed'))?.err).toBe('watch /api/v1/configmaps: 403 Forbidden; the ServiceAccount (or kubeconfig user) needs watch on configmaps');
  });
});
