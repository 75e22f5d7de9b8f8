// Rollsafe's own settings for `rollsafe serve`: one zod schema for flags, environment variables
// and defaults, validated before anything else starts. A bad value stops start-up with one line
// naming the setting and the value (exit 78, EX_CONFIG), never a stack trace.
import { isIP } from 'node:net';
import { z } from 'zod';
import { renderPath } from '../engine/describe-zod-error.js';

/**
 * A number as written in a flag or variable: decimal digits only. Number() (and z.coerce) would
 * take "" as 0, and 0x20FB or 4e3 as numbers, so ROLLSAFE_DRAIN_SECONDS="" meant no drain at all.
 */
const DECIMAL = /^\s*\d+(\.\d+)?\s*$/;
const decimal = <T extends z.ZodNumber>(schema: T) => z.preprocess((v) => (typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v), schema);

const port = decimal(
  z
    .number({ error: 'must be a port number (decimal digits)' })
    .int('must be a whole number')
    .min(1, 'must be 1 to 65535')
    .max(65535, 'must be 1 to 65535'),
);

/** Dual-stack: `::` accepts IPv6 and IPv4 clients (IPv4 only, with a log line, where the node has no IPv6). */
export const DEFAULT_HOST = '::';

const nonEmpty = z.string().trim().min(1, { error: 'must not be empty', abort: true });

