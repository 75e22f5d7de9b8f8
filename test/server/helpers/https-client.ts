// Requests over real TLS with verification on, to 127.0.0.1 only.
import { type Agent, request } from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';

export interface TrustOptions {
  /** CA certificates the client trusts. */
  readonly ca: string | string[];
  /** Client certificate and key to present. */
  readonly cert?: string;
  readonly key?: string;
  readonly agent?: Agent | false;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** Serial number of the server certificate seen on this connection. */
  readonly serverSerial: string;
}

export function send(url: string, method: string, body: string | Buffer | undefined, headers: Record<string, string>, trust: TrustOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers, ca: trust.ca, cert: trust.cert, key: trust.key, agent: trust.agent, rejectUnauthorized: true },
      (res) => {
        const peer: PeerCertificate = (res.socket as TLSSocket).getPeerCertificate();
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), serverSerial: peer.serialNumber });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const postJson = (url: string, body: unknown, trust: TrustOptions, headers: Record<string, string> = {}) =>
  send(`${url}/validate`, 'POST', typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers }, trust);

export const get = (url: string, path: string, trust: TrustOptions) => send(`${url}${path}`, 'GET', undefined, {}, trust);
