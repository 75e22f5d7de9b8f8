// yaml values (and yaml lists) as YAML 1.1 parsers read them: PyYAML, SnakeYAML and go-yaml v2
// read `NO` as false and `010` as 8, where YAML 1.2 (what rollsafe parses with) reads the text
// "NO" and 10. Unset, `yamlVersion` checks both readings; "1.1" or "1.2" checks that one only.
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { checkValue } from '../../src/schema/compile.js';
import { ConfigSchemaSpec, KeySpec } from '../../src/schema/document.js';
import { divergencesOf, mayReadDifferently, parseYamlDocument } from '../../src/schema/yaml11.js';

const check = (raw: Record<string, unknown>, value: string, key = 'app.yaml') => checkValue(KeySpec.parse(raw), value, key);
const yamlOf = (properties: Record<string, unknown>, more: Record<string, unknown> = {}) => ({ type: 'yaml', schema: { type: 'object', properties }, ...more });

const BOOL_READERS = 'PyYAML, SnakeYAML and go-yaml v2';
const INT_READERS = 'PyYAML, SnakeYAML, go-yaml v2 and v3';

describe('a yaml value whose YAML 1.1 reading breaks the schema', () => {
  it('NO for a string: the Norway problem', () => {
    expect(check(yamlOf({ country: { type: 'string' } }), 'country: NO\ncity: Oslo\n')).toEqual([
      `has country "NO", which ${BOOL_READERS} read as the boolean false (YAML 1.1), so it is a boolean, expected string; quote it: "NO"`,
    ]);
  });

  it.each(['on', 'off', 'yes', 'Off', 'YES'])('%s for a string', (word) => {
    const [problem] = check(yamlOf({ mode: { type: 'string' } }), `mode: ${word}`);
    expect(problem).toMatch(new RegExp(`^has mode "${word}", which ${BOOL_READERS} read as the boolean (true|false) \\(YAML 1\\.1\\), so it is a boolean, expected string; quote it: "${word}"$`));
  });

  it('y for a string: a boolean to go-yaml v2 only', () => {
    expect(check(yamlOf({ axis: { type: 'string' } }), 'axis: y')).toEqual([
      'has axis "y", which go-yaml v2 read as the boolean true (YAML 1.1), so it is a boolean, expected string; quote it: "y"',
    ]);
  });

  it('010 for an integer with bounds: 10 to YAML 1.2, octal 8 to YAML 1.1', () => {
    expect(check(yamlOf({ workers: { type: 'integer', minimum: 9, maximum: 64 } }), 'workers: 010')).toEqual([
      `has workers "010", which ${INT_READERS} read as the number 8 (YAML 1.1; YAML 1.2 reads 10), so it is 8, below the minimum 9; write it without the leading zero`,
    ]);
  });

  it('1:20 (sexagesimal) for a string', () => {
    expect(check(yamlOf({ start: { type: 'string' } }), 'start: 1:20')).toEqual([
      'has start "1:20", which PyYAML and SnakeYAML read as the number 80 (YAML 1.1), so it is a number, expected string; quote it: "1:20"',
    ]);
  });

  it('a date for a string', () => {
    expect(check(yamlOf({ since: { type: 'string' } }), 'since: 2024-01-31')).toEqual([
      'has since "2024-01-31", which PyYAML, SnakeYAML and go-yaml v3 read as a date (YAML 1.1), so it is a date, expected string; quote it: "2024-01-31"',
    ]);
  });

  it('0b101 and 1_000 for strings', () => {
    expect(check(yamlOf({ a: { type: 'string' }, b: { type: 'string' } }), 'a: 0b101\nb: 1_000')).toEqual([
      `has a "0b101", which ${INT_READERS} read as the number 5 (YAML 1.1), so it is a number, expected string; quote it: "0b101"`,
      `has b "1_000", which ${INT_READERS} read as the number 1000 (YAML 1.1), so it is a number, expected string; quote it: "1_000"`,
    ]);
  });

  it('0o10 for an integer: 8 to YAML 1.2, text to PyYAML and SnakeYAML', () => {
    expect(check(yamlOf({ mask: { type: 'integer' } }), 'mask: 0o10')).toEqual([
      'has mask "0o10", which PyYAML and SnakeYAML read as the text "0o10" (YAML 1.1; YAML 1.2 reads 8), so it is a string, expected integer; write it in decimal: 8',
    ]);
  });

  it('a key: on is true to YAML 1.1, once however many problems that makes', () => {
    const schema = { type: 'yaml', schema: { type: 'object', required: ['on'], additionalProperties: false, properties: { on: { type: 'string' } } } };
    expect(check(schema, 'on: push')).toEqual([
      `has key "on", which ${BOOL_READERS} read as the boolean true (YAML 1.1), so the document is missing on, which is required; quote it: "on"`,
    ]);
  });

  it('nested, in a sequence', () => {
    const schema = { type: 'yaml', schema: { type: 'object', properties: { countries: { type: 'array', items: { type: 'string', pattern: '^[A-Z]{2}$' } } } } };
    expect(check(schema, 'countries: [SE, NO, DK]')).toEqual([
      `has countries[1] "NO", which ${BOOL_READERS} read as the boolean false (YAML 1.1), so it is a boolean, expected string; quote it: "NO"`,
    ]);
  });
});

