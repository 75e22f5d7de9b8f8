// A loopback TCP relay between a client and the real API server, to cut the network under a watch
// while the API server goes on serving everyone else (kubectl). Bytes pass unchanged (TLS is end to
// end), so what the client reads is what kube-apiserver wrote.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  /** Connections opened through the relay so far. */
  readonly connections: number;
  /** Resets every open connection and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function tcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let down = false;
  let connections = 0;
  const server: Server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    connections++;
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const local = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `https://127.0.0.1:${local}`,
    get connections() {
      return connections;
    },
    cut() {
      down = true;
      for (const s of open) s.resetAndDestroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
