// Every ConfigSchema type and option (DESIGN.md "ConfigSchema"), against the values users write.
// Each row pins the exact phrases `checkValue` returns: the policy prints them after the key and
// the value seen, so a wording change shows up here in review. `[]` means the value is accepted.
import { describe, expect, it } from '@jest/globals';
import { checkValue } from '../../src/schema/compile.js';
import { inFormat, type ListFormat } from '../../src/schema/formats/list.js';
import { KEY_TYPES, KeySpec } from '../../src/schema/document.js';

type Row = readonly [value: string, phrases: readonly string[]];

const covered = new Set<string>();

/** One spec (parsed as a schema document would be) and its value table. */
function table(title: string, raw: Record<string, unknown>, rows: readonly Row[]): void {
  const spec = KeySpec.parse(raw);
  covered.add(spec.type);
  describe(`${title} ${JSON.stringify(raw)}`, () => {
    it.each(rows.map(([value, phrases]) => ({ value, phrases, name: phrases.length ? `refuses ${JSON.stringify(value)}: ${phrases.join(' | ')}` : `accepts ${JSON.stringify(value)}` })))(
      '$name',
      ({ value, phrases }) => {
        expect(checkValue(spec, value)).toEqual(phrases);
      },
    );
  });
}

/** The engine's own JSON.parse message, which differs between Node versions. */
/** V8's message for the text, without the part that quotes the text back (the value is shown apart, masked). */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message.replace(/, (\.\.\.)?".*$/s, '');
  }
  throw new Error(`${text} is valid JSON`);
}

const NOT_INTEGER_SPACES = 'has leading or trailing spaces; an integer must be the digits alone';

table('integer', { type: 'integer', minimum: 1, maximum: 500 }, [
  ['25', []],
  ['1', []],
  ['500', []],
  ['+5', []], // Go's Atoi, Java's parseInt and JavaScript all read +5 as 5
  ['0', ['is below the minimum 1']],
  ['-0', ['is below the minimum 1']],
  ['-3', ['is below the minimum 1']],
  ['501', ['is above the maximum 500']],
  [' 25', [NOT_INTEGER_SPACES]],
  ['25 ', [NOT_INTEGER_SPACES]],
  ['25\n', [NOT_INTEGER_SPACES]],
  ['1e3', ['uses exponent notation; an integer must be written out in digits']],
  ['0x10', ['is hexadecimal; an integer must be written in decimal']],
  ['007', ['has a leading zero, which some parsers read as octal; write 7']],
  ['010', ['has a leading zero, which some parsers read as octal; write 10']],
  ['25connections', ['is not an integer (there is text after the number)']],
  ['1_000', ['is not an integer (there is text after the number)']],
  ['2.5', ['is not a whole number']],
  ['abc', ['is not an integer']],
  ['１２', ['is not an integer']], // full-width digits
  ['99999999999999999999', ['is out of the 64-bit integer range most apps read']],
]);

table('integer without bounds', { type: 'integer' }, [
  ['-0', []],
  ['0', []],
  ['-007', ['has a leading zero, which some parsers read as octal; write -7']],
  ['9223372036854775807', []],
  ['-9223372036854775808', []],
  ['9223372036854775808', ['is out of the 64-bit integer range most apps read']],
]);

table('number', { type: 'number', minimum: 0, maximum: 10 }, [
  ['0.5', []],
  ['.5', []],
  ['5.', []],
  ['10', []],
  ['1e-3', []],
  ['-0', []],
  ['1e3', ['is above the maximum 10']],
  ['11', ['is above the maximum 10']],
  ['-1', ['is below the minimum 0']],
  ['NaN', ['is not a number']],
  ['Infinity', ['is not a number']],
  ['-Infinity', ['is not a number']],
  ['1,5', ['is not a number']],
  ['0x10', ['is not a number']],
  [' 1', ['has leading or trailing spaces']],
  ['1e400', ['is out of the range of a 64-bit floating-point number']],
]);

