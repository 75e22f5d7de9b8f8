// `npm run gen`: write every generated file. test/docs.test.ts checks they are up to date.
import { readFileSync, writeFileSync } from 'node:fs';
import { STRICT_POLICIES } from '../src/config/policy-config.js';
import { policyReference, withPolicyTable } from '../src/policies/reference.js';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('docs/policies.md', root), policyReference(STRICT_POLICIES));
const readme = new URL('README.md', root);
writeFileSync(readme, withPolicyTable(readFileSync(readme, 'utf8'), STRICT_POLICIES));
console.log('wrote docs/policies.md and the README policy table');
