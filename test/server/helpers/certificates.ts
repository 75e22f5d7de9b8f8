// A throwaway PKI for tests: a CA, server certificates for 127.0.0.1/localhost signed by it, and
// client certificates, so clients verify the server as the API server does (never
// rejectUnauthorized: false). EC keys: generated in milliseconds.
import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface Pem {
  readonly cert: string;
  readonly key: string;
}

export async function makeCa(name = 'Rollsafe Test CA'): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

type Extensions = NonNullable<Parameters<typeof generate>[1]>['extensions'];

/** An EC certificate for `cn` signed by the CA, valid until `notAfter` (default: a year from now). */
async function signed(ca: Pem, cn: string, extensions: Extensions, notAfter?: Date): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: cn }], { keyType: 'ec', algorithm: 'sha256', ca: { cert: ca.cert, key: ca.key }, extensions, ...(notAfter && { notAfterDate: notAfter }) });
  return { cert: pems.cert, key: pems.private };
}

/** A server certificate for 127.0.0.1, ::1 and localhost, signed by the CA. */
export const serverCertificate = (ca: Pem, cn = 'localhost', notAfter?: Date): Promise<Pem> =>
  signed(ca, cn, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
  ], notAfter);

/** A client certificate, as the API server presents with --client-ca. */
export const clientCertificate = (ca: Pem, cn = 'kube-apiserver'): Promise<Pem> =>
  signed(ca, cn, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);

export const tempDir = (prefix = 'rollsafe-test-'): string => mkdtempSync(join(tmpdir(), prefix));

/** Write cert and key as tls.crt / tls.key into dir; returns their paths. */
export function writePair(dir: string, pem: Pem): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  writeFileSync(certFile, pem.cert);
  writeFileSync(keyFile, pem.key);
  return { certFile, keyFile };
}

/**
 * Lay out cert and key as the kubelet does for a Secret volume: tls.crt -> ..data/tls.crt,
 * ..data -> ..<version>. Returns the paths the server reads.
 */
export function writeSecretVolume(dir: string, pem: Pem): { certFile: string; keyFile: string } {
  writeVersion(dir, 'v0', pem);
  symlinkSync('..v0', join(dir, '..data'));
  for (const f of ['tls.crt', 'tls.key']) symlinkSync(join('..data', f), join(dir, f));
  return { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
}

let versions = 0;

/** Rotate the Secret volume as the kubelet does: a new version directory, then one atomic rename of ..data. */
export function rotateSecretVolume(dir: string, pem: Pem): void {
  const version = `v${++versions}`;
  writeVersion(dir, version, pem);
  symlinkSync(`..${version}`, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
}

function writeVersion(dir: string, version: string, pem: Pem) {
  const target = join(dir, `..${version}`);
  mkdirSync(target);
  writeFileSync(join(target, 'tls.crt'), pem.cert);
  writeFileSync(join(target, 'tls.key'), pem.key);
}
