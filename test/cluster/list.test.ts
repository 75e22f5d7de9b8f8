// The reflector's paginated list against a fake API server (test/cluster/fake-apiserver.ts): the
// real one expires a continue token only after an etcd compaction past it, which cannot be timed
// between two pages; test/e2e/reflector.e2e.test.ts lists several real pages.
import { afterEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { Reflector } from '../../src/cluster/reflector.js';
import { configMaps } from '../../src/cluster/resources.js';
import { cm, eventually, type FakeApiServer, fakeApiServer, json, line, openStream } from './fake-apiserver.js';

const open: { api: FakeApiServer; reflector: Reflector<unknown> }[] = [];
afterEach(() => {
  for (const { api, reflector } of open.splice(0)) {
    reflector.stop();
    api.close();
  }
});

describe('paginated list', () => {
  it('a continue token that expired mid-list (410) starts the list over; the store is replaced only by a complete one', async () => {
    let listed = 0;
    const api = await fakeApiServer({
      list: (r, res) => {
        const page = r.params.get('continue');
        if (page === null) json(res, 200, { metadata: { resourceVersion: '20', continue: 'p2' }, items: [cm('a', 5)] });
        else if (r.n === 2) json(res, 410, { kind: 'Status', code: 410, reason: 'Expired', message: 'The provided continue parameter is too old' });
        else json(res, 200, { metadata: { resourceVersion: '20' }, items: [cm('b', 6)] });
      },
      watch: (_r, res) => openStream(res),
    });
    const reflector = new Reflector(api.connection, configMaps, pino({ level: 'silent' }), { listed: () => listed++ });
    open.push({ api, reflector: reflector as Reflector<unknown> });
    reflector.start();
    await reflector.whenSynced();
    expect(reflector.list('shop').map((c) => c.metadata.name)).toEqual(['a', 'b']);
    expect(api.lists.map((p) => p.get('continue'))).toEqual([null, 'p2', null, 'p2']);
    expect(api.lists.every((p) => p.get('limit') === '100')).toBe(true);
    expect(listed).toBe(1);
    expect(await eventually(() => api.watches.length === 1)).toBe(true);
    expect(api.watches[0]?.get('resourceVersion')).toBe('20');
  });

  it('a relist that fails after a 410 is logged as a failed list, not a failed watch', async () => {
    const logs: { msg: string }[] = [];
    const api = await fakeApiServer({
      // The first list works; every later one (the relist the 410 asks for) is refused.
      list: (r, res) => (r.n === 1 ? json(res, 200, { metadata: { resourceVersion: '20' }, items: [cm('a', 5)] }) : json(res, 500, { kind: 'Status', code: 500, message: 'etcd unavailable' })),
      watch: (_r, res) => {
        openStream(res);
        res.end(line('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 20 (30)' }));
      },
    });
    const reflector = new Reflector(api.connection, configMaps, pino({ level: 'info' }, { write: (s: string) => void logs.push(JSON.parse(s) as { msg: string }) }));
    open.push({ api, reflector: reflector as Reflector<unknown> });
    reflector.start();
    await reflector.whenSynced();
    expect(await eventually(() => api.lists.length >= 2 && logs.some((l) => l.msg.endsWith('failed; retrying')))).toBe(true);
    expect(logs.filter((l) => l.msg.endsWith('failed; retrying')).map((l) => l.msg)).toContain('cluster cache: configmaps list failed; retrying');
    expect(logs.map((l) => l.msg)).not.toContain('cluster cache: configmaps watch failed; retrying');
  });
});
