// The cluster cache's reflector against a real kube-apiserver v1.37 (in-process, so the store can
// be read directly): a list of several pages, objects deleted while its network is cut (a TCP
// relay, test/e2e/helpers/tcp-proxy.ts, while kubectl keeps talking to the API server), an API
// server restart under it (its new watch cache answers the old version with 410 too old resource
// version), and RBAC that allows list but not watch. What only a fake server can produce is in
// test/cluster/watch-events.test.ts and test/cluster/staleness.test.ts. The API server's bookmark
// about once a minute, which the 75 s silence bound relies on, is not waited for here: it held
// every run for over a minute and came late under load (a late bookmark only costs a re-watch
// from the same version); it is apiserver storage/cacher's defaultBookmarkFrequency.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { pino } from 'pino';
import { type Connection, kubeconfigConnection } from '../../src/cluster/connection.js';
import { Reflector } from '../../src/cluster/reflector.js';
import { configMaps, limitRanges, type ResourceSpec } from '../../src/cluster/resources.js';
import { eventually as poll, sleep } from '../helpers/poll.js';
import { tempDir } from '../server/helpers/certificates.js';
import { type Cluster, startCluster, succeeded, writeTokenKubeconfig } from './helpers/cluster.js';
import { type TcpProxy, tcpProxy } from './helpers/tcp-proxy.js';

jest.setTimeout(120_000);

let cluster: Cluster;
let proxy: TcpProxy;
let direct: Connection;
let dir: string;
const reflectors: Reflector<unknown>[] = [];

const ok = async (args: string[], stdin?: string) => succeeded(args, await cluster.kubectl(args, stdin === undefined ? {} : { stdin }));
const eventually = (check: () => boolean, ms = 20_000): Promise<boolean> => poll(check, ms, 100);

interface LogLine {
  readonly msg: string;
  readonly err?: string;
}

interface Handle<T> {
  readonly r: Reflector<T>;
  readonly logs: LogLine[];
  lists(): number;
}

function reflector<T>(spec: ResourceSpec<T>, connection: Connection): Handle<T> {
  const logs: LogLine[] = [];
  let lists = 0;
  const r = new Reflector<T>(connection, spec, pino({ level: 'info' }, { write: (s: string) => logs.push(JSON.parse(s) as LogLine) }), { listed: () => lists++ });
  reflectors.push(r as Reflector<unknown>);
  r.start();
  return { r, logs, lists: () => lists };
}

const names = (r: Reflector<{ metadata: { name?: string | undefined } }>, ns: string) => r.list(ns).map((c) => c.metadata.name ?? '').sort();

/** A kubeconfig for a ServiceAccount bound to a ClusterRole with these rules. */
async function kubeconfigWith(name: string, rules: unknown[]): Promise<Connection> {
  await ok(['create', 'serviceaccount', name, '-n', 'default']);
  await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules }));
  await ok(['create', 'clusterrolebinding', name, `--clusterrole=${name}`, `--serviceaccount=default:${name}`]);
  const token = (await ok(['create', 'token', name, '-n', 'default', '--duration=1h'])).stdout.trim();
  const file = writeTokenKubeconfig(cluster, join(dir, `${name}.kubeconfig`), name, token);
  return kubeconfigConnection(file, 'test');
}

beforeAll(async () => {
  cluster = await startCluster();
  dir = tempDir('rollsafe-e2e-reflector-');
  proxy = await tcpProxy(cluster.server);
  direct = kubeconfigConnection(cluster.kubeconfig, 'test');
  await ok(['create', 'namespace', 'shop']);
  await ok(['create', 'namespace', 'bulk']);
}, 1_800_000);

