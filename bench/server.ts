// `npm run bench`, second part: the webhook over HTTPS under load. autocannon (keep-alive, TLS,
// CONNECTIONS connections, one request in flight on each) sends the same Deployment
// AdmissionReview as kube-apiserver 1.37 sent it to a webhook, byte for byte but for the request
// uid (bench/reviews, recorded by bench/record-reviews.ts: defaults, managedFields, kubectl's
// last-applied copy included), to (a) a bare fastify HTTPS route on the same TLS material that
// parses the body and allows it, the floor any Node webhook pays (fastify's proto-poisoning scans
// off, as in Rollsafe), and (b) Rollsafe's real server (startServer, as `rollsafe serve` runs it
// in the container image: compiled by tsc, see compiled.ts). Traffic to 127.0.0.1 only. The budget
// (issue 5) is a ratio to (a) measured in the same run: throughput >= 70 % of bare, p99 < 2x bare
// p99. It is a measurement: FAIL is printed, the exit code stays 0. Beside them: each server
// process's CPU time per answered request (steadier than req/s on a shared VM, where the load
// generator takes the other core) and the mean of Rollsafe's rollsafe_review_duration_seconds, so
// the gap can be split into the review and the rest.
// The body's size moves the ratio: parsing and TLS cost both servers more for a larger body, and
// Rollsafe's review the same (about 40 µs in a loop for either body). The gap in µs per request
// does not move with it; `npm run bench` runs this file again with BENCH_REQUESTS=manifest, the
// body used before the recorded one (a third of its bytes), for comparison: no budget is judged
// on it. The recorded body is the largest usual one: the last-applied copy (6.3 KB of 22.5)
// comes with client-side apply only (kubectl apply, Argo CD's default), not with server-side
// apply (Flux, Argo CD's ServerSideApply) or Helm.
//
// Where things run (BENCH_MODE), chosen by measuring all three on 2 cores:
//   processes (default) each server alone in a child process, as in its pod; autocannon on this
//                       process's main thread. Fairest: the two servers share no heap or JIT
//                       state, and the load generator never takes the server's event loop.
//   worker              both servers in this process, one after the other; autocannon in a worker
//                       thread. The server measured second inherits the first one's heap and JIT
//                       feedback, which moved Rollsafe's figures by up to 40 %.
//   shared              both in this process, autocannon on the main thread: the load generator
//                       and the server take turns on one event loop, compressing every ratio.
// Rounds: this VM's speed drifts by tens of percent within a minute (a neighbour's load), and one
// bare run followed by one Rollsafe run put that drift into the ratio: the same code measured
// 31 % and 57 % of bare minutes apart, and the bare route alone 82 and 142 µs of CPU per request
// in two runs of one bench. Both servers stay up and are measured in turn, BENCH_ROUNDS times;
// each round compares two runs seconds apart.
// Short rounds in pairs, the order swapped within each pair (bare then Rollsafe, Rollsafe then
// bare): the bare route alone measured 177 and 305 µs of CPU per request in two 6 s runs 12 s
// apart. Each pair's ratio is taken over the pair's four runs (req/s summed per server, p99 and
// CPU averaged), so a steady drift cancels out within it; the budget reads the median pair.
// Other knobs: BENCH_ROUNDS (8, made even), BENCH_SERVER_SECONDS (3, per server and round),
// BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (10), BENCH_SEMI (16, MB), BENCH_OPERATION (CREATE |
// UPDATE, which adds the oldObject; the recorded UPDATE lacks what the Deployment controller
// writes, see record-reviews.ts), BENCH_REQUESTS (recorded | manifest: a review built here around
// the manifest as committed | corpus: every apps/v1 Deployment of the real-world corpus in
// rotation, built the same way, one uid each: objects of many shapes; the budget is judged on the
// recorded body only).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fastify, type FastifyInstance } from 'fastify';
import type { Settings } from '../src/config/settings.js';
import { readTlsFiles, serverTlsOptions } from '../src/server/tls.js';
import { makeCa, serverCertificate, tempDir, writePair } from '../test/server/helpers/certificates.js';
import { postJson, send } from '../test/server/helpers/https-client.js';
import { compileBench, loadServerModules } from './compiled.js';
import { benchDeployment, corpusDeployments, type Deployment, previousTags, SOURCE } from './deployment.js';
import { pct } from './percentile.js';

