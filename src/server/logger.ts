// The one root logger of `rollsafe serve`: JSON lines (pino), created before anything else runs
// and handed to fastify and every other module as an argument (STYLE.md §7).
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import type { Settings } from '../config/settings.js';

/**
 * Fixed redaction paths, a backstop only: Rollsafe never logs objects or userInfo groups, and
 * finding messages are masked where they are built (showValue).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.object',
  '*.oldObject',
  '*.userInfo',
  '*.data',
  '*.env[*].value',
];

export type LogLevel = Settings['logLevel'];

export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    name: 'rollsafe',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
