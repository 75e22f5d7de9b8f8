// Value formats of the ConfigSchema language (DESIGN.md): what a user writes in a ConfigMap and
// whether the app's parser would accept it.
import { describe, expect, it } from '@jest/globals';
import { checkUrl, hostAllowed } from '../../src/schema/formats/addresses.js';
import { parseDuration } from '../../src/schema/formats/duration.js';
import { parseQuantity } from '../../src/schema/formats/quantity.js';

describe('Go-style durations', () => {
  it.each([
    ['300ms', 300],
    ['5s', 5000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['-5s', -5000],
    ['+2m', 120_000],
    ['0', 0],
    ['1m0.5s', 60_500],
    ['250us', 0.25],
    ['250µs', 0.25],
  ])('reads %s as %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, ms });
  });

  it.each([
    ['90', 'has no unit after 90 (use ns, us, ms, s, m or h, e.g. 90s)'],
    ['', 'is empty'],
    ['5 s', 'is not a duration (expected e.g. 300ms, 5s, 1h30m)'],
    [' 5s', 'is not a duration (expected e.g. 300ms, 5s, 1h30m)'],
    ['5d', 'has an unknown unit "d" (use ns, us, ms, s, m or h)'],
    ['1h30', 'has no unit after 30 (use ns, us, ms, s, m or h, e.g. 30s)'],
    ['-', 'has a sign and no number'],
    ['PT5S', 'is not a duration (expected e.g. 300ms, 5s, 1h30m)'],
  ])('refuses %j: %s', (input, reason) => {
    expect(parseDuration(input)).toEqual({ ok: false, reason });
  });
});

describe('Kubernetes quantities', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1Ki', 1024],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['128M', 128e6],
    ['2e3', 2000],
    ['1E-2', 0.01],
    ['.5', 0.5],
    ['-1', -1],
  ])('reads %s as %d', (input, value) => {
    const r = parseQuantity(input);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toBeCloseTo(value, 9);
  });

  it.each(['1GB', '1gi', '', 'abc', '1.5.2', ' 1Gi', '1 Gi', '0x10'])('refuses %j', (input) => {
    expect(parseQuantity(input).ok).toBe(false);
  });
});

describe('allowed hosts, however a rule or a value is spelled', () => {
  it.each([
    ['auth.example.com.', 'auth.example.com'],
    ['AUTH.Example.com', 'auth.example.com.'],
    ['*.example.com.', 'api.example.com'],
    ['2001:db8:0:0::1', '2001:db8::1'],
    ['10.1', '10.0.0.1'],
    ['0x0a.0.0.1', '10.0.0.1'],
  ])('rule %s matches host %s', (rule, host) => {
    expect(hostAllowed(host, [rule])).toBe(true);
  });
  it('still refuses other hosts and the parent of a wildcard', () => {
    expect(hostAllowed('evil.example.net', ['auth.example.com.'])).toBe(false);
    expect(hostAllowed('example.com', ['*.example.com'])).toBe(false);
    expect(hostAllowed('10.0.0.2', ['10.1'])).toBe(false);
  });
});

describe('url hosts of http, https, ws, wss and ftp are host names', () => {
  it.each([
    ['https://a.example.com;https://b.example.com', 'has host a.example.com;https, which is not a host name (letters, digits, "-" and "." only): two URLs in one value? separate them as the format says'],
    ['https://a..example.com', 'has host a..example.com, which is not a host name (letters, digits, "-" and "." only)'],
    ['https://-a.example.com', 'has host -a.example.com, which is not a host name (letters, digits, "-" and "." only)'],
  ])('refuses %s', (value, problem) => {
    expect(checkUrl(value, {})).toEqual([problem]);
  });
  it.each(['https://a_b.example.com', 'https://auth.example.com:8443/x?y=1', 'http://[2001:db8::1]:8080/', 'https://10.0.0.1/', 'https://Bücher.example/', 'https://user:pw@api.shop.svc.cluster.local/', 'mongodb://a,b,c/db?replicaSet=rs0'])('accepts %s', (value) => {
    expect(checkUrl(value, {})).toEqual([]);
  });
});
