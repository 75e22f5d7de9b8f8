// What server-side apply refuses (src/kube/server-side-apply.ts): entries of one key in a list
// merged by key, a value twice in a set list, metadata.managedFields; and the near misses it
// accepts. kubectl 1.37's verdicts on the same cases: test/e2e/kube-schema.e2e.test.ts.
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
const C = 'spec.template.spec.containers[0]';

describe('serverSideApplyIssues', () => {
  it('refuses two env entries of one name, at the second, saying which the container gets today', () => {
    expect(found(deployment({ env: [{ name: 'MODE', value: 'a' }, { name: 'B' }, { name: 'MODE', value: 'b' }] }))).toEqual([
      `${C}.env[2]: has the key [name="MODE"] of env[0]: server-side apply refuses a list that merges by key with two entries of one (duplicate entries for key [name="MODE"]); keep one of them (the container gets the value of the last one today)`,
    ]);
  });

  it('keys ports by number and protocol, a missing protocol counting as TCP', () => {
    const ports = (...p: Obj[]) => found(deployment({ ports: p })).map((m) => m.slice(0, m.indexOf(':', m.indexOf(']:') + 2)));
    expect(ports({ containerPort: 80, name: 'http' }, { containerPort: 80, protocol: 'TCP', name: 'https' })).toEqual([`${C}.ports[1]: has the key [containerPort=80,protocol="TCP"] of ports[0]`]);
    // near misses: another protocol, another number
    expect(ports({ containerPort: 53 }, { containerPort: 53, protocol: 'UDP' })).toEqual([]);
    expect(ports({ containerPort: 80 }, { containerPort: 8080 })).toEqual([]);
  });

  it('finds duplicates at any depth and in any kind it knows: a Service port, a set of finalizers', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', finalizers: ['a.io/b', 'a.io/b'] }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 80, protocol: 'TCP', targetPort: 9090 }] } };
    expect(found(service, 'v1', 'Service')).toEqual([
      'metadata.finalizers[1]: repeats the value [="a.io/b"] of finalizers[0]: server-side apply refuses a list that merges by value with two entries of one (duplicate entries for key [="a.io/b"]); keep one of them',
      expect.stringMatching(/^spec\.ports\[1\]: has the key \[port=80,protocol="TCP"\] of ports\[0\]/),
    ]);
  });

  it('looks nothing inside what server-side apply takes whole: an RBAC rule (kubectl 1.37 applies verbs: [get, list, get]), a command', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'get'] }] };
    expect(found(role, 'rbac.authorization.k8s.io/v1', 'ClusterRole')).toEqual([]);
    expect(found(deployment({ args: ['-v', '-v'], command: ['x', 'x'] }))).toEqual([]);
  });

  it('refuses metadata.managedFields, in a custom resource too, and nothing else of a kind it does not know', () => {
    const exported = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', managedFields: [{ manager: 'kubectl' }] }, spec: { items: [{ name: 'a' }, { name: 'a' }] } };
    expect(found(exported, 'example.com/v1', 'Widget').map((m) => m.slice(0, m.indexOf(':')))).toEqual(['metadata.managedFields']);
    expect(found({ ...exported, metadata: { name: 'w', managedFields: null } }, 'example.com/v1', 'Widget')).toEqual([]);
  });

  it('reads a key field left out as its default, an empty name or mount path, as server-side apply does', () => {
    expect(found(deployment({ volumeMounts: [{ name: 'a' }, { name: 'b' }] }))).toEqual([
      `${C}.volumeMounts[1]: has the key [mountPath=""] of volumeMounts[0]: server-side apply refuses a list that merges by key with two entries of one (duplicate entries for key [mountPath=""]); keep one of them`,
    ]);
    expect(found(deployment({ env: [{ value: 'a' }, { value: 'b' }] })).map((m) => m.slice(0, m.indexOf(' of ')))).toEqual([`${C}.env[1]: has the key [name=""]`]);
  });
});
