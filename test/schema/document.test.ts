// Mistakes in a ConfigSchema document itself (DESIGN.md: "Invalid ConfigSchema documents are
// themselves denied, with the path of the mistake"). Each case pins the lines a user reads: the
// path of the mistake and what is allowed there.
import { describe, expect, it } from '@jest/globals';
import { describeZodError } from '../../src/engine/describe-zod-error.js';
import { ConfigSchemaDocument } from '../../src/schema/document.js';
import { loadSchemas } from '../helpers/fixtures.js';
import { rollsafe } from '../helpers/run-cli.js';

const TYPES = 'string, integer, number, boolean, duration, quantity, port, url, endpoint, enum, list, json, yaml';
const JSON_SCHEMA_KEYWORDS = 'type, properties, required, items, enum, minimum, maximum, minLength, maxLength, pattern, additionalProperties, description';

/** A valid document with one ConfigMap target; each case changes one thing. */
function schemaDocument(spec: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
  return {
    apiVersion: 'rollsafe.dev/v1alpha1',
    kind: 'ConfigSchema',
    metadata: { name: 'api-config', namespace: 'shop' },
    spec: { targets: { configMaps: ['api-config'] }, keys: { POOL_SIZE: { type: 'integer' } }, ...spec },
    ...top,
  };
}
const withKey = (key: string, keySpec: unknown) => schemaDocument({ keys: { [key]: keySpec } });
const withWorkloads = (workloads: unknown) => schemaDocument({ targets: { workloads } });
const matchExpression = (expression: Record<string, unknown>) => withWorkloads([{ selector: { matchExpressions: [{ key: 'app', ...expression }] } }]);
const EXPRESSION = 'spec.targets.workloads[0].selector.matchExpressions[0]';

function problems(doc: unknown): string[] {
  const parsed = ConfigSchemaDocument.safeParse(doc);
  return parsed.success ? [] : describeZodError(parsed.error);
}

