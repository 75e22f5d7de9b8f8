// The ConfigSchema document (CRD `configschemas.rollsafe.dev`, DESIGN.md "ConfigSchema"). This
// zod declaration is the check of every schema document (CLI and webhook), the TypeScript type,
// and the source of the CRD's openAPIV3Schema (npm run gen).
import { z } from 'zod';
import { parseDuration } from './formats/duration.js';
import { parseQuantity } from './formats/quantity.js';
import { JsonSchema } from './json-schema.js';
import { refineRegex } from './regex.js';

export const CONFIG_SCHEMA_API_VERSION = 'rollsafe.dev/v1alpha1';

/**
 * The value seen, when YAML made it the wrong JSON type: `maximum: "500"` is text to YAML and
 * `values: [1, 2]` numbers, and zod's "expected number, received string" does not say which
 * way to write it.
 */
const wrongJsonType = (iss: { code: string; expected?: string; input?: unknown }): string | undefined => {
  if (iss.code !== 'invalid_type') return undefined;
  const v = iss.input;
  if (iss.expected === 'int' && typeof v === 'number') return `is ${v}, not a whole number`;
  if (iss.expected !== 'string' && typeof v === 'string' && /^(-?\d+(\.\d+)?|true|false)$/.test(v)) return `is the text "${v}"; write it without quotes: ${v}`;
  if (iss.expected === 'string' && (typeof v === 'number' || typeof v === 'boolean')) return `is the ${typeof v} ${String(v)}; quote it: "${String(v)}"`;
  return undefined;
};

const common = {
  required: z.boolean({ error: wrongJsonType }).optional().describe('the key must be present and not empty'),
  description: z.string().optional().describe('what the value is for (shown in messages)'),
};

/** A strict object per type whose unknown-option error lists the options of that type. */
function typeSpec<T extends string, S extends z.ZodRawShape>(type: T, shape: S, describe: string) {
  const full = { type: z.literal(type), ...shape, ...common };
  const allowed = Object.keys(full).filter((k) => k !== 'type');
  return z
    .strictObject(full, {
      error: (iss) => {
        if (iss.code !== 'unrecognized_keys') return undefined;
        const meant = iss.keys.map((k) => nearestOption(k, allowed)).filter((m): m is string => m !== undefined);
        const guess = meant.length > 0 ? ` (did you mean ${meant.map((m) => JSON.stringify(m)).join(', ')}?)` : '';
        return `unknown option${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')} for type ${type}${guess}; allowed: ${allowed.join(', ')}`;
      },
    })
    .describe(describe);
}

/** Option names of other schema languages (JSON Schema, OpenAPI, CUE) for ours. */
const OPTION_ALIASES: Readonly<Record<string, string>> = { min: 'minimum', max: 'maximum', enum: 'values', minLen: 'minLength', maxLen: 'maxLength', regex: 'pattern', scheme: 'schemes', host: 'hosts' };

/** The option a mistyped one most likely meant: a known alias, or the same but for case or two letters. */
function nearestOption(written: string, allowed: readonly string[]): string | undefined {
  const alias = OPTION_ALIASES[written];
  if (alias !== undefined && allowed.includes(alias)) return alias;
  return closestWithin(written.toLowerCase(), allowed, written.length < 5 ? 1 : 2);
}

/** The name nearest to `written` (lower case) in edit distance, if within `limit`. */
function closestWithin(written: string, names: readonly string[], limit: number): string | undefined {
  return names
    .map((n) => [n, editDistance(written, n.toLowerCase())] as const)
    .filter(([, d]) => d <= limit)
    .sort((a, b) => a[1] - b[1])[0]?.[0];
}

/** A bound written as a YAML number (`maximum: 2`, `minimum: 0`) is read as its text, as a value would be. */
const asText = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v);
const durationString = z.preprocess(asText, z.string().refine((s) => parseDuration(s).ok, { message: 'is not a duration (e.g. 300ms, 5s, 1h30m)' }));
const quantityString = z.preprocess(asText, z.string().refine((s) => parseQuantity(s).ok, { message: 'is not a Kubernetes quantity (e.g. 500m, 1Gi)' }));
const regexString = z.string().superRefine(refineRegex);
const count = z.number().int().min(0);

const minMax = <T extends z.ZodType>(t: T, smallest: string, largest: string) => ({
  minimum: t.optional().describe(smallest),
  maximum: t.optional().describe(largest),
});

