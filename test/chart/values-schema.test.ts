// values.schema.json: generated from scripts/values-schema.ts and the policy configuration's zod
// schema, and the messages an admin sees when `helm install` refuses a wrong value (issue 7).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VALUES_SCHEMA_FILE, valuesSchemaJson } from '../../scripts/values-schema.js';
import { ROOT } from '../helpers/spawn-cli.js';
import { CHART, HELM_BUILD_TIMEOUT_MS, helm, installHelm, only, parseObjects, renderText } from './helm.js';

beforeAll(() => {
  installHelm();
}, HELM_BUILD_TIMEOUT_MS);

test('values.schema.json is what scripts/gen-values-schema.ts writes (run it after changing the chart values or the policy configuration)', () => {
  expect(readFileSync(join(ROOT, VALUES_SCHEMA_FILE), 'utf8')).toBe(valuesSchemaJson());
});

const HEADER = "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nrollsafe:\n";

// [what is wrong, helm arguments, the lines Helm prints under HEADER]
const REFUSED: readonly [string, string[], string][] = [
  ['a failurePolicy the API server does not know', ['--set', 'webhook.failurePolicy=Never'], "- at '/webhook/failurePolicy': value must be one of 'Fail', 'Ignore'"],
  ['a webhook timeout above the API server maximum of 30 s', ['--set', 'webhook.timeoutSeconds=45'], "- at '/webhook/timeoutSeconds': maximum: got 45, want 30"],
  ['a replica count that is not a number', ['--set', 'replicaCount=two'], "- at '/replicaCount': got string, want integer"],
  ['an unknown certificate mode', ['--set', 'certificates.mode=vault'], "- at '/certificates/mode': value must be one of 'selfSigned', 'certManager', 'secret'"],
  [
    'certificates.mode=secret without the Secret and its CA',
    ['--set', 'certificates.mode=secret'],
    "- at '/certificates/secret/caBundle': '' does not match pattern '-----BEGIN CERTIFICATE-----'\n- at '/certificates/secret/name': minLength: got 0, want 1",
  ],
  ['a misspelt top-level key', ['--set', 'replicas=3'], "- at '': additional properties 'replicas' not allowed"],
  // Helm deletes a key set to null: the templates then failed with a nil pointer or deepCopy error.
  ['a section set to null', ['--set', 'config=null'], "- at '': missing property 'config'"],
  ['a misspelt key in a section', ['--set', 'webhook.timeout=10'], "- at '/webhook': additional properties 'timeout' not allowed"],
  ['a policy action that does not exist', ['--set', 'config.policies.replicas=block'], "- at '/config/policies/replicas': 'anyOf' failed\n  - at '/config/policies/replicas': value must be one of 'deny', 'warn', 'audit', 'off', false"],
  ['a policy action true (an unquoted on or yes in a values file)', ['--set', 'config.policies.replicas=true'], "- at '/config/policies/replicas': 'anyOf' failed\n  - at '/config/policies/replicas': value must be one of 'deny', 'warn', 'audit', 'off', false"],
  ['an unknown policy id', ['--set', 'config.policies.replica=off'], "- at '/config/policies': additional properties 'replica' not allowed"],
  // The server refused these at start-up while helm rendered them: a selector operator the API server does not know,
  // and a namespace pattern (there are none in names or selectors) that would have matched nothing.
  [
    'a namespace selector operator in lower case',
    ['--set-json', 'config.namespaceOverrides=[{"namespaceSelector":{"matchExpressions":[{"key":"team","operator":"in","values":["a"]}]},"policies":{"replicas":"deny"}}]'],
    "  - at '/config/namespaceOverrides/0/namespaceSelector/matchExpressions/0/operator': value must be one of 'In', 'NotIn', 'Exists', 'DoesNotExist'",
  ],
  // The server's loader refuses these too (In and NotIn need values, Exists and DoesNotExist take none): a fresh
  // install's pods exited 78 while helm had rendered them (found by a README review).
  [
    'a namespace selector operator In without values',
    ['--set-json', 'config.namespaceOverrides=[{"namespaceSelector":{"matchExpressions":[{"key":"team","operator":"In"}]},"policies":{"replicas":"deny"}}]'],
    "    - at '/config/namespaceOverrides/0/namespaceSelector/matchExpressions/0': missing property 'values'",
  ],
  [
    'a namespace selector operator Exists with values',
    ['--set-json', 'config.namespaceOverrides=[{"namespaceSelector":{"matchExpressions":[{"key":"team","operator":"Exists","values":["a"]}]},"policies":{"replicas":"deny"}}]'],
    "      - at '/config/namespaceOverrides/0/namespaceSelector/matchExpressions/0/values': maxItems: got 1, want 0",
  ],
  ['a namespace pattern in config.excludeNamespaces', ['--set', 'config.excludeNamespaces={team-*}'], "- at '/config/excludeNamespaces/0': 'team-*' does not match pattern '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'"],
  ['a container without a memory limit', ['--set', 'resources.limits.memory=null'], "- at '/resources/limits': missing property 'memory'"],
  ['a cpu request that is not a quantity', ['--set', 'resources.requests.cpu=abc'], "- at '/resources/requests/cpu': 'anyOf' failed"],
  ['a negative cpu request', ['--set-json', 'resources.requests.cpu=-1'], "- at '/resources/requests/cpu': 'anyOf' failed\n  - at '/resources/requests/cpu': minimum: got -1, want 0"],
  ['a memory limit with a lower-case binary suffix', ['--set', 'resources.limits.memory=256mi'], "- at '/resources/limits/memory': 'anyOf' failed"],
];

