// `npm run gen`: write every generated file. test/docs.test.ts and test/schema/crd.test.ts check
// they are up to date.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { withSettingsTable } from '../src/cli/serve-reference.js';
import { STRICT_POLICIES } from '../src/config/policy-config.js';
import { policyReference, withPolicyTable } from '../src/policies/reference.js';
import { CRD_FILE, configSchemaCrdYaml } from '../src/schema/crd.js';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('docs/policies.md', root), policyReference(STRICT_POLICIES));
const readme = new URL('README.md', root);
writeFileSync(readme, withSettingsTable(withPolicyTable(readFileSync(readme, 'utf8'), STRICT_POLICIES)));
const crd = new URL(CRD_FILE, root);
mkdirSync(new URL('./', crd), { recursive: true });
writeFileSync(crd, configSchemaCrdYaml());
console.log(`wrote docs/policies.md, the README policy and settings tables and ${CRD_FILE}`);
