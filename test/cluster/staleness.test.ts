// How long the reflector says its store has been out of sync (rollsafe_cache_age_seconds, and the
// staleCache decision), against a fake API server (test/cluster/fake-apiserver.ts): the real one
// cannot be made to answer a watch with 410 and then hold the relist, or to keep a connection open
// while sending nothing, at the moment a test needs it.
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

async function reflect(list: Handler, watch: Handler, timing?: { bookmarkSilenceMs: number }) {
  const api = await fakeApiServer({ list, watch });
  const reflector = new Reflector(api.connection, configMaps, pino({ level: 'silent' }), {}, Date.now, timing);
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

  it('a watch that has sent bookmarks and then falls silent is taken for dead, and aged from the last thing it sent', async () => {
    let silentFrom = 0;
    const { api, reflector } = await reflect(
      (_r, res) => json(res, 200, { metadata: { resourceVersion: '10' }, items: [cm('a', 5)] }),
      (r, res) => {
        if (r.n > 1) return; // and the next watch gets no answer either
        openStream(res);
        res.write(line('BOOKMARK', { kind: 'ConfigMap', metadata: { resourceVersion: '12' } }));
        silentFrom = Date.now();
        // then nothing: a half-open connection (a node gone without a RST, a load balancer's dropped flow)
      },
      { bookmarkSilenceMs: 1500 },
    );
    expect(await eventually(() => api.watches.length === 2, 5000)).toBe(true);
    expect(api.watches[1]?.get('resourceVersion')).toBe('12');
    expect(Date.now() - silentFrom).toBeLessThan(3000);
    await sleep(200);
    expect(reflector.ageSeconds()).toBeGreaterThan(1.5);
  });

  it('without a bookmark ever seen (a server that sends none), a quiet watch is kept until its own timeout', async () => {
    const { api } = await reflect(
      (_r, res) => json(res, 200, { metadata: { resourceVersion: '10' }, items: [cm('a', 5)] }),
      (_r, res) => openStream(res),
      { bookmarkSilenceMs: 500 },
    );
    await sleep(2000);
    expect(api.watches.length).toBe(1);
  });
});