describe.each(REFUSED)('helm install refuses %s', (_what, args, lines) => {
  test.each([['template'], ['lint']])('helm %s prints the path and what is allowed', (command) => {
    const r = command === 'template' ? helm(['template', 'rollsafe', CHART, ...args]) : helm(['lint', '--strict', CHART, ...args]);
    expect(r.code).toBe(1);
    // Helm lists several problems in no fixed order (seen both ways): each line must be there.
    const out = command === 'template' ? r.stderr : r.stdout;
    expect(out).toContain(command === 'template' ? HEADER : '[ERROR] values.yaml: - at ');
    const printed = out.split('\n').map((l) => l.replace(/^\[ERROR\] values\.yaml: /, ''));
    for (const line of lines.split('\n')) expect(printed).toContain(line);
  });
});

describe('container resources: any resource name, and every form of a Kubernetes quantity', () => {
  // A values file, so numbers arrive as YAML numbers (as in a user's my-values.yaml).
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rollsafe-values-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const renderResources = (yaml: string) => {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, yaml);
    const deployment = only(parseObjects(renderText(['-f', file])), 'Deployment');
    return (deployment.spec as { template: { spec: { containers: { resources: unknown }[] } } }).template.spec.containers[0]?.resources;
  };

  test('numbers, exponents and extra resource names are accepted and rendered as quantity strings', () => {
    const resources = renderResources(
      [
        'resources:',
        '  requests: {cpu: 0.5, memory: "1e9", ephemeral-storage: 1Gi, hugepages-2Mi: 2Mi, nvidia.com/gpu: 1}',
        '  limits: {cpu: 1, memory: 2000000000, ephemeral-storage: 2E3, example.com/foo: .5k}',
        '',
      ].join('\n'),
    );
    expect(resources).toEqual({
      requests: { cpu: '0.5', memory: '1e9', 'ephemeral-storage': '1Gi', 'hugepages-2Mi': '2Mi', 'nvidia.com/gpu': '1' },
      // Helm reads 2E3 as the number 2000.
      limits: { cpu: '1', memory: '2000000000', 'ephemeral-storage': '2000', 'example.com/foo': '.5k' },
    });
  });

  test('every suffix of the quantity grammar is accepted', () => {
    for (const q of ['1n', '1u', '100m', '1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei', '1e3', '1E-3', '1.5e+2', '1.']) {
      expect(() => renderText(['--set-string', `resources.requests.cpu=${q}`])).not.toThrow();
    }
  });

  test('a resource name that is not a qualified name is refused', () => {
    const r = helm(['template', 'rollsafe', CHART, '--set-json', 'resources.requests={"cpu":"1","memory":"1Gi","bad name":"1"}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("invalid propertyName 'bad name'");
  });
});
