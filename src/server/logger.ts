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

export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    // No `name` option: pino writes it as a top-level "name" key in every line, and the review
    // line's `name` (the object's, README "Run the webhook") then made a second "name" key in the
    // same JSON object, which strict log pipelines refuse and others resolve either way.
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
