// The reflector's paginated list against a fake API server (test/cluster/fake-apiserver.ts): the
// real one expires a continue token only after an etcd compaction past it, which cannot be timed
// between two pages; test/e2e/reflector.e2e.test.ts lists several real pages.
import { afterEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { Reflector } from '../../src/cluster/reflector.js';
import { configMaps } from '../../src/cluster/resources.js';
import { cm, eventually, type FakeApiServer, fakeApiServer, json, openStream } from './fake-apiserver.js';

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
});
