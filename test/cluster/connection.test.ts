// Reading a kubeconfig or the pod's service account: what works, and a clear line for what does not.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { clusterAccess } from '../../src/cluster/access.js';
import { ConnectionError, inClusterConnection, kubeconfigConnection } from '../../src/cluster/connection.js';
import { tempDir } from '../server/helpers/certificates.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = { server: 'https://127.0.0.1:6443', 'certificate-authority': 'ca.crt' }): string {
  const dir = tempDir('rollsafe-kubeconfig-');
  writeFileSync(join(dir, 'ca.crt'), CA);
  writeFileSync(join(dir, 'token'), 'file-token\n');
  const file = join(dir, 'config');
  writeFileSync(file, JSON.stringify({ 'current-context': 'c', contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }], clusters: [{ name: 'k', cluster }], users: [{ name: 'u', user }] }));
  return file;
}

describe('kubeconfig', () => {
  it('reads the server, a CA file relative to the kubeconfig, and a bearer token', () => {
    const c = kubeconfigConnection(kubeconfig({ token: 'abc' }), '--kubeconfig');
    expect(c.server).toBe('https://127.0.0.1:6443');
    const o = c.requestOptions();
    expect(o.ca?.toString()).toBe(CA);
    expect(o.headers).toEqual({ authorization: 'Bearer abc' });
  });

  it('reads a tokenFile again for every request (rotated tokens)', () => {
    const file = kubeconfig({ tokenFile: 'token' });
    const c = kubeconfigConnection(file, '--kubeconfig');
    expect(c.requestOptions().headers.authorization).toBe('Bearer file-token');
    writeFileSync(join(file, '..', 'token'), 'rotated');
    expect(c.requestOptions().headers.authorization).toBe('Bearer rotated');
  });

  it.each([
    ['exec plugins', { exec: { command: 'aws' } }, undefined, /user "u" authenticates with exec, which Rollsafe does not support; use a ServiceAccount token or a client certificate/],
    ['skipping TLS verification', { token: 'x' }, { server: 'https://k:6443', 'insecure-skip-tls-verify': true }, /sets insecure-skip-tls-verify; Rollsafe verifies the API server's certificate/],
    ['a plain http server', { token: 'x' }, { server: 'http://k:8080' }, /clusters\[0\]\.cluster\.server: must be an https:\/\/ URL/],
    ['a CA file that is missing', { token: 'x' }, { server: 'https://k:6443', 'certificate-authority': 'nope.crt' }, /certificate-authority .*nope\.crt cannot be read: no such file or directory \(ENOENT\)/],
  ])('refuses %s with one line naming the file and the setting', (_, user, cluster, message) => {
    const file = kubeconfig(user, cluster);
    expect(() => kubeconfigConnection(file, '--kubeconfig')).toThrow(ConnectionError);
    expect(() => kubeconfigConnection(file, '--kubeconfig')).toThrow(message);
    expect(() => kubeconfigConnection(file, '--kubeconfig')).toThrow(`--kubeconfig ${file}: `);
  });
});

describe('where cluster access comes from', () => {
  it('is off with --cluster off, or without any credentials, and says why', () => {
    expect(clusterAccess({ cluster: 'off' }, {})).toEqual({ kind: 'off', reason: 'cluster access disabled (--cluster off)' });
    expect(clusterAccess({ cluster: 'auto' }, { HOME: tempDir() })).toEqual({ kind: 'off', reason: 'no kubeconfig and no in-cluster service account' });
  });

  it('prefers --kubeconfig, then the pod service account, then $KUBECONFIG', () => {
    const file = kubeconfig({ token: 'x' });
    const on = clusterAccess({ cluster: 'auto', kubeconfig: file }, { KUBERNETES_SERVICE_HOST: '10.0.0.1' });
    expect(on.kind === 'on' && on.connection.via).toBe(`--kubeconfig ${file}`);
    const env = clusterAccess({ cluster: 'auto' }, { KUBECONFIG: `${file}:/other`, HOME: tempDir() });
    expect(env.kind === 'on' && env.connection.via).toBe(`$KUBECONFIG ${file}`);
  });

  it('uses the service account token and CA in a pod', () => {
    const root = tempDir('rollsafe-sa-');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'ca.crt'), CA);
    writeFileSync(join(root, 'token'), 'sa-token');
    const c = inClusterConnection({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, root);
    expect(c.server).toBe('https://10.96.0.1:443');
    expect(c.requestOptions().headers).toEqual({ authorization: 'Bearer sa-token' });
  });
});
