// A zod schema as a Kubernetes *structural* schema (the openAPIV3Schema of a CRD), from the same
// declaration the engine parses with. Kubernetes accepts no `$ref`, no `$schema`, no type-changing
// unions and no `additionalProperties` beside `properties`, and JSON Schema's `const` and
// `propertyNames` are unknown to it. Anything this file does not know how to represent throws,
// naming the path, so a new zod construct cannot slip into the CRD half-translated.
import { z } from 'zod';

export type JsonNode = Record<string, unknown>;

export interface StructuralOptions {
  /**
   * zod schemas emitted as the given node instead of being expanded. The only way a recursive
   * (z.lazy) schema gets into a CRD: any other cycle throws.
   */
  readonly opaque?: ReadonlyMap<z.core.$ZodType, JsonNode>;
  /**
   * Options that a discriminated union declares with a different type per branch (e.g. `minimum`
   * is a number for integer keys and a string for duration keys), and the node (without
   * description: that is the branches' texts) the flattened object uses for them. An option that
   * differs between branches and is not listed throws.
   */
  readonly mixedOptions?: Readonly<Record<string, JsonNode>>;
}

/** Keywords a structural node may carry (apiextensions.k8s.io/v1 JSONSchemaProps, the subset zod emits). */
const KEPT = new Set([
  'type', 'description', 'default', 'enum', 'properties', 'additionalProperties', 'items', 'required',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength',
  'pattern', 'format', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'nullable',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string',
]);
/** Keywords dropped on purpose: the engine checks them, Kubernetes cannot. */
const DROPPED = new Set(['$schema', 'propertyNames', 'examples', 'title']);

export function toStructuralSchema(schema: z.ZodType, options: StructuralOptions = {}): JsonNode {
  const opaque = options.opaque ?? new Map<z.core.$ZodType, JsonNode>();
  const json = z.toJSONSchema(schema, {
    io: 'input',
    reused: 'inline',
    override: ({ zodSchema, jsonSchema }) => {
      const replacement = opaque.get(zodSchema);
      if (!replacement) return;
      for (const key of Object.keys(jsonSchema)) delete (jsonSchema as JsonNode)[key];
      Object.assign(jsonSchema, structuredClone(replacement));
    },
  }) as JsonNode;
  const defs = (json.$defs ?? {}) as Record<string, JsonNode>;
  delete json.$defs;
  return structural(inlineRefs(json, defs, 'schema'), 'schema', options.mixedOptions ?? {});
}

/** Replace `$ref`s to definitions that hold no `$ref` themselves (opaque replacements); any other is a cycle. */
function inlineRefs(node: unknown, defs: Record<string, JsonNode>, path: string): JsonNode {
  const walk = (n: unknown, p: string): unknown => {
    if (Array.isArray(n)) return n.map((x, i) => walk(x, `${p}[${i}]`));
    if (n === null || typeof n !== 'object') return n;
    const { $ref, ...rest } = n as JsonNode;
    if ($ref !== undefined) {
      const def = typeof $ref === 'string' && $ref.startsWith('#/$defs/') ? defs[$ref.slice('#/$defs/'.length)] : undefined;
      if (!def || JSON.stringify(def).includes('"$ref"')) {
        throw new Error(
          `${p}: the schema refers to itself (${String($ref)}); a CRD cannot hold a cycle. ` +
            'Map the recursive zod schema to an opaque node (StructuralOptions.opaque).',
        );
      }
      return { ...structuredClone(def), ...(walk(rest, p) as JsonNode) };
    }
    return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, walk(v, `${p}.${k}`)]));
  };
  return walk(node, path) as JsonNode;
}

function structural(input: JsonNode, path: string, mixed: Readonly<Record<string, JsonNode>>): JsonNode {
  const union = input.oneOf ?? input.anyOf;
  if (input.allOf !== undefined || (input.oneOf !== undefined && input.anyOf !== undefined)) {
    throw new Error(`${path}: cannot represent allOf or nested unions in a CRD`);
  }
  if (union !== undefined) {
    const { oneOf: _o, anyOf: _a, ...rest } = input;
    return structural({ ...rest, ...flattenUnion(union as JsonNode[], path, mixed) }, path, mixed);
  }
  const out: JsonNode = {};
  for (const [key, value] of Object.entries(input)) {
    if (DROPPED.has(key)) continue;
    if (key === 'const') out.enum = [value];
    else if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonNode>).map(([k, v]) => [k, structural(v, `${path}.properties.${k}`, mixed)]),
      );
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = Object.keys(value as JsonNode).length === 0 ? { 'x-kubernetes-preserve-unknown-fields': true } : structural(value as JsonNode, `${path}.${key}`, mixed);
    } else if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) {
      // zod's bound for z.number().int(); not a limit a user chose
    } else if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'number') {
      // JSON Schema 2020-12 number form; Kubernetes (OpenAPI 3.0) wants the bound plus a boolean
      out[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = value;
      out[key] = true;
    } else if (KEPT.has(key)) out[key] = value;
    else throw new Error(`${path}: JSON Schema keyword "${key}" has no place in a CRD schema`);
  }
  if (out.properties !== undefined && out.additionalProperties !== undefined) {
    // z.strictObject emits `false` (unknown fields are pruned, or rejected by kubectl's strict
    // field validation, anyway); z.looseObject emits `{}`, which Kubernetes spells differently.
    const extra = out.additionalProperties;
    delete out.additionalProperties;
    if (extra !== false) {
      if (!isPreserve(extra)) throw new Error(`${path}: a CRD object cannot have both properties and typed additionalProperties`);
      out['x-kubernetes-preserve-unknown-fields'] = true;
    }
  } else if (out.additionalProperties === false) delete out.additionalProperties;
  if (Array.isArray(out.required) && out.properties !== undefined) {
    const props = out.properties as JsonNode;
    out.required = (out.required as string[]).filter((k) => k in props);
  }
  if (Array.isArray(out.type)) throw new Error(`${path}: a CRD node has one type, not ${out.type.join(' or ')}`);
  if (out.type === undefined && !out['x-kubernetes-preserve-unknown-fields'] && !out['x-kubernetes-int-or-string']) {
    throw new Error(`${path}: a structural schema needs a type here`);
  }
  return out;
}

