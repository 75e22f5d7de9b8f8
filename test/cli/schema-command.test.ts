// `rollsafe schema check FILE...` and `rollsafe schema explain [TYPE]`, as a schema author sees them.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { checkValue } from '../../src/schema/compile.js';
import { KEY_TYPES, KeySpec } from '../../src/schema/document.js';
import { TYPE_EXAMPLES } from '../../src/schema/type-examples.js';
import { rollsafe } from '../helpers/run-cli.js';

const DIR = 'test/fixtures/cli/schema';
const DESIGN = 'test/fixtures/schema/design-example.yaml';

describe('rollsafe schema check', () => {
  it('prints one line per valid schema: file, namespace/name, key count and targets (exit 0)', async () => {
    const r = await rollsafe(['schema', 'check', DESIGN, `${DIR}/workers.yaml`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `ok  ${DESIGN}  shop/api-config  9 keys (targets: ConfigMap api-config; Deployments app=api, container api)`,
        `ok  ${DIR}/workers.yaml  jobs/worker-config  1 key (targets: ConfigMap worker-config)`,
        `ok  ${DIR}/workers.yaml  default/worker-env  1 key (targets: Deployments team=jobs,tier in (worker,cron),!legacy)`,
        '',
      ].join('\n'),
    );
  });

  it('reads a directory mounted from a ConfigMap (keys are symlinks into ..data), each file once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-cm-volume-'));
    mkdirSync(join(dir, '..2026_11_23_10_00_00.123'));
    copyFileSync(`${DIR}/workers.yaml`, join(dir, '..2026_11_23_10_00_00.123', 'workers.yaml'));
    symlinkSync('..2026_11_23_10_00_00.123', join(dir, '..data'));
    symlinkSync('..data/workers.yaml', join(dir, 'workers.yaml'));
    const r = await rollsafe(['schema', 'check', dir]);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('ok  '))).toEqual([
      `ok  ${join(dir, 'workers.yaml')}  jobs/worker-config  1 key (targets: ConfigMap worker-config)`,
      `ok  ${join(dir, 'workers.yaml')}  default/worker-env  1 key (targets: Deployments team=jobs,tier in (worker,cron),!legacy)`,
    ]);
    rmSync(dir, { recursive: true });
  });

  it('puts schemas without a namespace in --namespace', async () => {
    const r = await rollsafe(['schema', 'check', '-n', 'batch', `${DIR}/workers.yaml`]);
    expect(r.stdout).toContain('  batch/worker-env  ');
  });

  it('reads stdin when the path is -', async () => {
    const doc = 'apiVersion: rollsafe.dev/v1alpha1\nkind: ConfigSchema\nmetadata: {name: s}\nspec:\n  targets: {configMaps: [c]}\n  keys: {A: {type: port}}\n';
    const r = await rollsafe(['schema', 'check', '-'], doc);
    expect(r.stdout).toBe('ok  <stdin>  default/s  1 key (targets: ConfigMap c)\n');
    expect(r.code).toBe(0);
  });

  it('reports every mistake with file, line, document, path and what is allowed (exit 2, nothing on stdout)', async () => {
    const r = await rollsafe(['schema', 'check', `${DIR}/invalid.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        `rollsafe: error: ${DIR}/invalid.yaml:10: invalid ConfigSchema (document 1):`, // the line of the first problem listed
        '  spec.keys.TIMEOUT: unknown option "maximun" for type duration (did you mean "maximum"?); allowed: minimum, maximum, required, description',
        `  spec.keys.POOL_SIZE.type: "intger" is not a type; did you mean "integer"? Types: ${KEY_TYPES.join(', ')}`,
        '',
      ].join('\n'),
    );
  });

  it('checks every document: valid ones are listed, a document of another kind is an error naming it', async () => {
    const r = await rollsafe(['schema', 'check', `${DIR}/mixed-kinds.yaml`, DESIGN]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(
      `ok  ${DIR}/mixed-kinds.yaml  jobs/worker-config  1 key (targets: ConfigMap worker-config)\n` +
        `ok  ${DESIGN}  shop/api-config  9 keys (targets: ConfigMap api-config; Deployments app=api, container api)\n`,
    );
    expect(r.stderr).toBe(
      `rollsafe: error: ${DIR}/mixed-kinds.yaml:2: document 1 is a ConfigMap, not a ConfigSchema; ` +
        'schema check takes ConfigSchema documents only (rollsafe check takes the other manifests)\n',
    );
  });

  it('walks directories and reports files it cannot read or parse, and files with no document', async () => {
    const dir = await rollsafe(['schema', 'check', DIR]);
    expect(dir.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(dir.stderr.match(/^rollsafe: error: /gm)).toHaveLength(2);

    const missing = await rollsafe(['schema', 'check', 'no/such.yaml', DESIGN]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('rollsafe: error: no/such.yaml: cannot read: no such file or directory (ENOENT)\n');
    expect(missing.stdout).toContain('shop/api-config');

    const empty = await rollsafe(['schema', 'check', '-'], '# nothing here\n');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('rollsafe: error: <stdin>: holds no document; expected ConfigSchema documents\n');

    const yaml = await rollsafe(['schema', 'check', 'test/fixtures/cli/invalid-yaml.yaml']);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/^rollsafe: error: test\/fixtures\/cli\/invalid-yaml\.yaml:9: invalid YAML \(document 2\): /);
  });
});

describe('rollsafe schema explain', () => {
  it('lists every type with its meaning, options and an example, in declaration order', async () => {
    const r = await rollsafe(['schema', 'explain']);
    expect(r.code).toBe(0);
    const headings = r.stdout.split('\n').filter((l) => /^[a-z]+: /.test(l));
    expect(headings.map((l) => l.split(':')[0])).toEqual(KEY_TYPES);
    expect(headings).toContain('integer: a whole number in decimal: 25, -3 (not 25connections, 1e3, 0x10)');
    for (const type of KEY_TYPES) expect(r.stdout).toContain(`    ${TYPE_EXAMPLES[type].key}: {type: ${type}`);
  });

  it('explains one type: option name, type and meaning from the declaration, then an example', async () => {
    const r = await rollsafe(['schema', 'explain', 'duration']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'duration: a Go duration: 300ms, 5s, 1h30m',
        '  options:',
        '    minimum      string   shortest duration accepted, e.g. 1s',
        '    maximum      string   longest duration accepted, e.g. 30s',
        '    required     boolean  the key must be present and not empty',
        '    description  string   what the value is for (shown in messages)',
        '  example (spec.keys of a ConfigSchema):',
        '    TIMEOUT: {type: duration, minimum: 100ms, maximum: 30s}',
        '  a value it accepts (data of a ConfigMap):',
        '    TIMEOUT: 5s',
        '',
      ].join('\n'),
    );
  });

  it('shows list options with their choices, default and item types', async () => {
    const r = await rollsafe(['schema', 'explain', 'list']);
    expect(r.stdout).toMatch(/^ {4}format {7}csv \| lines \| json \| yaml {2}csv: a,b,c .* \(default csv\)$/m);
    expect(r.stdout).toMatch(/^ {4}items +\{type, …\} +the type of every item, declared like a key; type: string, integer, .*, enum$/m);
  });

  it('names the known types when the type is unknown (exit 2)', async () => {
    const r = await rollsafe(['schema', 'explain', 'intger']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`rollsafe: error: schema explain: unknown type "intger"; known types: ${KEY_TYPES.join(', ')}\n`);
  });

  it.each(KEY_TYPES)('shows a %s example that is a valid declaration, with a value it accepts', (type) => {
    const example = TYPE_EXAMPLES[type];
    const spec = KeySpec.parse(example.spec);
    expect(spec.type).toBe(type);
    expect(checkValue(spec, example.value)).toEqual([]);
  });
});

it('shows option values that YAML would read as numbers quoted, as they must be written (yamlVersion: "1.1")', async () => {
  const r = await rollsafe(['schema', 'explain', 'yaml']);
  expect(r.stdout).toMatch(/^    yamlVersion  "1\.1" \| "1\.2"  /m);
});
