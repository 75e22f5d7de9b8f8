// One GET against the API server with the connection's credentials (token, client certificate,
// CA), read as JSON. Used for lists; watches go through @kubernetes/client-node's Watch.
import { request, type RequestOptions } from 'node:https';
import type { Connection } from './connection.js';

/** An answer of the API server that is not 200, with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TIMEOUT_MS = 30_000;

/** `signal`: abort the request (shutdown), so a list the API server is slow to answer holds nothing open. */
export function getJson(conn: Connection, path: string, signal?: AbortSignal): Promise<unknown> {
  const url = new URL(conn.server + path);
  const { headers, ...tls } = conn.requestOptions();
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json', ...headers }, timeout: TIMEOUT_MS, agent: conn.agent, ...tls, ...(signal && { signal }) };
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          const message = (() => {
            try {
              return String((JSON.parse(text) as { message?: unknown }).message ?? text);
            } catch {
              return text.slice(0, 200);
            }
          })();
          reject(new ApiError(res.statusCode ?? 0, `GET ${url.pathname}: ${res.statusCode} ${message}`));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error(`GET ${url.pathname}: the answer is not JSON`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname}: no answer in ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}
