// Records the AdmissionReviews `npm run bench` sends to the two servers, as kube-apiserver sends
// them: `npx tsx bench/record-reviews.ts` starts the loopback cluster of the e2e tests (real
// kube-apiserver and etcd, scripts/tools), registers a webhook pointing at a small HTTPS server
// here that writes down each body and allows it, and applies the bench's Deployment with kubectl
// as Argo CD syncs it (client-side apply, field manager argocd-controller, as Argo CD's
// application controller, a cluster-admin ServiceAccount): CREATE as the manifest is; UPDATE a
// rollout from the image tags `previous` to the manifest's. The loopback cluster runs no
// controller-manager, so the UPDATE lacks what the Deployment controller would have written
// between the two applies (its status, the `deployment.kubernetes.io/revision` annotation, its
// managedFields entry: about 2-3 KB); a CREATE has none of them anyway. Written to
// bench/reviews/<operation>.json with the kube-apiserver version; each body is Go's JSON as the API
// server wrote it. What the API server adds to the manifest is what makes the body realistic:
// defaulted fields (probes, strategy, termination paths, …), uid, creationTimestamp, generation,
// managedFields and kubectl's last-applied-configuration annotation.
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { registerWebhook, startCluster, succeeded } from '../test/e2e/helpers/cluster.js';
import { makeCa, serverCertificate } from '../test/server/helpers/certificates.js';
import { benchDeployment, previousTags } from './deployment.js';

const OUT = fileURLToPath(new URL('./reviews/', import.meta.url));
const WEBHOOK = 'record.rollsafe.dev';
const PROBE_NAME = 'rollsafe-e2e-webhook-probe';
const ARGOCD = { namespace: 'argocd', name: 'argocd-application-controller' };

const ca = await makeCa('Rollsafe bench recording CA');
const pem = await serverCertificate(ca);
const recorded = new Map<string, string>();
const server = createServer({ cert: pem.cert, key: pem.key }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const review = JSON.parse(body) as { request: { uid: string; name: string; operation: string; dryRun: boolean } };
    const { uid, name, operation, dryRun } = review.request;
    // registerWebhook's probe must be denied; every other review is allowed.
    const allowed = name !== PROBE_NAME;
    if (allowed && !dryRun) recorded.set(operation, body);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, allowed, ...(!allowed && { status: { code: 403, message: 'probe' } }) } }));
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/validate`;

const cluster = await startCluster();
try {
  await registerWebhook(cluster, { name: WEBHOOK, url, caBundlePem: ca.cert, rules: [{ apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] }] });
  const deployment = benchDeployment();
  const namespace = deployment.metadata.namespace ?? 'default';
  const run = async (args: string[], stdin?: string) => succeeded(args, await cluster.kubectl(args, stdin === undefined ? {} : { stdin }));
  await run(['create', 'namespace', namespace]);
  await run(['create', 'clusterrolebinding', 'argocd-application-controller', '--clusterrole', 'cluster-admin', `--serviceaccount=${ARGOCD.namespace}:${ARGOCD.name}`]);
  const apply = ['apply', `--as=system:serviceaccount:${ARGOCD.namespace}:${ARGOCD.name}`, '--field-manager', 'argocd-controller', '-f', '-'];
  await run(apply, JSON.stringify(deployment));
  await run(apply, JSON.stringify(previousTags(deployment)));
  // The UPDATE kept is the last one: the rollout to the manifest's tags.
  await run(apply, JSON.stringify(deployment));
  const version = JSON.parse((await run(['version', '-o', 'json'])).stdout) as { serverVersion: { gitVersion: string } };
  for (const operation of ['CREATE', 'UPDATE']) {
    const body = recorded.get(operation);
    if (body === undefined) throw new Error(`no ${operation} review of Deployment ${namespace}/${deployment.metadata.name} was recorded`);
    writeFileSync(`${OUT}${operation.toLowerCase()}.json`, `${JSON.stringify({ recordedWith: `kube-apiserver ${version.serverVersion.gitVersion}`, body })}\n`);
    console.log(`bench/reviews/${operation.toLowerCase()}.json: ${(body.length / 1024).toFixed(1)} KB from kube-apiserver ${version.serverVersion.gitVersion}`);
  }
} finally {
  await cluster.stop();
  server.close();
}
