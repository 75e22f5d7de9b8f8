// Patterns that backtrack must not hold the webhook's event loop: such a pattern runs under a
// time limit and the value is reported as not checkable, naming the pattern.
import { describe, expect, it } from '@jest/globals';
import { checkValue } from '../../src/schema/compile.js';
import { KeySpec } from '../../src/schema/document.js';
import { validateJson } from '../../src/schema/json-schema.js';
import { matchPattern, mayBacktrack, PATTERN_TIME_LIMIT_MS } from '../../src/schema/regex.js';

const EVIL = `${'a'.repeat(31)}!`;
const NOT_CHECKED = /^could not be checked against the pattern /;

describe('mayBacktrack', () => {
  it.each(['^(a+)+$', '^(a*)*$', '(a|aa)+', '^(\\.[a-z]+)*$', '((ab)*c)+', '^(x{2,})*$', '(?:a+){2,}', '^(.*?,){11}P', '^a*a*a*$', '^\\d+\\.\\d+$', '^\\(a+\\)+$', '(.*)x\\1', '^(?<w>.+)-\\k<w>$'])('says yes to %s', (p) => {
    expect(mayBacktrack(p)).toBe(true);
  });
  it.each(['^[a-z][a-z0-9-]*$', '^\\p{L}+$', 'shop', '^(https?)://[^/]+$', '^(a+)?$', '^[(a+)+]$', '^(ab){2}$', '^[a-z]{3}$'])('says no to %s', (p) => {
    expect(mayBacktrack(p)).toBe(false);
  });
});

describe('patterns that backtrack', () => {
  it.each([
    ['exponentially', '^(a+)+$', EVIL],
    ['exponentially, through an exact count', '^(.*?,){11}P', `${'1,'.repeat(40)}`],
    ['polynomially', '^a*a*a*a*$', `${'a'.repeat(999)}!`],
  ])('are given up after the time limit (%s), with a phrase that names the pattern', (_, pattern, value) => {
    const started = Date.now();
    const problems = checkValue(KeySpec.parse({ type: 'string', pattern }), value);
    expect(problems).toEqual([expect.stringMatching(NOT_CHECKED)]);
    // Without the limit these take seconds to minutes; the bound is generous for a slow CI machine.
    expect(Date.now() - started).toBeLessThan(PATTERN_TIME_LIMIT_MS * 20);
  });

  it('are not tried again for the same declaration once out of time: a map of many such values costs one limit', () => {
    const spec = KeySpec.parse({ type: 'string', pattern: '^(b+)+$' });
    const started = Date.now();
    const phrases = Array.from({ length: 50 }, () => checkValue(spec, `${'b'.repeat(31)}!`));
    expect(phrases.every((p) => NOT_CHECKED.test(p[0] ?? ''))).toBe(true);
    expect(Date.now() - started).toBeLessThan(PATTERN_TIME_LIMIT_MS * 20);
  });

  it('keep working for another declaration of the same pattern (another namespace\'s schema)', () => {
    const mine = KeySpec.parse({ type: 'string', pattern: '^(c+)+$' });
    const theirs = KeySpec.parse({ type: 'string', pattern: '^(c+)+$' });
    expect(checkValue(mine, `${'c'.repeat(31)}!`)).toEqual([expect.stringMatching(NOT_CHECKED)]);
    expect(checkValue(theirs, 'cccc')).toEqual([]);
    expect(checkValue(theirs, 'ccd')).toEqual(['does not match the pattern ^(c+)+$']);
  });

  it('are limited inside json and yaml values too', () => {
    const out: { path: string; message: string }[] = [];
    // 40 characters: (a|aa)+ tries Fibonacci(40) splits, seconds even once V8 has compiled the regex
    // natively for the second try (31 came out of it in under 100 ms then: 'does not match').
    validateJson({ type: 'object', properties: { name: { type: 'string', pattern: '^(a|aa)+$' } } }, { name: `${'a'.repeat(40)}!` }, '', out, 0);
    expect(out.map((o) => o.message)).toEqual([expect.stringMatching(NOT_CHECKED)]);
  });
});

describe('matchPattern', () => {
  it('matches like RegExp with the u flag, with and without the time limit', () => {
    const owner = {};
    expect(matchPattern('^\\p{L}+$', 'héllo', owner)).toBe(true);
    expect(matchPattern('^(\\.[a-z]+)*$', '.ab.cd', owner)).toBe(true);
    expect(matchPattern('^(\\.[a-z]+)*$', '.ab.c1', owner)).toBe(false);
    expect(matchPattern('^a*$', 'a'.repeat(20_000), owner)).toBe(true);
  });
});
