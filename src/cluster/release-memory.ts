// Memory a list burst leaves behind. Listing 10,000 ConfigMaps parses tens of MB of JSON in a few
// seconds, so V8 grows the young generation to its maximum (64 MB with the image's
// --max-semi-space-size=32) and the old generation with it. Afterwards the young generation is
// empty but stays committed: V8 shrinks it only at a GC that sees a low allocation rate, and an
// idle process makes no GC at all. Measured with 10,000 ConfigMaps and 3,000 Deployments: 205 MB
// RSS twelve seconds after the sync, against 139 MB once two full GCs had run while the process
// was quiet. So after a list the cache asks for two full GCs, a few seconds apart: the second one
// sees the quiet and returns the young generation. When the webhook is busy the GCs find the
// memory in use and leave it (V8 decides); a full GC of the cache's heap pauses for tens of ms,
// once per list. Needs `gc`, which Node gives with --expose-gc (the image and `npm start` pass it);
// without it this does nothing, and V8 returns the memory at the next GC in its own time.
import type { Logger } from 'pino';

export interface MemoryRelease {
  /** A list just finished: run the full GCs after it (again from now, if some were pending). */
  afterList(): void;
  stop(): void;
}

/** Milliseconds after the last list at which a full GC runs. */
export const RELEASE_DELAYS_MS = [3000, 9000] as const;

const exposedGc = (): (() => void) | undefined => {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? () => void (gc as () => unknown)() : undefined;
};

export function memoryRelease(logger: Logger, gc: (() => void) | undefined = exposedGc(), delaysMs: readonly number[] = RELEASE_DELAYS_MS): MemoryRelease {
  let timers: NodeJS.Timeout[] = [];
  const clear = () => {
    for (const t of timers) clearTimeout(t);
    timers = [];
  };
  return {
    afterList() {
      if (!gc) return;
      clear();
      timers = delaysMs.map((ms) =>
        setTimeout(() => {
          const before = process.memoryUsage().rss;
          const started = process.hrtime.bigint();
          gc();
          const pauseMs = Number(process.hrtime.bigint() - started) / 1e6;
          logger.debug({ rssBeforeMb: Math.round(before / 1048576), rssAfterMb: Math.round(process.memoryUsage().rss / 1048576), pauseMs: Math.round(pauseMs) }, 'cluster cache: full GC after a list, to return the memory the list took');
        }, ms).unref(),
      );
    },
    stop: clear,
  };
}
