// A secret value never reaches a denial, a warning or the log line's findings: not whole, not as
// a list item, not quoted by a parser's error, not as a field of a JSON or YAML document.
import { describe, expect, it } from '@jest/globals';
import { reviewAdmission } from '../../src/admission/review.js';
import { defaultPolicyConfig } from '../../src/config/policy-config.js';
import { ConfigSchemaSpec } from '../../src/schema/document.js';
import { staticLookup } from '../../src/server/static-lookup.js';
import { deployment, review } from '../helpers/reviews.js';

const SECRET = 'hunter2SECRETVALUE';

const spec = ConfigSchemaSpec.parse({
  targets: { configMaps: ['app'] },
  keys: {
    API_TOKENS: { type: 'list', items: { type: 'enum', values: ['abc'] } },
    DB_PASSWORDS: { type: 'list', format: 'json', items: { type: 'integer' } },
    LIST: { type: 'list', items: { type: 'url', schemes: ['https'] } },
    CLIENT_SECRET_JSON: { type: 'json' },
    SETTINGS: { type: 'json', schema: { type: 'object', properties: { port: { type: 'integer' } } } },
    APP_CONFIG: { type: 'json' },
    APP_YAML: { type: 'yaml', schema: { type: 'object', properties: { port: { type: 'integer' } } } },
  },
});
const deps = { lookup: staticLookup([{ namespace: 'shop', name: 'app', spec }]), config: defaultPolicyConfig };

function answer(data: Record<string, string>): string {
  const out = reviewAdmission(review({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop' }, data } as never), deps);
  if (!out.ok) throw new Error(out.error);
  return JSON.stringify({ response: out.response, findings: out.summary.findings });
}

describe('secret values in config-schema findings', () => {
  it.each([
    ['a list item of a secret-looking key', { API_TOKENS: `${SECRET},abc` }, /API_TOKENS.*has item 1 \\"<masked>\\" that is not one of/],
    ['a JSON list item of a secret-looking key', { DB_PASSWORDS: `["${SECRET}", 1]` }, /DB_PASSWORDS.*has item 1, the JSON string \\"<masked>\\", where a number is expected/],
    ['a parser message quoting the value of a secret-looking key', { CLIENT_SECRET_JSON: SECRET }, /CLIENT_SECRET_JSON.*is not valid JSON/],
    ['a URL password in a list item under any key', { LIST: `http://u:${SECRET}@x.example.com,https://y.example.com` }, /LIST.*has item 1 .*u:<masked>@/],
    ['a secret-looking field of a JSON document under any key', { SETTINGS: `{"port": "80", "password": "${SECRET}"}` }, /SETTINGS.*password.*<masked>/],
    ['a JSON parser message quoting a document under any key', { APP_CONFIG: `{"user": "app", "password": ${SECRET}}` }, /APP_CONFIG.*password.*<masked>.*is not valid JSON \(Unexpected token 'h'\)/],
    ['a multi-word YAML field under any key', { APP_YAML: `port: x\npassword: "${SECRET} two words"` }, /APP_YAML.*password: <masked>/],
  ])('masks %s', (_, data, shown) => {
    const text = answer(data);
    expect(text).toMatch(shown);
    expect(text).not.toContain(SECRET);
  });
});

describe('secret values carried into a Deployment variable the schema types', () => {
  const typed = ConfigSchemaSpec.parse({
    targets: { workloads: [{ selector: { matchLabels: { app: 'api' } } }] },
    keys: { AUTH_HEADER: { type: 'string', pattern: '^Basic ' }, DSN: { type: 'integer' }, DB_PASS: { type: 'integer' }, HOSTS: { type: 'list', items: { type: 'integer' } } },
  });
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'creds', namespace: 'shop' }, data: { 'db-password': SECRET } };
  const base = staticLookup([{ namespace: 'shop', name: 'api', spec: typed }]);
  const lookup = { ...base, knowsObjects: true, getConfigMap: (ns: string, name: string) => (ns === 'shop' && name === 'creds' ? (cm as never) : undefined) };

  function deploymentAnswer(env: unknown[]): string {
    const object = deployment({ env }, { namespace: 'shop' });
    const out = reviewAdmission(review(object as never), { lookup, config: defaultPolicyConfig });
    if (!out.ok) throw new Error(out.error);
    return JSON.stringify({ response: out.response, findings: out.summary.findings });
  }

  it.each([
    ['$(DB_PASSWORD) expanded into a pattern-checked header', [{ name: 'DB_PASSWORD', value: SECRET }, { name: 'AUTH_HEADER', value: 'Bearer $(DB_PASSWORD)' }], /AUTH_HEADER.*<masked>.*does not match the pattern/],
    ['$(DB_PASSWORD) expanded into a DSN typed as an integer', [{ name: 'DB_PASSWORD', value: SECRET }, { name: 'DSN', value: 'host=db pw=$(DB_PASSWORD)' }], /DSN.*<masked>.*is not an integer/],
    ['a ConfigMap key db-password read as DB_PASS', [{ name: 'DB_PASS', valueFrom: { configMapKeyRef: { name: 'creds', key: 'db-password' } } }], /DB_PASS.*<masked>.*is not an integer/],
    ['a list item of a value expanding a secret', [{ name: 'API_TOKEN', value: SECRET }, { name: 'HOSTS', value: '$(API_TOKEN),1' }], /HOSTS.*has item 1 \\"<masked>\\"/],
  ])('masks %s', (_, env, shown) => {
    const text = deploymentAnswer(env);
    expect(text).toMatch(shown);
    expect(text).not.toContain(SECRET);
  });
});

describe('secret values compared on UPDATE', () => {
  // An UPDATE compares the value of each old and new finding; that value must not reach the answer or the log line.
  it('matches old and new findings by value without showing it', () => {
    const map = (password: string, other: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop' }, data: { DB_PASSWORDS: `["${password}", 1]`, OTHER: other } });
    // The same value (an old problem, a warning), then another one (a denial).
    for (const before of [map(SECRET, 'a'), map(`${SECRET}0`, 'b')]) {
      const out = reviewAdmission(review(map(SECRET, 'b') as never, { operation: 'UPDATE', oldObject: before }), deps);
      if (!out.ok) throw new Error(out.error);
      const text = JSON.stringify({ response: out.response, summary: out.summary });
      expect(text).toMatch(/DB_PASSWORDS.*<masked>/);
      expect(text).not.toContain(SECRET);
    }
  });
});
