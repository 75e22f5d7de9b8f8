// `rollsafe serve`: the admission webhook. The logger exists first; then settings, the policy
// configuration, the ConfigSchemas and the certificate are validated, and any mistake stops
// start-up with one line per problem on stderr and exit 78 (EX_CONFIG), before a port is opened.
// Runs until SIGTERM or SIGINT, then shuts down gracefully and returns 0.
import { EventEmitter } from 'node:events';
import type { DestinationStream } from 'pino';
import { ENV, EX_CONFIG, flagName, loadSettings, type Settings, SettingsError, splitPaths } from '../config/settings.js';
import { createLogger, logDestination } from '../server/logger.js';
import { createMetrics } from '../server/metrics.js';
import { loadReviewConfig, type ReviewConfig, schemaLogFields } from '../server/review-config.js';
import { startServer } from '../server/start.js';
import { describeCertificate, readTlsFiles, selfSignedMaterial, TlsError, type TlsMaterial } from '../server/tls.js';
import { AccessError, type ClusterAccess, clusterAccess } from '../cluster/access.js';
import { InputError } from './input-error.js';

/** Each flag of `rollsafe serve` and the setting it sets (README table, program.ts options); names from flagName, as in error messages. */
export const SERVE_FLAGS = {
  policyConfigFile: { flag: `${flagName('policyConfigFile')} <file>`, help: 'policy configuration file (YAML)' },
  schemaPaths: { flag: `${flagName('schemaPaths')} <path...>`, help: 'ConfigSchema files or directories (spaces or commas between them)' },
  port: { flag: `${flagName('port')} <port>`, help: 'HTTPS port (default 8443)' },
  host: { flag: `${flagName('host')} <address>`, help: 'address to listen on (default ::, IPv6 and IPv4)' },
  tlsCertFile: { flag: `${flagName('tlsCertFile')} <file>`, help: 'serving certificate (PEM); self-signed when absent' },
  tlsKeyFile: { flag: `${flagName('tlsKeyFile')} <file>`, help: 'private key of --tls-cert (PEM)' },
  clientCaFile: { flag: `${flagName('clientCaFile')} <file>`, help: 'CA that the API server client certificate must chain to' },
  logLevel: { flag: `${flagName('logLevel')} <level>`, help: 'fatal, error, warn, info (default), debug, trace' },
  drainSeconds: { flag: `${flagName('drainSeconds')} <n>`, help: 'seconds to keep serving after SIGTERM (default 10)' },
  requestTimeoutMs: { flag: `${flagName('requestTimeoutMs')} <ms>`, help: 'time allowed to receive a request (default 4000)' },
  maxConnections: { flag: `${flagName('maxConnections')} <n>`, help: 'open connections at most (default 1000)' },
  maxBodiesMib: { flag: `${flagName('maxBodiesMib')} <mib>`, help: 'MiB of review bodies received at once (default 32)' },
  cluster: { flag: `${flagName('cluster')} <mode>`, help: 'auto (default): watch the cluster when credentials are found; off: no cluster lookups' },
  kubeconfig: { flag: `${flagName('kubeconfig')} <file>`, help: 'kubeconfig for cluster access' },
  cacheStaleSeconds: { flag: `${flagName('cacheStaleSeconds')} <n>`, help: 'seconds out of sync before cross-object findings are marked stale (default 60)' },
} as const satisfies Record<keyof Settings, { flag: string; help: string }>;

/** What commander parsed: option names are the camel-cased flags. */
export interface ServeOptions {
  config?: string;
  schemas?: string[];
  port?: string;
  host?: string;
  tlsCert?: string;
  tlsKey?: string;
  clientCa?: string;
  logLevel?: string;
  drainSeconds?: string;
  requestTimeoutMs?: string;
  maxConnections?: string;
  maxBodiesMib?: string;
  cluster?: string;
  kubeconfig?: string;
  cacheStaleSeconds?: string;
}

