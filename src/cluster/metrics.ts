// Prometheus series of the cluster cache: age and size per resource (read at scrape time),
// relists and failed watches (counted as they happen).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ClusterCache } from './cache.js';
import type { ReflectorEvents } from './reflector.js';

export interface CacheMetrics {
  readonly events: ReflectorEvents;
  /** Start reporting age and size of this cache's resources. */
  attach(cache: ClusterCache): void;
}

export function cacheMetrics(registry: Registry): CacheMetrics {
  const registers = [registry];
  const relists = new Counter({ name: 'rollsafe_cache_lists_total', help: 'Full lists of a resource into the cluster cache (the first sync, and relists after 410 Gone)', labelNames: ['resource'], registers });
  const failures = new Counter({ name: 'rollsafe_cache_watch_failures_total', help: 'Lists or watches of a resource that failed and were retried with backoff', labelNames: ['resource'], registers });
  let cache: ClusterCache | undefined;
  new Gauge({
    name: 'rollsafe_cache_age_seconds',
    help: 'Seconds since the cached resource was last known to match the API server (0 while its watch is open)',
    labelNames: ['resource'],
    registers,
    collect() {
      for (const r of cache?.reflectors ?? []) this.set({ resource: r.spec.name }, r.ageSeconds());
    },
  });
  new Gauge({
    name: 'rollsafe_cache_objects',
    help: 'Objects of the resource held in the cluster cache',
    labelNames: ['resource'],
    registers,
    collect() {
      for (const r of cache?.reflectors ?? []) this.set({ resource: r.spec.name }, r.count);
    },
  });
  return {
    events: {
      listed: (resource) => relists.inc({ resource }),
      failed: (resource) => failures.inc({ resource }),
    },
    attach: (c) => {
      cache = c;
      for (const r of c.reflectors) failures.inc({ resource: r.spec.name }, 0);
    },
  };
}
