// The JSON-Schema subset that `json` and `yaml` keys (and json/yaml list items) are checked
// against: type, properties, required, items, enum, minimum/maximum, minLength/maxLength,
// pattern, additionalProperties. Declared with zod (so a mistake in it is reported with its
// path) and evaluated by a small pure validator that reports every problem with its path.
import { z } from 'zod';
import { patternProblem, refineRegex } from './regex.js';

const JSON_TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const;

export interface JsonSchema {
  type?: (typeof JSON_TYPES)[number] | (typeof JSON_TYPES)[number][];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  additionalProperties?: boolean | JsonSchema;
  description?: string;
}

const JsonType = z.enum(JSON_TYPES);

export const JsonSchema: z.ZodType<JsonSchema> = z.lazy(() =>
  z.strictObject(
    {
      type: z.union([JsonType, z.array(JsonType).min(1)]).optional(),
      properties: z.record(z.string(), JsonSchema).optional(),
      required: z.array(z.string()).optional(),
      items: JsonSchema.optional(),
      enum: z.array(z.unknown()).min(1).optional(),
      minimum: z.number().optional(),
      maximum: z.number().optional(),
      minLength: z.number().int().min(0).optional(),
      maxLength: z.number().int().min(0).optional(),
      pattern: z.string().superRefine(refineRegex).optional(),
      additionalProperties: z.union([z.boolean(), JsonSchema]).optional(),
      description: z.string().optional(),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unsupported JSON Schema keyword ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}; supported: type, properties, required, items, enum, minimum, maximum, minLength, maxLength, pattern, additionalProperties, description`
          : undefined,
    },
  ),
);

export interface JsonProblem {
  /** e.g. `server.port`, `origins[2]`; empty for the document itself */
  readonly path: string;
  readonly message: string;
  /** a required property that is absent (`path` names it) */
  readonly missing?: true;
  /** a property that additionalProperties: false refuses (`path` names it) */
  readonly unexpected?: true;
}

// A date is not a JSON type: only a YAML 1.1 reading has one (`2024-01-01` is a timestamp to
// PyYAML and SnakeYAML), and "is a date, expected string" says what the app gets.
const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : v instanceof Date ? 'date' : Number.isInteger(v) ? 'integer' : typeof v;

/** The path of a property or item as problems name it: `server.port`, `origins[2]`, `["a b"]`. */
export const joinPath = (base: string, key: string | number): string =>
  typeof key === 'number' ? `${base}[${key}]` : /^[A-Za-z_][\w-]*$/.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;

function matchesType(t: string, v: unknown): boolean {
  const actual = typeOf(v);
  return t === actual || (t === 'number' && actual === 'integer');
}

/** Every problem of `value` against `schema`, shallow first; never throws. */
export function validateJson(schema: JsonSchema, value: unknown, path = '', out: JsonProblem[] = [], depth = 0): JsonProblem[] {
  if (depth > 64) {
    out.push({ path, message: 'is nested too deeply to check' });
    return out;
  }
  const here = (message: string) => out.push({ path, message });
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => matchesType(t, value))) {
      const actual = typeOf(value);
      here(`is ${actual === 'integer' ? 'a number' : actual === 'null' ? 'null' : article(actual)}, expected ${types.join(' or ')}`);
      return out;
    }
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    here(`must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) here(`is ${value}, below the minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) here(`is ${value}, above the maximum ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    const chars = `${length} character${length === 1 ? '' : 's'}`;
    if (schema.minLength !== undefined && length < schema.minLength) here(`is ${chars}, shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && length > schema.maxLength) here(`is ${chars}, longer than ${schema.maxLength}`);
    const mismatch = schema.pattern === undefined ? undefined : patternProblem(schema.pattern, value, schema);
    if (mismatch) here(mismatch);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => validateJson(schema.items as JsonSchema, item, joinPath(path, i), out, depth + 1));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!Object.hasOwn(obj, key)) out.push({ path: joinPath(path, key), message: 'is required', missing: true });
    for (const [key, v] of Object.entries(obj)) {
      // own properties only: a key named `constructor` or `__proto__` is not declared by Object.prototype
      const prop = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
      if (prop) validateJson(prop, v, joinPath(path, key), out, depth + 1);
      else if (schema.additionalProperties === false) out.push({ path: joinPath(path, key), message: 'is not an allowed property', unexpected: true });
      else if (typeof schema.additionalProperties === 'object') validateJson(schema.additionalProperties, v, joinPath(path, key), out, depth + 1);
    }
  }
  return out;
}

/**
 * Whether a parsed document contains itself. A YAML alias inside its own anchor (`&a [*a]`)
 * parses to a circular value, which no app can use as data and JSON.stringify cannot print.
 */
export function isCircular(value: unknown, ancestors = new Set<object>()): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const circular = Object.values(value).some((v) => isCircular(v, ancestors));
  ancestors.delete(value);
  return circular;
}

export const CIRCULAR_YAML = 'has a YAML alias inside its own anchor (e.g. &a [*a]), so the document never ends';

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
