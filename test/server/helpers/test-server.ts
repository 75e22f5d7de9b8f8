// The real webhook (startServer, as `rollsafe serve` runs it) on 127.0.0.1 and a random port,
// over TLS with a certificate from a test CA, its log lines captured.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../../src/config/settings.js';
import { createLogger, type LogLevel } from '../../../src/server/logger.js';
import { loadReviewConfig } from '../../../src/server/review-config.js';
import { type RunningServer, startServer } from '../../../src/server/start.js';
import { readTlsFiles } from '../../../src/server/tls.js';
import { makeCa, type Pem, serverCertificate, tempDir, writeSecretVolume } from './certificates.js';
import type { TrustOptions } from './https-client.js';

export interface TestServerOptions {
  /** Policy configuration, written to a file (YAML is JSON). */
  readonly config?: unknown;
  readonly schemaPaths?: string[];
  /** Require client certificates signed by this CA. */
  readonly clientCa?: Pem;
  readonly settings?: Partial<Settings>;
  readonly logLevel?: LogLevel;
}

export interface TestServer {
  readonly url: string;
  readonly trust: TrustOptions;
  readonly ca: Pem;
  readonly dir: string;
  readonly server: RunningServer;
  readonly settings: Settings;
  /** Log lines so far, parsed. */
  logs(): Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startTestServer(o: TestServerOptions = {}): Promise<TestServer> {
  const dir = tempDir();
  const ca = await makeCa();
  const { certFile, keyFile } = writeSecretVolume(dir, await serverCertificate(ca));
  let policyConfigFile: string | undefined;
  if (o.config !== undefined) {
    policyConfigFile = join(dir, 'rollsafe.yaml');
    writeFileSync(policyConfigFile, JSON.stringify(o.config));
  }
  let clientCaFile: string | undefined;
  if (o.clientCa) {
    clientCaFile = join(dir, 'client-ca.crt');
    writeFileSync(clientCaFile, o.clientCa.cert);
  }
  const settings: Settings = {
    port: 0,
    host: '127.0.0.1',
    tlsCertFile: certFile,
    tlsKeyFile: keyFile,
    clientCaFile,
    policyConfigFile,
    schemaPaths: o.schemaPaths ?? [],
    logLevel: o.logLevel ?? 'info',
    drainSeconds: 0,
    requestTimeoutMs: 4000,
    maxConnections: 1000,
    maxBodiesMib: 32,
    cluster: 'off',
    cacheStaleSeconds: 60,
    ...o.settings,
  };
  const lines: string[] = [];
  const logger = createLogger(settings.logLevel, { write: (line: string) => void lines.push(line) });
  const server = await startServer({
    settings,
    logger,
    tls: readTlsFiles({ certFile, keyFile, clientCaFile }),
    reviewConfig: loadReviewConfig(settings),
    watchIntervalMs: 200,
  });
  return {
    url: server.url,
    trust: { ca: ca.cert },
    ca,
    dir,
    server,
    settings,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    stop: async () => {
      server.shutdown('test over');
      await server.shutdown.done;
    },
  };
}
