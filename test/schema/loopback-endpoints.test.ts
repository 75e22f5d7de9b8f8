// loopbackEndpoints is env-loopback's fast path: it must find exactly what the full parse finds.
import { expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isLoopbackHost, loopbackEndpoints, parseEndpoints } from '../../src/schema/formats/endpoint.js';

const slow = (v: string) => parseEndpoints(v).filter((e) => isLoopbackHost(e.host));

const host = fc.oneof(
  fc.constantFrom('localhost', 'LOCALHOST', 'localhost.', 'api.localhost', '127.0.0.1', '127.1', '0x7f000001', '2130706433', '0177.0.0.1', '[::1]', '[0:0::1]', '[::ffff:127.0.0.1]', '127.0.0.1.nip.io', 'collector', 'otel.monitoring.svc', '10.0.0.1', '%6cocalhost', 'evil\\@127.0.0.1', 'localhost\\@evil.com', '127.0.0.1\\@x.com', 'evil.com\\@localhost', 'a/b@localhost'),
  fc.stringMatching(/^[a-z0-9.\-[\]:%@\\]{1,20}$/),
);
const part = fc.tuple(fc.constantFrom('', 'http://', 'https://', 'grpc://', 'redis://user:pw@', 'tcp://'), host, fc.constantFrom('', ':4318', ':80', ':0', ':99999'), fc.constantFrom('', '/v1/traces', '?x=1', '#f', '/a@127.0.0.1')).map((p) => p.join(''));

it('finds the same loopback endpoints as the full parse, for hosts of every spelling', () => {
  fc.assert(
    fc.property(fc.array(part, { minLength: 1, maxLength: 3 }), fc.constantFrom(',', ', '), (parts, sep) => {
      const v = parts.join(sep);
      expect(loopbackEndpoints(v)).toEqual(slow(v));
    }),
    { numRuns: 5000 },
  );
});

it('finds the incident endpoint and skips remote hosts', () => {
  expect(loopbackEndpoints('localhost:4318')).toEqual([{ host: 'localhost', port: 4318 }]);
  expect(loopbackEndpoints('http://2130706433:9000/')).toEqual([{ host: '127.0.0.1', port: 9000 }]);
  expect(loopbackEndpoints('http://otel-collector.monitoring.svc:4318')).toEqual([]);
});

it('reads IPv4 shorthands for 127.0.0.1 in host:port form as the URL form does', () => {
  for (const host of ['127.1', '2130706433', '0x7f.0.0.1', '0177.0.0.1']) {
    expect(loopbackEndpoints(`${host}:4318`)).toEqual([{ host, port: 4318 }]);
  }
  expect(loopbackEndpoints('10.1:4318')).toEqual([]);
  expect(loopbackEndpoints('build-127.1:4318')).toEqual([]);
});
