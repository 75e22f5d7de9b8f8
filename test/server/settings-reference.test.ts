// The README documents every setting of `rollsafe serve` with its flag, environment variable and
// default, generated from the Settings schema; the fixture the README tells users to send works.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { withSettingsTable } from '../../src/cli/serve-reference.js';
import { ENV } from '../../src/config/settings.js';
import { ROOT, spawnRollsafe } from '../helpers/spawn-cli.js';

describe('settings reference', () => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');

  it('the README settings table is up to date with the Settings schema (run npm run gen)', () => {
    expect(readme).toBe(withSettingsTable(readme));
  });

  it('lists every setting by its environment variable, and serve --help lists every flag', () => {
    const help = spawnRollsafe(['serve', '--help']).stdout;
    for (const name of Object.values(ENV)) expect(readme).toContain(`| \`${name}\``);
    for (const flag of ['--config', '--schemas', '--port', '--host', '--tls-cert', '--tls-key', '--client-ca', '--log-level', '--drain-seconds', '--request-timeout-ms']) {
      expect(help).toContain(flag);
    }
  });
});
