// Assemble and start the webhook: app, listener, reload watchers and the shutdown sequence.
// Settings, TLS material and the first configuration are loaded (and validated) by the caller,
// so everything that can be wrong in them is reported before a port is opened.
import { lookup } from 'node:dns/promises';
import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';
import type { Logger } from 'pino';
import type { ReviewDeps } from '../admission/review.js';
import { ClusterCache } from '../cluster/cache.js';
import type { Connection } from '../cluster/connection.js';
import { cacheMetrics } from '../cluster/metrics.js';
import { DEFAULT_HOST, type Settings } from '../config/settings.js';
import { buildApp, type RollsafeApp } from './app.js';
import { createMetrics, type Metrics } from './metrics.js';
import { Readiness } from './readiness.js';
import { watchReviewConfig } from './reload.js';
import type { ReviewConfig } from './review-config.js';
import { gracefulShutdown, type Shutdown } from './shutdown.js';
import { watchTlsFiles } from './tls-reload.js';
import { certificateExpiry, type TlsMaterial } from './tls.js';
import type { Watcher } from './watch.js';

export interface StartOptions {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly tls: TlsMaterial;
  /** The configuration loaded at start-up. */
  readonly reviewConfig: ReviewConfig;
  readonly metrics?: Metrics;
  /** Watch the cluster with these credentials; absent: no cluster lookups. */
  readonly connection?: Connection;
  /** Poll period of the file watchers (ms); directory events usually come first. */
  readonly watchIntervalMs?: number;
}

export interface RunningServer {
  readonly app: RollsafeApp;
  /** https://host:port as bound (the real port when settings.port was 0). */
  readonly url: string;
  readonly readiness: Readiness;
  readonly metrics: Metrics;
  readonly shutdown: Shutdown;
  readonly cluster: ClusterCache | undefined;
}

export async function startServer(o: StartOptions): Promise<RunningServer> {
  const { settings, logger } = o;
  const metrics = o.metrics ?? createMetrics();
  const readiness = new Readiness();
  let current = o.reviewConfig;
  readiness.loaded('policy-config');
  readiness.loaded('schemas');

  const cluster = o.connection && startClusterCache(o.connection, settings, logger, metrics, readiness);
  const reviewDeps = (): ReviewDeps => {
    if (!cluster) return current.deps;
    return { ...current.deps, lookup: cluster.lookup(current.schemas), namespaceLabels: cluster.namespaceLabels, cache: cluster.trust() };
  };

  const app = buildApp({ logger, requestTimeoutMs: settings.requestTimeoutMs, maxConnections: settings.maxConnections, maxBodyBytes: settings.maxBodiesMib * 1024 * 1024, tls: o.tls, reviewDeps, metrics, readiness });
  metrics.tlsExpiry.set(certificateExpiry(o.tls.cert));
  await app.listen({ port: settings.port, host: await oneListener(listenHost(settings.host, networkInterfaces(), logger)) });

  const watchers: Watcher[] = [
    watchReviewConfig({
      sources: settings,
      current: () => current,
      apply: (next) => {
        current = next;
      },
      metrics,
      logger,
      intervalMs: o.watchIntervalMs,
    }),
  ];
  if (settings.tlsCertFile !== undefined && settings.tlsKeyFile !== undefined) {
    const files = { certFile: settings.tlsCertFile, keyFile: settings.tlsKeyFile, clientCaFile: settings.clientCaFile };
    watchers.push(watchTlsFiles({ files, server: app.server, logger, metrics, intervalMs: o.watchIntervalMs }));
  }

  const shutdown = gracefulShutdown({
    app,
    readiness,
    logger,
    drainSeconds: settings.drainSeconds,
    closeTimeoutMs: settings.requestTimeoutMs + 1000,
    onClosed: () => {
      watchers.forEach((w) => w.close());
      cluster?.stop();
    },
  });
  return { app, url: urlOf(app), readiness, metrics, shutdown, cluster };
}

function startClusterCache(connection: Connection, settings: Settings, logger: Logger, metrics: Metrics, readiness: Readiness): ClusterCache {
  const m = cacheMetrics(metrics.registry);
  const cache = new ClusterCache({ connection, logger, staleAfterSeconds: settings.cacheStaleSeconds, events: m.events });
  m.attach(cache);
  for (const r of cache.reflectors) {
    readiness.requires(`cache ${r.spec.name}`);
    void r.whenSynced().then(() => {
      readiness.loaded(`cache ${r.spec.name}`);
      logger.info({ resource: r.spec.name, objects: r.count }, `cluster cache: ${r.spec.name} listed`);
      if (readiness.ready) logger.info('ready: every cluster cache is listed');
    });
  }
  cache.start();
  return cache;
}

function urlOf(app: RollsafeApp): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') return String(address);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `https://${host}:${address.port}`;
}

/**
 * The address itself for `localhost`: given the name, fastify listens on every address it
 * resolves to (127.0.0.1 and ::1 in a pod, whose /etc/hosts kubelet writes with both), each
 * after the first through a server of its own, which --max-connections, certificate reloads and the
 * shutdown drain never reach (they act on app.server): with --max-connections 50 it held 250
 * connections, 200 of them on ::1. One listener, on the address Node listens on for the name (its first).
 */
export async function oneListener(host: string): Promise<string> {
  return host === 'localhost' ? (await lookup(host)).address : host;
}

/**
 * `::` where the node has IPv6 (dual-stack: IPv4 clients too); on a node whose kernel has IPv6 off,
 * where listening on `::` fails (EAFNOSUPPORT), 0.0.0.0, and the log says so.
 */
export function listenHost(host: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, logger: Logger): string {
  if (host !== DEFAULT_HOST) return host;
  if (Object.values(interfaces).some((list) => list?.some((i) => i.family === 'IPv6'))) return host;
  logger.warn('no IPv6 address on this node: listening on 0.0.0.0 (IPv4 only)');
  return '0.0.0.0';
}
