// A programmable stand-in for the API server's list and watch endpoints over real TLS, for what
// the real kube-apiserver cannot be made to produce on demand: a watch line cut in the middle of
// a chunk or of a character, a connection that stays open and silent,
// a 410 at the exact moment a test needs it. test/e2e/reflector.e2e.test.ts covers the real one.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, type Server } from 'node:https';
import type { Connection } from '../../src/cluster/connection.js';
import { makeCa, serverCertificate } from '../server/helpers/certificates.js';
import { eventually as poll } from '../helpers/poll.js';

export interface FakeRequest {
  readonly watch: boolean;
  readonly params: URLSearchParams;
  /** Lists and watches seen so far, this one included. */
  readonly n: number;
}

export type Handler = (r: FakeRequest, res: ServerResponse, req: IncomingMessage) => void;

export interface FakeApiServer {
  readonly connection: Connection;
  readonly lists: URLSearchParams[];
  readonly watches: URLSearchParams[];
  close(): void;
}

export async function fakeApiServer(handlers: { list: Handler; watch: Handler }): Promise<FakeApiServer> {
  const ca = await makeCa();
  const tls = await serverCertificate(ca);
  const lists: URLSearchParams[] = [];
  const watches: URLSearchParams[] = [];
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const params = new URL(req.url ?? '/', 'https://x').searchParams;
    const watch = params.get('watch') === 'true';
    const seen = watch ? watches : lists;
    seen.push(params);
    (watch ? handlers.watch : handlers.list)({ watch, params, n: seen.length }, res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    connection: { server: `https://127.0.0.1:${port}`, via: 'test', agent: new Agent({ ca: ca.cert, keepAlive: true }), requestOptions: () => ({ ca: Buffer.from(ca.cert), headers: {} }) },
    lists,
    watches,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

export const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A ConfigMap as the API server lists and watches it. */
export const cm = (name: string, rv: number, data: Record<string, string> = { K: 'v' }) => ({ metadata: { name, namespace: 'shop', resourceVersion: String(rv) }, data });

export const line = (type: string, object: unknown): string => `${JSON.stringify({ type, object })}\n`;

export const openStream = (res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
};

export { sleep } from '../helpers/poll.js';

/** Retries until `check` holds or `ms` pass; returns whether it held. */
export const eventually = (check: () => boolean, ms = 5000): Promise<boolean> => poll(check, ms, 50);
