// `rollsafe check` reads a manifest as kubectl sends it (src/cli/kubectl-yaml.ts) and refuses, as
// an input error, what kubectl apply then fails on. Every expectation here was seen first with the
// real tools: sigs.k8s.io/yaml v1.6.0 YAMLToJSON (go.yaml.in/yaml/v2 v2.4.4, as kubectl 1.37 is
// built) for the readings, kubectl 1.37 apply --dry-run=server against kube-apiserver 1.37 for
// what is refused.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseDocuments } from '../../src/cli/read-documents.js';
import { rollsafe } from '../helpers/run-cli.js';

/** What kubectl sends for `v: TEXT` (JSON.stringify of the value), and for the key `TEXT:`. */
const readings: [text: string, value: string, key: string][] = [
  ['yes', 'true', 'true'],
  ['Yes', 'true', 'true'],
  ['on', 'true', 'true'],
  ['y', 'true', 'true'],
  ['Y', 'true', 'true'],
  ['True', 'true', 'true'],
  ['NO', 'false', 'false'],
  ['n', 'false', 'false'],
  ['off', 'false', 'false'],
  ['yEs', '"yEs"', 'yEs'],
  ['tRUE', '"tRUE"', 'tRUE'],
  ['0755', '493', '493'],
  ['010', '8', '8'],
  ['-010', '-8', '-8'],
  ['08', '8', '8'],
  ['0o10', '8', '8'],
  ['0x1F', '31', '31'],
  ['0x_1F', '31', '31'],
  ['0b101', '5', '5'],
  ['1_000', '1000', '1000'],
  ['0_1', '1', '1'],
  ['_1', '"_1"', '_1'],
  ['1e3', '1000', '1000'],
  ['1.0', '1', '1'],
  ['1.', '1', '1'],
  ['.5', '0.5', '0.5'],
  // strconv.ParseFloat, which go-yaml v2 uses as is for a scalar starting with '.', takes an underscore between digits
  ['.5_0', '0.5', '0.5'],
  ['.1_2_3', '0.123', '0.123'],
  ['.5__0', '".5__0"', '.5__0'],
  ['._5', '"._5"', '._5'],
  ['.5_e1', '".5_e1"', '.5_e1'],
  ['+12_345', '12345', '12345'],
  ['1:20', '"1:20"', '1:20'],
  ['190:20:30', '"190:20:30"', '190:20:30'],
  ['2024-01-01', '"2024-01-01"', '2024-01-01'],
  ['2024-01-01T10:00:00Z', '"2024-01-01T10:00:00Z"', '2024-01-01T10:00:00Z'],
  ['0xFFFFFFFFFFFFFFFFF', '"0xFFFFFFFFFFFFFFFFF"', '0xFFFFFFFFFFFFFFFFF'],
  ['1,000', '"1,000"', '1,000'],
  ['NaN', '"NaN"', 'NaN'],
  ['infinity', '"infinity"', 'infinity'],
  ['0o', '"0o"', '0o'],
  ['~', 'null', ''],
  ['Null', 'null', ''],
];