const ambiguousBoolean = (v: string) => `is not true or false (${JSON.stringify(v)} is read differently by different parsers; write true or false)`;
// Documented choice (docs/config-schemas.md): exactly true or false; parsers disagree on the rest.
table('boolean', { type: 'boolean' }, [
  ['true', []],
  ['false', []],
  ...['TRUE', 'True', 'False', 'yes', 'no', '1', '0', 'on', 'off', 'y', ' true'].map((v): Row => [v, [ambiguousBoolean(v)]]),
  ['maybe', ['is not true or false']],
  ['', ['is not true or false']],
]);

const DURATION_RANGE = 'is out of the range of a Go duration (int64 nanoseconds: at most 2562047h47m16.854775807s)';
table('duration', { type: 'duration' }, [
  ['300ms', []],
  ['5s', []],
  ['1h30m', []],
  ['1.5h', []],
  ['-5s', []],
  ['0', []],
  ['250µs', []],
  // Go's time.Duration is int64 nanoseconds: time.ParseDuration refuses anything beyond it
  ['2562047h47m16.854775807s', []],
  ['-9223372036854775808ns', []],
  ['2562048h', [DURATION_RANGE]],
  ['9223372036854775808ns', [DURATION_RANGE]],
  ['-9223372036854775809ns', [DURATION_RANGE]],
  ['99999999999999999999h', [DURATION_RANGE]],
  ['90', ['has no unit after 90 (use ns, us, ms, s, m or h, e.g. 90s)']],
  ['1h30', ['has no unit after 30 (use ns, us, ms, s, m or h, e.g. 30s)']],
  ['5d', ['has an unknown unit "d" (use ns, us, ms, s, m or h)']],
  ['5 s', ['is not a duration (expected e.g. 300ms, 5s, 1h30m)']],
  ['PT5S', ['is not a duration (expected e.g. 300ms, 5s, 1h30m)']],
  [' 5s', ['has leading or trailing spaces']],
  ['5s ', ['has leading or trailing spaces']],
  ['-', ['has a sign and no number']],
  ['', ['is empty']],
]);

table('duration with a maximum', { type: 'duration', maximum: '30s' }, [
  ['300ms', []],
  ['30s', []],
  ['31s', ['is above the maximum 30s']],
  ['1h30m', ['is above the maximum 30s']],
]);

table('duration with a minimum', { type: 'duration', minimum: '1s' }, [
  ['1s', []],
  ['1000ms', []],
  ['999ms', ['is below the minimum 1s']],
  ['-5s', ['is below the minimum 1s']],
  ['0', ['is below the minimum 1s']],
]);

table('quantity', { type: 'quantity', minimum: '100m', maximum: '2Gi' }, [
  ['500m', []],
  ['100m', []],
  ['.5', []],
  ['2e3', []],
  ['1Gi', []],
  ['2Gi', []],
  ['2147483648', []],
  ['2147483649', ['is above the maximum 2Gi']],
  ['3Gi', ['is above the maximum 2Gi']],
  ['50m', ['is below the minimum 100m']],
  ['-1', ['is below the minimum 100m']],
  ['1GB', ['is not a Kubernetes quantity (expected e.g. 500m, 1.5Gi, 128Mi, 2)']],
  ['1gi', ['is not a Kubernetes quantity (expected e.g. 500m, 1.5Gi, 128Mi, 2)']],
  ['1 Gi', ['is not a Kubernetes quantity (expected e.g. 500m, 1.5Gi, 128Mi, 2)']],
  [' 1Gi', ['has leading or trailing spaces']],
]);

table('port', { type: 'port' }, [
  ['1', []],
  ['8080', []],
  ['65535', []],
  ['0', ['is not a port number (1 to 65535)']],
  ['65536', ['is not a port number (1 to 65535)']],
  ['-1', ['is not a port number (1 to 65535)']],
  ['+80', ['has a + sign; a port number must be the digits alone']],
  ['080', ['has a leading zero, which some parsers read as octal; write 80']],
  [' 80', ['has leading or trailing spaces; a port number must be the digits alone']],
  ['8080.0', ['is not a whole number']],
  ['http', ['is not a port number']],
  ['', ['is not a port number']],
]);

