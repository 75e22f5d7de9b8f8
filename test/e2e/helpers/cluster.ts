// A real Kubernetes control plane for end-to-end tests: etcd and kube-apiserver on 127.0.0.1, built
// by scripts/tools/install-cluster-tools.sh (cached), each cluster in its own temp dir on free
// ports, so several test files (jest workers) can each start one. No controller-manager, scheduler
// or kubelet: objects are stored, nothing runs. kubectl is the one built with the API server
// (same version). Every process started here is stopped by PID in stop(), and killed by the
// kernel if the worker dies first.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { withParentDeathSignal } from '../../helpers/parent-death.js';
import { ROOT } from '../../helpers/spawn-cli.js';
import { makeCa, serverCertificate, tempDir, writePair } from '../../server/helpers/certificates.js';
import { freePort } from '../../server/helpers/serve-process.js';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The result, or an error with kubectl's whole output when it did not exit 0. */
export function succeeded(args: readonly string[], r: KubectlResult): KubectlResult {
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r;
}

export interface Cluster {
  /** https://127.0.0.1:PORT */
  readonly server: string;
  /** A kubeconfig for an admin (static token, group system:masters). */
  readonly kubeconfig: string;
  /** The CA of the API server's serving certificate. */
  readonly caFile: string;
  /**
   * The API server's audit log (JSON lines, one event per stage): Metadata level for Deployments
   * and ConfigMaps, with the admission webhooks' audit annotations; nothing else is logged.
   */
  readonly auditLog: string;
  /** Where kube-apiserver, etcd and kubectl are. */
  readonly binDir: string;
  /** Runs the cluster's kubectl with the admin kubeconfig; never throws on a non-zero exit. */
  kubectl(args: string[], opts?: { stdin?: string; env?: Record<string, string> }): Promise<KubectlResult>;
  /** Stops kube-apiserver (etcd keeps the data). */
  stopApiServer(): Promise<void>;
  /** Starts kube-apiserver again on the same port with the same etcd and certificates; resolves when /readyz answers. */
  startApiServer(): Promise<void>;
  /** Stops every process started for this cluster and removes its temp dir (kept with ROLLSAFE_E2E_KEEP=1). */
  stop(): Promise<void>;
}

const INSTALL = join(ROOT, 'scripts/tools/install-cluster-tools.sh');
const READY_MS = 60_000;
const STOP_MS = 15_000;

/** Runs the install script (a no-op when the binaries are cached) and returns the bin directory. */
export function installClusterTools(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [INSTALL], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const bin = stdout.trim().split('\n').pop() ?? '';
      if (err || !bin || !['kube-apiserver', 'etcd', 'kubectl'].every((b) => existsSync(join(bin, b)))) {
        const why = err ? `exit ${err.code ?? err.signal}` : `no binaries in "${bin}"`;
        reject(new Error(`scripts/tools/install-cluster-tools.sh failed (${why}):\n${stderr.slice(-4000)}`));
      } else {
        resolve(bin);
      }
    });
  });
}

/** The environment of every child: no proxy for loopback, and no ETCD_* variable (etcd reads them as flags). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(https?|all)_proxy$/i.test(k) || /^no_proxy$/i.test(k) || k.startsWith('ETCD_') || k === 'KUBECONFIG') continue;
    env[k] = v;
  }
  return { ...env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', ...extra };
}


interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<void>;
  /** Why it is not running ('' while it runs). */
  gone(): string;
}

function startProcess(name: string, bin: string, args: string[], logFile: string): Proc {
  const fd = openSync(logFile, 'a');
  const child = spawn(...withParentDeathSignal(bin, args), { env: childEnv(), stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let gone = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      gone = `exit ${code ?? signal}`;
      resolve();
    });
    child.once('error', (err) => {
      gone = `could not start ${bin}: ${err.message}`;
      resolve();
    });
  });
  return { name, child, logFile, exited, gone: () => gone };
}

async function stopProcess(p: Proc): Promise<void> {
  if (p.gone() || p.child.pid === undefined) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), STOP_MS);
  await p.exited;
  clearTimeout(timer);
}

const tail = (file: string, lines = 30): string => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET url until it answers 200 (or the process exits, or READY_MS pass). */
async function waitReady(p: Proc, url: string, opts: { ca?: string; token?: string } = {}): Promise<void> {
  const start = Date.now();
  let last = '';
  while (Date.now() - start < READY_MS) {
    if (p.gone()) {
      throw new Error(`${p.name} stopped (${p.gone()}) before ${url} was ready; log ${p.logFile}:\n${tail(p.logFile)}`);
    }
    last = await get(url, opts).then(
      (r) => (r.status === 200 ? '' : `${r.status} ${r.body.slice(0, 300)}`),
      (err: Error) => err.message,
    );
    if (last === '') return;
    await sleep(100);
  }
  throw new Error(`${p.name} not ready at ${url} after ${READY_MS} ms (last: ${last}); log ${p.logFile}:\n${tail(p.logFile)}`);
}

