// How the engine turns a policy's issues into findings with actions, and the pure helpers every
// message relies on (masking, $(VAR) expansion, selectors).
import { describe, expect, it } from '@jest/globals';
import { settingsFor, parsePolicyConfig } from '../../src/config/policy-config.js';
import { actionFor } from '../../src/engine/evaluate.js';
import { containerExpander, expandVars } from '../../src/engine/expand.js';
import { showValue } from '../../src/engine/mask.js';
import { LabelSelector } from '../../src/engine/objects.js';
import { matchesSelector } from '../../src/engine/selector.js';
import { policyById } from '../../src/policies/index.js';

const warnPolicy = policyById('resources')!;
const denyPolicy = policyById('config-ref')!;
const issue = { path: 'p', message: 'm' };

describe('actions', () => {
  it('uses the default action unless the configuration sets one', () => {
    expect(actionFor(warnPolicy, undefined, issue)).toBe('warn');
    expect(actionFor(warnPolicy, 'audit', issue)).toBe('audit');
  });

  it('never lets a soft case deny, even when the policy is configured to deny', () => {
    expect(actionFor(denyPolicy, undefined, { ...issue, level: 'soft' })).toBe('warn');
    expect(actionFor(denyPolicy, 'deny', { ...issue, level: 'soft' })).toBe('warn');
    expect(actionFor(denyPolicy, 'audit', { ...issue, level: 'soft' })).toBe('audit');
  });

  it('denies a hard case by default, but an explicit action wins', () => {
    expect(actionFor(warnPolicy, undefined, { ...issue, level: 'hard' })).toBe('deny');
    expect(actionFor(warnPolicy, 'warn', { ...issue, level: 'hard' })).toBe('warn');
  });
});

describe('policy configuration resolution', () => {
  const config = parsePolicyConfig(
    {
      profile: 'strict',
      policies: { replicas: 'off', 'probe-timing': { options: { minPeriodSeconds: 2 } } },
      excludeNamespaces: ['kube-system'],
      namespaceOverrides: [
        { namespaceSelector: { matchLabels: { tier: 'legacy' } }, policies: { 'image-pinned': 'warn' } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } }, policies: { 'image-pinned': 'audit' } },
      ],
    },
    'test',
  );

  it('applies profile, then policies, then matching overrides in order', () => {
    expect(settingsFor(config, 'shop').actions).toMatchObject({ 'image-pinned': 'deny', replicas: 'off', 'readiness-probe': 'deny' });
    expect(settingsFor(config, 'old', { tier: 'legacy' }).actions['image-pinned']).toBe('warn');
    expect(settingsFor(config, 'payments', { tier: 'legacy' }).actions['image-pinned']).toBe('audit');
    expect(settingsFor(config, 'shop').options['probe-timing']).toEqual({ minPeriodSeconds: 2, minLivenessGraceSeconds: 30 });
  });

  it('excludes namespaces entirely', () => {
    expect(settingsFor(config, 'kube-system').excluded).toBe(true);
  });

  it.each([
    [{ key: 'team', operator: 'in', values: ['legacy'] }, 'operator: must be one of "In", "NotIn", "Exists", "DoesNotExist"'],
    [{ key: 'team', operator: 'In' }, 'values: operator In needs at least one value'],
    [{ key: 'team', operator: 'Exists', values: ['x'] }, 'values: operator Exists takes no values'],
  ])('refuses a namespaceSelector expression the API server would refuse (%j), instead of one that never matches', (expression, message) => {
    const parse = () => parsePolicyConfig({ namespaceOverrides: [{ namespaceSelector: { matchExpressions: [expression] }, policies: { replicas: 'off' } }] }, 'rollsafe.yaml');
    expect(parse).toThrow(`namespaceOverrides[0].namespaceSelector.matchExpressions[0].${message}`);
  });
});