afterAll(async () => {
  for (const r of reflectors) r.stop();
  await proxy?.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('reflector against kube-apiserver', () => {
  let cms: Handle<{ metadata: { name?: string | undefined } }>;

  it('lists 250 ConfigMaps in pages of 100 (limit/continue) into the store', async () => {
    const items = Array.from({ length: 250 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'bulk' }, data: { I: String(i) } }));
    await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    await ok(['create', 'configmap', 'keep', '-n', 'shop', '--from-literal=K=v']);
    await ok(['create', 'configmap', 'deleted-while-cut', '-n', 'shop', '--from-literal=K=v']);
    cms = reflector(configMaps, { ...direct, server: proxy.url });
    await cms.r.whenSynced();
    expect(cms.r.list('bulk')).toHaveLength(250);
    expect(names(cms.r, 'shop')).toEqual(['deleted-while-cut', 'keep']);
    expect(cms.lists()).toBe(1);
  });

  it('objects deleted and created while its network is cut are applied when it reconnects: the watch resumes from its version, no relist', async () => {
    proxy.cut();
    await ok(['delete', 'configmap', 'deleted-while-cut', '-n', 'shop']);
    await ok(['create', 'configmap', 'created-while-cut', '-n', 'shop', '--from-literal=K=v']);
    await sleep(1500);
    expect(cms.r.ageSeconds()).toBeGreaterThan(1);
    expect(names(cms.r, 'shop')).toEqual(['deleted-while-cut', 'keep']); // still the last known state
    proxy.restore();
    expect(await eventually(() => names(cms.r, 'shop').join() === 'created-while-cut,keep')).toBe(true);
    expect(cms.r.ageSeconds()).toBe(0);
    expect(cms.lists()).toBe(1);
  });

  it('RBAC without list: not synced, and the log line names what is forbidden', async () => {
    const none = await kubeconfigWith('rollsafe-nothing', []);
    const { r, logs } = reflector(limitRanges, none);
    expect(await eventually(() => logs.some((l) => l.msg === 'cluster cache: limitranges list failed; retrying'), 10_000)).toBe(true);
    expect(r.synced).toBe(false);
    expect(logs.find((l) => l.msg.includes('list failed'))?.err).toMatch(/403 limitranges is forbidden: User "system:serviceaccount:default:rollsafe-nothing" cannot list resource "limitranges"/);
  });

  it('RBAC with list but not watch: synced, ages, and the log line names the missing verb', async () => {
    const listOnly = await kubeconfigWith('rollsafe-list-only', [{ apiGroups: [''], resources: ['limitranges'], verbs: ['list'] }]);
    const { r, logs } = reflector(limitRanges, listOnly);
    await r.whenSynced();
    expect(await eventually(() => logs.some((l) => l.msg === 'cluster cache: limitranges watch failed; retrying'), 10_000)).toBe(true);
    // client-node's Watch gives only the status text of a refused watch, not the API server's
    // message (which names the user and verb): the reflector adds what the 403 means here.
    expect(logs.find((l) => l.msg.includes('watch failed'))?.err).toBe('watch /api/v1/limitranges: 403 Forbidden; the ServiceAccount (or kubeconfig user) needs watch on limitranges');
    await sleep(1200);
    expect(r.ageSeconds()).toBeGreaterThan(1);
  });

  it('after an API server restart under a cut watch (410 too old resource version) it relists, and the new list replaces the store', async () => {
    proxy.cut();
    await ok(['delete', 'configmap', 'keep', '-n', 'shop']);
    await ok(['delete', 'configmap', 'cm-7', '-n', 'bulk']);
    await cluster.stopApiServer();
    await cluster.startApiServer();
    await ok(['create', 'configmap', 'after-restart', '-n', 'shop', '--from-literal=K=v']);
    proxy.restore();
    expect(await eventually(() => names(cms.r, 'shop').join() === 'after-restart,created-while-cut', 30_000)).toBe(true);
    expect(cms.r.get('bulk', 'cm-7')).toBeUndefined();
    expect(cms.r.list('bulk')).toHaveLength(249);
    const all = (await ok(['get', 'configmaps', '--all-namespaces', '-o', 'name'])).stdout.trim().split('\n');
    expect(cms.r.count).toBe(all.length);
    expect(cms.lists()).toBe(2);
    expect(cms.logs.some((l) => l.msg === 'cluster cache: configmaps watch expired (410 Gone); relisting')).toBe(true);
  });
});
