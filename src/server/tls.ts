// The serving certificate: from files (cert-manager, a Secret volume), or a self-signed one made
// at start for development. TLS 1.2 at least. With a client CA, the API server's client
// certificate is requested and verified against it.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { generate } from 'selfsigned';
import { describeFsError } from '../config/fs-error.js';

export const MIN_TLS_VERSION = 'TLSv1.2';

export interface TlsFiles {
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly clientCaFile?: string | undefined;
}

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** CA that client certificates must chain to (--client-ca). */
  readonly clientCa?: string | undefined;
  readonly selfSigned: boolean;
}

/** A certificate, key or CA Rollsafe cannot serve with; the message names the file. */
export class TlsError extends Error {
  override name = 'TlsError';
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new TlsError(`${file}: cannot read the ${what}: ${describeFsError(err)}`);
  }
}

/** The client CA bundle; throws unless it holds a PEM certificate (else every client would get 401). */
function readClientCa(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const pem = read(file, 'client CA');
  try {
    new X509Certificate(pem);
  } catch (err) {
    throw new TlsError(`${file}: the client CA is not a PEM certificate: ${(err as Error).message}`);
  }
  return pem;
}

export function secureContextOptions(m: TlsMaterial): SecureContextOptions {
  return { cert: m.cert, key: m.key, minVersion: MIN_TLS_VERSION, ...(m.clientCa !== undefined && { ca: m.clientCa }) };
}

/** Read the files and prove they make a working context: a mismatched or half-written pair throws. */
export function readTlsFiles(files: TlsFiles & { certFile: string; keyFile: string }): TlsMaterial {
  const material: TlsMaterial = {
    cert: read(files.certFile, 'certificate'),
    key: read(files.keyFile, 'private key'),
    clientCa: readClientCa(files.clientCaFile),
    selfSigned: false,
  };
  try {
    new X509Certificate(material.cert);
  } catch (err) {
    throw new TlsError(`${files.certFile}: not a PEM certificate: ${(err as Error).message}`);
  }
  try {
    createSecureContext(secureContextOptions(material));
  } catch (err) {
    throw new TlsError(`${files.certFile}, ${files.keyFile}: not a usable certificate and key: ${(err as Error).message}`);
  }
  return material;
}

/** Development only: a certificate for localhost, 127.0.0.1 and rollsafe.<namespace>.svc. */
export async function selfSignedMaterial(namespace: string, clientCaFile?: string): Promise<TlsMaterial> {
  const service = `rollsafe.${namespace}.svc`;
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 2, value: service }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const clientCa = readClientCa(clientCaFile);
  return { cert: pems.cert, key: pems.private, clientCa, selfSigned: true };
}

/**
 * Options for https.createServer. With a client CA the certificate is requested and verified,
 * but an unverified client is refused by /validate (401), not in the handshake: kubelet probes
 * and Prometheus present no client certificate and must still reach /healthz, /readyz, /metrics.
 */
export function serverTlsOptions(m: TlsMaterial): ServerOptions {
  return {
    ...secureContextOptions(m),
    ...(m.clientCa !== undefined && { requestCert: true, rejectUnauthorized: false }),
  };
}

/** What the log says about a certificate: subject names and expiry. */
/** When the certificate (the first of a PEM chain, the one served) expires, in seconds since the epoch. */
export const certificateExpiry = (pem: string): number => Math.floor(new Date(new X509Certificate(pem).validTo).getTime() / 1000);

export function describeCertificate(pem: string): { subject: string; subjectAltName: string; validTo: string; serialNumber: string } {
  const x = new X509Certificate(pem);
  return { subject: x.subject.replace(/\n/g, ', '), subjectAltName: x.subjectAltName ?? '', validTo: new Date(x.validTo).toISOString(), serialNumber: x.serialNumber };
}