const ROUNDS_ASKED = Number(process.env.BENCH_ROUNDS ?? 8);
if (!(ROUNDS_ASKED >= 1)) {
  console.error(`bench: BENCH_ROUNDS=${process.env.BENCH_ROUNDS}: expected a number of rounds, 2 or more (made even)`);
  process.exit(2);
}
const ROUNDS = 2 * Math.ceil(ROUNDS_ASKED / 2);
const SECONDS = Number(process.env.BENCH_SERVER_SECONDS ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const MODES = ['processes', 'worker', 'shared'] as const;
type Mode = (typeof MODES)[number];
const MODE: Mode = MODES.find((m) => m === process.env.BENCH_MODE) ?? 'processes';
const OPERATION = process.env.BENCH_OPERATION === 'UPDATE' ? 'UPDATE' : 'CREATE';
const REQUEST_SETS = ['recorded', 'manifest', 'corpus'] as const;
const REQUESTS = REQUEST_SETS.find((r) => r === (process.env.BENCH_REQUESTS ?? 'recorded'));
if (REQUESTS === undefined) {
  console.error(`bench: BENCH_REQUESTS=${process.env.BENCH_REQUESTS}: expected one of ${REQUEST_SETS.join(', ')}`);
  process.exit(2);
}
/** The budget is judged on the body the API server sends; the others are for comparison. */
const JUDGED = REQUESTS === 'recorded';
const BUDGET = { throughput: 0.7, p99: 2 };

// --- the two servers ------------------------------------------------------------------------

type ServerKind = 'bare' | 'rollsafe';

interface Target {
  readonly url: string;
  /** CPU time (user + system, µs) the server's process has used so far. */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

const ownCpu = async () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Rollsafe as `rollsafe serve` runs it in the container image (compiled, see compiled.ts): default
 * policies, info level; log lines go to /dev/null.
 */
async function startRollsafe(certFile: string, keyFile: string, compiledDir: string): Promise<Target> {
  const { createLogger, logDestination, loadReviewConfig, readTlsFiles, startServer } = await loadServerModules(compiledDir);
  const settings: Settings = {
    port: 0,
    host: '127.0.0.1',
    tlsCertFile: certFile,
    tlsKeyFile: keyFile,
    clientCaFile: undefined,
    policyConfigFile: undefined,
    schemaPaths: [],
    logLevel: 'info',
    drainSeconds: 0,
    requestTimeoutMs: 4000,
    maxConnections: 1000,
    maxBodiesMib: 32,
    cluster: 'off',
    cacheStaleSeconds: 60,
  };
  // The destination `rollsafe serve` writes to stdout through (batched asynchronous writes),
  // aimed at /dev/null: each review's info line is built, redacted, serialized and written, as in
  // production.
  const destination = logDestination('/dev/null');
  const server = await startServer({ settings, logger: createLogger('info', destination), tls: readTlsFiles({ certFile, keyFile }), reviewConfig: loadReviewConfig(settings) });
  return {
    url: server.url,
    cpu: ownCpu,
    stop: async () => {
      server.shutdown('bench over');
      await server.shutdown.done;
      destination.end();
    },
  };
}

/**
 * The floor: fastify over the same TLS options, JSON body parsed, always allowed. Without the two
 * regex scans of every body for __proto__ and constructor that fastify runs by default: Rollsafe
 * turns them off (app.ts), and with them the floor cost 7-9 µs more per request on this body.
 */
async function startBare(certFile: string, keyFile: string): Promise<Target> {
  const app: FastifyInstance = fastify({ https: serverTlsOptions(readTlsFiles({ certFile, keyFile })), logger: false, onProtoPoisoning: 'ignore', onConstructorPoisoning: 'ignore' });
  app.post('/validate', async (request) => {
    const review = request.body as { apiVersion: string; kind: string; request: { uid: string } };
    return { apiVersion: review.apiVersion, kind: review.kind, response: { uid: review.request.uid, allowed: true } };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('bare server: no port');
  return { url: `https://127.0.0.1:${address.port}`, cpu: ownCpu, stop: () => app.close() };
}

const start = (kind: ServerKind, certFile: string, keyFile: string, compiledDir: string) =>
  kind === 'bare' ? startBare(certFile, keyFile) : startRollsafe(certFile, keyFile, compiledDir);

/** BENCH_MODE=processes: the server in a child process (this file, `--serve KIND CERT KEY COMPILED_DIR`). */
function startChild(kind: ServerKind, certFile: string, keyFile: string, compiledDir: string): Promise<Target> {
  // Both servers run with the V8 flag `npm start` gives the webhook (a 32 MB young generation;
  // BENCH_SEMI sets another semi-space size in MB: 32 measured the same req/s, 6 rounds each).
  const child: ChildProcess = spawn(process.execPath, [`--max-semi-space-size=${process.env.BENCH_SEMI ?? 16}`, ...process.execArgv, fileURLToPath(import.meta.url), '--serve', kind, certFile, keyFile, compiledDir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code}) before listening`)));
    child.once('message', (m: { url: string }) =>
      resolve({
        url: m.url,
        cpu: () =>
          new Promise((answered) => {
            child.once('message', (c: { cpu: number }) => answered(c.cpu));
            child.send('cpu');
          }),
        stop: async () => {
          child.send('stop');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      }),
    );
  });
}

async function serveChild(kind: ServerKind, certFile: string, keyFile: string, compiledDir: string): Promise<void> {
  const target = await start(kind, certFile, keyFile, compiledDir);
  process.on('message', (m) => {
    if (m === 'cpu') void target.cpu().then((cpu) => process.send?.({ cpu }));
    else void target.stop().then(() => process.disconnect());
  });
  // Stopped, or the parent is gone: nothing is left to serve.
  process.once('disconnect', () => process.exit(0));
  process.send?.({ url: target.url });
}

// --- the request: one real-world Deployment (4 containers, probes, env, resources) ------------

const UID = '3f0c8e52-4f7b-4a7e-9d0e-6b2f3c1a9e77';

/**
 * The review kube-apiserver sent for the bench's Deployment (bench/record-reviews.ts): the
 * manifest with the API server's defaults, uid, managedFields and kubectl's last-applied copy,
 * and on UPDATE the old object too; its request uid replaced by UID, nothing else changed.
 */
function recordedReview(): { body: string; recordedWith: string } {
  const file = new URL(`./reviews/${OPERATION.toLowerCase()}.json`, import.meta.url);
  const { body, recordedWith } = JSON.parse(readFileSync(file, 'utf8')) as { body: string; recordedWith: string };
  const { uid } = (JSON.parse(body) as { request: { uid: string } }).request;
  const request = `"request":{"uid":"${uid}"`;
  if (!body.includes(request)) throw new Error(`${fileURLToPath(file)}: the request uid is not where Go writes it`);
  return { body: body.replace(request, `"request":{"uid":"${UID}"`), recordedWith };
}

/**
 * An AdmissionReview built here around a manifest as committed (UPDATE: previous image tags in
 * oldObject): no defaults, managedFields or last-applied copy, so about a third of the bytes the
 * API server sends. The mixed corpus load, and BENCH_REQUESTS=manifest (the body used until the
 * recorded one replaced it).
 */
function manifestReview(deployment: Deployment, uid: string): string {
  const namespace = deployment.metadata.namespace ?? 'default';
  const object = { ...deployment, metadata: { ...deployment.metadata, namespace } };
  const oldObject = previousTags(object);
  const gvk = { group: 'apps', version: 'v1' };
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { ...gvk, kind: 'Deployment' },
      resource: { ...gvk, resource: 'deployments' },
      requestKind: { ...gvk, kind: 'Deployment' },
      requestResource: { ...gvk, resource: 'deployments' },
      name: object.metadata.name,
      namespace,
      operation: OPERATION,
      userInfo: {
        username: 'system:serviceaccount:argocd:argocd-application-controller',
        uid: 'b1f5e7a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd', 'system:authenticated'],
      },
      object,
      oldObject: OPERATION === 'UPDATE' ? oldObject : null,
      dryRun: false,
      options: { kind: OPERATION === 'UPDATE' ? 'UpdateOptions' : 'CreateOptions', apiVersion: 'meta.k8s.io/v1', fieldManager: 'argocd-controller' },
    },
  });
}

/** The request bodies (the first one carries UID, for the preflight) and what they are. */
function admissionReviews(): { bodies: string[]; subject: string } {
  if (REQUESTS === 'corpus') {
    const bodies = corpusDeployments().map((d, i) => manifestReview(d, i === 0 ? UID : `${UID.slice(0, -6)}${String(i).padStart(6, '0')}`));
    const kb = bodies.reduce((n, b) => n + b.length, 0) / bodies.length / 1024;
    return { bodies, subject: `${OPERATION} of ${bodies.length} real-world Deployments in rotation (mean ${kb.toFixed(1)} KB, manifests as committed, without the API server's additions), one uid each` };
  }
  const deployment = benchDeployment();
  const what = `Deployment ${deployment.metadata.namespace ?? 'default'}/${deployment.metadata.name} (${SOURCE.file}, ${deployment.spec.template.spec.containers.length} containers)`;
  if (REQUESTS === 'manifest') {
    const body = manifestReview(deployment, UID);
    return { bodies: [body], subject: `${OPERATION} of ${what} as committed, without the API server's additions, ${(body.length / 1024).toFixed(1)} KB, the same body every request` };
  }
  const { body, recordedWith } = recordedReview();
  return { bodies: [body], subject: `${OPERATION} of ${what} as ${recordedWith} sent it (bench/reviews), ${(body.length / 1024).toFixed(1)} KB, the same body every request` };
}

// --- the load generator ---------------------------------------------------------------------

interface LoadResult {
  /** Seconds, as autocannon measured the run. */
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodeStats: Record<string, { count: number }>;
  readonly total: number;
  /** Latency (ms) of every 2xx answer as autocannon timed it (hrtime), not rounded to its 1 ms buckets. */
  readonly samples: Float64Array;
}

interface LoadOptions {
  readonly url: string;
  readonly ca: string;
  readonly seconds: number;
}

interface LoadGenerator {
  run(o: LoadOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

// autocannon has no types, and in a worker it must be given as source: one CommonJS function,
// used on this thread as well. Off the main thread autocannon leaves its result unaggregated.
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon');
const RUN_AUTOCANNON = `(function runAutocannon(autocannon, o, bodies, connections, done) {
  const samples = [];
  const instance = autocannon(
    { url: o.url + '/validate', method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[0],
      ...(bodies.length > 1 && { requests: bodies.map((body) => ({ method: 'POST', body })) }),
      connections, pipelining: 1, duration: o.seconds, tlsOptions: { ca: o.ca } },
    (err, r) => {
      if (err) return done(err);
      done(undefined, { duration: r.duration, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx,
        statusCodeStats: r.statusCodeStats, total: r.totalCompletedRequests ?? r.requests.total,
        samples: Float64Array.from(samples) });
    });
  instance.on('response', (_client, status, _bytes, ms) => { if (status >= 200 && status < 300) samples.push(ms); });
})`;
type RunAutocannon = (autocannon: unknown, o: LoadOptions, bodies: readonly string[], connections: number, done: (err: unknown, r?: LoadResult) => void) => void;

function mainThreadLoad(bodies: readonly string[]): LoadGenerator {
  const autocannon: unknown = createRequire(import.meta.url)(AUTOCANNON);
  const runAutocannon = (0, eval)(RUN_AUTOCANNON) as RunAutocannon;
  return {
    run: (o) => new Promise((resolve, reject) => runAutocannon(autocannon, o, bodies, CONNECTIONS, (err, r) => (err || !r ? reject(err) : resolve(r)))),
    close: async () => undefined,
  };
}

/** One long-lived worker, so its JIT stays warm across runs. */
function workerLoad(bodies: readonly string[]): LoadGenerator {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const autocannon = require(workerData.autocannon);
     const runAutocannon = ${RUN_AUTOCANNON};
     parentPort.on('message', (o) => runAutocannon(autocannon, o, workerData.bodies, workerData.connections,
       (err, r) => parentPort.postMessage(err ? { error: String((err && err.stack) || err) } : { result: r })));`,
    { eval: true, execArgv: [], workerData: { autocannon: AUTOCANNON, bodies, connections: CONNECTIONS } },
  );
  let failed: unknown;
  worker.on('error', (err) => (failed = err));
  return {
    run: (o) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        worker.once('message', (m: { error?: string; result?: LoadResult }) => (m.result ? resolve(m.result) : reject(new Error(m.error))));
        worker.postMessage(o);
      }),
    close: async () => void (await worker.terminate()),
  };
}

// --- measuring ------------------------------------------------------------------------------

interface Figures {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly total: number;
  readonly non2xx: number;
  readonly failed: number;
  readonly statuses: string;
  /** The server process's CPU time (user + system) per answered request, µs. */
  readonly cpuPerRequest: number;
}

function figures(r: LoadResult, cpu: number): Figures {
  const sorted = r.samples.slice().sort();
  return {
    rps: sorted.length / r.duration,
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    total: r.total,
    non2xx: r.non2xx,
    failed: r.errors + r.timeouts,
    cpuPerRequest: cpu / Math.max(1, r.total),
    statuses: Object.entries(r.statusCodeStats).map(([code, { count }]) => `${code}×${count}`).join(' ') || 'none',
  };
}

/** One request with verification on: a 200 with our uid; what it answered. */
async function preflight(kind: ServerKind, url: string, body: string, ca: string): Promise<string> {
  const answer = await postJson(url, body, { ca });
  const parsed = JSON.parse(answer.text) as { response?: { uid?: string; allowed?: boolean; warnings?: string[] } };
  if (answer.status !== 200 || parsed.response?.uid !== UID) throw new Error(`${kind}: preflight answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return `allowed=${String(parsed.response.allowed)}, ${parsed.response.warnings?.length ?? 0} warnings, ${answer.text.length} B`;
}

/** rollsafe_review_duration_seconds' sum (µs) and count so far, as /metrics tells them. */
async function reviewTotals(url: string, ca: string): Promise<{ sum: number; count: number }> {
  const text = (await send(`${url}/metrics`, 'GET', undefined, {}, { ca })).text;
  const read = (name: string) => Number(new RegExp(`^rollsafe_review_duration_seconds_${name} (\\S+)$`, 'm').exec(text)?.[1]);
  return { sum: read('sum') * 1e6, count: read('count') };
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

const row = (name: string, f: Figures, note: string) =>
  `${name.padEnd(22)} ${f.rps.toFixed(0).padStart(7)} ${f.p50.toFixed(2).padStart(7)} ${f.p99.toFixed(2).padStart(7)} ${String(f.total).padStart(8)} ${String(f.non2xx).padStart(6)} ${String(f.failed).padStart(6)} ${f.cpuPerRequest.toFixed(0).padStart(7)}  ${f.statuses}; ${note}`;

async function main(): Promise<void> {
  const { bodies, subject } = admissionReviews();
  const compiledDir = compileBench();
  const dir = tempDir('rollsafe-bench-');
  const load = MODE === 'worker' ? workerLoad(bodies) : mainThreadLoad(bodies);
  try {
    const ca = await makeCa('Rollsafe Bench CA');
    const { certFile, keyFile } = writePair(dir, await serverCertificate(ca));
    const where = {
      processes: 'each server alone in a child process, autocannon in this one (the fairest of the three modes)',
      worker: 'both servers in this process one after the other, autocannon in a worker thread',
      shared: 'both servers in this process, autocannon on the same event loop',
    }[MODE];
    console.log(`\nwebhook over HTTPS: ${subject}`);
    console.log(`BENCH_MODE=${MODE}: ${where}; ${availableParallelism()} CPUs, Node ${process.version}`);
    console.log(`autocannon: ${CONNECTIONS} keep-alive TLS connections, 1 request in flight each; ${WARMUP_SECONDS} s warm-up per server, then ${ROUNDS} round(s) of ${SECONDS} s on each in turn`);
    console.log(`Rollsafe: startServer compiled by tsc as in the image, default policies, info log (one line per review) to /dev/null through the serve destination (batches of 4 KB)`);
    console.log(`                         req/s  p50 ms  p99 ms    total non2xx errors  cpu µs  statuses; preflight answer`);

    const up = async (kind: ServerKind) => {
      const target = await (MODE === 'processes' ? startChild : start)(kind, certFile, keyFile, compiledDir);
      const answer = await preflight(kind, target.url, bodies[0] ?? '', ca.cert);
      await load.run({ url: target.url, ca: ca.cert, seconds: WARMUP_SECONDS });
      return { target, answer };
    };
    const measure = async ({ target, answer }: { target: Target; answer: string }, name: string): Promise<Figures> => {
      const cpuBefore = await target.cpu();
      const result = await load.run({ url: target.url, ca: ca.cert, seconds: SECONDS });
      const f = figures(result, (await target.cpu()) - cpuBefore);
      console.log(row(name, f, answer));
      return f;
    };
    const bareServer = await up('bare');
    const rollsafeServer = await up('rollsafe').catch(async (err: unknown) => {
      await bareServer.target.stop();
      throw err;
    });
    const rounds: { bare: Figures; rollsafe: Figures; reviewMicros: number }[] = [];
    try {
      for (let i = 1; i <= ROUNDS; i++) {
        const measureBare = () => measure(bareServer, `${i}: bare fastify`);
        const measureRollsafe = async () => {
          const before = await reviewTotals(rollsafeServer.target.url, ca.cert);
          const figures = await measure(rollsafeServer, `${i}: rollsafe serve`);
          const after = await reviewTotals(rollsafeServer.target.url, ca.cert);
          return { figures, reviewMicros: (after.sum - before.sum) / Math.max(1, after.count - before.count) };
        };
        // Within each pair, bare first then Rollsafe first: a steady drift cancels out in the pair.
        let bare: Figures;
        let measured: { figures: Figures; reviewMicros: number };
        if (i % 2 === 1) {
          bare = await measureBare();
          measured = await measureRollsafe();
        } else {
          measured = await measureRollsafe();
          bare = await measureBare();
        }
        const rollsafe = measured.figures;
        rounds.push({ bare, rollsafe, reviewMicros: measured.reviewMicros });
        console.log(
          `${`${i}: ratio`.padEnd(22)} ${(rollsafe.rps / bare.rps).toFixed(2).padStart(7)} ${(rollsafe.p50 / bare.p50).toFixed(2).padStart(7)} ${(rollsafe.p99 / bare.p99).toFixed(2).padStart(7)} ${''.padStart(22)}${(rollsafe.cpuPerRequest / bare.cpuPerRequest).toFixed(2).padStart(7)}`,
        );
      }
    } finally {
      await Promise.all([bareServer.target.stop(), rollsafeServer.target.stop()]);
    }

    // One ratio per pair of rounds (ABBA), over its four runs.
    const pairs = Array.from({ length: rounds.length / 2 }, (_, k) => {
      const [a, b] = [rounds[2 * k], rounds[2 * k + 1]] as [(typeof rounds)[number], (typeof rounds)[number]];
      const mean = (f: (x: (typeof rounds)[number]) => number) => (f(a) + f(b)) / 2;
      return {
        throughput: mean((r) => r.rollsafe.rps) / mean((r) => r.bare.rps),
        p99: mean((r) => r.rollsafe.p99) / mean((r) => r.bare.p99),
        rollsafeCpu: mean((r) => r.rollsafe.cpuPerRequest),
        bareCpu: mean((r) => r.bare.cpuPerRequest),
        reviewMicros: mean((r) => r.reviewMicros),
      };
    });
    const throughput = median(pairs.map((p) => p.throughput));
    const p99 = median(pairs.map((p) => p.p99));
    const verdict = (ok: boolean) => (JUDGED ? (ok ? 'PASS' : 'FAIL') : 'not judged: not the body the API server sends');
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    console.log(`over ${pairs.length} pairs of rounds: throughput ratio ${list(pairs.map((p) => p.throughput))}; p99 ratio ${list(pairs.map((p) => p.p99))}; the budget reads the median of each`);
    console.log(`budget: throughput >= ${BUDGET.throughput * 100}% of bare: ${(throughput * 100).toFixed(0)}% ${verdict(throughput >= BUDGET.throughput)}`);
    console.log(`budget: p99 < ${BUDGET.p99}x bare p99: ${p99.toFixed(2)}x ${verdict(p99 < BUDGET.p99)}`);
    // Where Rollsafe's extra time goes, from its own metric over the measured runs: everything
    // else (TLS, HTTP, JSON.parse) it shares with the bare route. The gap in µs does not depend
    // on the body's size as the ratio does.
    const rollsafeCpu = median(pairs.map((p) => p.rollsafeCpu));
    const bareCpu = median(pairs.map((p) => p.bareCpu));
    console.log(
      `server CPU per request (median pair): rollsafe ${rollsafeCpu.toFixed(0)} µs, bare ${bareCpu.toFixed(0)} µs (+${(rollsafeCpu - bareCpu).toFixed(0)} µs); ` +
        `of which the review (decode, policies, response: rollsafe_review_duration_seconds) ${median(pairs.map((p) => p.reviewMicros)).toFixed(0)} µs on average under this load`,
    );
    const notOk = rounds.flatMap((r) => [r.bare, r.rollsafe]).reduce((n, f) => n + f.non2xx + f.failed, 0);
    console.log(`responses: ${notOk === 0 ? 'all 200, no errors or timeouts' : `${notOk} not 200 or failed (see the non2xx and errors columns)`}`);
  } finally {
    await load.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  const [kind, certFile, keyFile, compiledDir] = process.argv.slice(3);
  if ((kind !== 'bare' && kind !== 'rollsafe') || !certFile || !keyFile || !compiledDir) throw new Error('usage: server.ts --serve bare|rollsafe CERT KEY COMPILED_DIR');
  await serveChild(kind, certFile, keyFile, compiledDir);
} else {
  await main();
}
