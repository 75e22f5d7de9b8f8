// `rollsafe schema explain [TYPE]`: every key type with its options and an example. The option
// names, types and meanings come from the zod declaration (document.ts, via the structural schema
// the CRD is made of), so this reference, the CRD and `kubectl explain` say the same.
import { parse, stringify } from 'yaml';
import { KEY_TYPES, KeySpec } from '../schema/document.js';
import { STRUCTURAL_OPTIONS } from '../schema/crd.js';
import { type JsonNode, toStructuralSchema } from '../schema/structural-schema.js';
import { TYPE_EXAMPLES } from '../schema/type-examples.js';
import { InputError } from './input-error.js';

export function explainKeyTypes(type?: string): string {
  if (type === undefined) {
    const intro = 'Key types of a ConfigSchema (spec.keys.<KEY>.type). Run rollsafe schema explain TYPE for one.\n\n';
    return intro + KEY_TYPES.map(explainType).join('\n');
  }
  if (!(KEY_TYPES as readonly string[]).includes(type)) {
    throw new InputError('schema explain', undefined, `unknown type "${type}"; known types: ${KEY_TYPES.join(', ')}`);
  }
  return explainType(type as KeySpec['type']);
}

function explainType(type: KeySpec['type']): string {
  const branch = KeySpec.options.find((o) => o.shape.type.value === type);
  if (!branch) throw new Error(`no declaration for key type ${type}`);
  const json = toStructuralSchema(branch, STRUCTURAL_OPTIONS);
  const options = Object.entries((json.properties ?? {}) as Record<string, JsonNode>).filter(([name]) => name !== 'type');
  const rows = options.map(([name, node]) => [name, ...describeOption(node)] as const);
  const width = (i: 0 | 1) => Math.max(...rows.map((r) => r[i].length));
  const example = TYPE_EXAMPLES[type];
  const lines = [
    `${type}: ${String(json.description ?? '')}`,
    '  options:',
    ...rows.map(([name, t, text]) => `    ${name.padEnd(width(0))}  ${t.padEnd(width(1))}  ${text}`.trimEnd()),
    '  example (spec.keys of a ConfigSchema):',
    `    ${flowYaml({ [example.key]: example.spec })}`,
    '  a value it accepts (data of a ConfigMap):',
    ...stringify({ [example.key]: example.value }).trimEnd().split('\n').map((l) => `    ${l}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** `POOL_SIZE: {type: integer, minimum: 1}`: the spelling of DESIGN.md and the README. */
function flowYaml(value: Record<string, unknown>): string {
  const [[key, spec]] = Object.entries(value) as [[string, unknown]];
  return `${stringify(key).trim()}: ${stringify(spec, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trim()}`;
}

/** An option's type and meaning in words, e.g. `list of string`, `csv | lines | json | yaml`. */
function describeOption(node: JsonNode): [type: string, meaning: string] {
  const text = typeof node.description === 'string' ? node.description : '';
  const itemTypes = (node.properties as Record<string, JsonNode> | undefined)?.type?.enum;
  if (Array.isArray(itemTypes)) return ['{type, …}', `${text}, declared like a key; type: ${itemTypes.join(', ')}`];
  return [typeText(node), node.default === undefined ? text : `${text} (default ${String(node.default)})`.trim()];
}

function typeText(node: JsonNode): string {
  // An entry YAML would read as a number (yamlVersion's 1.1) is shown quoted, as it must be written.
  if (Array.isArray(node.enum)) return node.enum.map((v) => (typeof v === 'string' && typeof parse(v) !== 'string' ? JSON.stringify(v) : String(v))).join(' | ');
  if (node.type === 'array') return `list of ${typeText(node.items as JsonNode)}`;
  if (node['x-kubernetes-preserve-unknown-fields'] && node.type === 'object') return 'JSON Schema';
  return typeof node.type === 'string' ? node.type : 'any';
}
