// Swap the serving certificate when its files change (cert-manager renews it; the Secret volume
// swaps a symlink), without a restart: setSecureContext applies to new handshakes only, so
// connections in flight keep theirs and none fails. A pair that does not load (a half-written
// rotation, a key of another certificate) is refused with a log line and the old one stays.
import type { Server as TlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';
import { certificateExpiry, describeCertificate, readTlsFiles, secureContextOptions, type TlsFiles } from './tls.js';
import { fingerprintFiles, type Watcher, watchForChanges } from './watch.js';

export interface TlsReloadOptions {
  readonly files: TlsFiles & { certFile: string; keyFile: string };
  readonly server: Pick<TlsServer, 'setSecureContext'>;
  readonly logger: Logger;
  readonly metrics: Pick<Metrics, 'tlsReloads' | 'tlsExpiry'>;
  readonly intervalMs?: number;
  readonly debounceMs?: number;
}

export function watchTlsFiles({ files, server, logger, metrics, intervalMs, debounceMs }: TlsReloadOptions): Watcher {
  const paths = [files.certFile, files.keyFile, ...(files.clientCaFile === undefined ? [] : [files.clientCaFile])];
  const log = logger.child({ component: 'tls' });
  return watchForChanges({
    paths,
    intervalMs,
    debounceMs,
    fingerprint: () => fingerprintFiles(paths),
    onChange: () => {
      try {
        const material = readTlsFiles(files);
        server.setSecureContext(secureContextOptions(material));
        metrics.tlsExpiry.set(certificateExpiry(material.cert));
        metrics.tlsReloads.inc({ result: 'success' });
        log.info({ certificate: describeCertificate(material.cert) }, 'TLS certificate reloaded; new connections use it');
      } catch (err) {
        metrics.tlsReloads.inc({ result: 'failure' });
        log.error({ problem: (err as Error).message }, 'TLS certificate change refused; still serving the previous certificate');
      }
    },
  });
}