export interface ServeIo {
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where log lines go; stdout when absent. */
  readonly logDestination?: DestinationStream;
  /** Emits SIGTERM and SIGINT (the process). */
  readonly signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

const toSettingsFlags = (o: ServeOptions): Partial<Record<keyof Settings, unknown>> => ({
  policyConfigFile: o.config,
  // Paths separated by spaces or commas, as ROLLSAFE_SCHEMAS and `check -s` take them.
  schemaPaths: o.schemas?.flatMap(splitPaths),
  port: o.port,
  host: o.host,
  tlsCertFile: o.tlsCert,
  tlsKeyFile: o.tlsKey,
  clientCaFile: o.clientCa,
  logLevel: o.logLevel,
  drainSeconds: o.drainSeconds,
  requestTimeoutMs: o.requestTimeoutMs,
  maxConnections: o.maxConnections,
  maxBodiesMib: o.maxBodiesMib,
  cluster: o.cluster,
  kubeconfig: o.kubeconfig,
  cacheStaleSeconds: o.cacheStaleSeconds,
});

/** "FILE:LINE: invalid policy configuration:\n  a: x\n  b: y" -> one line per problem. */
const problemLines = (message: string): string[] => {
  const [head = '', ...rest] = message.split('\n');
  return rest.length === 0 ? [head] : rest.map((r) => `${head} ${r.trim()}`);
};

export async function runServe(options: ServeOptions, io: ServeIo): Promise<number> {
  const destination = io.logDestination ?? logDestination();
  const logger = createLogger('info', destination);
  const refuse = (lines: string[]): number => {
    for (const line of lines) io.stderr(`rollsafe: ${line}\n`);
    logger.fatal({ problems: lines }, 'invalid configuration; not starting');
    return EX_CONFIG;
  };

  let settings: Settings;
  try {
    settings = loadSettings(toSettingsFlags(options), io.env);
  } catch (err) {
    if (err instanceof SettingsError) return refuse(err.lines);
    throw err;
  }
  logger.level = settings.logLevel;

  let reviewConfig: ReviewConfig;
  let tls: TlsMaterial;
  let access: ClusterAccess;
  try {
    access = clusterAccess(settings, io.env);
    reviewConfig = loadReviewConfig(settings);
    tls =
      settings.tlsCertFile !== undefined && settings.tlsKeyFile !== undefined
        ? readTlsFiles({ certFile: settings.tlsCertFile, keyFile: settings.tlsKeyFile, clientCaFile: settings.clientCaFile })
        : await selfSignedMaterial(io.env.POD_NAMESPACE ?? 'rollsafe', settings.clientCaFile);
  } catch (err) {
    if (err instanceof InputError) return refuse(problemLines(`error: ${err.message}`));
    if (err instanceof TlsError || err instanceof AccessError) return refuse([`error: ${err.message}`]);
    throw err;
  }

  if (tls.selfSigned) {
    logger.warn({ certificate: describeCertificate(tls.cert) }, 'no --tls-cert/--tls-key: serving a self-signed certificate generated at start (development only; API servers will not trust it)');
  }
  if (access.kind === 'off') {
    logger.warn({ reason: access.reason }, 'no cluster access: cross-object checks see nothing (ConfigMaps, Services, HPAs and LimitRanges are unknown; ConfigSchemas come from --schemas only)');
  } else {
    logger.info({ via: access.connection.via, server: access.connection.server }, 'cluster access: watching ConfigMaps, Deployments, Services, HPAs, LimitRanges, Namespaces and ConfigSchemas; ready once each is listed');
  }

  let server;
  try {
    const metrics = createMetrics();
    if (destination instanceof EventEmitter) destination.on('drop', () => metrics.logLinesDropped.inc());
    server = await startServer({ settings, logger, tls, reviewConfig, metrics, ...(access.kind === 'on' && { connection: access.connection }) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    // An address this node does not have, or a name that does not resolve, is a bad setting (78);
    // a port someone else holds is not (1).
    const badHost = ['ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'EAFNOSUPPORT'].includes(code);
    const where = badHost ? `invalid setting ${flagName('host')} (${ENV.host}) ${JSON.stringify(settings.host)}: cannot listen there` : `cannot listen on ${settings.host}:${settings.port}`;
    io.stderr(`rollsafe: ${where}: ${code || (err as Error).message}\n`);
    logger.fatal({ err }, 'cannot listen');
    return badHost ? EX_CONFIG : 1;
  }
  logger.info(
    {
      url: server.url,
      tls: tls.selfSigned ? 'self-signed (development only)' : 'files',
      clientCertificates: tls.clientCa !== undefined ? 'required on /validate' : 'not checked',
      policyConfig: settings.policyConfigFile ?? 'defaults',
      ...schemaLogFields(reviewConfig),
    },
    `rollsafe webhook listening at ${server.url}`,
  );

  const signals = io.signals ?? process;
  const onSignal = (signal: NodeJS.Signals) => server.shutdown(signal);
  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);
  try {
    await server.shutdown.done;
  } finally {
    signals.off('SIGTERM', onSignal);
    signals.off('SIGINT', onSignal);
  }
  return 0;
}
