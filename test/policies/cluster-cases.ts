// Case tables for what only the webhook sees: the fixture's documents are the cluster (a complete
// lookup, as the informer cache is), one document marked `rollsafe.test/review: "true"` is the
// object under review, and one marked `rollsafe.test/previous: "true"` is its stored version
// (an UPDATE). The reviewed object is not in the cluster yet; the previous one is.
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { documentLookup } from '../../src/cli/document-lookup.js';
import { defaultSettings, evaluateObject } from '../../src/engine/evaluate.js';
import type { Action, Finding } from '../../src/engine/finding.js';
import type { Lookup } from '../../src/engine/lookup.js';
import type { KnownObject } from '../../src/engine/objects.js';
import { loadObjects, loadSchemas } from '../helpers/fixtures.js';
import { fixtureDir } from './policy-cases.js';

const marked = (o: KnownObject, mark: string) => o.metadata.annotations[`rollsafe.test/${mark}`] === 'true';

export interface ClusterCase {
  readonly fixture: string;
  readonly expect: readonly { readonly path: string; readonly action: Exclude<Action, 'off'>; readonly message?: RegExp }[];
}

/** The findings of the reviewed object of a cluster fixture, all policies. */
export function reviewInCluster(file: string): Finding[] {
  const objects = loadObjects(file);
  const reviewed = objects.find((o) => marked(o, 'review'));
  if (!reviewed) throw new Error(`${file}: no document is marked rollsafe.test/review: "true"`);
  const previous = objects.find((o) => marked(o, 'previous'));
  const lookup: Lookup = { ...documentLookup(objects.filter((o) => o !== reviewed), 'default', loadSchemas(file)), source: 'the cluster cache', complete: true };
  return evaluateObject(reviewed, { lookup, defaultNamespace: 'default', settingsFor: () => defaultSettings, previous });
}

export function clusterCases(id: string, cases: { valid: readonly string[]; invalid: readonly ClusterCase[] }): void {
  describe(`policy ${id} against a cluster`, () => {
    for (const name of cases.valid) {
      it(`passes cluster.valid.${name}`, () => {
        expect(reviewInCluster(join(fixtureDir(id), `cluster.valid.${name}.yaml`)).filter((f) => f.policy === id)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`flags cluster.invalid.${c.fixture}`, () => {
        const found = reviewInCluster(join(fixtureDir(id), `cluster.invalid.${c.fixture}.yaml`)).filter((f) => f.policy === id);
        expect(found.map((f) => ({ path: f.path, action: f.action }))).toEqual(c.expect.map((e) => ({ path: e.path, action: e.action })));
        c.expect.forEach((e, i) => {
          if (e.message) expect(found[i]?.message).toMatch(e.message);
        });
      });
    }
  });
}