const loopback = (host: string) => `points at loopback (${host}): inside a pod that is the pod itself`;
const CONTROL = 'has a line break, tab or other control character, which Go and Java URL parsers refuse (Node drops it)';
const NO_HOST = 'has no host to Go, Python or Java (a / or \\ right after ://)';
const NOT_ABSOLUTE = 'is not an absolute URL (expected scheme://host…, e.g. https://auth.example.com)';

table('url', { type: 'url' }, [
  ['https://auth.shop.svc.cluster.local/oauth', []],
  ['HTTPS://AUTH.EXAMPLE.COM', []],
  ['https://héllo.example.com/', []],
  ['http://[2001:db8::1]:8080', []],
  ['http://localhost:8080', [loopback('localhost')]],
  ['http://LOCALHOST/', [loopback('localhost')]],
  ['http://api.localhost/', [loopback('api.localhost')]],
  ['http://127.0.0.1:9090/metrics', [loopback('127.0.0.1')]],
  ['http://127.0.0.5/', [loopback('127.0.0.5')]],
  ['http://[::1]:8080', [loopback('::1')]],
  ['http://[0:0:0:0:0:0:0:1]/', [loopback('::1')]],
  ['http://[::ffff:127.0.0.1]/', [loopback('::ffff:7f00:1')]],
  ['http://[::ffff:0.0.0.0]/', ['points at ::ffff:0:0, which a client reaches as the pod itself']],
  ['auth.example.com', [NOT_ABSOLUTE]],
  ['/oauth', [NOT_ABSOLUTE]],
  ['mailto:ops@example.com', [NOT_ABSOLUTE]],
  ['', [NOT_ABSOLUTE]],
  ['https://', ['is not a valid URL']],
  ['https://a b.example.com', ['is not a valid URL']],
  ['file:///etc/config', ['has no host (a file path is accepted only when schemes lists file)']],
  [' https://auth.example.com', ['has leading or trailing spaces']],
  // Node's URL parser drops tabs and line breaks anywhere (host auth.example.com); Go's net/url and Java's URI refuse them
  ['https://auth.exa\nmple.com/oauth', [CONTROL]],
  ['https://auth.example.com/oa\tuth', [CONTROL]],
  ['https://auth.example.com/\r\noauth', [CONTROL]],
  // Node skips the third slash (host auth.example.com); Go, Python and Java read no host
  ['https:///auth.example.com/oauth', [NO_HOST]],
  ['http://\\auth.example.com/', [NO_HOST]],
  ['unix:///var/run/app.sock', ['has no host (a unix path is accepted only when schemes lists unix)']],
]);

table('url with allowLoopback', { type: 'url', allowLoopback: true }, [
  ['http://localhost:8080', []],
  ['http://127.0.0.5/', []],
  ['http://[::1]:8080', []],
]);

table('url with a socket scheme', { type: 'url', schemes: ['unix', 'tcp'] }, [
  ['unix:///var/run/docker.sock', []],
  ['tcp://docker.shop:2376', []],
  ['tcp:///var/run/docker.sock', ['has no host']],
]);

table('url with schemes', { type: 'url', schemes: ['https', 'wss'] }, [
  ['https://auth.example.com', []],
  ['HTTPS://auth.example.com', []],
  ['wss://events.example.com', []],
  ['http://auth.example.com', ['has scheme http, expected https or wss']],
  ['ws://events.example.com', ['has scheme ws, expected https or wss']],
]);

