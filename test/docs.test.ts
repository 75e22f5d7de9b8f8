// Generated docs are checked in and must match the code (`npm run gen` regenerates them).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { STRICT_POLICIES } from '../src/config/policy-config.js';
import { policyReference, withPolicyTable } from '../src/policies/reference.js';
import { ROOT } from './helpers/spawn-cli.js';

describe('generated documentation', () => {
  it('docs/policies.md is up to date with the policies (run npm run gen)', () => {
    expect(readFileSync(`${ROOT}docs/policies.md`, 'utf8')).toBe(policyReference(STRICT_POLICIES));
  });

  it('the README policy table is up to date with the policies (run npm run gen)', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    expect(readme).toBe(withPolicyTable(readme, STRICT_POLICIES));
  });
});
