// What server-side apply refuses (src/kube/server-side-apply.ts): entries of one key in a list
// merged by key, a value twice in a set list, an entry without any key field,
// metadata.managedFields; and the near misses it accepts. kubectl 1.37's verdicts on the same
// cases: test/e2e/kube-schema.e2e.test.ts.
import { describe, expect, it } from '@jest/globals';
import { serverSideApplyIssues } from '../../src/kube/server-side-apply.js';

type Obj = Record<string, unknown>;
const deployment = (container: Obj, metadata: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...metadata },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }] } } },
});
const render = (path: readonly (string | number)[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
const found = (o: Obj, apiVersion = 'apps/v1', kind = 'Deployment') => serverSideApplyIssues(o, apiVersion, kind).map((i) => `${render(i.path)}: ${i.message}`);
/** Path and the part of the message before the colon that ends it. */
const short = (o: Obj, apiVersion?: string, kind?: string) => found(o, apiVersion, kind).map((m) => m.slice(0, m.indexOf(': server-side apply')));
const C = 'spec.template.spec.containers[0]';

describe('serverSideApplyIssues', () => {
  it('refuses two env entries of one name, at the second, saying which the container gets today', () => {
    expect(found(deployment({ env: [{ name: 'MODE', value: 'a' }, { name: 'B' }, { name: 'MODE', value: 'b' }] }))).toEqual([
      `${C}.env[2]: has the same name as env[0]: server-side apply refuses two entries with the same key in this list (duplicate entries for key [name="MODE"]); keep one of them (the container gets the value of the last one today)`,
    ]);
  });

  it('keys ports by number and protocol, a missing protocol counting as TCP', () => {
    expect(found(deployment({ ports: [{ containerPort: 80, name: 'http' }, { containerPort: 80, protocol: 'TCP', name: 'https' }] }))).toEqual([
      `${C}.ports[1]: has the same containerPort and protocol as ports[0]: server-side apply refuses two entries with the same key in this list (duplicate entries for key [containerPort=80,protocol="TCP"]); keep one of them`,
    ]);
    // near misses: another protocol, another number
    expect(found(deployment({ ports: [{ containerPort: 53 }, { containerPort: 53, protocol: 'UDP' }] }))).toEqual([]);
    expect(found(deployment({ ports: [{ containerPort: 80 }, { containerPort: 8080 }] }))).toEqual([]);
  });

  it('finds a value twice in a set list: a finalizer', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', finalizers: ['a.io/b', 'a.io/b'] }, spec: { ports: [{ port: 80 }] } };
    expect(found(service, 'v1', 'Service')).toEqual([
      'metadata.finalizers[1]: repeats "a.io/b", the value of finalizers[0]: server-side apply refuses two entries with the same key in this list (duplicate entries for key [="a.io/b"]); keep one of them',
    ]);
  });

  it('looks inside lists merged whole (a StatefulSet\'s claim templates), but lets an atomic list repeat itself (a rule\'s verbs, a command)', () => {
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { volumeClaimTemplates: [{ metadata: { name: 'data', finalizers: ['x.io/y', 'x.io/y'] } }] } };
    expect(short(sts, 'apps/v1', 'StatefulSet')).toEqual(['spec.volumeClaimTemplates[0].metadata.finalizers[1]: repeats "x.io/y", the value of finalizers[0]']);
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'get'] }] };
    expect(found(role, 'rbac.authorization.k8s.io/v1', 'ClusterRole')).toEqual([]);
    expect(found(deployment({ args: ['-v', '-v'], command: ['x', 'x'] }))).toEqual([]);
  });

  it('reads a key field left out as its default (an empty name or mount path), and refuses an entry with no key field and no default', () => {
    expect(short(deployment({ volumeMounts: [{ name: 'a' }, { name: 'b' }] }))).toEqual([`${C}.volumeMounts[1]: has the same mountPath as volumeMounts[0]`]);
    expect(short(deployment({ env: [{ value: 'a' }, { value: 'b' }] }))).toEqual([`${C}.env[1]: has the same name as env[0]`]);
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' }, secrets: [{ namespace: 'shop' }] };
    expect(found(account, 'v1', 'ServiceAccount')).toEqual([
      'secrets[0]: has none of the fields secrets entries are told apart by (name): server-side apply refuses it (associative list with keys has an element that omits all key fields); set name',
    ]);
  });

  it('refuses metadata.managedFields, in a custom resource too, and nothing else of a kind it does not know', () => {
    const exported = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', managedFields: [{ manager: 'kubectl' }] }, spec: { items: [{ name: 'a' }, { name: 'a' }] } };
    expect(found(exported, 'example.com/v1', 'Widget').map((m) => m.slice(0, m.indexOf(':')))).toEqual(['metadata.managedFields']);
    expect(found({ ...exported, metadata: { name: 'w', managedFields: null } }, 'example.com/v1', 'Widget')).toEqual([]);
  });
});