const notAllowed = (host: string, hosts: string) => `has host ${host}, which is not one of the allowed hosts (${hosts})`;
const HOSTS = 'auth.shop.svc.cluster.local, *.example.com';
table('url with hosts', { type: 'url', hosts: ['auth.shop.svc.cluster.local', '*.example.com'] }, [
  ['https://auth.shop.svc.cluster.local/oauth', []],
  ['https://AUTH.shop.svc.cluster.local./oauth', []],
  ['https://auth.shop.svc.cluster.local:8443/oauth', []],
  ['https://api.example.com', []],
  ['https://a.b.example.com', []],
  ['https://auth.staging.svc.cluster.local/oauth', [notAllowed('auth.staging.svc.cluster.local', HOSTS)]],
  ['https://example.com', [notAllowed('example.com', HOSTS)]], // the wildcard means sub-domains only
  ['https://evilexample.com', [notAllowed('evilexample.com', HOSTS)]],
  ['https://example.com.evil.io', [notAllowed('example.com.evil.io', HOSTS)]],
  ['http://localhost/', [loopback('localhost'), notAllowed('localhost', HOSTS)]],
  ['https://auth.shop.svc.cluster.lo\ncal/oauth', [CONTROL]], // Node reads the allowed host; a Go client fails to parse it
  ['https:///auth.shop.svc.cluster.local/oauth', [NO_HOST]],
]);

table('url with an IPv6 host', { type: 'url', hosts: ['2001:db8::1'] }, [
  ['http://[2001:db8::1]:8080', []],
  ['http://[2001:0db8:0::1]:8080', []],
  ['http://[2001:db8::2]:8080', [notAllowed('2001:db8::2', '2001:db8::1')]],
]);

const NOT_ENDPOINT = 'is not host:port or a URL (e.g. otel-collector.observability:4318)';
table('endpoint', { type: 'endpoint' }, [
  ['otel-collector.observability:4318', []],
  ['otel-collector.observability.svc.cluster.local:4318', []],
  ['10.0.0.7:4318', []],
  ['[2001:db8::1]:4318', []],
  ['http://collector:4318', []],
  ['https://collector', []],
  ['collector:65535', []],
  ['collector', [NOT_ENDPOINT]],
  ['collector:http', [NOT_ENDPOINT]],
  ['', [NOT_ENDPOINT]],
  ['collector:0', ['has port 0, not 1 to 65535']],
  ['collector:65536', ['has port 65536, not 1 to 65535']],
  ['localhost:4318', [loopback('localhost')]],
  ['127.0.0.5:4318', [loopback('127.0.0.5')]],
  ['[::1]:4318', [loopback('::1')]],
  ['[0::1]:4318', [loopback('0::1')]],
  ['http://[::1]:8080', [loopback('::1')]],
  ['0.0.0.0:4318', ['points at 0.0.0.0, which a client reaches as the pod itself']],
  ['[::]:4318', ['points at ::, which a client reaches as the pod itself']],
  // every spelling of the unspecified addresses, as for loopback
  ['[0::0]:4318', ['points at 0::0, which a client reaches as the pod itself']],
  ['[0000::]:4318', ['points at 0000::, which a client reaches as the pod itself']],
  ['[::ffff:0.0.0.0]:4318', ['points at ::ffff:0.0.0.0, which a client reaches as the pod itself']],
  ['0.0.0.0.:4318', ['points at 0.0.0.0., which a client reaches as the pod itself']],
  [' collector:4318', ['has leading or trailing spaces']],
  ['http://otel-col\nlector:4318', [CONTROL]],
  ['coll\tector:4318', [CONTROL]],
  ['http:///collector:4318', [NO_HOST]],
  ['unix:///var/run/otel.sock', []], // a gRPC target; no host to any parser
]);

table('endpoint with allowLoopback', { type: 'endpoint', allowLoopback: true }, [
  ['localhost:4318', []],
  ['[::1]:4318', []],
]);

table('endpoint with hosts', { type: 'endpoint', hosts: ['*.svc.cluster.local'] }, [
  ['otel.observability.svc.cluster.local:4318', []],
  ['collector:4318', [notAllowed('collector', '*.svc.cluster.local')]],
  ['svc.cluster.local:4318', [notAllowed('svc.cluster.local', '*.svc.cluster.local')]],
]);