export const StringSpec = typeSpec(
  'string',
  {
    minLength: count.optional().describe('fewest characters'),
    maxLength: count.optional().describe('most characters'),
    pattern: regexString.optional().describe('a regular expression the value must match (anchor it with ^ and $ to match all of it)'),
  },
  'text',
);
export const IntegerSpec = typeSpec('integer', minMax(z.number({ error: wrongJsonType }).int(), 'smallest value accepted', 'largest value accepted'), 'a whole number in decimal: 25, -3 (not 25connections, 1e3, 0x10)');
export const NumberSpec = typeSpec('number', minMax(z.number({ error: wrongJsonType }), 'smallest value accepted', 'largest value accepted'), 'a decimal number: 0.5, 10, -2.25');
export const BooleanSpec = typeSpec('boolean', {}, 'exactly true or false');
export const DurationSpec = typeSpec('duration', minMax(durationString, 'shortest duration accepted, e.g. 1s', 'longest duration accepted, e.g. 30s'), 'a Go duration: 300ms, 5s, 1h30m');
export const QuantitySpec = typeSpec('quantity', minMax(quantityString, 'smallest quantity accepted, e.g. 100m', 'largest quantity accepted, e.g. 2Gi'), 'a Kubernetes quantity: 500m, 1.5Gi, 2');
export const PortSpec = typeSpec('port', {}, 'a TCP/UDP port number, 1 to 65535');
/** A host as a value's host is compared with it: the name alone, or *. and a name for its sub-domains. */
const HOST_RULE = /^(\*\.)?([a-zA-Z0-9_]([a-zA-Z0-9_-]*[a-zA-Z0-9_])?)(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]*[a-zA-Z0-9_])?)*\.?$|^[0-9a-fA-F]*:[0-9a-fA-F:.]*$/;
const AllowedHosts = z
  .array(z.string().max(253, { abort: true, message: 'is longer than a host name can be (253 characters)' }).regex(HOST_RULE, 'is not a host name: give the name alone (auth.example.com), without scheme, port or path; *.example.com allows its sub-domains'))
  .min(1)
  .optional()
  .describe('allowed host names; *.example.com allows sub-domains');
export const UrlSpec = typeSpec(
  'url',
  {
    schemes: z
      .array(z.string().regex(/^[a-z][a-z0-9+.-]*$/, 'is not a URL scheme (lower case, e.g. https)'))
      .min(1)
      .optional()
      .describe('allowed schemes, e.g. [https]; default any'),
    hosts: AllowedHosts,
    allowLoopback: z.boolean().optional().describe('accept localhost, 127.0.0.0/8 and ::1 (default false)'),
  },
  'an absolute URL: https://auth.shop.svc.cluster.local/oauth',
);
export const EndpointSpec = typeSpec(
  'endpoint',
  {
    hosts: AllowedHosts,
    allowLoopback: z.boolean().optional().describe('accept localhost, 127.0.0.0/8 and ::1 (default false)'),
  },
  'host:port or a URL: otel-collector.observability:4318, http://collector:4318',
);
export const EnumSpec = typeSpec('enum', { values: z.array(z.string({ error: wrongJsonType })).min(1).describe('the accepted values') }, 'one of the listed values, exactly');
const embeddedSchema = JsonSchema.optional().describe(
  'a JSON Schema the document must match (subset: type, properties, required, items, enum, minimum, maximum, minLength, maxLength, pattern, additionalProperties)',
);
// How the application reads YAML: YAML 1.1 parsers (PyYAML, SnakeYAML, go-yaml v2) read `NO` as
// false and `010` as 8, YAML 1.2 reads the text "NO" and 10. Unset, a value is checked as both read
// it, since the schema does not say which parser the application uses. A string, not a number:
// unquoted, YAML reads 1.1 as a number and the CRD's field as a string (kubectl would refuse it).
const yamlVersion = z
  .enum(['1.1', '1.2'], {
    error: (iss) => (typeof iss.input === 'number' ? `is the number ${iss.input}; quote it: "${iss.input}"` : 'must be "1.1" or "1.2" (unset: checked as both read it)'),
  })
  .optional()
  .describe('the YAML version the application reads with: "1.1" (PyYAML, SnakeYAML, go-yaml v2) or "1.2"; unset, values are checked as both read them');

export const JsonSpec = typeSpec('json', { schema: embeddedSchema }, 'a JSON document, checked against a JSON Schema subset');
export const YamlSpec = typeSpec('yaml', { schema: embeddedSchema, yamlVersion }, 'a YAML document, checked against a JSON Schema subset');

/**
 * What a type that is not one of `types` is told: the value seen, and the type meant when it is
 * a near miss (`int`, `bool`, `String`, `"url "`). zod's own message lists the types without
 * the value, so `"url "` (a trailing space) looked like a valid type in the list.
 */