describe('manifests are read as kubectl reads them (go-yaml v2, YAML 1.1)', () => {
  it.each(readings)('%s', (text, value, key) => {
    const [doc] = parseDocuments('t.yaml', `v: ${text}\n${text === '~' || text === 'Null' ? '' : `${text}: 1\n`}`);
    const read = doc?.value as Record<string, unknown>;
    expect(JSON.stringify(read.v)).toBe(value);
    // (a null key is refused by sigs.k8s.io/yaml: "unsupported map key"; not tested)
    if (key !== '') expect(Object.keys(read)).toContain(key);
  });

  // go-yaml v2's resolve(tag, text): the text read as without the tag, quoted or not, must be of
  // the tag's type; !!float takes an integer; !!binary is base64 for text; other tags keep the text
  it.each([
    ['!!float 2', '2'],
    ['!!float "2"', '2'],
    ['!!float 1_000', '1000'],
    ['!!float 08', '8'],
    ['!!float 0x1F', '31'],
    ['!!float 1e3', '1000'],
    ['!!int "2"', '2'],
    ['!!int 0b101', '5'],
    ['!!bool "yes"', 'true'],
    ['!!null "~"', 'null'],
    ['!!str 2', '"2"'],
    ['!!timestamp 2024-01-01', '"2024-01-01"'],
    ['!!timestamp 2024-01-01t1:2:3+02:00', '"2024-01-01t1:2:3+02:00"'],
    ['!!binary aGVsbG8=', '"hello"'],
    ['!!binary "aGVsbG8="', '"hello"'],
    ['!!binary |\n  aGVs\n  bG8=', '"hello"'],
    ['!!binary ""', '""'],
    ['!foo 2', '"2"'],
    ['! yes', '"yes"'],
  ])('v: %s', (text, value) => {
    const [doc] = parseDocuments('t.yaml', `v: ${text}\n`);
    expect([JSON.stringify((doc?.value as { v: unknown }).v), doc?.refused]).toEqual([value, undefined]);
  });

  it.each([
    ['!!int 1.5', 'float', 'int'],
    ['!!int 08', 'float', 'int'],
    ['!!int 99999999999999999999', 'float', 'int'],
    ['!!int yes', 'bool', 'int'],
    ['!!int 2024-01-01', 'str', 'int'],
    ['!!float abc', 'str', 'float'],
    ['!!float 1e400', 'str', 'float'],
    ['!!float 18446744073709551615', 'int', 'float'],
    ['!!bool 1', 'int', 'bool'],
    ['!!null x', 'str', 'null'],
    ['!!timestamp 2023-02-29', 'str', 'timestamp'],
    ['!!timestamp 2024-01-01T10:00:00', 'str', 'timestamp'],
  ])('v: %s fails kubectl ("yaml: cannot decode !!%s ... as a !!%s")', (text, is, tag) => {
    const [doc] = parseDocuments('t.yaml', `v: ${text}\n`);
    const written = text.slice(text.indexOf(' ') + 1);
    expect(doc?.refused?.message).toContain(`kubectl apply fails ("yaml: cannot decode !!${is} \`${written}\` as a !!${tag}")`);
  });

  it('!!binary that is not base64 fails kubectl', () => {
    const [doc] = parseDocuments('t.yaml', 'v: !!binary aGVsbG8\n');
    expect(doc?.refused?.message).toContain('("yaml: !!binary value contains invalid base64 data")');
  });

  it('keeps the last of a key written twice in a map, as kubectl does (it creates b, no error)', () => {
    const [doc] = parseDocuments('t.yaml', 'metadata:\n  name: a\n  name: b\n');
    expect(doc?.value).toEqual({ metadata: { name: 'b' } });
  });

  it('applies merge keys, with YAML 1.1 scalars in the merged map', () => {
    const [doc] = parseDocuments('t.yaml', 'base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  x: 3\n');
    // go-yaml v2: {"base":{"true":2,"x":1},"m":{"true":2,"x":3}}
    expect(doc?.value).toEqual({ base: { true: 2, x: 1 }, m: { true: 2, x: 3 } });
  });
});

const dir = mkdtempSync(join(tmpdir(), 'rollsafe-kubectl-reading-'));

function manifest(name: string, { env = '"ok"', label = '', data = '', port = '8080' } = {}): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web${label}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 1000}
      containers:
      - name: web
        image: nginx:1.27.0
        ports: [{containerPort: ${port}}]
        readinessProbe: {httpGet: {path: /, port: ${port}}}
        resources: {requests: {cpu: 1, memory: 64Mi}, limits: {memory: 64Mi}}
        env:
        - name: X
          value: ${env}
