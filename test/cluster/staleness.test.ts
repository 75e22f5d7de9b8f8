// How long the reflector says its store has been out of sync (rollsafe_cache_age_seconds, and the
// staleCache decision), against a fake API server (test/cluster/fake-apiserver.ts): the real one
// cannot be made to answer a watch with 410 and then hold the relist at the moment a test needs it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { Reflector } from '../../src/cluster/reflector.js';
import { configMaps } from '../../src/cluster/resources.js';
import { cm, eventually, type FakeApiServer, fakeApiServer, type Handler, json, line, openStream, sleep } from './fake-apiserver.js';

const open: { api: FakeApiServer; reflector: Reflector<unknown> }[] = [];
afterEach(() => {
  for (const { api, reflector } of open.splice(0)) {
    reflector.stop();
    api.close();
  }
});

async function reflect(list: Handler, watch: Handler) {
  const api = await fakeApiServer({ list, watch });
  const reflector = new Reflector(api.connection, configMaps, pino({ level: 'silent' }));
  open.push({ api, reflector: reflector as Reflector<unknown> });
  reflector.start();
  await reflector.whenSynced();
  return { api, reflector };
}

describe('cache age', () => {
  it('a watch that reconnects only to be told 410 Gone does not reset the age: the store is as old as the outage while it relists', async () => {
    let droppedAt = 0;
    const { api, reflector } = await reflect(
      (r, res) => {
        if (r.n === 1) json(res, 200, { metadata: { resourceVersion: '10' }, items: [cm('a', 5)] });
        // the relist of a large cluster after the outage: still going
      },
      (r, res) => {
        if (r.n === 1) {
          openStream(res);
          setTimeout(() => {
            droppedAt = Date.now();
            res.socket?.destroy(); // the API server goes away
          }, 200);
        } else if (r.n === 2) json(res, 503, { kind: 'Status', code: 503, message: 'unavailable' });
        else {
          openStream(res); // back, with a new watch cache: the version is too old
          res.end(line('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 10 (40)' }));
        }
      },
    );
    expect(await eventually(() => api.lists.length === 2, 10_000)).toBe(true);
    await sleep(300);
    const outage = (Date.now() - droppedAt) / 1000;
    expect(outage).toBeGreaterThan(2);
    expect(reflector.ageSeconds()).toBeGreaterThan(outage - 0.3);
  });
});