describe('a yaml value both readings accept, or the 1.2 reading refuses already', () => {
  it.each([
    ['quoted "NO"', yamlOf({ country: { type: 'string' } }), 'country: "NO"'],
    ["single-quoted 'on'", yamlOf({ mode: { type: 'string' } }), "mode: 'on'"],
    ['!!str NO', yamlOf({ country: { type: 'string' } }), 'country: !!str NO'],
    ['true for a boolean', yamlOf({ enabled: { type: 'boolean' } }), 'enabled: true'],
    ['010 for an integer that 8 and 10 both satisfy', yamlOf({ port: { type: 'integer', minimum: 1, maximum: 65535 } }), 'port: 010'],
    ['no for a field the schema does not type', yamlOf({}), 'country: NO'],
    ['no schema at all', { type: 'yaml' }, 'country: NO'],
    ['NO for a string with yamlVersion 1.2', yamlOf({ country: { type: 'string' } }, { yamlVersion: '1.2' }), 'country: NO'],
    ['on for a boolean with yamlVersion 1.1', yamlOf({ enabled: { type: 'boolean' } }, { yamlVersion: '1.1' }), 'enabled: on'],
    ['0644 below 0777 with yamlVersion 1.1 (420 to YAML 1.1, 644 to 1.2)', yamlOf({ mode: { type: 'integer', maximum: 511 } }, { yamlVersion: '1.1' }), 'mode: 0644'],
    ['prose with "no" in a string', yamlOf({ note: { type: 'string' } }), 'note: no retries on timeout'],
  ])('%s', (_, raw, value) => {
    expect(check(raw, value)).toEqual([]);
  });

  it('010 for a string: both readings are numbers, told as YAML 1.2 does', () => {
    expect(check(yamlOf({ mode: { type: 'string' } }), 'mode: 010')).toEqual(['has mode that is a number, expected string']);
  });

  it('on for a boolean, unset: the YAML 1.2 reading (text) is refused, once', () => {
    expect(check(yamlOf({ enabled: { type: 'boolean' } }), 'enabled: on')).toEqual(['has enabled that is a string, expected boolean']);
  });
});

describe('yamlVersion 1.1: the value as YAML 1.1 reads it, only', () => {
  it('NO for a string', () => {
    expect(check(yamlOf({ country: { type: 'string' } }, { yamlVersion: '1.1' }), 'country: NO')).toEqual([
      `has country "NO", which ${BOOL_READERS} read as the boolean false (YAML 1.1), so it is a boolean, expected string; quote it: "NO"`,
    ]);
  });

  it('010 for a string: quote it, not "without the leading zero"', () => {
    expect(check(yamlOf({ mode: { type: 'string' } }, { yamlVersion: '1.1' }), 'mode: 010')).toEqual([
      `has mode "010", which ${INT_READERS} read as the number 8 (YAML 1.1; YAML 1.2 reads 10), so it is a number, expected string; quote it: "010"`,
    ]);
  });

  it('a problem no scalar explains is told as usual', () => {
    expect(check(yamlOf({ port: { type: 'integer' } }, { yamlVersion: '1.1' }), 'port: http')).toEqual(['has port that is a string, expected integer']);
  });
});

describe('a yaml list of typed items', () => {
  const strings = { type: 'list', format: 'yaml', items: { type: 'string' } };

  it('on, off and yes in a list of strings', () => {
    expect(check(strings, '- on\n- "off"\n- off\n- x\n- yes')).toEqual([
      `has item 1 "on", which ${BOOL_READERS} read as the boolean true (YAML 1.1), so it is not text; quote it: "on"`,
      `has item 3 "off", which ${BOOL_READERS} read as the boolean false (YAML 1.1), so it is not text; quote it: "off"`,
      `has item 5 "yes", which ${BOOL_READERS} read as the boolean true (YAML 1.1), so it is not text; quote it: "yes"`,
    ]);
  });

  it('a flow sequence too', () => {
    expect(check(strings, '[NO, SE]')).toEqual([`has item 1 "NO", which ${BOOL_READERS} read as the boolean false (YAML 1.1), so it is not text; quote it: "NO"`]);
  });

  it('010 in a list of integers with bounds', () => {
    expect(check({ type: 'list', format: 'yaml', items: { type: 'integer', minimum: 9 } }, '- 12\n- 010')).toEqual([
      `has item 2 "010", which ${INT_READERS} read as the number 8 (YAML 1.1; YAML 1.2 reads 10), so it is below the minimum 9; write it without the leading zero`,
    ]);
  });

  it.each([
    ['quoted items', strings, '- "on"\n- \'off\''],
    ['yamlVersion 1.2', { ...strings, yamlVersion: '1.2' }, '- on\n- off'],
    ['no item type', { type: 'list', format: 'yaml' }, '- on\n- off'],
    ['yes and off for booleans with yamlVersion 1.1', { type: 'list', format: 'yaml', yamlVersion: '1.1', items: { type: 'boolean' } }, '- yes\n- off'],
  ])('accepts %s', (_, raw, value) => {
    expect(check(raw, value)).toEqual([]);
  });

  it('a csv list is not YAML: its "on" is the text on', () => {
    expect(check({ type: 'list', format: 'csv', items: { type: 'string' } }, 'on,off')).toEqual([]);
  });
});

