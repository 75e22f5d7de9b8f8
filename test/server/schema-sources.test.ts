// `rollsafe serve --schemas DIR` (ROLLSAFE_SCHEMAS, often a directory synced by GitOps) reads its
// ConfigSchemas as `check -s DIR` does: other documents kept beside them are passed over, a
// mistyped schema is refused with its file and line.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/cli/input-error.js';
import { loadSchemas } from '../../src/server/review-config.js';
import { tempDir } from './helpers/certificates.js';

const SCHEMA = 'test/fixtures/server/schemas/api-config.yaml';
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('serve --schemas DIR', () => {
  it('loads the ConfigSchemas and passes over the kustomization, the CRD and a Namespace beside them', () => {
    dir = tempDir();
    copyFileSync(SCHEMA, join(dir, 'api-config.yaml'));
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [crd.yaml, api-config.yaml]\n');
    writeFileSync(join(dir, 'crd.yaml'), 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: configschemas.rollsafe.dev}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
    const loaded = loadSchemas([dir]);
    expect(loaded.schemas.map((s) => `${s.namespace}/${s.name}`)).toEqual(['shop/api-config']);
    // Named in the log lines at start and on reload.
    expect(loaded.passedOver).toEqual([join(dir, 'crd.yaml'), join(dir, 'kustomization.yaml')]);
  });

  it('refuses a rollsafe.dev document of another kind, with its file and line', () => {
    dir = tempDir();
    copyFileSync(SCHEMA, join(dir, 'api-config.yaml'));
    writeFileSync(join(dir, 'typo.yaml'), '# a typo\napiVersion: rollsafe.dev/v1alpha1\nkind: ConfigSchemas\nmetadata: {name: web}\n');
    expect(() => loadSchemas([dir])).toThrow(InputError);
    expect(() => loadSchemas([dir])).toThrow(`${join(dir, 'typo.yaml')}:2: --schemas: document 1 is not a ConfigSchema (kind "ConfigSchemas"`);
  });

  it('refuses a kustomize directory whose kustomization puts the schemas in another namespace: served from the files, they would bind the wrong one', () => {
    dir = tempDir();
    writeFileSync(join(dir, 'api-config.yaml'), readFileSync(SCHEMA, 'utf8').replace(/namespace: shop/, 'namespace: default'));
    writeFileSync(join(dir, 'kustomization.yaml'), 'namespace: shop\nresources: [api-config.yaml]\n');
    expect(() => loadSchemas([dir])).toThrow(`${dir}: a kustomize directory (kustomization.yaml: it sets namespace)`);
  });
});