describe('valid ConfigSchema documents', () => {
  it('accepts the schema of DESIGN.md, with every key type it shows', () => {
    const [schema] = loadSchemas('test/fixtures/schema-incidents/schema.yaml');
    expect(Object.keys(schema?.spec.keys ?? {})).toEqual(['POOL_SIZE', 'RATE_LIMIT', 'CORS_ORIGINS', 'AUTH_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'LOG_LEVEL', 'TIMEOUT']);
  });

  it('fills the defaults: additionalKeys allow, list format csv', () => {
    const parsed = ConfigSchemaDocument.parse(withKey('ORIGINS', { type: 'list' }));
    expect(parsed.spec.additionalKeys).toBe('allow');
    expect(parsed.spec.keys.ORIGINS).toEqual({ type: 'list', format: 'csv' });
  });

  it.each([
    ['a selector with In and values', matchExpression({ operator: 'In', values: ['api'] })],
    ['a selector with Exists and no values', matchExpression({ operator: 'Exists' })],
    [
      'Kubernetes names and labels of every allowed shape',
      schemaDocument({
        targets: {
          configMaps: ['api-config', 'api.config-2'],
          workloads: [{ selector: { matchLabels: { 'app.kubernetes.io/name': 'api', tier: '' }, matchExpressions: [{ key: 'example.com/tier', operator: 'In', values: ['Web_1'] }] }, containers: ['api', 'sidecar-1'] }],
        },
      }),
    ],
    ['a key named like a file', withKey('app.yaml', { type: 'yaml', schema: { type: 'object', required: ['server'] } })],
    ['quantity bounds written as YAML numbers (maximum: 2)', withKey('CPUS', { type: 'quantity', minimum: 0.5, maximum: 2 })],
    ['a duration bound of 0 written as a number', withKey('TIMEOUT', { type: 'duration', minimum: 0, maximum: '30s' })],
  ])('accepts %s', (_, doc) => {
    expect(problems(doc)).toEqual([]);
  });
});

describe('mistakes in a key declaration', () => {
  it.each([
    ['a misspelt type names it and the type meant', withKey('POOL_SIZE', { type: 'intger' }), [`spec.keys.POOL_SIZE.type: "intger" is not a type; did you mean "integer"? Types: ${TYPES}`]],
    ...([['int', 'integer'], ['bool', 'boolean'], ['String', 'string'], ['url ', 'url'], ['float', 'number'], ['Duration', 'duration']] as const).map(
      ([seen, meant]): [string, ReturnType<typeof withKey>, string[]] => [
        `type ${JSON.stringify(seen)} is shown as written, with the type meant`,
        withKey('KEY', { type: seen }),
        [`spec.keys.KEY.type: ${JSON.stringify(seen)} is not a type; did you mean "${meant}"? Types: ${TYPES}`],
      ],
    ),
    ['a type far from every type lists the types', withKey('KEY', { type: 'secret' }), [`spec.keys.KEY.type: "secret" is not a type; give one of: ${TYPES}`]],
    ['a missing type lists the types', withKey('POOL_SIZE', { minimum: 1 }), [`spec.keys.POOL_SIZE.type: is missing; give one of: ${TYPES}`]],
    [
      'an option of another type lists the options of this type',
      withKey('POOL_SIZE', { type: 'integer', minLength: 1 }),
      ['spec.keys.POOL_SIZE: unknown option "minLength" for type integer; allowed: minimum, maximum, required, description'],
    ],
    [
      'several unknown options are named together',
      withKey('FEATURE_X', { type: 'boolean', default: false, strict: true }),
      ['spec.keys.FEATURE_X: unknown options "default", "strict" for type boolean; allowed: required, description'],
    ],
    [
      'a misspelled option, or one of another schema language, gets a guess',
      withKey('AUTH_URL', { type: 'url', alowLoopback: true }),
      ['spec.keys.AUTH_URL: unknown option "alowLoopback" for type url (did you mean "allowLoopback"?); allowed: schemes, hosts, allowLoopback, required, description'],
    ],
    [
      'min and max, as JSON Schema users write them',
      withKey('POOL_SIZE', { type: 'integer', min: 1, max: 100 }),
      ['spec.keys.POOL_SIZE: unknown options "min", "max" for type integer (did you mean "minimum", "maximum"?); allowed: minimum, maximum, required, description'],
    ],
    [
      'a list option on a url lists the url options',
      withKey('AUTH_URL', { type: 'url', format: 'csv' }),
      ['spec.keys.AUTH_URL: unknown option "format" for type url; allowed: schemes, hosts, allowLoopback, required, description'],
    ],
    ['a quoted number as a bound', withKey('POOL_SIZE', { type: 'integer', minimum: '5' }), ['spec.keys.POOL_SIZE.minimum: is the text "5"; write it without quotes: 5']],
    ['a duration bound without a unit', withKey('TIMEOUT', { type: 'duration', maximum: 30 }), ['spec.keys.TIMEOUT.maximum: is not a duration (e.g. 300ms, 5s, 1h30m)']],
    ['a fraction as an integer bound', withKey('POOL_SIZE', { type: 'integer', maximum: 1.5 }), ['spec.keys.POOL_SIZE.maximum: is 1.5, not a whole number']],
    ['a duration bound without a unit', withKey('TIMEOUT', { type: 'duration', maximum: '30' }), ['spec.keys.TIMEOUT.maximum: is not a duration (e.g. 300ms, 5s, 1h30m)']],
    ['a quantity bound in the wrong unit', withKey('MEMORY', { type: 'quantity', maximum: '1GB' }), ['spec.keys.MEMORY.maximum: is not a Kubernetes quantity (e.g. 500m, 1Gi)']],
    ['a pattern that is not a regular expression', withKey('NAME', { type: 'string', pattern: '([a-z' }), ['spec.keys.NAME.pattern: is not a valid regular expression (JavaScript, with the u flag): Unterminated character class']],
    ['an inline flag of another engine', withKey('NAME', { type: 'string', pattern: '(?i)^abc$' }), ['spec.keys.NAME.pattern: is not a valid regular expression (JavaScript, with the u flag): Invalid group; inline flags such as (?i) are not JavaScript: write the cases out ([Aa]) or use an enum']],
    ['a negative length', withKey('NAME', { type: 'string', minLength: -1 }), ['spec.keys.NAME.minLength: Too small: expected number to be >=0']],
    ['required as a string', withKey('NAME', { type: 'string', required: 'yes' }), ['spec.keys.NAME.required: must be true or false, not a string']],
    ['required as the quoted text "true"', withKey('NAME', { type: 'string', required: 'true' }), ['spec.keys.NAME.required: is the text "true"; write it without quotes: true']],
    [
      'enum values written as numbers',
      withKey('VERBOSITY', { type: 'enum', values: [1, '2'] }),
      ['spec.keys.VERBOSITY.values[0]: is the number 1; quote it: "1"'],
    ],
    ['enum values as one word, not a list', withKey('LOG_LEVEL', { type: 'enum', values: 'info' }), ['spec.keys.LOG_LEVEL.values: must be a list, not a string']],
    ['yamlVersion written as a number', withKey('app.yaml', { type: 'yaml', yamlVersion: 1.1 }), ['spec.keys["app.yaml"].yamlVersion: is the number 1.1; quote it: "1.1"']],
    ['yamlVersion that is no YAML version', withKey('app.yaml', { type: 'yaml', yamlVersion: '1.3' }), ['spec.keys["app.yaml"].yamlVersion: must be "1.1" or "1.2" (unset: checked as both read it)']],
    ['an enum without values', withKey('LOG_LEVEL', { type: 'enum' }), ['spec.keys.LOG_LEVEL.values: is required']],
    ['an enum with no values', withKey('LOG_LEVEL', { type: 'enum', values: [] }), ['spec.keys.LOG_LEVEL.values: Too small: expected array to have >=1 items']],
    ['an upper-case URL scheme', withKey('AUTH_URL', { type: 'url', schemes: ['HTTPS'] }), ['spec.keys.AUTH_URL.schemes[0]: is not a URL scheme (lower case, e.g. https)']],
    ...['https://auth.example.com', 'auth.example.com:443', '*', '*.', 'auth.example.com/oauth'].map((host): [string, ReturnType<typeof withKey>, string[]] => [
      `an allowed host written as ${host}`,
      withKey('AUTH_URL', { type: 'url', hosts: ['auth.shop.svc', host] }),
      ['spec.keys.AUTH_URL.hosts[1]: is not a host name: give the name alone (auth.example.com), without scheme, port or path; *.example.com allows its sub-domains'],
    ]),
    ['an unknown list format', withKey('ORIGINS', { type: 'list', format: 'tsv' }), ['spec.keys.ORIGINS.format: must be one of "csv", "lines", "json", "yaml"']],
    [
      'a list of lists',
      withKey('ORIGINS', { type: 'list', items: { type: 'list' } }),
      ['spec.keys.ORIGINS.items.type: "list" is not a list item type; give one of: string, integer, number, boolean, duration, quantity, port, url, endpoint, enum'],
    ],
    ['a mistake inside list items', withKey('PORTS', { type: 'list', items: { type: 'integer', minimum: 'x' } }), ['spec.keys.PORTS.items.minimum: must be a number, not a string']],
    ['a list item type misspelt', withKey('PORTS', { type: 'list', items: { type: 'Port' } }), ['spec.keys.PORTS.items.type: "Port" is not a list item type; did you mean "port"? Types: string, integer, number, boolean, duration, quantity, port, url, endpoint, enum']],
    ['a key declared as a bare type name', withKey('POOL_SIZE', 'integer'), ['spec.keys.POOL_SIZE: must be a map, not a string']],
  ])('%s', (_, doc, lines) => {
    expect(problems(doc)).toEqual(lines);
  });
});

describe('mistakes in the JSON Schema of a json or yaml key', () => {
  it.each([
    [
      'an unsupported keyword at the top',
      withKey('app.json', { type: 'json', schema: { oneOf: [] } }),
      [`spec.keys["app.json"].schema: unsupported JSON Schema keyword "oneOf"; supported: ${JSON_SCHEMA_KEYWORDS}`],
    ],
    [
      'an unsupported keyword deep inside',
      withKey('app.yaml', { type: 'yaml', schema: { type: 'object', properties: { owner: { type: 'string', format: 'email' } } } }),
      [`spec.keys["app.yaml"].schema.properties.owner: unsupported JSON Schema keyword "format"; supported: ${JSON_SCHEMA_KEYWORDS}`],
    ],
    [
      'an unknown JSON type',
      withKey('app.yaml', { type: 'yaml', schema: { type: 'obj' } }),
      ['spec.keys["app.yaml"].schema.type: must be one of "object", "array", "string", "number", "integer", "boolean", "null"'],
    ],
    ['a bad pattern', withKey('app.json', { type: 'json', schema: { pattern: '(' } }), ['spec.keys["app.json"].schema.pattern: is not a valid regular expression (JavaScript, with the u flag): Unterminated group']],
  ])('%s', (_, doc, lines) => {
    expect(problems(doc)).toEqual(lines);
  });
});

describe('mistakes in targets and the rest of the document', () => {
  it.each([
    ['an operator that does not exist', matchExpression({ operator: 'Is', values: ['api'] }), [`${EXPRESSION}.operator: must be one of "In", "NotIn", "Exists", "DoesNotExist"`]],
    ['In without values', matchExpression({ operator: 'In' }), [`${EXPRESSION}.values: operator In needs at least one value`]],
    ['NotIn with an empty list', matchExpression({ operator: 'NotIn', values: [] }), [`${EXPRESSION}.values: operator NotIn needs at least one value`]],
    ['Exists with values', matchExpression({ operator: 'Exists', values: ['api'] }), [`${EXPRESSION}.values: operator Exists takes no values`]],
    ['a misspelt selector field', withWorkloads([{ selector: { matchLabel: { app: 'api' } } }]), ['spec.targets.workloads[0].selector: unknown key "matchLabel"']],
    ['targets naming nothing', schemaDocument({ targets: {} }), ['spec.targets: names no ConfigMap and no workload, so the schema would check nothing']],
    ['targets with empty lists', schemaDocument({ targets: { configMaps: [], workloads: [] } }), ['spec.targets: names no ConfigMap and no workload, so the schema would check nothing']],
    [
      'a ConfigMap name Kubernetes would refuse',
      schemaDocument({ targets: { configMaps: ['Api_Config'] } }),
      ['spec.targets.configMaps[0]: is not a ConfigMap name (lower-case letters, digits, "-" and "."), so no ConfigMap could match it'],
    ],
    [
      'a container name Kubernetes would refuse',
      withWorkloads([{ selector: { matchLabels: { app: 'api' } }, containers: ['API'] }]),
      ['spec.targets.workloads[0].containers[0]: is not a container name (lower-case letters, digits and "-"), so no container could match it'],
    ],
    [
      'a label key with a space',
      withWorkloads([{ selector: { matchLabels: { 'app name': 'api' } } }]),
      ['spec.targets.workloads[0].selector.matchLabels["app name"]: is not a label key (letters, digits, "-", "_" and ".", starting and ending with a letter or digit, e.g. app or example.com/tier); no Deployment can carry it'],
    ],
    [
      'a label value with a space',
      withWorkloads([{ selector: { matchLabels: { app: 'my api' } } }]),
      ['spec.targets.workloads[0].selector.matchLabels.app: is not a label value (letters, digits, "-", "_" and ".", starting and ending with a letter or digit); no Deployment can carry it'],
    ],
    [
      'an expression on an invalid label key and value',
      withWorkloads([{ selector: { matchExpressions: [{ key: '-app', operator: 'In', values: ['a b'] }] } }]),
      [
        `${EXPRESSION}.key: is not a label key (letters, digits, "-", "_" and ".", starting and ending with a letter or digit, e.g. app or example.com/tier); no Deployment can carry it`,
        `${EXPRESSION}.values[0]: is not a label value (letters, digits, "-", "_" and ".", starting and ending with a letter or digit); no Deployment can carry it`,
      ],
    ],
    ['no keys at all', schemaDocument({ keys: {} }), ['spec.keys: declares no key, so the schema would check nothing; declare at least one']],
    ['an unknown additionalKeys action', schemaDocument({ additionalKeys: 'ignore' }), ['spec.additionalKeys: must be one of "allow", "warn", "deny"']],
    ['a misspelt spec field', schemaDocument({ key: {} }), ['spec: unknown key "key"']],
    ['a wrong apiVersion', schemaDocument({}, { apiVersion: 'rollsafe.dev/v1' }), ['apiVersion: must be one of "rollsafe.dev/v1alpha1"']],
    ['no metadata.name', schemaDocument({}, { metadata: { namespace: 'shop' } }), ['metadata.name: is required']],
    ['a key name that is not a ConfigMap key', schemaDocument({ keys: { 'pool size': { type: 'integer' } } }), ['spec.keys["pool size"]: is not a valid ConfigMap key or env var name']],
    [
      'bounds that exclude every value',
      schemaDocument({
        keys: {
          A: { type: 'integer', minimum: 10, maximum: 5 },
          B: { type: 'duration', minimum: '1m', maximum: '30s' },
          C: { type: 'list', minItems: 3, maxItems: 1, items: { type: 'string', minLength: 5, maxLength: 2 } },
        },
      }),
      [
        'spec.keys.A.minimum: is 10, above maximum 5, so no value could pass',
        'spec.keys.B.minimum: is 1m, above maximum 30s, so no value could pass',
        'spec.keys.C.minItems: is 3, above maxItems 1, so no value could pass',
        'spec.keys.C.items.minLength: is 5, above maxLength 2, so no value could pass',
      ],
    ],
    [
      'bounds that exclude every value beside another key\'s mistake (one pass shows both)',
      schemaDocument({ keys: { A: { type: 'integr' }, M: { type: 'integer', minimum: 10, maximum: 1 } } }),
      [
        `spec.keys.A.type: "integr" is not a type; did you mean "integer"? Types: ${TYPES}`,
        'spec.keys.M.minimum: is 10, above maximum 1, so no value could pass',
      ],
    ],
  ])('%s', (_, doc, lines) => {
    expect(problems(doc)).toEqual(lines);
  });

  it('reports every mistake of a document, shallow first', () => {
    const doc = schemaDocument({ targets: {}, keys: { POOL_SIZE: { type: 'integer', minimum: '1' }, LOG_LEVEL: { type: 'enum', values: [], case: 'insensitive' } } }, { apiVersion: 'v1' });
    expect(problems(doc)).toEqual([
      'apiVersion: must be one of "rollsafe.dev/v1alpha1"',
      'spec.targets: names no ConfigMap and no workload, so the schema would check nothing',
      'spec.keys.LOG_LEVEL: unknown option "case" for type enum; allowed: values, required, description',
      'spec.keys.POOL_SIZE.minimum: is the text "1"; write it without quotes: 1',
      'spec.keys.LOG_LEVEL.values: Too small: expected array to have >=1 items',
    ]);
  });
});

describe('rollsafe check on an invalid ConfigSchema', () => {
  it('exits 2 and names the file, the document and the path of the mistake', async () => {
    const file = 'test/fixtures/schema/invalid-config-schema.yaml';
    const r = await rollsafe(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/; 1 input error\(s\) \(on stderr\)/);
    expect(r.stderr).toContain(`${file}:16: invalid ConfigSchema (document 2):`); // the line of the mistake
    expect(r.stderr).toContain(`  spec.keys.POOL_SIZE.type: "intger" is not a type; did you mean "integer"? Types: ${TYPES}`);
  });
});

describe('allowed hosts', () => {
  it.each(['auth.shop.svc.cluster.local', '*.example.com', 'AUTH.Example.com.', 'db_primary.internal', '10.0.0.7', '2001:db8::1', 'localhost'])('accepts %s', (host) => {
    expect(problems(withKey('AUTH_URL', { type: 'endpoint', hosts: [host] }))).toEqual([]);
  });
});

it('refuses a host longer than a host name can be, without trying the pattern on it', () => {
  expect(problems(withKey('AUTH_URL', { type: 'url', hosts: [`${'a'.repeat(100_000)}-`] }))).toEqual(['spec.keys.AUTH_URL.hosts[0]: is longer than a host name can be (253 characters)']);
});