describe('secrets', () => {
  it('a secret-looking key: neither the scalar nor its readings are shown', () => {
    expect(check(yamlOf({ pin: { type: 'integer', minimum: 9 } }), 'pin: 010', 'DB_PASSWORD')).toEqual([
      `has pin "<masked>", which ${INT_READERS} read as a number (YAML 1.1; YAML 1.2 reads another number), so it is below the minimum 9; write it without the leading zero`,
    ]);
  });

  it('a secret-looking field in a document', () => {
    expect(check(yamlOf({ db: { type: 'object', properties: { password: { type: 'string' } } } }), 'db:\n  password: off')).toEqual([
      `has db.password "<masked>", which ${BOOL_READERS} read as a boolean (YAML 1.1), so it is a boolean, expected string; quote it`,
    ]);
  });

  it('a list under a secret-looking key', () => {
    expect(check({ type: 'list', format: 'yaml', items: { type: 'string' } }, '- on', 'API_TOKENS')).toEqual([
      `has item 1 "<masked>", which ${BOOL_READERS} read as a boolean (YAML 1.1), so it is not text; quote it`,
    ]);
  });
});

describe('the ConfigSchema option', () => {
  const spec = (key: Record<string, unknown>) => ConfigSchemaSpec.safeParse({ targets: { configMaps: ['app'] }, keys: { k: key } });
  const messages = (key: Record<string, unknown>) => {
    const r = spec(key);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('takes "1.1" and "1.2" on yaml keys and yaml lists', () => {
    expect(messages({ type: 'yaml', yamlVersion: '1.1' })).toEqual([]);
    expect(messages({ type: 'list', format: 'yaml', yamlVersion: '1.2' })).toEqual([]);
  });

  it('says to quote an unquoted 1.1, which YAML reads as a number', () => {
    expect(messages({ type: 'yaml', yamlVersion: 1.1 })).toEqual(['keys.k.yamlVersion: is the number 1.1; quote it: "1.1"']);
  });

  it('refuses it on a list in another format', () => {
    expect(messages({ type: 'list', format: 'csv', yamlVersion: '1.1' })).toEqual(['keys.k.yamlVersion: applies to format yaml only; this list is csv']);
  });
});

describe('the scalars YAML 1.1 reads otherwise', () => {
  const forms = ['NO', 'no', 'On', 'OFF', 'y', 'N', '010', '-010', '0b101', '0o17', '1_000', '0x_1F', '1_000.5', '1:20', '190:20:30', '1:20.5', '2024-01-31', '2001-12-14 21:59:43.10 -5'];

  it.each(forms)('%s is found in every place a scalar can be, and its YAML 1.2 reading is yaml\'s', (form) => {
    for (const text of [`k: ${form}`, `- ${form}`, `[${form}]`, `{a: ${form}}`, `{"a":${form}}`, `${form}: v`, `a:\n  - b: ${form}`]) {
      expect(mayReadDifferently(text)).toBe(true);
      const { values, keys } = divergencesOf(parseYamlDocument(text, '1.1'));
      const found = [...values.values(), ...keys.values()];
      expect(found.map((d) => d.text)).toContain(form);
      for (const d of found) expect(d.as12).toEqual(parse(d.text));
    }
  });

  it.each(['08', '1e3', '0x1F', '.5', '+12', 'true', '~', '0:30', 'Norway', 'noon', 'yes-man', 'host:8080'])('%s reads the same to both', (text) => {
    const { values } = divergencesOf(parseYamlDocument(`k: ${text}`, '1.1'));
    expect([...values.keys()]).toEqual([]);
  });

  it('a value with none of them is not parsed twice', () => {
    expect(mayReadDifferently('server:\n  host: api.example.com\n  port: 8080\n  name: Oslo\n')).toBe(false);
  });
});
