// Graceful shutdown, in the order Kubernetes needs: /readyz fails at once; reviews are still
// answered for the drain period while the endpoints controller and every API server stop sending
// here; then no new connections, in-flight reviews finish, kept-alive connections close, done.
import type { Logger } from 'pino';
import type { RollsafeApp } from './app.js';
import type { Readiness } from './readiness.js';

export interface ShutdownOptions {
  readonly app: RollsafeApp;
  readonly readiness: Readiness;
  readonly logger: Logger;
  readonly drainSeconds: number;
  /** Longest wait for in-flight requests after the drain before connections are cut (ms). */
  readonly closeTimeoutMs: number;
  /** Stopped after the server closed (file watchers). */
  readonly onClosed?: () => void;
}

export interface Shutdown {
  /** Start (first call) or hurry (later calls: the drain period is cut short). */
  (reason: string): void;
  /** Settles when the server has closed. */
  readonly done: Promise<void>;
}

const CLOSE_IDLE_EVERY_MS = 100;
/** One signal delivered twice (npm and tsx both forward it) is not a second signal. */
const SAME_SIGNAL_MS = 500;

export function gracefulShutdown(opts: ShutdownOptions): Shutdown {
  const { app, readiness, logger, drainSeconds, closeTimeoutMs } = opts;
  let startedAt: number | undefined;
  let endDrain: () => void = () => undefined;
  let resolveDone: () => void = () => undefined;
  let rejectDone: (err: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  const run = async (reason: string) => {
    readiness.shutDown();
    logger.info({ reason, drainSeconds }, 'shutting down: /readyz now fails; still answering reviews while endpoints update');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, drainSeconds * 1000);
      endDrain = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    logger.info('drain period over: refusing new connections, finishing reviews in flight');
    // server.close() closes idle keep-alive connections once; a connection busy at that moment
    // becomes idle after its answer and would otherwise stay open until keepAliveTimeout.
    const reap = setInterval(() => app.server.closeIdleConnections(), CLOSE_IDLE_EVERY_MS);
    const deadline = setTimeout(() => {
      logger.warn({ closeTimeoutMs }, 'requests still open after the close timeout; closing their connections');
      app.server.closeAllConnections();
    }, closeTimeoutMs);
    try {
      await app.close();
    } finally {
      clearInterval(reap);
      clearTimeout(deadline);
      opts.onClosed?.();
    }
    logger.info('stopped');
  };

  const shutdown = (reason: string) => {
    if (startedAt !== undefined) {
      if (Date.now() - startedAt < SAME_SIGNAL_MS) return;
      logger.info({ reason }, 'second signal: ending the drain period now');
      endDrain();
      return;
    }
    startedAt = Date.now();
    run(reason).then(resolveDone, rejectDone);
  };
  return Object.assign(shutdown, { done });
}
