// `npm run bench`, third part (issue 6): the cluster cache at scale. A recorded list of 10,000
// ConfigMaps (2 KB of data each, with the managedFields and last-applied annotation `kubectl
// apply` leaves) and 3,000 Deployments (real-world Deployments from the corpus, renamed across 30
// namespaces, each reading a ConfigMap) is served by a stub of the API server's list and watch
// endpoints on 127.0.0.1. A child process runs Rollsafe's ClusterCache (the same reflectors as
// the webhook) against it and reports its RSS and heap before and after the caches are filled,
// then the latency of reviews (reviewAdmission, in process) with empty caches and with the full
// ones, measured in the same run. The child runs the compiled JavaScript with the container
// image's Node flags. Budget: RSS under 200 MB, p99 with full caches at most 1.2x
// the p99 with empty caches. FAIL is printed; the exit code stays 0.
import { fork } from 'node:child_process';
import { tmpdir } from 'node:os';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { reviewAdmission, type ReviewDeps } from '../src/admission/review.js';
import { documentLookup } from '../src/cli/document-lookup.js';
import { expandPaths, parseDocuments } from '../src/cli/read-documents.js';
import { ClusterCache } from '../src/cluster/cache.js';
import { kubeconfigConnection } from '../src/cluster/connection.js';
import { defaultPolicyConfig } from '../src/config/policy-config.js';
import { decodeObject } from '../src/engine/objects.js';
import { makeCa, type Pem, serverCertificate, tempDir } from '../test/server/helpers/certificates.js';
import { compileBench } from './compiled.js';
import { pct } from './percentile.js';

const CONFIGMAPS = Number(process.env.BENCH_CONFIGMAPS ?? 10_000);
const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 3_000);
const NAMESPACES = 30;
const REVIEWS = Number(process.env.BENCH_CACHE_REVIEWS ?? 3_000);
const BUDGET = { rssMb: 200, p99: 1.2 };

type Raw = Record<string, unknown>;
const ns = (i: number) => `team-${String(i % NAMESPACES).padStart(2, '0')}`;
const cmName = (i: number) => `app-config-${i}`;

function managedFields(manager: string) {
  return [{ manager, operation: 'Update', apiVersion: 'v1', time: '2026-11-20T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`f:KEY_${k}`, {}])), 'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } } }];
}

function configMap(i: number): Raw {
  const data = Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`KEY_${k}`, `value-${i}-${k}-`.padEnd(96, 'x')]));
  const metadata = { name: cmName(i), namespace: ns(i), uid: `cm-${i}`, resourceVersion: String(1000 + i), creationTimestamp: '2026-11-20T10:00:00Z', labels: { app: `app-${i}` } };
  return { metadata: { ...metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data }) }, managedFields: managedFields('kubectl-client-side-apply') }, data };
}

function corpusDeployments(): Raw[] {
  const corpus = fileURLToPath(new URL('../../shared/corpus/real-world', import.meta.url));
  return expandPaths([corpus])
    .flatMap((f) => parseDocuments(f, readFileSync(f, 'utf8')).map((d) => d.value as Raw))
    // Only what the API server would store: not vouch-proxy's `value: true`, which kubectl apply refuses.
    .filter((v) => v?.kind === 'Deployment' && typeof (v.spec as Raw | undefined)?.template === 'object' && decodeObject(v).success);
}

function deployments(): Raw[] {
  const real = corpusDeployments();
  return Array.from({ length: DEPLOYMENTS }, (_, i) => {
    const d = structuredClone(real[i % real.length]) as { metadata: Raw; spec: { template: { spec: { containers: Raw[] } } } };
    const c = d.spec.template.spec.containers[0];
    if (c) c.envFrom = [...((c.envFrom as Raw[] | undefined) ?? []), { configMapRef: { name: cmName(i % CONFIGMAPS) } }];
    d.metadata = { ...d.metadata, name: `deploy-${i}`, namespace: ns(i % CONFIGMAPS), uid: `d-${i}`, resourceVersion: String(50_000 + i), managedFields: managedFields('argocd-controller') };
    return { ...d, status: { replicas: 2, readyReplicas: 2, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] } };
  });
}

