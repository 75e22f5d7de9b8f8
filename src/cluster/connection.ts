// How Rollsafe talks to the API server: its URL and, per request, the TLS material and
// credentials. Read from a kubeconfig (validated with zod: a trust boundary) or from the pod's
// service account. This replaces @kubernetes/client-node's KubeConfig, whose module loads the
// ~1,000 generated API models: measured, that alone cost 66 MB of RSS and halved the webhook's
// throughput (V8 promoted far more of each review's objects with that much code in the heap).
// Watches still go through the library's Watch (src/cluster/reflector.ts).
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { describeFsError } from '../config/fs-error.js';
import { describeZodError } from '../engine/describe-zod-error.js';

export interface Connection {
  /** https://host:port, no trailing slash. */
  readonly server: string;
  /** Where the settings came from, for the log. */
  readonly via: string;
  /** TLS options (CA, client certificate) and headers (bearer token) for one request. */
  requestOptions(): { ca?: Buffer; cert?: Buffer; key?: Buffer; headers: Record<string, string> };
  /** One agent per connection, reused by watches. */
  readonly agent: Agent;
}

export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

const ClusterEntry = z.object({
  server: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  'certificate-authority': z.string().optional(),
  'certificate-authority-data': z.string().optional(),
  'insecure-skip-tls-verify': z.boolean().optional(),
});
const UserEntry = z.looseObject({
  token: z.string().optional(),
  tokenFile: z.string().optional(),
  'client-certificate': z.string().optional(),
  'client-certificate-data': z.string().optional(),
  'client-key': z.string().optional(),
  'client-key-data': z.string().optional(),
});
const Kubeconfig = z.object({
  'current-context': z.string().min(1, 'names no context'),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), user: z.string().optional() }) })),
  clusters: z.array(z.object({ name: z.string(), cluster: ClusterEntry })),
  users: z.array(z.object({ name: z.string(), user: UserEntry })).default([]),
});

const fromData = (data: string | undefined): Buffer | undefined => (data === undefined ? undefined : Buffer.from(data, 'base64'));

function readOrFail(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConnectionError(`${what} ${file} cannot be read: ${describeFsError(err)}`);
  }
}

export function kubeconfigConnection(path: string, via: string): Connection {
  const where = `${via} ${path}`;
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConnectionError(`${where}: cannot be read as a kubeconfig (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = Kubeconfig.safeParse(doc);
  if (!parsed.success) throw new ConnectionError(`${where}: ${describeZodError(parsed.error).join('; ')}`);
  const k = parsed.data;
  const context = k.contexts.find((c) => c.name === k['current-context'])?.context;
  if (!context) throw new ConnectionError(`${where}: current-context "${k['current-context']}" is not among its contexts`);
  const cluster = k.clusters.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster) throw new ConnectionError(`${where}: context "${k['current-context']}" names cluster "${context.cluster}", which it does not define`);
  if (cluster['insecure-skip-tls-verify']) throw new ConnectionError(`${where}: cluster "${context.cluster}" sets insecure-skip-tls-verify; Rollsafe verifies the API server's certificate: give certificate-authority(-data) instead`);
  const u: z.infer<typeof UserEntry> = (context.user ? k.users.find((x) => x.name === context.user)?.user : undefined) ?? {};
  for (const unsupported of ['exec', 'auth-provider', 'username']) {
    if (unsupported in u) {
      throw new ConnectionError(`${where}: user "${context.user}" authenticates with ${unsupported}, which Rollsafe does not support; use a ServiceAccount token or a client certificate (in a pod, the service account is used without a kubeconfig)`);
    }
  }
  const rel = (p: string) => (isAbsolute(p) ? p : resolve(dirname(path), p));
  const ca = fromData(cluster['certificate-authority-data']) ?? (cluster['certificate-authority'] ? readOrFail(rel(cluster['certificate-authority']), `${where}: certificate-authority`) : undefined);
  const cert = fromData(u['client-certificate-data']) ?? (u['client-certificate'] ? readOrFail(rel(u['client-certificate']), `${where}: client-certificate`) : undefined);
  const key = fromData(u['client-key-data']) ?? (u['client-key'] ? readOrFail(rel(u['client-key']), `${where}: client-key`) : undefined);
  const tokenFile = u.tokenFile ? rel(u.tokenFile) : undefined;
  const token = (): string | undefined => u.token ?? (tokenFile ? readOrFail(tokenFile, `${where}: tokenFile`).toString('utf8').trim() : undefined);
  return connection(cluster.server.replace(/\/$/, ''), where, { ca, cert, key }, token);
}

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The pod's service account: its token is read again for every request (the kubelet rotates it). */
export function inClusterConnection(env: Readonly<Record<string, string | undefined>>, root = SA): Connection {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const ca = readOrFail(`${root}/ca.crt`, 'the service account CA');
  const tokenFile = `${root}/token`;
  readOrFail(tokenFile, 'the service account token');
  return connection(server, 'the pod service account', { ca }, () => readFileSync(tokenFile, 'utf8').trim());
}

function connection(server: string, via: string, tls: { ca?: Buffer | undefined; cert?: Buffer | undefined; key?: Buffer | undefined }, token: () => string | undefined): Connection {
  const material = Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined)) as { ca?: Buffer; cert?: Buffer; key?: Buffer };
  return {
    server,
    via,
    agent: new Agent({ ...material, keepAlive: true }),
    requestOptions() {
      const t = token();
      const headers: Record<string, string> = t ? { authorization: `Bearer ${t}` } : {};
      return { ...material, headers };
    },
  };
}
