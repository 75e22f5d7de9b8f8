// parseEndpoint reads common URLs without the URL parser (plainUrl); it must give exactly what
// the WHATWG URL parser gives (urlEndpoint), the reading Node clients use, for URLs of every
// scheme, host spelling and port, including the ones it leaves to the parser.
import { expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseEndpoint, urlEndpoint } from '../../src/schema/formats/endpoint.js';

const scheme = fc.oneof(
  fc.constantFrom('http', 'HTTP', 'https', 'Https', 'ws', 'wss', 'ftp', 'file', 'grpc', 'grpcs', 'redis', 'rediss', 'postgres', 'mysql', 'amqp', 'nats', 'tcp', 'otlp+grpc', 'x.y-z'),
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9+.-]{0,6}$/),
);
const host = fc.oneof(
  fc.constantFrom('localhost', 'LocalHost', 'localhost.', 'api.localhost', 'otel-collector.monitoring.svc.cluster.local', 'my_svc', 'a..b', '127.0.0.1', '127.1', '0x7f.1', '10.0.0.300', 'v1.2', 'xn--bcher-kva.example', 'XN--a', 'b\u00fccher.de', '[::1]', 'user:pw@host', 'evil\\@localhost', 'local\nhost', 'host\t', '-a-.b-', '9x.example', 'a.0x', 'a.09'),
  fc.stringMatching(/^[a-zA-Z0-9_.-]{1,24}$/),
);
const port = fc.constantFrom('', ':0', ':80', ':443', ':21', ':0080', ':4318', ':65535', ':65536', ':99999', ':', ':12a');
const rest = fc.constantFrom('', '/', '/v1/traces', '?x=1', '#f', '/a b', '/\n', '\\x', '/@127.0.0.1', ':8080');

it('reads common URLs exactly as the URL parser does (20,000 cases)', () => {
  fc.assert(
    fc.property(scheme, host, port, rest, (s, h, p, r) => {
      const value = `${s}://${h}${p}${r}`;
      expect(parseEndpoint(value)).toEqual(urlEndpoint(value.trim()));
    }),
    { numRuns: 20_000 },
  );
});

it('reads host:port without a scheme', () => {
  expect(parseEndpoint('localhost:4318')).toEqual({ host: 'localhost', port: 4318 });
  expect(parseEndpoint('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
  expect(parseEndpoint('http://Collector.Monitoring:4318/v1')).toEqual({ host: 'collector.monitoring', port: 4318 });
  expect(parseEndpoint('redis://Cache.Shop')).toEqual({ host: 'Cache.Shop', port: 6379 });
  expect(parseEndpoint('collector')).toBeUndefined();
});

it('gives no default port to a scheme named like a property of every object (constructor://)', () => {
  for (const s of ['constructor', 'hasownproperty', 'valueof', 'tostring']) {
    expect(parseEndpoint(`${s}://localhost/x`)).toEqual({ host: 'localhost', port: undefined });
    expect(urlEndpoint(`${s}://localhost/x`)).toEqual({ host: 'localhost', port: undefined });
  }
});
