// The copy client-side `kubectl apply` keeps in kubectl.kubernetes.io/last-applied-configuration
// (src/kube/last-applied.ts). The byte counts below are what Go 1.26's json.Encoder wrote for the
// same values, decoded as kubectl decodes an object (UseNumber; int64 when it fits, else
// float64), trailing newline included; that kubectl and the API server draw the line at 262144 is
// test/e2e/kube-schema.e2e.test.ts, with objects of 262144 and 262145 bytes of annotations.
import { describe, expect, it } from '@jest/globals';
import { ANNOTATIONS_LIMIT, goJsonBytes, LAST_APPLIED, lastAppliedSize } from '../../src/kube/last-applied.js';

describe('goJsonBytes: the bytes of Go json.Encoder output', () => {
  it.each([
    [{ a: 'plain', b: 1, c: 1.5, d: true, e: null, f: [1, 'x', { g: [] }], h: {} }, 74],
    // escaped as Go escapes them: \" \\ \n \r \t in two bytes, other controls and < > & in six; DEL is not escaped
    [{ s: '<html>&amp;</html>', t: 'line\nbreak\ttab\r"quote"\\', u: '\u0001\u001f\u007f' }, 108],
    // UTF-8 of 2, 3 and 4 bytes; U+2028 and U+2029 in six; Go's float64 text, exponent below 1e-6 and from 1e21
    [{ é: 'café ñ 日本語 😀 \u2028\u2029', big: 1e21, small: 1e-7, neg: -0.000001, n: 123456789012, f: 0.1 + 0.2 }, 128],
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: {} }, data: { 'a.json': JSON.stringify({ x: [1, 2, 3], y: '<b>' }) } }, 140],
    [['', [], {}, [[]], 2 ** 53, -(2 ** 31), 3.14159e-5, 5e-324, 1.7976931348623157e308], 89],
    // Go 1.22 and later write \b and \f in two bytes (kubectl 1.37.2 is built with Go 1.26)
    [{ x: 'a\bb\fc' }, 16],
  ])('%j: %i bytes with the newline', (value, goBytes) => {
    expect(goJsonBytes(value) + 1).toBe(goBytes);
  });
});

describe('lastAppliedSize', () => {
  const configMap = (data: Record<string, string>, annotations?: Record<string, string>, namespace?: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'dashboards', ...(namespace && { namespace }), ...(annotations && { annotations }) },
    data,
  });
  const bytes = (o: unknown) => JSON.stringify(o).length + 1;

  it('counts the copy, its key and the annotations already there', () => {
    const object = configMap({ 'a.json': 'x'.repeat(1000) }, { team: 'obs' }, 'shop');
    const size = lastAppliedSize(object, 'default');
    // the copy has the annotations in it; the total adds them and the key once more
    expect(size).toEqual({ copy: bytes(object), annotations: 'team'.length + 'obs'.length, total: bytes(object) + 'team'.length + 'obs'.length + LAST_APPLIED.length });
  });

  it('writes the namespace kubectl gives an object without one, and `annotations: {}` when it has none', () => {
    const size = lastAppliedSize(configMap({ k: 'v' }), 'monitoring');
    expect(size?.copy).toBe(bytes({ ...configMap({ k: 'v' }), metadata: { name: 'dashboards', namespace: 'monitoring', annotations: {} } }));
  });

  it('drops the namespace of a cluster-scoped object, as kubectl does', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', namespace: 'monitoring' }, rules: [] };
    expect(lastAppliedSize(role, 'default')?.copy).toBe(bytes({ ...role, metadata: { name: 'r', annotations: {} } }));
  });

  it('replaces a copy already in the manifest (kubectl get -o yaml output) instead of adding to it', () => {
    const plain = lastAppliedSize(configMap({ k: 'v'.repeat(200_000) }), 'default');
    const exported = lastAppliedSize(configMap({ k: 'v'.repeat(200_000) }, { [LAST_APPLIED]: 'y'.repeat(200_000) }), 'default');
    expect(exported).toEqual(plain);
  });

  it('puts a ConfigMap of 256 KiB of data past the limit and one of 255 KiB within it', () => {
    expect(lastAppliedSize(configMap({ 'big.json': 'x'.repeat(256 * 1024) }), 'default')?.total).toBeGreaterThan(ANNOTATIONS_LIMIT);
    expect(lastAppliedSize(configMap({ 'big.json': 'x'.repeat(255 * 1024) }), 'default')?.total).toBeLessThanOrEqual(ANNOTATIONS_LIMIT);
  });

  it('counts annotations twice: 130 KiB of them are too many for the copy, where 130 KiB of data are not', () => {
    expect(lastAppliedSize(configMap({ k: 'v' }, { note: 'x'.repeat(130 * 1024) }), 'default')?.total).toBeGreaterThan(ANNOTATIONS_LIMIT);
    expect(lastAppliedSize(configMap({ k: 'x'.repeat(130 * 1024) }), 'default')?.total).toBeLessThanOrEqual(ANNOTATIONS_LIMIT);
  });
});
