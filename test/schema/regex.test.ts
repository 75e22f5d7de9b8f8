// Patterns that backtrack exponentially must not hold the webhook's event loop: such a pattern
// runs under a time limit and the value is reported as not checkable, naming the pattern.
import { describe, expect, it } from '@jest/globals';
import { checkValue } from '../../src/schema/compile.js';
import { KeySpec } from '../../src/schema/document.js';
import { validateJson } from '../../src/schema/json-schema.js';
import { matchPattern, nestedRepetition, PATTERN_TIME_LIMIT_MS } from '../../src/schema/regex.js';

const EVIL = `${'a'.repeat(31)}!`;

describe('nestedRepetition', () => {
  it.each(['^(a+)+$', '^(a*)*$', '(a|aa)+', '^(\\.[a-z]+)*$', '((ab)*c)+', '^(x{2,})*$', '(?:a+){2,}'])('flags %s', (p) => {
    expect(nestedRepetition(p)).toBe(true);
  });
  it.each(['^[a-z][a-z0-9-]*$', '^\\p{L}+$', 'shop', '^(https?)://[^/]+$', '^(a+)?$', '^[(a+)+]$', '^\\(a+\\)+$', '^(ab){2}$', '^a*a*$'])('passes %s', (p) => {
    expect(nestedRepetition(p)).toBe(false);
  });
});

describe('a pattern that backtracks exponentially', () => {
  const spec = KeySpec.parse({ type: 'string', pattern: '^(a+)+$' });

  it('is given up after the time limit, with a phrase that names the pattern as the problem', () => {
    const started = Date.now();
    expect(checkValue(spec, EVIL)).toEqual([expect.stringMatching(/^could not be checked against the pattern \^\(a\+\)\+\$: matching took over 100 ms, because the pattern backtracks/)]);
    // Without the limit this value takes seconds (16 s measured); the bound is generous for a slow CI machine.
    expect(Date.now() - started).toBeLessThan(PATTERN_TIME_LIMIT_MS * 20);
  });

  it('is not tried again once it has run out of time: a map of many such values costs one limit', () => {
    const fresh = KeySpec.parse({ type: 'string', pattern: '^(b+)+$' });
    const started = Date.now();
    const phrases = Array.from({ length: 50 }, () => checkValue(fresh, `${'b'.repeat(31)}!`));
    expect(new Set(phrases.map((p) => p[0]?.slice(0, 40)))).toEqual(new Set(['could not be checked against the pattern']));
    expect(Date.now() - started).toBeLessThan(PATTERN_TIME_LIMIT_MS * 20);
  });

  it('answers ordinary values while it has not run out of time', () => {
    const fresh = KeySpec.parse({ type: 'string', pattern: '^(c+)+$' });
    expect(checkValue(fresh, 'cccc')).toEqual([]);
    expect(checkValue(fresh, 'ccd')).toEqual(['does not match the pattern ^(c+)+$']);
  });

  it('is limited inside json and yaml values too', () => {
    const out: { path: string; message: string }[] = [];
    validateJson({ type: 'object', properties: { name: { type: 'string', pattern: '^(a|aa)+$' } } }, { name: EVIL }, '', out, 0);
    expect(out.map((o) => o.message)).toEqual([expect.stringMatching(/^could not be checked against the pattern/)]);
  });
});

describe('matchPattern', () => {
  it('matches like RegExp with the u flag, with and without the time limit', () => {
    expect(matchPattern('^\\p{L}+$', 'héllo')).toBe(true);
    expect(matchPattern('^(\\.[a-z]+)*$', '.ab.cd')).toBe(true);
    expect(matchPattern('^(\\.[a-z]+)*$', '.ab.c1')).toBe(false);
    expect(matchPattern('^a*$', 'a'.repeat(20_000))).toBe(true);
  });
});
