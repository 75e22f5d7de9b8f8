// `rollsafe serve` as the API server calls it: HTTPS on 127.0.0.1 with a serving certificate
// signed by a test CA, which is what the webhook registration trusts (caBundle).
import { rmSync } from 'node:fs';
import { makeCa, serverCertificate, tempDir, writePair } from '../../server/helpers/certificates.js';
import { freePort, type ServeProcess, spawnServe } from '../../server/helpers/serve-process.js';

export interface Rollsafe {
  /** https://127.0.0.1:PORT/validate */
  readonly url: string;
  /** The CA that signed the serving certificate: the caBundle of the webhook registration. */
  readonly caPem: string;
  readonly process: ServeProcess;
  /** SIGTERM, then waits for the exit; removes the certificates. */
  stop(): Promise<void>;
}

/** Starts `rollsafe serve` with extra flags (e.g. --schemas, --config) and waits until it listens. */
export async function startRollsafe(args: string[] = []): Promise<Rollsafe> {
  const dir = tempDir('rollsafe-e2e-serve-');
  const ca = await makeCa('Rollsafe e2e webhook CA');
  const { certFile, keyFile } = writePair(dir, await serverCertificate(ca));
  const port = await freePort();
  const proc = spawnServe(
    ['--host', '127.0.0.1', '--port', String(port), '--tls-cert', certFile, '--tls-key', keyFile, '--drain-seconds', '0', ...args],
    { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
  );
  const stop = async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGTERM');
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
      await proc.exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await proc.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('rollsafe webhook listening at'), 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `https://127.0.0.1:${port}/validate`, caPem: ca.cert, process: proc, stop };
}
