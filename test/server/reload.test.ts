// The policy configuration and the ConfigSchemas are reloaded when their files change; a broken
// change is refused with a log line naming the file and the problem, and counted, and the last
// good configuration stays in force.
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AdmissionResponse } from '../../src/admission/respond.js';
import { deployment, review } from '../helpers/reviews.js';
import { tempDir } from './helpers/certificates.js';
import { get, postJson } from './helpers/https-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

const SCHEMA = fileURLToPath(new URL('../fixtures/server/schemas/api-config.yaml', import.meta.url));
const poolSize = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-config', namespace: 'shop' }, data: { POOL_SIZE: value } });

let t: TestServer;
let configFile: string;
let schemaDir: string;
beforeAll(async () => {
  schemaDir = tempDir(); // empty at start
  t = await startTestServer({ config: {}, schemaPaths: [schemaDir] });
  configFile = t.settings.policyConfigFile ?? '';
});
afterAll(() => t.stop());

async function answer(body: unknown) {
  return (JSON.parse((await postJson(t.url, body, t.trust)).text) as AdmissionResponse).response;
}

async function eventually(check: () => Promise<boolean> | boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

const metric = async (result: 'success' | 'failure') =>
  Number(/rollsafe_config_reloads_total\{result="(?:success|failure)"\} (\d+)/.exec((await get(t.url, '/metrics', t.trust)).text.split('\n').find((l) => l.includes(`result="${result}"`)) ?? '')?.[1]);

describe('reloading the policy configuration', () => {
  it('applies a changed configuration without a restart', async () => {
    expect((await answer(review(deployment({ image: 'shop/api:latest' })))).warnings).toHaveLength(1);
    writeFileSync(configFile, 'policies:\n  image-pinned: off\n');
    await eventually(async () => (await answer(review(deployment({ image: 'shop/api:latest' })))).warnings === undefined);
    expect(await metric('success')).toBe(1);
  });

  it('refuses a broken configuration, logs the file and the problem, and keeps the last good one', async () => {
    writeFileSync(configFile, 'policies:\n  image-pinned: loud\n');
    await eventually(async () => (await metric('failure')) === 1);
    expect(t.logs().filter((l) => l.level === 50 && l.component === 'config')).toEqual([
      expect.objectContaining({
        msg: 'policy configuration change refused; the last good one stays in force',
        file: configFile,
        problem: expect.stringMatching(/invalid policy configuration:\n {2}policies\.image-pinned: /),
      }),
    ]);
    expect((await answer(review(deployment({ image: 'shop/api:latest' })))).warnings).toBeUndefined();
    expect((await get(t.url, '/readyz', t.trust)).status).toBe(200);
  });

  it('refuses a file caught empty (truncated before it is written) instead of falling back to the defaults', async () => {
    writeFileSync(configFile, '');
    await eventually(async () => (await metric('failure')) === 2);
    expect(t.logs().filter((l) => l.level === 50 && l.component === 'config').at(-1)).toEqual(
      expect.objectContaining({ file: configFile, problem: expect.stringContaining('no policy configuration in the file') }),
    );
    // image-pinned: off is still in force.
    expect((await answer(review(deployment({ image: 'shop/api:latest' })))).warnings).toBeUndefined();
  });
});

describe('reloading ConfigSchemas', () => {
  it('applies a schema added to a --schemas directory, even while the policy configuration file is broken', async () => {
    expect((await answer(review(poolSize('25connections')))).allowed).toBe(true);
    copyFileSync(SCHEMA, join(schemaDir, 'api-config.yaml'));
    await eventually(async () => (await answer(review(poolSize('25connections')))).allowed === false);
  });

  it('passes over a kustomization kept beside the schemas, and names it in the reload line', async () => {
    const successes = await metric('success');
    writeFileSync(join(schemaDir, 'kustomization.yaml'), 'resources: [api-config.yaml]\n');
    await eventually(async () => (await metric('success')) > successes);
    expect(t.logs().filter((l) => l.msg === 'ConfigSchemas reloaded').at(-1)).toMatchObject({ schemas: 1, schemaFilesPassedOver: [join(schemaDir, 'kustomization.yaml')] });
    expect((await answer(review(poolSize('25connections')))).allowed).toBe(false);
    rmSync(join(schemaDir, 'kustomization.yaml'));
  });

  it('refuses an invalid schema with its file and path, and keeps the schemas in force', async () => {
    const failures = await metric('failure');
    writeFileSync(join(schemaDir, 'broken.yaml'), 'apiVersion: rollsafe.dev/v1alpha1\nkind: ConfigSchema\nmetadata: {name: broken, namespace: shop}\nspec:\n  targets: {configMaps: [x]}\n  keys:\n    A: {type: intger}\n');
    await eventually(async () => (await metric('failure')) === failures + 1);
    const line = t.logs().filter((l) => l.level === 50).at(-1);
    expect(line).toMatchObject({ msg: 'ConfigSchemas change refused; the last good one stays in force', file: join(schemaDir, 'broken.yaml'), line: 7 /* A: {type: intger} */, problem: expect.stringContaining('spec.keys.A.type') });
    expect((await answer(review(poolSize('25connections')))).allowed).toBe(false);
    expect((await answer(review(poolSize('25')))).allowed).toBe(true);
  });

  it('applies the removal of every schema of a --schemas directory (an empty directory is no schema, not an error)', async () => {
    const successes = await metric('success');
    rmSync(join(schemaDir, 'broken.yaml'));
    rmSync(join(schemaDir, 'api-config.yaml'));
    await eventually(async () => (await answer(review(poolSize('25connections')))).allowed === true);
    expect(await metric('success')).toBeGreaterThan(successes);
  });
});
