// The one root logger of `rollsafe serve`: JSON lines (pino), created before anything else runs
// and handed to fastify and every other module as an argument (STYLE.md §7).
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import type { Settings } from '../config/settings.js';

/**
 * Redaction, a backstop only: Rollsafe never logs objects, ConfigMap data or userInfo groups,
 * and finding messages are masked where they are built (showValue). Fixed paths only: each
 * wildcard path (`*.object`) made every review's log line 2.5x as expensive (measured: 14 µs
 * against 5.4 µs per line), and the log calls that could carry these fields are known.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...['object', 'oldObject', 'userInfo', 'data', 'env'].flatMap((field) => [field, `request.${field}`, `review.${field}`, `review.request.${field}`]),
];

export type LogLevel = Settings['logLevel'];

/** pino's SonicBoom: a stream that emits `drop` for each line it could not hold. */
export type LogDestination = ReturnType<typeof pino.destination>;

/** Log bytes gathered before one write (about 10 review lines); see logDestination. */
export const LOG_BATCH_BYTES = 4096;
/** The longest a line waits in the batch (ms). */
export const LOG_FLUSH_MS = 250;
/** Log bytes held at most while stdout takes none; what comes beyond is dropped and counted. */
export const LOG_BUFFER_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Where `rollsafe serve` writes its lines: stdout, asynchronously, in batches. pino's default
 * writes each line as soon as the one before is written: a write system call and a trip through
 * libuv's thread pool per line when reviews come one at a time (a synchronous write of one line
 * cost 15 µs on the 2-vCPU VM of bench/). Under concurrent load the writes batch themselves
 * while one is in flight, and the difference measured there was within the noise. A line waits
 * at most LOG_FLUSH_MS; the lines still waiting when the process exits are written by pino's
 * exit handler, so a process killed outright (SIGKILL) loses at most that much. While stdout
 * takes nothing (a stalled log collector), at most LOG_BUFFER_MAX_BYTES wait: pino's default
 * held them all, without bound; the rest are dropped, each with a `drop` event.
 */
export function logDestination(dest: number | string = 1): LogDestination {
  const stream = pino.destination({ dest, minLength: LOG_BATCH_BYTES, maxLength: LOG_BUFFER_MAX_BYTES });
  // The first line after a flush arms the timer that flushes it (SonicBoom's own periodicFlush
  // writes an empty string on every tick, idle or not: four system calls a second for nothing).
  let timer: NodeJS.Timeout | undefined;
  // SonicBoom sets `destroyed` (not in its types) as it closes, and flush() then throws.
  const destroyed = () => (stream as unknown as { destroyed: boolean }).destroyed;
  const flush = () => {
    timer = undefined;
    if (!destroyed()) stream.flush();
  };
  const write = stream.write.bind(stream);
  stream.write = (line: string): boolean => {
    timer ??= setTimeout(flush, LOG_FLUSH_MS).unref();
    return write(line);
  };
  stream.on('close', () => clearTimeout(timer));
  return stream;
}

export function createLogger(level: LogLevel = 'info', destination: DestinationStream = logDestination()): Logger {
  const options: LoggerOptions = {
    level,
    // No `name` option: pino writes it as a top-level "name" key in every line, and the review
    // line's `name` (the object's, README "Run the webhook") then made a second "name" key in the
    // same JSON object, which strict log pipelines refuse and others resolve either way.
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return pino(options, destination);
}
