// Values an author of a Deployment or ConfigMap controls, built to make one review expensive or
// to crash the webhook: each is answered, with a bounded result.
import { describe, expect, it } from '@jest/globals';
import { reviewAdmission, type ReviewDeps } from '../../src/admission/review.js';
import { defaultPolicyConfig } from '../../src/config/policy-config.js';
import { emptyLookup } from '../../src/engine/lookup.js';
import { ConfigSchemaSpec } from '../../src/schema/document.js';
import { NESTING_MAX, TOO_DEEP } from '../../src/schema/nesting.js';
import { staticLookup } from '../../src/server/static-lookup.js';
import { deployment, review } from '../helpers/reviews.js';

const deps: ReviewDeps = { lookup: emptyLookup, config: defaultPolicyConfig };
const run = (body: unknown, d: ReviewDeps = deps) => {
  const out = reviewAdmission(body, d);
  if (!out.ok) throw new Error(`unexpected 400: ${out.error}`);
  return out.response.response;
};

describe('env values', () => {
  it('reads $( without a closing parenthesis in one pass (20 values of 128 KiB: minutes for the regex it replaced)', () => {
    const env = Array.from({ length: 20 }, (_, i) => ({ name: `V${i}`, value: '$('.repeat(65_536) }));
    expect(run(review(deployment({ env })))).toEqual({ uid: expect.any(String), allowed: true });
  });

  it('still masks a value that expands a secret-looking variable', () => {
    const env = [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'X_URL', value: 'http://localhost:1/$(DB_PASSWORD)' }];
    const r = run(review(deployment({ env })));
    expect(r.allowed).toBe(false);
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });
});

describe('$(NAME) of an undefined variable', () => {
  it('is not taken for a Service variable when longer than any can be, so its literal value is checked (and the pattern never runs on 117 KB)', () => {
    const schema = ConfigSchemaSpec.parse({ targets: { workloads: [{ selector: { matchLabels: { app: 'api' } } }] }, keys: { POOL_SIZE: { type: 'integer' } } });
    const name = `A${'_SERVICE_PORT'.repeat(9_000)}`;
    const r = run(review(deployment({ env: [{ name: 'POOL_SIZE', value: `$(${name})` }] })), { ...deps, lookup: staticLookup([{ namespace: 'shop', name: 's', spec: schema }]) });
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[config-schema]');
  });
});

describe('json and yaml values nested deeply', () => {
  const configMap = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { A: value } });
  const bound = (A: Record<string, unknown>): ReviewDeps => ({
    ...deps,
    lookup: staticLookup([{ namespace: 'shop', name: 's', spec: ConfigSchemaSpec.parse({ targets: { configMaps: ['cfg'] }, keys: { A } }) }]),
  });
  const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it.each([
    ['json with an enum', { type: 'json', schema: { enum: [1] } }, nested(20_000)],
    ['a json list', { type: 'list', format: 'json' }, `[${nested(20_000)}]`],
    ['yaml (flow)', { type: 'yaml' }, nested(5_000)],
    ['yaml (block)', { type: 'yaml' }, `${'- '.repeat(3_000)}x`],
    ['a yaml list', { type: 'list', format: 'yaml' }, `- ${nested(5_000)}`],
  ])('denies %s nested past the limit as too deep to check, without throwing or aborting', (_, spec, value) => {
    // Twice: a second deeply nested YAML value aborted the process (V8 out of memory compiling a regex on an exhausted stack).
    for (let i = 0; i < 2; i++) {
      const r = run(review(configMap(value)), bound(spec));
      expect(r.allowed).toBe(false);
      expect(r.status?.message).toContain(TOO_DEEP);
    }
  });

  it('checks a value nested to the limit as usual', () => {
    expect(run(review(configMap(nested(NESTING_MAX))), bound({ type: 'json', schema: { type: 'array' } })).allowed).toBe(true);
    expect(run(review(configMap(nested(NESTING_MAX))), bound({ type: 'yaml', schema: { type: 'array' } })).allowed).toBe(true);
    expect(run(review(configMap(nested(NESTING_MAX + 1))), bound({ type: 'yaml' })).status?.message).toContain(TOO_DEEP);
  });
});

describe('list values with many bad items', () => {
  const deps1 = (A: Record<string, unknown>): ReviewDeps => ({
    ...deps,
    lookup: staticLookup([{ namespace: 'shop', name: 's', spec: ConfigSchemaSpec.parse({ targets: { configMaps: ['cfg'] }, keys: { A } }) }]),
  });
  it.each([
    ['empty items', ','.repeat(200_000)],
    ['items of the wrong type', 'x,'.repeat(100_000)],
  ])('describes the first %s and counts the rest, so the deny message stays short', (_, value) => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { A: value } };
    const message = run(review(cm), deps1({ type: 'list', items: { type: 'integer' } })).status?.message ?? '';
    expect(message).toMatch(/has \d+ more items with problems/);
    expect(message.length).toBeLessThan(4096);
  });
});

describe('exemption annotations', () => {
  const config = { ...defaultPolicyConfig, exemptions: { allowedGroups: ['platform-admins'], allowedUsers: [] } };
  const exempt = (exempt: string, reason: string) =>
    deployment({ env: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' }] }, { annotations: { 'rollsafe.dev/exempt': exempt, 'rollsafe.dev/exempt-reason': reason } });

  it('names a few unknown policies of a long list and counts the rest, so the denial stays short', () => {
    const names = Array.from({ length: 2_000 }, (_, i) => `${'x'.repeat(100)}${i}`).join(',');
    const r = run(review(exempt(names, 'x'), { groups: ['platform-admins'] }), { ...deps, config });
    expect(r.status?.message).toContain('and 1997 more; known:');
    expect(r.status?.message.length).toBeLessThan(2048);
  });

  it('writes a granted reason into the audit annotation escaped and cut', () => {
    const r = run(review(exempt('env-loopback', `\u001b[2J${'y'.repeat(100_000)}`), { groups: ['platform-admins'] }), { ...deps, config });
    const value = r.auditAnnotations?.exempted ?? '';
    expect([r.allowed, value.startsWith('env-loopback (\\u001b[2J'), value.length <= 2048]).toEqual([true, true, true]);
  });
});

describe('large YAML values', () => {
  const configMap = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { A: value } });
  const bound = (A: Record<string, unknown>): ReviewDeps => ({
    ...deps,
    lookup: staticLookup([{ namespace: 'shop', name: 's', spec: ConfigSchemaSpec.parse({ targets: { configMaps: ['cfg'] }, keys: { A } }) }]),
  });

  it.each([
    ['a yaml key', { type: 'yaml' }],
    ['a yaml list', { type: 'list', format: 'yaml' }],
  ])('leaves %s of 1 MB unchecked with a warning (parsing it takes seconds, past the API server timeout)', (_, spec) => {
    const value = Array.from({ length: 20_000 }, (_, i) => `- name: value-${i}\n  list: [a, b, c]\n`).join('');
    const r = run(review(configMap(value)), bound(spec));
    expect(r.allowed).toBe(true);
    expect(r.warnings).toEqual([expect.stringMatching(/^\[config-schema\] data\[A\]: key A cannot be checked against ConfigSchema shop\/s: \d+ KiB of YAML, more than the 64 KiB rollsafe parses in a review/)]);
  });

  it('still checks a YAML value under 64 KiB', () => {
    expect(run(review(configMap('a: [1')), bound({ type: 'yaml' })).allowed).toBe(false);
  });
});