function unknownType(types: readonly string[], noun: string) {
  return (iss: { code: string; input?: unknown }): string | undefined => {
    if (iss.code !== 'invalid_union') return undefined;
    const seen = (iss.input as { type?: unknown } | null | undefined)?.type;
    const list = types.join(', ');
    if (seen === undefined) return `is missing; give one of: ${list}`;
    if (typeof seen !== 'string') return `is ${JSON.stringify(seen)}, not a ${noun}; give one of: ${list}`;
    const meant = nearestType(seen, types);
    return `${JSON.stringify(seen)} is not a ${noun}; ${meant ? `did you mean "${meant}"? Types` : 'give one of'}: ${list}`;
  };
}

const TYPE_ALIASES: Readonly<Record<string, string>> = { int: 'integer', bool: 'boolean', str: 'string', text: 'string', float: 'number', double: 'number', uri: 'url', array: 'list', csv: 'list', host: 'endpoint' };

/** The type a misspelling most likely meant: case and spaces aside, a common alias, or one or two letters off. */
function nearestType(seen: string, types: readonly string[]): string | undefined {
  const plain = seen.trim().toLowerCase();
  const alias = TYPE_ALIASES[plain];
  const candidates = [types.find((t) => t === plain), alias !== undefined && types.includes(alias) ? alias : undefined];
  const close = closestWithin(plain, types, 2);
  return candidates.find((c) => c !== undefined) ?? close;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length] ?? 0;
}

const typeNames = (branches: readonly { shape: { type: z.ZodLiteral<string> } }[]) => branches.map((b) => b.shape.type.value);
const ITEM_BRANCHES = [StringSpec, IntegerSpec, NumberSpec, BooleanSpec, DurationSpec, QuantitySpec, PortSpec, UrlSpec, EndpointSpec, EnumSpec] as const;

/** Types a list item may have (not a list itself). */
export const ItemSpec = z
  .discriminatedUnion('type', ITEM_BRANCHES, { error: unknownType(typeNames(ITEM_BRANCHES), 'list item type') })
  .describe('the type of every item');

export const LIST_FORMATS = ['csv', 'lines', 'json', 'yaml'] as const;
export const ListSpec = typeSpec(
  'list',
  {
    format: z.enum(LIST_FORMATS).default('csv').describe('csv: a,b,c · lines: one per line · json: a JSON array whose items keep their JSON type (["a"], [8080], [true]) · yaml: a YAML sequence'),
    items: ItemSpec.optional(),
    minItems: count.optional().describe('fewest items'),
    maxItems: count.optional().describe('most items'),
    yamlVersion,
  },
  'a list in one value, in a declared format',
);

const KEY_BRANCHES = [...ITEM_BRANCHES, ListSpec, JsonSpec, YamlSpec] as const;
export const KeySpec = z.discriminatedUnion('type', KEY_BRANCHES, { error: unknownType(typeNames(KEY_BRANCHES), 'type') });
export type KeySpec = z.infer<typeof KeySpec>;
export type ItemSpec = z.infer<typeof ItemSpec>;
export const KEY_TYPES = KeySpec.options.map((o) => o.shape.type.value);

// Names and labels Kubernetes itself would refuse: a target written with one (`Api_Config`, a
// label `app name`) can never match an object, so the schema would check nothing while its author
// believes it checks the app. Kubernetes' own rules (apimachinery validation), so the CRD carries
// them too.
const NAME_PART = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const LABEL_PART = '[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?';
const neverMatches = (what: string, rule: string, objects: string) =>
  objects === 'Deployment' ? `is not ${what} (${rule}); no Deployment can carry it` : `is not ${what} (${rule}), so no ${objects} could match it`;
const configMapName = z
  .string()
  .min(1)
  .max(253, { abort: true, message: neverMatches('a ConfigMap name', 'at most 253 characters', 'ConfigMap') })
  .regex(new RegExp(`^${NAME_PART}(\\.${NAME_PART})*$`), neverMatches('a ConfigMap name', 'lower-case letters, digits, "-" and "."', 'ConfigMap'));
const containerName = z
  .string()
  .min(1)
  .max(63, { abort: true, message: neverMatches('a container name', 'at most 63 characters', 'container') })
  .regex(new RegExp(`^${NAME_PART}$`), neverMatches('a container name', 'lower-case letters, digits and "-"', 'container'));
const labelKey = z
  .string()
  .min(1)
  .max(317, { abort: true, message: neverMatches('a label key', 'a name of at most 63 characters, with an optional DNS prefix and "/"', 'Deployment') })
  .regex(
    new RegExp(`^(${NAME_PART}(\\.${NAME_PART})*/)?${LABEL_PART}$`),
    neverMatches('a label key', 'letters, digits, "-", "_" and ".", starting and ending with a letter or digit, e.g. app or example.com/tier', 'Deployment'),
  )
  .refine((k) => (k.split('/').pop() ?? '').length <= 63 && (k.includes('/') ? (k.split('/')[0] ?? '').length <= 253 : true), {
    message: neverMatches('a label key', 'a name of at most 63 characters, with an optional DNS prefix and "/"', 'Deployment'),
  });