function get(url: string, opts: { ca?: string; token?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
    const req = url.startsWith('https:') ? request(url, { ca: opts.ca, headers, timeout: 2000 }) : httpRequest(url, { headers, timeout: 2000 });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const portInUse = (p: Proc) => /address already in use/i.test(tail(p.logFile, 200));

/** Starts etcd and kube-apiserver; retries with new ports when another worker took one first. */
export async function startCluster(): Promise<Cluster> {
  const binDir = await installClusterTools();
  const dir = tempDir('rollsafe-e2e-');
  try {
    return await startIn(binDir, dir);
  } catch (err) {
    if (process.env.ROLLSAFE_E2E_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startIn(binDir: string, dir: string): Promise<Cluster> {
  const ca = await makeCa('Rollsafe e2e cluster CA');
  const caFile = join(dir, 'ca.crt');
  writeFileSync(caFile, ca.cert);
  const serving = writePair(dir, await serverCertificate(ca, 'kube-apiserver'));
  const sa = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const saKey = join(dir, 'sa.key');
  const saPub = join(dir, 'sa.pub');
  writeFileSync(saKey, sa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(saPub, sa.publicKey.export({ type: 'spki', format: 'pem' }));
  const token = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${token},e2e-admin,e2e-admin,"system:masters"\n`);
  const auditPolicy = join(dir, 'audit-policy.yaml');
  const auditLog = join(dir, 'audit.log');
  writeFileSync(
    auditPolicy,
    stringify({
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: [{ level: 'Metadata', resources: [{ group: 'apps', resources: ['deployments'] }, { group: '', resources: ['configmaps'] }] }, { level: 'None' }],
    }),
  );

  let etcd: Proc | undefined;
  let etcdUrl = '';
  for (let attempt = 1; !etcd; attempt++) {
    const [client, peer] = [await freePort(), await freePort()];
    etcdUrl = `http://127.0.0.1:${client}`;
    const peerUrl = `http://127.0.0.1:${peer}`;
    const p = startProcess('etcd', join(binDir, 'etcd'), [
      '--name=e2e',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=e2e=${peerUrl}`,
      '--unsafe-no-fsync', // a throwaway store: no fsync, much faster on a busy disk
      '--log-level=warn',
    ], join(dir, 'etcd.log'));
    try {
      await waitReady(p, `${etcdUrl}/health`);
      etcd = p;
    } catch (err) {
      await stopProcess(p);
      if (attempt >= 3 || !portInUse(p)) throw err;
      rmSync(join(dir, 'etcd'), { recursive: true, force: true });
    }
  }

  const apiArgs = (port: number) => [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    '--endpoint-reconciler-type=none',
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    `--tls-cert-file=${serving.certFile}`,
    `--tls-private-key-file=${serving.keyFile}`,
    `--client-ca-file=${caFile}`,
    `--token-auth-file=${tokenFile}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${saPub}`,
    `--service-account-signing-key-file=${saKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--disable-admission-plugins=ServiceAccount', // no controller creates default ServiceAccounts
    `--audit-policy-file=${auditPolicy}`,
    `--audit-log-path=${auditLog}`,
    '--profiling=false',
    '--v=0',
  ];
  let api: Proc | undefined;
  const startApi = async (port: number, log: string) => {
    const p = startProcess('kube-apiserver', join(binDir, 'kube-apiserver'), apiArgs(port), log);
    api = p;
    try {
      await waitReady(p, `https://127.0.0.1:${port}/readyz`, { ca: ca.cert, token });
    } catch (err) {
      await stopProcess(p);
      throw err;
    }
  };
  const stopEtcd = async () => {
    if (etcd) await stopProcess(etcd);
  };
  let port = 0;
  const apiLog = join(dir, 'kube-apiserver.log');
  for (let attempt = 1; !port; attempt++) {
    const candidate = await freePort();
    const log = `${apiLog}.${attempt}`;
    try {
      await startApi(candidate, log);
      port = candidate;
      renameSync(log, apiLog); // an open file: the process keeps writing to it
    } catch (err) {
      if (attempt < 3 && api && portInUse(api)) continue; // another worker took the port first
      await stopEtcd();
      throw err;
    }
  }
  const server = `https://127.0.0.1:${port}`;

  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'e2e', cluster: { server, 'certificate-authority': caFile } }],
      users: [{ name: 'e2e-admin', user: { token } }],
      contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: 'e2e-admin', namespace: 'default' } }],
      'current-context': 'e2e',
    }),
  );
  const kubectlBin = join(binDir, 'kubectl');
  const cacheDir = join(dir, 'kubectl-cache');

  let stopped = false;
  return {
    server,
    kubeconfig,
    caFile,
    auditLog,
    binDir,
    kubectl: (args, opts = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(kubectlBin, args, { cwd: ROOT, env: childEnv({ KUBECONFIG: kubeconfig, KUBECACHEDIR: cacheDir, ...opts.env }), stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
        child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
        child.stdin.end(opts.stdin ?? '');
      }),
    stopApiServer: async () => {
      if (api) await stopProcess(api);
    },
    startApiServer: async () => {
      if (stopped) throw new Error('the cluster was stopped');
      if (api && !api.gone()) throw new Error('kube-apiserver is already running');
      await startApi(port, apiLog);
    },
    stop: async () => {
      stopped = true;
      if (api) await stopProcess(api);
      await stopEtcd();
      if (process.env.ROLLSAFE_E2E_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WebhookRule {
  readonly apiGroups: string[];
  readonly apiVersions: string[];
  readonly resources: string[];
  readonly operations?: ('CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT' | '*')[];
}

export const DEFAULT_RULES: readonly WebhookRule[] = [
  { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] },
  { apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] },
  { apiGroups: ['rollsafe.dev'], apiVersions: ['v1alpha1'], resources: ['configschemas'] },
];

/** A Deployment every default configuration denies (Recreate with 2 replicas), to see the webhook answer. */
const PROBE = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'rollsafe-e2e-webhook-probe', namespace: 'default' },
  spec: {
    replicas: 2,
    strategy: { type: 'Recreate' },
    selector: { matchLabels: { app: 'probe' } },
    template: { metadata: { labels: { app: 'probe' } }, spec: { containers: [{ name: 'probe', image: 'probe:1.0.0' }] } },
  },
};

/**
 * Creates (or replaces) a ValidatingWebhookConfiguration calling `url` with `caBundlePem`, then waits
 * until the API server calls it: a server-side dry run of a Deployment the default policies deny
 * must come back with this webhook's denial.
 */
export async function registerWebhook(
  c: Cluster,
  opts: { name: string; url: string; caBundlePem: string; rules?: readonly WebhookRule[]; failurePolicy?: 'Fail' | 'Ignore'; timeoutSeconds?: number },
): Promise<void> {
  const config = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: opts.name },
    webhooks: [
      {
        name: opts.name,
        clientConfig: { url: opts.url, caBundle: Buffer.from(opts.caBundlePem).toString('base64') },
        rules: (opts.rules ?? DEFAULT_RULES).map((r) => ({ operations: ['CREATE', 'UPDATE'], scope: '*', ...r })),
        failurePolicy: opts.failurePolicy ?? 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: opts.timeoutSeconds ?? 5,
      },
    ],
  };
  const applied = await c.kubectl(['apply', '-f', '-'], { stdin: JSON.stringify(config) });
  if (applied.code !== 0) throw new Error(`creating ValidatingWebhookConfiguration ${opts.name} failed: ${applied.stderr}`);

  const expected = `admission webhook "${opts.name}" denied the request`;
  const start = Date.now();
  let last: KubectlResult | undefined;
  while (Date.now() - start < 30_000) {
    last = await c.kubectl(['create', '--dry-run=server', '-o', 'name', '-f', '-'], { stdin: JSON.stringify(PROBE) });
    if (last.code !== 0 && last.stderr.includes(expected)) return;
    await sleep(200);
  }
  throw new Error(`webhook ${opts.name} at ${opts.url} not active after 30 s: a server dry run of a Recreate Deployment gave exit ${last?.code}: ${last?.stderr || last?.stdout}`);
}

/** A kubeconfig at `file` for this cluster that authenticates as `user` with a bearer token (a ServiceAccount's, from `kubectl create token`). */
export function writeTokenKubeconfig(cluster: Pick<Cluster, 'server' | 'caFile'>, file: string, user: string, token: string): string {
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'e2e', cluster: { server: cluster.server, 'certificate-authority': cluster.caFile } }],
      users: [{ name: user, user: { token } }],
      contexts: [{ name: 'e2e', context: { cluster: 'e2e', user } }],
      'current-context': 'e2e',
    }),
  );
  return file;
}