const LEVELS = 'is not one of "debug", "info", "warn", "error"';
table('enum', { type: 'enum', values: ['debug', 'info', 'warn', 'error'] }, [
  ['info', []],
  ['INFO', [`${LEVELS} (did you mean "info"?)`]],
  ['Info', [`${LEVELS} (did you mean "info"?)`]],
  [' info', [`${LEVELS} (did you mean "info"?)`]],
  ['information', [LEVELS]],
  ['', [LEVELS]],
]);

table('string', { type: 'string' }, [
  ['', []],
  ['any text, ünïcödé, 日本語, 🚀', []],
]);

// Lengths are in Unicode code points: what a person counts, not UTF-8 bytes or UTF-16 units.
table('string with minLength and maxLength', { type: 'string', minLength: 2, maxLength: 5 }, [
  ['hé', []],
  ['héllo', []], // 5 code points, 6 UTF-8 bytes
  ['😀😀', []], // 2 code points, 4 UTF-16 units
  ['日本語', []],
  ['e\u0301', []], // e + combining accent: 2 code points
  ['h', ['is 1 character, shorter than 2']],
  ['😀', ['is 1 character, shorter than 2']],
  ['', ['is 0 characters, shorter than 2']],
  ['héllo!', ['is 6 characters, longer than 5']],
  ['😀😀😀😀😀😀', ['is 6 characters, longer than 5']],
]);

table('string with a pattern', { type: 'string', pattern: '^[a-z][a-z0-9-]*$' }, [
  ['api-v2', []],
  ['API', ['does not match the pattern ^[a-z][a-z0-9-]*$']],
  ['héllo', ['does not match the pattern ^[a-z][a-z0-9-]*$']],
]);

table('string with a Unicode pattern', { type: 'string', pattern: '^\\p{L}+$' }, [
  ['héllo', []],
  ['日本語', []],
  ['a1', ['does not match the pattern ^\\p{L}+$']],
]);

table('string with an unanchored pattern', { type: 'string', pattern: 'shop' }, [
  ['my-shop-api', []],
  ['store', ['does not match the pattern shop']],
]);

table('string with several options', { type: 'string', minLength: 3, pattern: '^[a-z]+$' }, [
  ['A', ['is 1 character, shorter than 3', 'does not match the pattern ^[a-z]+$']],
]);

table('string with required and description', { type: 'string', required: true, description: 'who to page' }, [
  ['', []], // `required` is the policy's business (present and not empty); the value check ignores it
]);

const declaredCsv = 'this key is declared as comma-separated (csv)';
table('list (csv by default)', { type: 'list' }, [
  ['a,b,c', []],
  ['a', []],
  [' a , b ', []],
  ['a,b\n', []],
  ['', []],
  ['a,b,', ['has an empty item 3 (a trailing comma?)']],
  ['a,,b', ['has an empty item 2']],
  [',', ['has an empty item 1', 'has an empty item 2 (a trailing comma?)']],
  ['- https://shop.example.com\n- https://admin.example.com\n', [`looks like a YAML sequence (yaml); ${declaredCsv}`]],
  ['["https://shop.example.com","https://admin.example.com"]', [`looks like a JSON array (json); ${declaredCsv}`]],
  ['a\nb', [`looks like one item per line (lines); ${declaredCsv}`]],
  ['[https://shop.example.com, https://admin.example.com]', [`looks like a YAML sequence (yaml); ${declaredCsv}`]],
]);

table('list with minItems and maxItems', { type: 'list', format: 'csv', minItems: 1, maxItems: 2 }, [
  ['a', []],
  ['a,b', []],
  ['', ['has 0 items, fewer than 1']],
  ['a,b,c', ['has 3 items, more than 2']],
]);

table('list with minItems 2', { type: 'list', minItems: 2 }, [['a', ['has 1 item, fewer than 2']]]);
table('list with maxItems 0', { type: 'list', maxItems: 0 }, [['a', ['has 1 item, more than 0']]]);

table('list in lines format', { type: 'list', format: 'lines' }, [
  ['a\nb\n', []],
  ['a\r\nb', []],
  ['a,b', []], // one item that contains a comma
  ['', []],
  ['a\n\nb', ['has an empty item 2']],
  ['- a\n- b', ['looks like a YAML sequence (yaml); this key is declared as one item per line (lines)']],
  ['["a"]', ['looks like a JSON array (json); this key is declared as one item per line (lines)']],
]);