/** The API server's list (paginated) and watch (held open, no events) for a recorded list. */
function stubApiServer(lists: Record<string, Raw[]>, tls: Pem): Promise<{ server: Server; url: string }> {
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const items = lists[url.pathname];
    res.setHeader('content-type', 'application/json');
    if (!items) {
      res.statusCode = 200;
      if (url.searchParams.get('watch') === 'true') return void res.write('');
      return void res.end(JSON.stringify({ metadata: { resourceVersion: '1' }, items: [] }));
    }
    if (url.searchParams.get('watch') === 'true') return void res.write('');
    const limit = Number(url.searchParams.get('limit') ?? items.length);
    const from = Number(url.searchParams.get('continue') ?? 0);
    const next = from + limit < items.length ? String(from + limit) : undefined;
    res.end(JSON.stringify({ metadata: { resourceVersion: '99999', ...(next && { continue: next }) }, items: items.slice(from, from + limit) }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, url: `https://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` });
  }));
}

// --- the child: the cache, measured ---------------------------------------------------------

const mb = (n: number) => n / 1024 / 1024;

function gcNow() {
  (globalThis as { gc?: () => void }).gc?.();
}

function timeReviews(body: string, deps: ReviewDeps): number[] {
  const samples: number[] = [];
  for (let i = 0; i < REVIEWS; i++) {
    const t = process.hrtime.bigint();
    const out = reviewAdmission(JSON.parse(body), deps);
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
    if (!out.ok) throw new Error(out.error);
  }
  return samples.sort((a, b) => a - b);
}

async function child(server: string, caPem: string, reviews: { name: string; body: string }[]): Promise<void> {
  gcNow();
  const before = process.memoryUsage();
  const kubeconfig = `${tmpdir()}/rollsafe-bench-kubeconfig-${process.pid}.json`;
  writeFileSync(kubeconfig, JSON.stringify({ 'current-context': 'c', contexts: [{ name: 'c', context: { cluster: 'stub', user: 'u' } }], clusters: [{ name: 'stub', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }], users: [{ name: 'u', user: { token: 'bench' } }] }));
  const connection = kubeconfigConnection(kubeconfig, '--kubeconfig');
  rmSync(kubeconfig);
  const cache = new ClusterCache({ connection, logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }, pino.destination(2)), staleAfterSeconds: 60 });
  const t0 = Date.now();
  cache.start();
  await Promise.all(cache.reflectors.map((r) => r.whenSynced()));
  const listMs = Date.now() - t0;
  gcNow();
  const after = process.memoryUsage();
  const counts = Object.fromEntries(cache.reflectors.map((r) => [r.spec.name, r.count]));

  const empty: ReviewDeps = { lookup: { ...documentLookup([], 'default'), complete: true }, config: defaultPolicyConfig, cache: { stale: false } };
  const full: ReviewDeps = { lookup: cache.lookup([]), config: defaultPolicyConfig, cache: cache.trust(), namespaceLabels: cache.namespaceLabels };
  const latency = reviews.map(({ name, body }) => {
    timeReviews(body, empty);
    timeReviews(body, full);
    const e = timeReviews(body, empty);
    const f = timeReviews(body, full);
    return { name, empty: { p50: pct(e, 50), p99: pct(e, 99) }, full: { p50: pct(f, 50), p99: pct(f, 99) } };
  });
  cache.stop();
  process.send?.({ before, after, listMs, counts, latency });
}

// --- the parent -----------------------------------------------------------------------------

function reviewsToTime(): { name: string; body: string }[] {
  const d = corpusDeployments().find((v) => (v.metadata as Raw).name === 'grafana') ?? corpusDeployments()[0];
  const object = { ...d, metadata: { ...(d?.metadata as Raw), name: 'grafana', namespace: ns(0) } };
  const spec = (object as unknown as { spec: { template: { spec: { containers: Raw[] } } } }).spec;
  spec.template.spec.containers[0] = { ...spec.template.spec.containers[0], envFrom: [{ configMapRef: { name: cmName(0) } }] };
  const cmOld = configMap(0);
  const cmNew = structuredClone(cmOld) as { data: Record<string, string> };
  cmNew.data.KEY_0 = 'changed';
  const request = (kind: string, group: string, obj: unknown, old: unknown) =>
    JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: { uid: 'u', kind: { group, version: 'v1', kind }, resource: { group, version: 'v1', resource: `${kind.toLowerCase()}s` }, name: kind === 'ConfigMap' ? cmName(0) : 'grafana', namespace: ns(0), operation: old ? 'UPDATE' : 'CREATE', userInfo: { username: 'bench' }, object: obj, oldObject: old, dryRun: false },
    });
  return [
    { name: 'Deployment CREATE (4 containers, reads a cached ConfigMap)', body: request('Deployment', 'apps', { apiVersion: 'apps/v1', kind: 'Deployment', ...object }, null) },
    { name: `ConfigMap UPDATE (read by ${Math.ceil(DEPLOYMENTS / CONFIGMAPS)}+ Deployments of ${Math.round(DEPLOYMENTS / NAMESPACES)} in its namespace)`, body: request('ConfigMap', '', { apiVersion: 'v1', kind: 'ConfigMap', ...cmNew }, { apiVersion: 'v1', kind: 'ConfigMap', ...cmOld }) },
  ];
}