export const Settings = z.strictObject({
  port: port.default(8443).describe('HTTPS port (ROLLSAFE_PORT, --port)'),
  host: nonEmpty
    // A name of digits and dots only (256.1.1.1) is a mistyped IPv4 address, not a host name.
    .refine((h) => isIP(h) !== 0 || (!/^[\d.]+$/.test(h) && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(h)), 'must be an IP address or a host name (e.g. ::, 0.0.0.0, localhost)')
    .default(DEFAULT_HOST).describe('address to listen on; :: (IPv6 and IPv4, or IPv4 alone on a node without IPv6) so pod-IP probes reach it in every cluster; localhost listens on its first address only (ROLLSAFE_HOST, --host)'),
  tlsCertFile: nonEmpty.optional().describe('serving certificate, PEM; reloaded when it changes (ROLLSAFE_TLS_CERT, --tls-cert)'),
  tlsKeyFile: nonEmpty.optional().describe('private key of the certificate, PEM (ROLLSAFE_TLS_KEY, --tls-key)'),
  clientCaFile: nonEmpty.optional().describe('CA that client certificates of the API server must chain to (ROLLSAFE_CLIENT_CA, --client-ca)'),
  policyConfigFile: nonEmpty.optional().describe('policy configuration file (YAML), reloaded when it changes (ROLLSAFE_CONFIG, --config)'),
  schemaPaths: z.array(nonEmpty).default([]).describe('ConfigSchema files or directories, reloaded when they change; in a directory, documents of other kinds (its kustomization.yaml, the CRD) are passed over (listed as schemaFilesPassedOver in the start and reload log lines), and one whose kustomization changes its files or lists resources outside it is refused (ROLLSAFE_SCHEMAS, comma-separated; --schemas)'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info').describe('log level (ROLLSAFE_LOG_LEVEL, --log-level)'),
  drainSeconds: decimal(z.number({ error: 'must be a number of seconds (decimal digits)' }).min(0, 'must be 0 to 300 seconds').max(300, 'must be 0 to 300 seconds')).default(10).describe('after SIGTERM, seconds to keep serving while endpoints update, 0 to 300 (ROLLSAFE_DRAIN_SECONDS)'),
  cluster: z.enum(['auto', 'off'], { error: 'must be auto or off' }).default('auto').describe('auto: watch the cluster through --kubeconfig, the pod service account, $KUBECONFIG or ~/.kube/config; off: single-object checks only (ROLLSAFE_CLUSTER, --cluster)'),
  kubeconfig: nonEmpty.optional().describe('kubeconfig file for cluster access (ROLLSAFE_KUBECONFIG, --kubeconfig)'),
  cacheStaleSeconds: decimal(z.number({ error: 'must be a number of seconds (decimal digits)' }).min(1, 'must be at least 1').max(3600, 'must be at most 3600')).default(60).describe('cross-object findings follow staleCache once the cluster cache has been out of sync this long (ROLLSAFE_CACHE_STALE_SECONDS)'),
  maxConnections: decimal(z.number({ error: 'must be a number of connections (decimal digits)' }).int('must be a whole number').min(10, 'must be 10 to 100000').max(100000, 'must be 10 to 100000')).default(1000).describe('open connections at most; more are closed as they arrive, so idle or half-open connections cannot exhaust memory (about 30-45 KB each) (ROLLSAFE_MAX_CONNECTIONS)'),
  maxBodiesMib: decimal(z.number({ error: 'must be a number of MiB (decimal digits)' }).int('must be a whole number').min(7, 'must be 7 to 1024 MiB').max(1024, 'must be 7 to 1024 MiB')).default(32).describe('MiB of /validate bodies received at once (by Content-Length, 7 MiB without one); a review that would pass it gets 503 (ROLLSAFE_MAX_BODIES_MIB)'),
  requestTimeoutMs: decimal(z.number({ error: 'must be a number of milliseconds (decimal digits)' }).int('must be a whole number of milliseconds').min(100, 'must be 100 to 30000 milliseconds').max(30000, 'must be 100 to 30000 milliseconds')).default(4000).describe("time allowed to receive a request (TLS handshake, headers, body), below the webhook's timeoutSeconds; 100 to 30000 (ROLLSAFE_REQUEST_TIMEOUT_MS)"),
}).superRefine((s, ctx) => {
  if (Boolean(s.tlsCertFile) !== Boolean(s.tlsKeyFile)) {
    ctx.addIssue({ code: 'custom', path: [s.tlsCertFile ? 'tlsKeyFile' : 'tlsCertFile'], message: 'the certificate and the key must be given together' });
  }
});
export type Settings = z.infer<typeof Settings>;

/** Where each setting comes from in the environment. */
export const ENV: Readonly<Record<keyof Settings, string>> = {
  port: 'ROLLSAFE_PORT',
  host: 'ROLLSAFE_HOST',
  tlsCertFile: 'ROLLSAFE_TLS_CERT',
  tlsKeyFile: 'ROLLSAFE_TLS_KEY',
  clientCaFile: 'ROLLSAFE_CLIENT_CA',
  policyConfigFile: 'ROLLSAFE_CONFIG',
  schemaPaths: 'ROLLSAFE_SCHEMAS',
  logLevel: 'ROLLSAFE_LOG_LEVEL',
  drainSeconds: 'ROLLSAFE_DRAIN_SECONDS',
  requestTimeoutMs: 'ROLLSAFE_REQUEST_TIMEOUT_MS',
  maxConnections: 'ROLLSAFE_MAX_CONNECTIONS',
  maxBodiesMib: 'ROLLSAFE_MAX_BODIES_MIB',
  cluster: 'ROLLSAFE_CLUSTER',
  kubeconfig: 'ROLLSAFE_KUBECONFIG',
  cacheStaleSeconds: 'ROLLSAFE_CACHE_STALE_SECONDS',
};

export const EX_CONFIG = 78;

/** Paths given as one comma-separated value (ROLLSAFE_SCHEMAS, --schemas, check -s), blanks dropped. */
export const splitPaths = (value: string): string[] => value.split(',').map((p) => p.trim()).filter(Boolean);

/** `tlsCertFile` -> `--tls-cert`, `policyConfigFile` -> `--config`. */
export const flagName = (key: keyof Settings): string =>
  key === 'policyConfigFile' ? '--config' : key === 'schemaPaths' ? '--schemas' : `--${key.replace(/File$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export class SettingsError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('; '));
    this.name = 'SettingsError';
  }
}

/**
 * Merge defaults < environment < flags, then validate. Flags are what commander parsed
 * (undefined when not given). Each problem names the setting the way the user set it.
 */
export function loadSettings(flags: Partial<Record<keyof Settings, unknown>>, env: Readonly<Record<string, string | undefined>>): Settings {
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV) as [keyof Settings, string][]) {
    const fromEnv = env[name];
    if (fromEnv !== undefined) {
      raw[key] = key === 'schemaPaths' ? splitPaths(fromEnv) : fromEnv;
      origin[key] = `${name}=${JSON.stringify(fromEnv)}`;
    }
    const flag = flags[key];
    if (flag !== undefined) {
      raw[key] = flag;
      origin[key] = `${flagName(key)} ${JSON.stringify(flag)}`;
    }
  }
  const parsed = Settings.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new SettingsError(
    parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '') as keyof Settings;
      const where = origin[key] ?? (key in ENV ? `${flagName(key)} (${ENV[key]})` : renderPath(i.path));
      const what = i.code === 'invalid_value' ? `must be one of ${i.values.map(String).join(', ')}` : i.message;
      return `invalid setting ${where}: ${what}`;
    }),
  );
}