const NOT_JSON_ARRAY = 'is JSON but not an array; this key is declared as a JSON array (json)';
table('list in json format', { type: 'list', format: 'json' }, [
  ['["a",1,true]', []],
  ['[]', []],
  ['{"a":1}', [NOT_JSON_ARRAY]],
  ['"a"', [NOT_JSON_ARRAY]],
  ['null', [NOT_JSON_ARRAY]],
  ['[null]', ['has an empty item 1']],
  ['[1,', [`is not valid JSON (${jsonError('[1,')})`]],
  ['a,b', ['looks like comma-separated (csv); this key is declared as a JSON array (json)']],
  ['- a\n- b', ['looks like a YAML sequence (yaml); this key is declared as a JSON array (json)']],
  ['', ['is not a JSON array']],
]);

table('list in yaml format', { type: 'list', format: 'yaml' }, [
  ['- a\n- b', []],
  ['[a, b]', []],
  ['', []],
  ['- ', ['has an empty item 1']],
  ['a: 1', ['is not a YAML sequence']],
  ['a,b', ['looks like comma-separated (csv); this key is declared as a YAML sequence (yaml)']],
  ['key: [', ['is not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])']],
  ['- &a [*a]', ['has a YAML alias inside its own anchor (e.g. &a [*a]), so the document never ends']],
]);

const long = `https://${'x'.repeat(70)}.example.com`;
table('list of https URLs', { type: 'list', format: 'csv', items: { type: 'url', schemes: ['https'] } }, [
  ['https://shop.example.com,https://admin.example.com', []],
  ['https://shop.example.com,http://admin.example.com', ['has item 2 "http://admin.example.com" that has scheme http, expected https']],
  ['https://shop.example.com, admin.example.com', [`has item 2 "admin.example.com" that ${NOT_ABSOLUTE}`]],
  ['https://shop.example.com,', ['has an empty item 2 (a trailing comma?)']],
  [`http://${long.slice(8)}`, [`has item 1 "${`http://${long.slice(8)}`.slice(0, 80)}…" that has scheme http, expected https`]],
]);

table('list of integers in json format', { type: 'list', format: 'json', items: { type: 'integer', minimum: 1 } }, [
  ['[1,2,3]', []],
  ['[0,"x",1.5]', ['has item 1 "0" that is below the minimum 1', 'has item 2, the JSON string "x", where a number is expected', 'has item 3 "1.5" that is not a whole number']],
  // A JSON decoder holds to the JSON types: a Go []int refuses ["1","2"] (it read as integers as text).
  ['["1","2"]', ['has item 1, the JSON string "1", where a number is expected (write it without quotes)', 'has item 2, the JSON string "2", where a number is expected (write it without quotes)']],
  ['[1,true,{"a":1},[2]]', ['has item 2, the JSON boolean true, where a number is expected', 'has item 3, a JSON object, where a number is expected', 'has item 4, a JSON array, where a number is expected']],
]);

table('list of strings in json format', { type: 'list', format: 'json', items: { type: 'string', minLength: 1 } }, [
  ['["a","b"]', []],
  ['["a",1,false,{"b":1}]', ['has item 2, the JSON number 1, where a string is expected (quote it)', 'has item 3, the JSON boolean false, where a string is expected (quote it)', 'has item 4, a JSON object, where a string is expected']],
  ['["",null]', ['has an empty item 1', 'has an empty item 2']],
]);

table('list of booleans in json format', { type: 'list', format: 'json', items: { type: 'boolean' } }, [
  ['[true,false]', []],
  ['["true","yes",1]', ['has item 1, the JSON string "true", where true or false is expected (write it without quotes)', 'has item 2, the JSON string "yes", where true or false is expected', 'has item 3, the JSON number 1, where true or false is expected']],
]);

table('list of quantities in json format', { type: 'list', format: 'json', items: { type: 'quantity', maximum: '4' } }, [
  // Kubernetes' own Quantity reads a JSON number too.
  ['["500m",2]', []],
  ['[8,true]', ['has item 1 "8" that is above the maximum 4', 'has item 2, the JSON boolean true, where a string or a number is expected']],
]);

table('list of ports in yaml format', { type: 'list', format: 'yaml', items: { type: 'port' } }, [
  // YAML decoders convert scalars each their own way: items are checked as text, quoted or not.
  ['- "8080"\n- 9090', []],
]);

table('list of enum values in yaml format', { type: 'list', format: 'yaml', items: { type: 'enum', values: ['debug', 'info'] } }, [
  ['- debug\n- Info', [`has item 2 "Info" that is not one of "debug", "info" (did you mean "info"?)`]],
]);

table('list with items and minItems', { type: 'list', minItems: 3, items: { type: 'port' } }, [
  ['80,x', ['has 2 items, fewer than 3', 'has item 2 "x" that is not a port number']],
]);

const APP_SCHEMA = {
  type: 'object',
  required: ['server'],
  additionalProperties: false,
  properties: {
    server: {
      type: 'object',
      required: ['port'],
      properties: { port: { type: 'integer', minimum: 1, maximum: 65535 }, host: { type: 'string', pattern: '^[a-z.]+$' } },
    },
    mode: { enum: ['a', 'b'] },
    tags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 3 } },
    'log-level': { type: 'string' },
    'odd key': { type: 'number' },
    limits: { type: 'object', additionalProperties: { type: 'integer' } },
    owner: { type: ['string', 'null'] },
  },
};