const isPreserve = (n: unknown) => typeof n === 'object' && n !== null && (n as JsonNode)['x-kubernetes-preserve-unknown-fields'] === true;

/**
 * A discriminated union on `type` becomes one object: `type` is the enum of all branch names and
 * the properties are the union of all branches' options. An option keeps its default only if
 * every branch has it with that default: a CRD default applies whatever the type, and the engine
 * rejects an option the type does not have (a `format: csv` defaulted into an integer key).
 */
function flattenUnion(branches: readonly JsonNode[], path: string, mixed: Readonly<Record<string, JsonNode>>): JsonNode {
  const names = branches.map((b, i) => {
    const type = (b.properties as Record<string, JsonNode> | undefined)?.type;
    const name = type?.const ?? (Array.isArray(type?.enum) && type.enum.length === 1 ? type.enum[0] : undefined);
    if (b.type !== 'object' || typeof name !== 'string') {
      throw new Error(`${path}: only unions of objects discriminated by a constant "type" fit a CRD (branch ${i} is not one)`);
    }
    return name;
  });
  const declared = new Map<string, { type: string; node: JsonNode }[]>();
  branches.forEach((branch, i) => {
    const type = names[i] as string;
    const { description: _, ...body } = branch;
    const flat = structural(body, `${path}.oneOf[${type}]`, mixed);
    for (const [name, node] of Object.entries(flat.properties as Record<string, JsonNode>)) {
      if (name !== 'type') declared.set(name, [...(declared.get(name) ?? []), { type, node }]);
    }
  });
  const properties: JsonNode = {
    type: {
      type: 'string',
      enum: names,
      description: branches.map((b, i) => (b.description ? `${names[i]}: ${String(b.description)}` : names[i])).join('; '),
    },
  };
  for (const [name, decls] of declared) properties[name] = mergeOption(name, decls, names.length, `${path}.properties.${name}`, mixed);
  const required = branches.map((b) => (b.required ?? []) as string[]).reduce((a, b) => a.filter((k) => b.includes(k)));
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

/** One option declared by several branches: one shape, or an entry of mixedOptions. */
function mergeOption(name: string, decls: { type: string; node: JsonNode }[], branchCount: number, path: string, mixed: Readonly<Record<string, JsonNode>>): JsonNode {
  const shapeOf = ({ description: _d, default: _f, ...shape }: JsonNode) => JSON.stringify(sortKeys(shape));
  const shapes = [...new Set(decls.map((d) => shapeOf(d.node)))];
  const override = mixed[name];
  if (shapes.length > 1 && !override) {
    const per = decls.map((d) => `${d.type}: ${shapeOf(d.node)}`).join(', ');
    throw new Error(`${path}: option "${name}" has a different schema per type (${per}); one CRD field cannot hold them: rename the option or list it in mixedOptions`);
  }
  const types = decls.map((d) => d.type);
  const everyType = types.length === branchCount;
  const defaults = [...new Set(decls.map((d) => JSON.stringify(d.node.default)))];
  const keepDefault = everyType && defaults.length === 1 && decls[0]?.node.default !== undefined;
  const byText = new Map<string, string[]>();
  for (const d of decls) if (typeof d.node.description === 'string') byText.set(d.node.description, [...(byText.get(d.node.description) ?? []), d.type]);
  const texts = [...byText].map(([text, ts]) => (byText.size > 1 ? `${ts.join(', ')}: ${text}` : text));
  if (!keepDefault) for (const d of decls) if (d.node.default !== undefined) texts.push(`default ${JSON.stringify(d.node.default)}${everyType ? ` for ${d.type}` : ''}`);
  if (!everyType) texts.push(`(type${types.length > 1 ? 's' : ''} ${types.join(', ')})`);
  const { description: _d, default: _f, ...shape } = shapes.length > 1 ? (override as JsonNode) : (decls[0] as { node: JsonNode }).node;
  return {
    ...(texts.length ? { description: texts.join('; ').replace(/; \(type/, ' (type') } : {}),
    ...shape,
    ...(keepDefault ? { default: decls[0]?.node.default } : {}),
  };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as JsonNode)[k])]));
}
