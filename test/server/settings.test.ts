// loadSettings: a bad value is one line naming the setting as it was set (README: exit 78 with
// one line per problem), however many of the schema's checks it fails.
import { describe, expect, it } from '@jest/globals';
import { ENV, loadSettings, SettingsError, type Settings } from '../../src/config/settings.js';

function problems(flags: Partial<Record<keyof Settings, unknown>>, env: Record<string, string> = {}): string[] {
  try {
    loadSettings(flags, env);
  } catch (err) {
    if (err instanceof SettingsError) return err.lines;
    throw err;
  }
  return [];
}

/** The other file of the certificate pair, so that only the value under test is wrong. */
const partner = (key: keyof Settings): Record<string, string> =>
  key === 'tlsCertFile' ? { [ENV.tlsKeyFile]: '/tls/tls.key' } : key === 'tlsKeyFile' ? { [ENV.tlsCertFile]: '/tls/tls.crt' } : {};

describe('an empty or blank setting', () => {
  const refused = (Object.keys(ENV) as (keyof Settings)[]).filter((k) => k !== 'schemaPaths'); // an empty list is a valid list
  it.each(refused.flatMap((key) => ['', '  '].map((value) => [ENV[key], JSON.stringify(value), key, value] as const)))('%s=%s is one line naming it', (name, _, key, value) => {
    const lines = problems({}, { [name]: value, ...partner(key) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^invalid setting ${name}=${JSON.stringify(value)}: `));
  });

  it('--host "" is one line, not "must not be empty" and "must be an IP address" both', () => {
    expect(problems({ host: '' })).toEqual(['invalid setting --host "": must not be empty']);
  });

  it('a certificate without its key is still one line naming the missing one', () => {
    expect(problems({}, { ROLLSAFE_TLS_CERT: '/tls/tls.crt' })).toEqual(['invalid setting --tls-key (ROLLSAFE_TLS_KEY): the certificate and the key must be given together']);
  });
});
