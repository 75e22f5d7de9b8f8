// After a list the cache asks for full GCs, so the young generation the list burst grew is given
// back (bench/cache.ts measures the RSS: about 205 MB twelve seconds after the sync without them,
// 139 MB with them). Here: when they run, that a later list starts them again, and that the cache
// asks after every list, its own metrics events still called. Fake timers: no test waits seconds.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { pino } from 'pino';
import { ClusterCache } from '../../src/cluster/cache.js';
import { memoryRelease, RELEASE_DELAYS_MS } from '../../src/cluster/release-memory.js';
import { eventually, type FakeApiServer, fakeApiServer, json, openStream } from './fake-apiserver.js';

const silent = pino({ level: 'silent' });

describe('full GCs after a list', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs one full GC at each delay after a list, counted from the last list, and none after stop', () => {
    jest.useFakeTimers();
    let gcs = 0;
    const release = memoryRelease(silent, () => gcs++, [3000, 9000]);
    release.afterList();
    jest.advanceTimersByTime(2999);
    expect(gcs).toBe(0);
    jest.advanceTimersByTime(1);
    expect(gcs).toBe(1);
    // Another list (a relist, the next resource's first list) before the second GC: both again, from now.
    release.afterList();
    jest.advanceTimersByTime(8999);
    expect(gcs).toBe(2);
    jest.advanceTimersByTime(1);
    expect(gcs).toBe(3);
    jest.advanceTimersByTime(60_000);
    expect(gcs).toBe(3);
    release.afterList();
    release.stop();
    jest.advanceTimersByTime(60_000);
    expect(gcs).toBe(3);
  });

  it('does nothing without gc (Node started without --expose-gc)', () => {
    jest.useFakeTimers();
    const release = memoryRelease(silent, undefined);
    release.afterList();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('the default delays leave the process quiet for several seconds before the GC that can shrink the young generation', () => {
    expect(RELEASE_DELAYS_MS[0]).toBeGreaterThanOrEqual(1000);
    expect((RELEASE_DELAYS_MS[1] ?? 0) - RELEASE_DELAYS_MS[0]).toBeGreaterThanOrEqual(5000);
  });
});

describe('the cluster cache', () => {
  let api: FakeApiServer | undefined;
  afterEach(() => api?.close());

  it('asks for the GCs after every resource it lists, and still reports each list to its events', async () => {
    api = await fakeApiServer({
      list: (_r, res) => json(res, 200, { metadata: { resourceVersion: '1' }, items: [] }),
      watch: (_r, res) => openStream(res),
    });
    let afterLists = 0;
    const listed: string[] = [];
    const cache = new ClusterCache({ connection: api.connection, logger: silent, staleAfterSeconds: 60, events: { listed: (resource) => listed.push(resource) }, release: { afterList: () => afterLists++, stop: () => undefined } });
    cache.start();
    try {
      await Promise.all(cache.reflectors.map((r) => r.whenSynced()));
      expect(await eventually(() => listed.length === cache.reflectors.length)).toBe(true);
      expect(afterLists).toBe(cache.reflectors.length);
      expect(listed.sort()).toEqual(cache.reflectors.map((r) => r.spec.name).sort());
    } finally {
      cache.stop();
    }
  });
});