const labelValue = z
  .string()
  .max(63, { abort: true, message: neverMatches('a label value', 'at most 63 characters', 'Deployment') })
  .regex(new RegExp(`^(${LABEL_PART})?$`), neverMatches('a label value', 'letters, digits, "-", "_" and ".", starting and ending with a letter or digit', 'Deployment'));

const SelectorRequirement = z
  .strictObject({
    key: labelKey,
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(labelValue).optional(),
  })
  .superRefine((r, ctx) => {
    const needs = r.operator === 'In' || r.operator === 'NotIn';
    if (needs && !r.values?.length) ctx.addIssue({ code: 'custom', path: ['values'], message: `operator ${r.operator} needs at least one value` });
    if (!needs && r.values?.length) ctx.addIssue({ code: 'custom', path: ['values'], message: `operator ${r.operator} takes no values` });
  });

export const SchemaSelector = z.strictObject({
  matchLabels: z.record(labelKey, labelValue).optional(),
  matchExpressions: z.array(SelectorRequirement).optional(),
});

export const ConfigSchemaSpec = z
  .strictObject({
    targets: z
      .strictObject({
        configMaps: z.array(configMapName).optional().describe('ConfigMap names in this namespace; their data is checked'),
        workloads: z
          .array(
            z.strictObject({
              selector: SchemaSelector.describe("labels of the Deployment or of its pod template"),
              containers: z.array(containerName).optional().describe('container names; default all'),
            }),
          )
          .optional()
          .describe('Deployments in this namespace whose container env is checked'),
      })
      .refine((t) => (t.configMaps?.length ?? 0) + (t.workloads?.length ?? 0) > 0, {
        message: 'names no ConfigMap and no workload, so the schema would check nothing',
      }),
    additionalKeys: z.enum(['allow', 'warn', 'deny']).default('allow').describe('what a key the schema does not declare does'),
    keys: z
      .record(
        z.string().regex(/^[-._a-zA-Z0-9]+$/, 'is not a valid ConfigMap key or env var name'),
        // Checked per key, so a schema author sees contradictory bounds in the same pass as the
        // other keys' mistakes (a refinement of the whole map ran only once every key was valid).
        KeySpec.superRefine((spec, ctx) => {
          for (const c of contradictions(spec)) ctx.addIssue({ code: 'custom', path: c.path, message: c.message });
          if (spec.type === 'list' && spec.yamlVersion !== undefined && spec.format !== 'yaml') {
            ctx.addIssue({ code: 'custom', path: ['yamlVersion'], message: `applies to format yaml only; this list is ${spec.format}` });
          }
          if (spec.type === 'list' && spec.items) {
            for (const c of contradictions(spec.items)) ctx.addIssue({ code: 'custom', path: ['items', ...c.path], message: c.message });
          }
        }),
      )
      // `keys: {}` (or every key commented out) passed as a schema that checks nothing, as
      // targets naming nothing would.
      .refine((keys) => Object.keys(keys).length > 0, { message: 'declares no key, so the schema would check nothing; declare at least one' }),
  })
  .describe('the keys of a configuration and their types');

export type ConfigSchemaSpec = z.infer<typeof ConfigSchemaSpec>;

/** Bounds that exclude every value (minimum above maximum) make a schema that refuses everything. */
function contradictions(spec: KeySpec | ItemSpec): { path: string[]; message: string }[] {
  const amount = (v: unknown): number | undefined => {
    if (typeof v === 'number') return v;
    if (typeof v !== 'string') return undefined;
    if (spec.type === 'duration') {
      const d = parseDuration(v);
      return d.ok ? d.ms : undefined;
    }
    const q = parseQuantity(v);
    return q.ok ? q.value : undefined;
  };
  const out: { path: string[]; message: string }[] = [];
  const fields = spec as Record<string, unknown>;
  for (const [low, high] of [['minimum', 'maximum'], ['minLength', 'maxLength'], ['minItems', 'maxItems']] as const) {
    const lo = amount(fields[low]);
    const hi = amount(fields[high]);
    if (lo !== undefined && hi !== undefined && lo > hi) {
      out.push({ path: [low], message: `is ${String(fields[low])}, above ${high} ${String(fields[high])}, so no value could pass` });
    }
  }
  return out;
}

export const ConfigSchemaDocument = z.object({
  apiVersion: z.literal(CONFIG_SCHEMA_API_VERSION),
  kind: z.literal('ConfigSchema'),
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: ConfigSchemaSpec,
});
export type ConfigSchemaDocument = z.infer<typeof ConfigSchemaDocument>;