table('json without a schema', { type: 'json' }, [
  ['{}', []],
  ['1', []],
  ['not json', [`is not valid JSON (${jsonError('not json')})`]],
  ['{"a":1,}', [`is not valid JSON (${jsonError('{"a":1,}')})`]],
]);

table('json with a schema', { type: 'json', schema: APP_SCHEMA }, [
  ['{"server":{"port":8080}}', []],
  ['{"server":{"port":1e3},"owner":null}', []],
  ['{"server":{"port":8080},"owner":"日本語チーム","tags":["é","😀"]}', []],
  ['{}', ['is missing server, which is required']],
  ['{"server":{}}', ['is missing server.port, which is required']],
  ['[]', ['is an array, expected object']],
  ['null', ['is null, expected object']],
  ['"text"', ['is a string, expected object']],
  ['{"server":{"port":"80"}}', ['has server.port that is a string, expected integer']],
  ['{"server":{"port":8080.5}}', ['has server.port that is a number, expected integer']],
  [
    '{"server":{"port":0,"host":"API"},"x":1}',
    ['has server.port that is 0, below the minimum 1', 'has server.host that does not match the pattern ^[a-z.]+$', 'has x that is not an allowed property'],
  ],
  ['{"server":{"port":70000}}', ['has server.port that is 70000, above the maximum 65535']],
  [
    '{"server":{"port":8080},"mode":"c","tags":["ok","","toolong"]}',
    ['has mode that must be one of "a", "b"', 'has tags[1] that is 0 characters, shorter than 1', 'has tags[2] that is 7 characters, longer than 3'],
  ],
  [
    '{"server":{"port":8080},"log-level":1,"odd key":"x","limits":{"cpu":1,"mem":"2"},"owner":3}',
    [
      'has log-level that is a number, expected string',
      'has ["odd key"] that is a string, expected number',
      'has limits.mem that is a string, expected integer',
      'has owner that is a number, expected string or null',
    ],
  ],
  ['{"server":{"port":8080},"constructor":1}', ['has constructor that is not an allowed property']],
]);

table('json array schema', { type: 'json', schema: { type: 'array', items: { type: 'object', required: ['name'] } } }, [
  ['[{"name":"a"}]', []],
  ['[{"name":"a"},{}]', ['is missing [1].name, which is required']],
  ['[1]', ['has [0] that is a number, expected object']],
  // at most 10 problems per value: the rest add nothing a person would read
  ['[1,2,3,4,5,6,7,8,9,10,11,12]', Array.from({ length: 10 }, (_, i) => `has [${i}] that is a number, expected object`)],
]);