${data ? `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata:\n  k: ${data}\n` : ''}`,
  );
  return file;
}

describe('rollsafe check refuses what kubectl apply refuses (exit 2: file, line, path, why, fix)', () => {
  const env = 'spec.template.spec.containers[0].env[0].value';
  it.each([
    ['yes', `${env}: is the boolean true where Kubernetes wants a string (kubectl reads YAML 1.1, in which yes is the boolean true, not text), so kubectl apply refuses it; quote it: value: "yes"`],
    ['on', `${env}: is the boolean true where Kubernetes wants a string (kubectl reads YAML 1.1, in which on is the boolean true, not text), so kubectl apply refuses it; quote it: value: "on"`],
    ['NO', `${env}: is the boolean false where Kubernetes wants a string (kubectl reads YAML 1.1, in which NO is the boolean false, not text), so kubectl apply refuses it; quote it: value: "NO"`],
    ['y', `${env}: is the boolean true where Kubernetes wants a string (kubectl reads YAML 1.1, in which y is the boolean true, not text), so kubectl apply refuses it; quote it: value: "y"`],
    ['0755', `${env}: is the number 493 where Kubernetes wants a string (kubectl reads YAML 1.1, in which 0755 is the number 493, not 755), so kubectl apply refuses it; quote it: value: "0755"`],
    ['1_000', `${env}: is the number 1000 where Kubernetes wants a string (kubectl reads YAML 1.1, in which 1_000 is the number 1000, not text), so kubectl apply refuses it; quote it: value: "1_000"`],
    ['8080', `${env}: is the number 8080 where Kubernetes wants a string, so kubectl apply refuses it; quote it: value: "8080"`],
    ['true', `${env}: is the boolean true where Kubernetes wants a string, so kubectl apply refuses it; quote it: value: "true"`],
  ])('env value: %s', async (value, message) => {
    const file = manifest(`env-${value}`, { env: value });
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([2, `rollsafe: error: ${file}:22: invalid Deployment (document 1): ${message}\n`]);
    expect(r.stdout).toMatch(/^0 object\(s\) checked in 1 file\(s\): .*; 1 input error\(s\) \(on stderr\)/);
  });

  it('a label value that YAML reads as a number: the fix keeps it as written (1.0, not 1)', async () => {
    const file = manifest('label', { label: '\n    version: 1.0' });
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([2, `rollsafe: error: ${file}:7: invalid Deployment (document 1): metadata.labels.version: is the number 1 where Kubernetes wants a string, so kubectl apply refuses it; quote it: version: "1.0"\n`]);
  });

  it('ConfigMap data', async () => {
    const file = manifest('cm', { data: 'yes' });
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([2, `rollsafe: error: ${file}:28: invalid ConfigMap (document 2): data.k: is the boolean true where Kubernetes wants a string (kubectl reads YAML 1.1, in which yes is the boolean true, not text), so kubectl apply refuses it; quote it: k: "yes"\n`]);
  });

  it('a number written as a string: write it without quotes', async () => {
    const file = manifest('port', { port: '"8080"' });
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([2, `rollsafe: error: ${file}:17: invalid Deployment (document 1): spec.template.spec.containers[0].ports[0].containerPort: is the string "8080" where Kubernetes wants a number, so kubectl apply refuses it; write it without quotes: containerPort: 8080\n`]);
  });

  it('several problems: the error is at the line of the first in the file, not of the shallowest path', async () => {
    const file = join(dir, 'several.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    v: 1\ndata:\n  k: 2\n');
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `rollsafe: error: ${file}:6: invalid ConfigMap (document 1):\n` +
        '  data.k: is the number 2 where Kubernetes wants a string, so kubectl apply refuses it; quote it: k: "2" (line 8)\n' +
        '  metadata.labels.v: is the number 1 where Kubernetes wants a string, so kubectl apply refuses it; quote it: v: "1" (line 6)\n',
    ]);
  });

  it('a key written quoted: the fix writes it quoted, control characters as \\u escapes (none reaches the terminal)', async () => {
    const file = join(dir, 'quoted-key.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  "\\e[2Jk": 1\n  \'log level\': 2\n');
    const r = await rollsafe(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(r.stderr).toContain('quote it: "\\u001b[2Jk": "1" (line 5)');
    expect(r.stderr).toContain('quote it: "log level": "2" (line 6)');
  });

  it('a key written twice: kubectl keeps the last, and the message says so at its line', async () => {
    const file = manifest('twice', { env: 'x\n          value: y' });
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([2, `rollsafe: error: ${file}:23: invalid Deployment (document 1): ${env}: is the boolean true (value is written twice in its map; kubectl keeps the last) where Kubernetes wants a string (kubectl reads YAML 1.1, in which y is the boolean true, not text), so kubectl apply refuses it; quote it: value: "y"\n`]);
  });

  it('a ConfigSchema, which kubectl applies too (the CRD: "values[0] in body must be of type string")', async () => {
    const file = join(dir, 'schema.yaml');
    writeFileSync(file, 'apiVersion: rollsafe.dev/v1alpha1\nkind: ConfigSchema\nmetadata: {name: s}\nspec:\n  targets: {configMaps: [x]}\n  keys:\n    MODE: {type: enum, values: [yes, no]}\n');
    const r = await rollsafe(['schema', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('spec.keys.MODE.values[0]: is the boolean true where the ConfigSchema wants a string (kubectl reads YAML 1.1, in which yes is the boolean true, not text), so kubectl apply refuses it; quote it: "yes"');
  });

  it('a tag that does not fit its value: !!int 1.5 (go-yaml: "cannot decode !!float `1.5` as a !!int")', async () => {
    const file = manifest('int-tag', { env: '!!int 1.5' });
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([2, `rollsafe: error: ${file}:22: kubectl cannot send document 1: !!int 1.5 is not an !!int to YAML 1.1 as kubectl reads it (it is a !!float), so kubectl apply fails ("yaml: cannot decode !!float \`1.5\` as a !!int"); remove the tag, or write a value of its type\n`]);
  });

  // kubectl 1.37: `error validating data: kind isn't string type` (apiVersion the same)
  it.each([
    ['kind: 5', 'kind: is the number 5 where Kubernetes wants a string, so kubectl apply refuses it; write the object\'s kind, such as kind: Deployment'],
    ['kind: yes', 'kind: is the boolean true where Kubernetes wants a string (kubectl reads YAML 1.1, in which yes is the boolean true, not text), so kubectl apply refuses it; write the object\'s kind, such as kind: Deployment'],
    ['kind: ConfigMap\napiVersion: 1.0', 'apiVersion: is the number 1 where Kubernetes wants a string, so kubectl apply refuses it; quote it: apiVersion: "1.0"'],
  ])('a kind or apiVersion that is no string is said to be what kubectl reads: %s', async (fields, message) => {
    const file = join(dir, `kind-${fields.replace(/\W/g, '_')}.yaml`);
    writeFileSync(file, `metadata: {name: a}\n${fields}\n`);
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([2, `rollsafe: error: ${file}:${fields.includes('\n') ? 3 : 2}: document 1 is not a Kubernetes object: ${message}\n`]);
  });

  it('.inf and .nan, which kubectl cannot turn into JSON', async () => {
    const file = manifest('inf', { env: '.inf' });
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([2, `rollsafe: error: ${file}:22: kubectl cannot send document 1: YAML 1.1, as kubectl reads it, reads .inf as infinity, which JSON cannot hold, so kubectl apply fails ("error converting YAML to JSON: json: unsupported value: +Inf"); quote it: ".inf"\n`]);
  });
});

