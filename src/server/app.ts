// The webhook's fastify app, built without listening (`rollsafe serve` listens; tests may too,
// or use inject). Everything it needs comes in as arguments: no module-level state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { fastify, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { ReviewDeps } from '../admission/review.js';
import type { Metrics } from './metrics.js';
import { healthPlugin } from './plugins/health.js';
import { metricsPlugin } from './plugins/metrics.js';
import { validatePlugin } from './plugins/validate.js';
import type { Readiness } from './readiness.js';
import { serverTlsOptions, type TlsMaterial } from './tls.js';

export type RollsafeApp = FastifyInstance<HttpsServer, IncomingMessage, ServerResponse, Logger>;

export interface AppDeps {
  readonly logger: Logger;
  /** Time allowed to receive a whole request (ms); below the webhook's timeoutSeconds. */
  readonly requestTimeoutMs: number;
  /** Open connections at most; more are closed as they arrive (net.Server maxConnections). */
  readonly maxConnections: number;
  /** Bytes of /validate bodies received at once; a review that would pass it gets 503. */
  readonly maxBodyBytes: number;
  readonly tls: TlsMaterial;
  /** The review configuration in force now; reloads swap what it returns. */
  readonly reviewDeps: () => ReviewDeps;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
}

/** Longer than the API server's 90 s idle-connection timeout, so the client closes idle connections first. */
export const KEEP_ALIVE_TIMEOUT_MS = 120_000;

export function buildApp(deps: AppDeps): RollsafeApp {
  const app = fastify({
    https: {
      ...serverTlsOptions(deps.tls),
      headersTimeout: deps.requestTimeoutMs,
      // Node checks the request timeouts every 30 s by default; check often enough to honour them.
      connectionsCheckingInterval: Math.min(1000, deps.requestTimeoutMs),
      // A connection that has not finished its TLS handshake in the time allowed for a request is
      // closed (Node's default is 120 s): 3,600 connections that never sent a byte held 165 MB.
      handshakeTimeout: deps.requestTimeoutMs,
    },
    loggerInstance: deps.logger,
    // One line per review is logged by the validate route; fastify's two lines per request are noise.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: each review's line carries its uid, and a pino child per
    // request cost about 15% of throughput (measured).
    childLoggerFactory: (logger) => logger,
    requestTimeout: deps.requestTimeoutMs,
    // The API server's webhook client keeps idle connections for 90 s (Go's IdleConnTimeout, set
    // by client-go's SetTransportDefaults) and does not resend a POST it has written. With
    // fastify's 72 s, a review sent just as the server closed the idle connection failed with EOF,
    // and the API server applied the failurePolicy. The client must be the one to close.
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // Keys named __proto__ or constructor are data here, not an attack: a ConfigMap may have a key
    // `__proto__` (valid for the API server), and refusing its review with a 400 would apply the
    // failurePolicy to a valid object. The parsed body is read only through zod, which copies
    // declared keys into fresh objects and skips __proto__ in records, so no prototype is ever
    // assigned; and fastify skips two regex scans of every body (test/server/refusals.test.ts).
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // A review arriving on a kept-alive connection while the server closes is still answered
    // (with Connection: close); a 503 would make the API server apply the failurePolicy.
    return503OnClosing: false,
  });

  // Once shutdown begins, tell keep-alive clients to reconnect: the Service sends the new
  // connection to a pod that is ready.
  // A callback hook, not an async one: no promise and microtask on every request.
  app.addHook('onRequest', (_request, reply, done) => {
    if (deps.readiness.shuttingDown) reply.header('connection', 'close');
    done();
  });
  app.addHook('preClose', async () => deps.readiness.shutDown());

  void app.register(healthPlugin, { readiness: deps.readiness });
  void app.register(metricsPlugin, { registry: deps.metrics.registry });
  void app.register(validatePlugin, {
    reviewDeps: deps.reviewDeps,
    metrics: deps.metrics,
    requireClientCertificate: deps.tls.clientCa !== undefined,
    maxBodyBytes: deps.maxBodyBytes,
  });
  limitConnections(app, deps);
  return app;
}

/**
 * At most maxConnections open connections: each costs 30-45 KB (TLS state and buffers) whether or
 * not it ever sends a request, and thousands of idle or half-open ones took the process over the
 * pod's memory limit. Node closes the extra ones at accept ('drop'); counted, and logged at most
 * once every 10 s. The connections held are a gauge.
 */
function limitConnections(app: RollsafeApp, deps: AppDeps): void {
  app.server.maxConnections = deps.maxConnections;
  let open = 0;
  app.server.on('connection', (socket: Socket) => {
    deps.metrics.openConnections.set(++open);
    socket.once('close', () => deps.metrics.openConnections.set(--open));
  });
  let dropped = 0;
  let lastLine = 0;
  const counted = () => {
    deps.metrics.shed.inc({ reason: 'connections' });
    dropped++;
    const now = Date.now();
    if (now - lastLine < 10_000) return;
    deps.logger.warn({ closedSinceLastLine: dropped, maxConnections: deps.maxConnections }, `closed ${dropped} new connection(s) since the last such line: ${deps.maxConnections} connections already open (--max-connections)`);
    lastLine = now;
    dropped = 0;
  };
  // Node emits 'drop' before it closes the refused socket: count and log after the close, so the
  // process holds the extra connection no longer than Node's own accept-then-close.
  app.server.on('drop', () => queueMicrotask(counted));
}