table('json string schema', { type: 'json', schema: { type: 'string', minLength: 2 } }, [
  ['"😀😀"', []],
  ['"😀"', ['is 1 character, shorter than 2']],
]);

table('yaml without a schema', { type: 'yaml' }, [
  ['a: b', []],
  ['', []],
  ['key: [', ['is not valid YAML (line 1: Flow sequence in block collection must be sufficiently indented and end with a ])']],
  ['a: 1\na: 2', ['is not valid YAML (line 2: Map keys must be unique)']],
  ['a: 1\n---\nb: 2', ['holds several YAML documents (---); expected one']],
  ['&a {x: *a}', ['has a YAML alias inside its own anchor (e.g. &a [*a]), so the document never ends']],
]);

table('yaml with a schema', { type: 'yaml', schema: APP_SCHEMA }, [
  ['server:\n  port: 8080\n', []],
  ['server:\n  port: 8080\nowner: équipe\n', []],
  ['server: {port: 0}\nx: 1', ['has server.port that is 0, below the minimum 1', 'has x that is not an allowed property']],
  ['server:\n  port: "8080"', ['has server.port that is a string, expected integer']],
  ['{}', ['is missing server, which is required']],
  ['', ['is null, expected object']],
  ['- server', ['is an array, expected object']],
]);

// Merge keys are applied as PyYAML, SnakeYAML and go-yaml apply them: `<<` is not a property,
// and what it merges counts (it was an ordinary key, refused by additionalProperties: false).
const MERGED_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    defaults: { type: 'object' },
    prod: { type: 'object', required: ['host', 'port'], additionalProperties: false, properties: { host: { type: 'string' }, port: { type: 'integer', maximum: 9999 } } },
  },
};
table('yaml with merge keys', { type: 'yaml', schema: MERGED_SCHEMA }, [
  ['defaults: &d\n  host: db\n  port: 5432\nprod:\n  <<: *d\n  port: 6432\n', []],
  ['defaults: &d\n  host: db\n  port: 99999\nprod:\n  <<: *d\n', ['has prod.port that is 99999, above the maximum 9999']],
  ['defaults: &d\n  host: db\nprod:\n  <<: *d\n', ['is missing prod.port, which is required']],
  ['prod:\n  <<: 5\n  host: a\n  port: 1\n', ['is not valid YAML (Merge sources must be maps or map aliases)']],
]);

describe('coverage of the type tables', () => {
  it('has a table for every declared key type', () => {
    expect([...KEY_TYPES].filter((t) => !covered.has(t))).toEqual([]);
  });
});

// The fix of a list in the wrong format: the same items written as the key wants them (the CORS
// incident: a YAML list where one line, comma-separated, is declared).
describe('inFormat: a list rewritten in the declared format', () => {
  it.each([
    ['- https://shop.example.com\n- https://admin.example.com\n', 'csv', 'https://shop.example.com,https://admin.example.com'],
    ['["a","b"]', 'csv', 'a,b'],
    ['[a, b]', 'lines', 'a\nb'],
    ['a\nb\n', 'csv', 'a,b'],
    ['a,b', 'json', '["a","b"]'],
    ['a,b', 'yaml', '- "a"\n- "b"\n'],
  ] as [string, ListFormat, string][])('%j as %s is %j', (value, format, expected) => {
    expect(inFormat(value, format)).toBe(expected);
  });

  it.each([
    ['already in the format', 'a,b', 'csv'],
    ['not a list', 'hello', 'csv'],
    ['an item with a comma, as csv', '- "a,b"\n- c\n', 'csv'],
    ['an item with a line break, as lines', '["a\\nb","c"]', 'lines'],
    ['a broken JSON array', '[1,', 'csv'],
  ] as [string, string, ListFormat][])('none when %s', (_, value, format) => {
    expect(inFormat(value, format)).toBeUndefined();
  });
});