describe('rollsafe check accepts what kubectl apply accepts', () => {
  it.each([
    ['quoted', '"yes"'],
    ['a !!str tag', '!!str yes'],
    ['YAML 1.2-only forms that YAML 1.1 reads as text: 1:20', '1:20'],
    ['a date', '2024-01-01'],
    ['0o in another case', '0O'],
    ['null (Helm: absent)', 'null'],
    ['empty', ''],
  ])('env value %s', async (_, value) => {
    const r = await rollsafe(['check', manifest(`ok-${value.replace(/\W/g, '_')}`, { env: value })]);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('explicit tags as kubectl reads them: replicas: !!float 2 is 2, !!binary aGVsbG8= is "hello"', async () => {
    const file = join(dir, 'tags.yaml');
    writeFileSync(file, readFileSync(manifest('tags-base', { env: '!!binary aGVsbG8=', port: '!!float 8080' }), 'utf8').replace('replicas: 2', 'replicas: !!float 2'));
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('a key written twice whose last value is fine, as kubectl keeps it', async () => {
    const r = await rollsafe(['check', '-o', 'json', manifest('twice-ok', { env: '8080\n          value: "8080"' })]);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('passes over a values file with .inf in a searched directory (not a manifest)', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'rollsafe-values-'));
    writeFileSync(join(sub, 'values.yaml'), 'threshold: .inf\n');
    writeFileSync(join(sub, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {A: "1"}\n');
    const r = await rollsafe(['check', '-o', 'json', sub]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ checked: 1, notManifests: 1 });
  });
});

// What the API server refuses while decoding (src/kube/structure.ts, the Kubernetes 1.37 types):
// every field's type and, as kubectl apply validates strictly by default, unknown fields.
// kubectl's own verdict on each form: test/e2e/kube-schema.e2e.test.ts.
describe('rollsafe check refuses fields and types the API server cannot decode', () => {
  const container = 'spec.template.spec.containers[0]';
  const edited = (name: string, from: string, to: string) => {
    const file = join(dir, `${name}.yaml`);
    const text = readFileSync(manifest(`${name}-base`), 'utf8');
    expect(text).toContain(from);
    writeFileSync(file, text.replace(from, to));
    return file;
  };

  it('a misspelt field: the type that lacks it and the field meant', async () => {
    const file = edited('typo', '        resources:', '        imagePullpolicy: Always\n        resource:');
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `rollsafe: error: ${file}:19: invalid Deployment (document 1):\n` +
        `  ${container}.imagePullpolicy: is not a field of Container, so kubectl apply refuses it (unknown field "imagePullpolicy"); did you mean imagePullPolicy? (line 19)\n` +
        `  ${container}.resource: is not a field of Container, so kubectl apply refuses it (unknown field "resource"); did you mean resources? (line 20)\n`,
    ]);
  });

  it('a field at the wrong level: where it belongs', async () => {
    const file = edited('misplaced', '  template:', '  containers: []\n  template:');
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `rollsafe: error: ${file}:10: invalid Deployment (document 1): spec.containers: is not a field of DeploymentSpec, so kubectl apply refuses it (unknown field "containers"); containers is a field of spec.template.spec: move it there\n`,
    ]);
  });

  it('a number in a command, a boolean in a nodeSelector, a fraction of a replica, a map for a list', async () => {
    const file = edited('types', '      containers:', '      nodeSelector: {gpu: yes}\n      containers:').replace('.yaml', '');
    writeFileSync(
      `${file}.yaml`,
      readFileSync(`${file}.yaml`, 'utf8')
        .replace('replicas: 2', 'replicas: 1.5')
        .replace('        resources:', '        command: [sleep, 3600]\n        securityContext: {capabilities: {drop: ALL}}\n        resources:'),
    );
    const r = await rollsafe(['check', `${file}.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(1, -1)).toEqual([
      '  spec.replicas: is the number 1.5 where Kubernetes wants a whole number, so kubectl apply refuses it; write a whole number (line 8)',
      '  spec.template.spec.nodeSelector.gpu: is the boolean true where Kubernetes wants a string (kubectl reads YAML 1.1, in which yes is the boolean true, not text), so kubectl apply refuses it; quote it: gpu: "yes" (line 14)',
      `  ${container}.command[1]: is the number 3600 where Kubernetes wants a string, so kubectl apply refuses it; quote it: "3600" (line 20)`,
      `  ${container}.securityContext.capabilities.drop: is the string "ALL" where Kubernetes wants a list, so kubectl apply refuses it; write its items as a list (each on a line starting with "- ") (line 21)`,
    ]);
  });

  it('--validate ignore passes over unknown fields, as kubectl apply --validate=ignore drops them; wrong types are still refused', async () => {
    const file = edited('ignore', '        resources:', '        resource: {}\n        resources:');
    expect(await rollsafe(['check', '--validate', 'ignore', file])).toMatchObject({ code: 0, stderr: '' });
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: "2"'));
    const r = await rollsafe(['check', '--validate', 'ignore', file]);
    expect([r.code, r.stderr]).toEqual([2, `rollsafe: error: ${file}:8: invalid Deployment (document 1): spec.replicas: is the string "2" where Kubernetes wants a number, so kubectl apply refuses it; write it without quotes: replicas: 2\n`]);
  });

  it('a Secret: what is wrong with a value, never the value, not even in the fix', async () => {
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: hunter2!\n  pin: 1234\nstringData:\n  token: yes\n');
    const r = await rollsafe(['check', '-o', 'json', file]);
    expect(r.code).toBe(2);
    for (const secret of ['hunter2', '1234', 'yes', 'true']) expect([secret, r.stderr, r.stdout]).toEqual([secret, expect.not.stringContaining(secret), expect.not.stringContaining(secret)]);
    expect(r.stderr).toContain("data.password: is not base64 text, so kubectl apply refuses it (a Secret's data holds base64) (the value is not shown: it is a Secret's); put text in stringData instead");
    expect(r.stderr).toContain("stringData.token: is a boolean where Kubernetes wants a string, so kubectl apply refuses it (the value is not shown: it is a Secret's); quote it (line 8)");
  });

  it('a kind the policies skip is still checked for what kubectl refuses: a StatefulSet with a field at the wrong level', async () => {
    const file = join(dir, 'statefulset.yaml');
    writeFileSync(file, 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      replicas: 3\n      containers: [{name: db, image: postgres:16}]\n');
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([2, `rollsafe: error: ${file}:9: invalid StatefulSet (document 1): spec.template.spec.replicas: is not a field of PodSpec, so kubectl apply refuses it (unknown field "replicas"); replicas is a field of spec: move it there\n`]);
  });

  it('lists 20 problems and counts the rest', async () => {
    const file = edited('many', '        env:', `${Array.from({ length: 25 }, (_, i) => `        extra${i}: 1`).join('\n')}\n        env:`);
    const r = await rollsafe(['check', file]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(22);
    expect(lines.at(-1)).toBe('  and 5 more problem(s)');
  });

  it('an apiVersion the API server no longer serves: the one to write (kubectl: no matches for kind)', async () => {
    const file = edited('old-api', 'apiVersion: apps/v1', 'apiVersion: apps/v1beta2');
    const r = await rollsafe(['check', file]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `rollsafe: error: ${file}:1: document 1: Kubernetes 1.37 serves no Deployment in apps/v1beta2, so kubectl apply refuses it (no matches for kind "Deployment" in version "apps/v1beta2"); write apiVersion: apps/v1\n`,
    ]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('apps/v1beta2', 'extensions/v1beta1').replace('  selector: {matchLabels: {app: web}}\n', ''));
    expect((await rollsafe(['check', file])).stderr).toContain('write apiVersion: apps/v1 (and add spec.selector, which apps/v1 requires)');
  });
});