describe('showValue', () => {
  it('masks values of keys that look secret', () => {
    for (const key of ['DB_PASSWORD', 'api_token', 'CLIENT_SECRET', 'AWS_ACCESS_KEY_ID', 'GIT_CREDENTIALS']) {
      expect(showValue(key, 'hunter2')).toBe('"<masked>"');
    }
    expect(showValue('POOL_SIZE', '25connections')).toBe('"25connections"');
  });

  it('masks passwords in URLs whatever the key', () => {
    expect(showValue('DATABASE_URL', 'postgres://app:hunter2@db:5432/shop')).toBe('"postgres://app:<masked>@db:5432/shop"');
  });

  it('shows nothing after the first secret-looking field of a document in the value (JSON, YAML, key=value)', () => {
    expect(showValue('APP_JSON', '{"user": "app", "password": "hunter2"}')).toBe(JSON.stringify('{"user": "app", "password": <masked>'));
    expect(showValue('APP_JSON', "{'password': 'hunter2'}")).toBe(JSON.stringify("{'password': <masked>"));
    expect(showValue('APP_YAML', 'user: app\napiToken: hunter2\n')).toBe(JSON.stringify('user: app\napiToken: <masked>'));
    expect(showValue('APP_YAML', 'password: "correct horse battery"')).toBe(JSON.stringify('password: <masked>'));
    expect(showValue('APP_YAML', 'password: |\n  hunter2\n')).toBe(JSON.stringify('password: <masked>'));
    expect(showValue('FLAGS', '--verbose client_secret=hunter2 level=3')).toBe(JSON.stringify('--verbose client_secret=<masked>'));
    expect(showValue('APP_JSON', '{"port": 8080}')).toBe(JSON.stringify('{"port": 8080}'));
  });

  it('masks a URL password whose @ is far into a long value', () => {
    const shown = showValue('DATABASE_URL', `https://app:${'S3cr3t'.repeat(300)}@db/x`);
    expect(shown).toBe(JSON.stringify(`https://app:<masked>@db/x`));
    const huge = showValue('DATABASE_URL', `https://app:${'S3cr3t'.repeat(20_000)}@db/x`);
    expect(huge).toBe(JSON.stringify('https://<masked>'));
  });

  it('shortens long values', () => {
    expect(showValue('X', 'a'.repeat(200))).toBe(JSON.stringify(`${'a'.repeat(80)}…`));
  });
});

describe('$(VAR) expansion as the kubelet does it', () => {
  const env = new Map([
    ['HOST', 'localhost'],
    ['PORT', '4318'],
  ]);
  it('replaces defined variables, keeps undefined ones and unescapes $$', () => {
    expect(expandVars('$(HOST):$(PORT)', env)).toBe('localhost:4318');
    expect(expandVars('$(NOPE)/x', env)).toBe('$(NOPE)/x');
    expect(expandVars('$$(HOST)', env)).toBe('$(HOST)');
    expect(expandVars('cost $5 $(HOST', env)).toBe('cost $5 $(HOST');
  });

  it('gives up (undefined) on a value longer than Linux passes to a process (128 KiB), and bounds a container at 2 MiB in all', () => {
    const big = new Map([['A', 'a'.repeat(64 * 1024)]]);
    expect(expandVars('$(A)$(A)', big)).toHaveLength(128 * 1024);
    expect(expandVars('$(A)$(A)x', big)).toBeUndefined();
    expect(expandVars('x'.repeat(200 * 1024), big)).toHaveLength(200 * 1024); // a literal is as the API server stored it
    const expand = containerExpander();
    const results = Array.from({ length: 20 }, () => expand('$(A)$(A)', big));
    expect(results.filter((r) => r !== undefined)).toHaveLength(16); // 16 x 128 KiB = 2 MiB
  });
});

describe('label selectors', () => {
  const sel = (s: unknown) => LabelSelector.parse(s);
  it('evaluates matchLabels and every matchExpressions operator', () => {
    const labels = { app: 'api', tier: 'web' };
    expect(matchesSelector(sel({ matchLabels: { app: 'api' } }), labels)).toBe(true);
    expect(matchesSelector(sel({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'db'] }] }), labels)).toBe(true);
    expect(matchesSelector(sel({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }), labels)).toBe(false);
    expect(matchesSelector(sel({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }), labels)).toBe(false);
    expect(matchesSelector(sel({ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }), labels)).toBe(true);
    expect(matchesSelector(sel({}), labels)).toBe(true);
  });
});

describe('showValue in URLs', () => {
  it('masks a token used as the user name and secret-looking query parameters', () => {
    expect(showValue('REPO', 'https://ghp_abcdefghijklmnop1234@github.com/x')).toBe('"https://<masked>@github.com/x"');
    expect(showValue('HOOK', 'https://h.example/x?a=1&access_token=abc&sig=zz')).toBe('"https://h.example/x?a=1&access_token=<masked>&sig=<masked>"');
    expect(showValue('HOME', 'https://shop@example.com/')).toBe('"https://shop@example.com/"');
  });

  it('masks query parameters in one pass: a value of ?KEY repeated is answered (the regex it replaced took minutes at 20 KB)', () => {
    // 64 KB: the regex retried from every `?` and every keyword (cubic); this is hours for it.
    expect(showValue('X', `https://h.example/${'?KEY'.repeat(16_000)}`)).toBe(JSON.stringify(`https://h.example/${'?KEY'.repeat(16_000)}`.slice(0, 80) + '…'));
    expect(showValue('X', `?${'KEY'.repeat(21_000)}=hunter2`)).not.toContain('hunter2');
    // The name runs from the first ? or & before the =, and may hold more ?: as the regex read it.
    expect(showValue('HOOK', 'https://h.example/x?a?token=abc&b=1?sig=2#f')).toBe('"https://h.example/x?a?token=<masked>&b=1?sig=<masked>#f"');
    expect(showValue('HOOK', 'https://h.example/x?KEY?a=1&x=2')).toBe('"https://h.example/x?KEY?a=<masked>&x=2"');
  });
});
