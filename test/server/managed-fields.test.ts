// The body parser leaves the managedFields of the reviewed objects unbuilt ([]), and nothing
// else: every other value is what JSON.parse makes of the text, on recorded and generated bodies.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseWithoutManagedFields } from '../../src/server/managed-fields.js';

type Json = Record<string, unknown>;

const recorded = (name: string): string => (JSON.parse(readFileSync(new URL(`../../bench/reviews/${name}.json`, import.meta.url), 'utf8')) as { body: string }).body;

/** JSON.parse of the text, with the managedFields of object and oldObject metadata as []. */
function expected(text: string): unknown {
  const body = JSON.parse(text) as { request: Record<string, { metadata: Json } | null> };
  for (const key of ['object', 'oldObject']) {
    const metadata = body.request[key]?.metadata;
    if (metadata && Array.isArray(metadata.managedFields)) metadata.managedFields = [];
  }
  return body;
}

const review = (request: Json) => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u-1', ...request } });

describe('parseWithoutManagedFields', () => {
  it('reads the reviews kube-apiserver 1.37 sent as JSON.parse does, managedFields aside', () => {
    for (const name of ['create', 'update']) {
      const text = recorded(name);
      const parsed = parseWithoutManagedFields(text) as { request: { object: { metadata: Json } } };
      expect((JSON.parse(text) as typeof parsed).request.object.metadata.managedFields).not.toEqual([]);
      expect(parsed.request.object.metadata.managedFields).toEqual([]);
      expect(parsed).toEqual(expected(text));
    }
  });

  it('cuts across strings holding brackets, quotes and backslashes', () => {
    const managedFields = [{ manager: 'a]}"\\', fieldsV1: { 'k:{"name":"x]}\\\\"}': { '.': {} }, 'v:"[\\"': {} } }, { manager: '\\', operation: 'Update' }];
    const body = review({ object: { metadata: { name: 'n', managedFields, labels: { a: ']}' } }, spec: { replicas: 2 } }, oldObject: { metadata: { managedFields } } });
    for (const text of [JSON.stringify(body), JSON.stringify(body, null, 2)]) {
      const parsed = parseWithoutManagedFields(text) as { request: { object: Json; oldObject: { metadata: Json } } };
      expect(parsed).toEqual(expected(text));
      expect(parsed.request.oldObject.metadata.managedFields).toEqual([]);
    }
  });

  it('keeps a managedFields anywhere else whole, and the text is then parsed as it is', () => {
    // A ConfigSchema may name a setting managedFields; a pod template's metadata may carry one.
    const setting = review({ object: { kind: 'ConfigSchema', metadata: { managedFields: [{ manager: 'm' }] }, spec: { properties: { managedFields: [1, 2] } } } });
    const template = review({ object: { metadata: {}, spec: { template: { metadata: { managedFields: [{ manager: 't' }] } } } } });
    const duplicate = `{"request":{"object":{"metadata":{"managedFields":[1],"managedFields":[2]}}}}`;
    const longerKey = `{"request":{"object":{"metadata":{"x\\"managedFields":[1]}}}}`;
    for (const text of [JSON.stringify(setting), JSON.stringify(template), duplicate, longerKey]) {
      expect(parseWithoutManagedFields(text)).toEqual(JSON.parse(text));
    }
  });

  it('refuses what JSON.parse refuses outside the cut arrays, and brackets that do not match inside them', () => {
    const inMetadata = (array: string) => `{"request":{"object":{"metadata":{"managedFields":${array}},"spec":{}}}}`;
    for (const text of [
      '{"request":{"object":{"metadata":{"managedFields":[{"a":1}]}}}',
      '{"request":{"object":{"metadata":{"managedFields":[',
      '{"a":"managedFields":[]}',
      'x"managedFields":[1]',
      // A closing brace for the array would end the cut early and read the rest differently.
      '{"request":{"object":{"metadata":{"managedFields":[},"name":"x"}}}}',
      inMetadata('[{"a":[1}]'),
    ]) {
      expect(() => parseWithoutManagedFields(text)).toThrow(SyntaxError);
    }
    // Known and accepted: a fault between matching brackets of a cut array is not seen.
    expect(parseWithoutManagedFields(inMetadata('[1 2 3]'))).toEqual(JSON.parse(inMetadata('[]')));
  });

  it('changes nothing but those two arrays in generated bodies', () => {
    const metadata = fc.record({ name: fc.string(), managedFields: fc.jsonValue({ maxDepth: 4 }), other: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] });
    const object = fc.record({ metadata, spec: fc.dictionary(fc.constantFrom('managedFields', 'metadata', 'template', 'replicas'), fc.jsonValue({ maxDepth: 3 })) }, { requiredKeys: [] });
    const body = fc.record({ object: fc.option(object), oldObject: fc.option(object), managedFields: fc.option(fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: [] }).map(review);
    let cut = 0;
    fc.assert(
      fc.property(body, fc.constantFrom(undefined, 1, '\t'), (b, indent) => {
        const text = JSON.stringify(b, null, indent);
        const parsed = parseWithoutManagedFields(text);
        // Either exactly JSON.parse, or JSON.parse with those arrays as [] (when the cuts were all there).
        if (JSON.stringify(parsed) === JSON.stringify(JSON.parse(text))) return;
        expect(parsed).toEqual(expected(text));
        cut++;
      }),
      { numRuns: 2000 },
    );
    // The cut itself was exercised, not only the fallback.
    expect(cut).toBeGreaterThan(100);
  });
});