async function parent(): Promise<void> {
  const lists = {
    '/api/v1/configmaps': Array.from({ length: CONFIGMAPS }, (_, i) => configMap(i)),
    '/apis/apps/v1/deployments': deployments(),
    '/api/v1/namespaces': Array.from({ length: NAMESPACES }, (_, i) => ({ metadata: { name: ns(i), labels: { team: `t${i}` } } })),
  };
  const rawBytes = Object.values(lists).reduce((n, items) => n + items.reduce((m, o) => m + JSON.stringify(o).length, 0), 0);
  const ca = await makeCa('Rollsafe bench API server CA');
  const { server, url } = await stubApiServer(lists, await serverCertificate(ca));
  const reviews = reviewsToTime();
  const dir = tempDir('rollsafe-bench-cache-');
  const file = `${dir}/reviews.json`;
  writeFileSync(file, JSON.stringify({ reviews, caPem: ca.cert }));
  // The child runs compiled JavaScript, as the container image does: tsx would add its own ~30 MB.
  const compiled = `${compileBench()}/bench/cache.js`;
  // With the image's flags (Dockerfile ENTRYPOINT): the larger young generation costs RSS too.
  const proc = fork(compiled, ['child', url, file], { execArgv: ['--expose-gc', `--max-semi-space-size=${process.env.BENCH_SEMI ?? 16}`] });
  type Report = { before: NodeJS.MemoryUsage; after: NodeJS.MemoryUsage; listMs: number; counts: Record<string, number>; latency: { name: string; empty: { p50: number; p99: number }; full: { p50: number; p99: number } }[] };
  const report = await new Promise<Report>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as Report));
    proc.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  proc.kill();
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });

  const { before, after } = report;
  console.log(`\ncluster cache at scale: ${CONFIGMAPS} ConfigMaps (2 KB data), ${DEPLOYMENTS} Deployments from the corpus, ${NAMESPACES} namespaces; ${mb(rawBytes).toFixed(0)} MB as the API server sends them`);
  console.log(`  listed in ${report.listMs} ms: ${Object.entries(report.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`  RSS        ${mb(before.rss).toFixed(0).padStart(5)} MB before, ${mb(after.rss).toFixed(0).padStart(5)} MB with the caches full`);
  console.log(`  V8 heap    ${mb(before.heapTotal).toFixed(0).padStart(5)} MB before, ${mb(after.heapTotal).toFixed(0).padStart(5)} MB after (reserved); external ${mb(after.external).toFixed(0)} MB`);
  console.log(`  heap used  ${mb(before.heapUsed).toFixed(0).padStart(5)} MB before, ${mb(after.heapUsed).toFixed(0).padStart(5)} MB after: the caches hold about ${mb(after.heapUsed - before.heapUsed).toFixed(0)} MB (${(((after.heapUsed - before.heapUsed) / rawBytes) * 100).toFixed(0)}% of the raw objects)`);
  let fail = mb(after.rss) >= BUDGET.rssMb;
  console.log(`  budget RSS < ${BUDGET.rssMb} MB: ${fail ? 'FAIL' : 'ok'}`);
  console.log(`  review latency, µs (${REVIEWS} reviews each, in process)   empty p50   p99 |  full p50   p99 | p99 ratio`);
  for (const l of report.latency) {
    const ratio = l.full.p99 / l.empty.p99;
    const bad = ratio > BUDGET.p99;
    fail ||= bad;
    console.log(`  ${l.name.padEnd(60)} ${l.empty.p50.toFixed(0).padStart(5)} ${l.empty.p99.toFixed(0).padStart(5)} | ${l.full.p50.toFixed(0).padStart(5)} ${l.full.p99.toFixed(0).padStart(5)} | ${ratio.toFixed(2)}x ${bad ? 'FAIL' : 'ok'} (budget ${BUDGET.p99}x)`);
  }
  console.log(`  cluster cache budget: ${fail ? 'FAIL' : 'ok'}`);
}

if (process.argv[2] === 'child') {
  const input = JSON.parse(readFileSync(process.argv[4] ?? '', 'utf8')) as { reviews: { name: string; body: string }[]; caPem: string };
  await child(process.argv[3] ?? '', input.caPem, input.reviews);
} else {
  await parent();
}
