// The structural types of the objects `rollsafe check` decodes, from the Kubernetes OpenAPI v3
// documents (what kubectl and the API server decode a manifest against): for each object type its
// fields and each field's type, nothing else (descriptions, defaults and patch strategies are not
// needed to tell a misspelt field or a value of the wrong type). Used by gen.ts to write
// src/kube/api-types.ts, and by an end-to-end test to compare that file with what a running
// kube-apiserver serves at /openapi/v3.
import { z } from 'zod';
import type { ListType, TypeRef, TypeTable } from '../../src/kube/type-table.js';

/**
 * The OpenAPI v3 documents read: paths under /openapi/v3 of an API server, one per API group in
 * its GA version (and autoscaling/v1 beside v2). Every kind in them whose objects have metadata is
 * a root: the objects a manifest can hold.
 */
export const DOCUMENTS = [
  'api/v1',
  'apis/admissionregistration.k8s.io/v1',
  'apis/apiextensions.k8s.io/v1',
  'apis/apiregistration.k8s.io/v1',
  'apis/apps/v1',
  'apis/autoscaling/v1',
  'apis/autoscaling/v2',
  'apis/batch/v1',
  'apis/certificates.k8s.io/v1',
  'apis/coordination.k8s.io/v1',
  'apis/discovery.k8s.io/v1',
  'apis/events.k8s.io/v1',
  'apis/flowcontrol.apiserver.k8s.io/v1',
  'apis/networking.k8s.io/v1',
  'apis/node.k8s.io/v1',
  'apis/policy/v1',
  'apis/rbac.authorization.k8s.io/v1',
  'apis/resource.k8s.io/v1',
  'apis/scheduling.k8s.io/v1',
  'apis/storage.k8s.io/v1',
  'apis/storagemigration.k8s.io/v1',
] as const;

type PropertySchema = {
  $ref?: string;
  allOf?: PropertySchema[];
  oneOf?: PropertySchema[];
  type?: string;
  format?: string;
  items?: PropertySchema;
  additionalProperties?: PropertySchema | boolean;
  properties?: Record<string, PropertySchema>;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  default?: unknown;
};
const PropertySchema: z.ZodType<PropertySchema> = z.lazy(() =>
  z.looseObject({
    $ref: z.string().optional(),
    allOf: z.array(PropertySchema).optional(),
    oneOf: z.array(PropertySchema).optional(),
    type: z.string().optional(),
    format: z.string().optional(),
    items: PropertySchema.optional(),
    additionalProperties: z.union([PropertySchema, z.boolean()]).optional(),
    properties: z.record(z.string(), PropertySchema).optional(),
    'x-kubernetes-group-version-kind': z.array(z.object({ group: z.string(), version: z.string(), kind: z.string() })).optional(),
    'x-kubernetes-preserve-unknown-fields': z.boolean().optional(),
    'x-kubernetes-list-type': z.string().optional(),
    'x-kubernetes-list-map-keys': z.array(z.string()).optional(),
    default: z.unknown().optional(),
  }),
);
const OpenApiDocument = z.object({ components: z.object({ schemas: z.record(z.string(), PropertySchema) }) });

const shortName = (ref: string) => ref.replace(/^#\/components\/schemas\//, '').replace(/^io\.k8s\.api\./, '').replace(/^io\.k8s\.apimachinery\.pkg\.apis\./, '');

/** Build the table from parsed OpenAPI v3 documents (their components.schemas are merged). */
export function buildTypeTable(documents: readonly unknown[]): TypeTable {
  const schemas = new Map<string, PropertySchema>();
  for (const doc of documents) {
    for (const [name, schema] of Object.entries(OpenApiDocument.parse(doc).components.schemas)) schemas.set(shortName(name), schema);
  }
  const types: Record<string, Record<string, TypeRef>> = {};
  const pending: string[] = [];

  const named = (name: string): TypeRef => {
    const schema = schemas.get(name);
    if (!schema) throw new Error(`no schema ${name}`);
    if (schema.properties) {
      if (!(name in types)) {
        types[name] = {};
        pending.push(name);
      }
      return name;
    }
    if (schema.format === 'int-or-string') return 'int-or-string';
    const alternatives = new Set((schema.oneOf ?? []).map((s) => s.type));
    if (alternatives.has('string') && alternatives.has('number')) return 'quantity';
    if (schema.type === 'string') return schema.format === 'date-time' ? 'time' : 'string';
    if (schema.type === 'object' || schema.type === undefined) return 'any'; // RawExtension, FieldsV1, a CRD's JSON
    throw new Error(`cannot type ${name}: ${JSON.stringify(schema)}`);
  };

  const ref = (s: PropertySchema, where: string): TypeRef => {
    if (s.$ref) return named(shortName(s.$ref));
    if (s.allOf?.length === 1 && s.allOf[0]) return ref(s.allOf[0], where);
    if (s['x-kubernetes-preserve-unknown-fields']) return 'any';
    switch (s.type) {
      case 'string':
        return s.format === 'byte' ? 'bytes' : 'string';
      case 'integer':
        return s.format === 'int32' ? 'int32' : 'int64';
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array':
        if (!s.items) throw new Error(`${where}: array without items`);
        return `[${ref(s.items, `${where}[]`)}]`;
      case 'object':
        if (typeof s.additionalProperties === 'object') return `{${ref(s.additionalProperties, `${where}{}`)}}`;
        if (s.properties) throw new Error(`${where}: inline object type`);
        return 'any';
      default:
        throw new Error(`${where}: cannot type ${JSON.stringify(s)}`);
    }
  };

  const roots: Record<string, string> = {};
  for (const [name, schema] of schemas) {
    const metadata = schema.properties?.metadata;
    if (!(metadata?.$ref ?? metadata?.allOf?.[0]?.$ref ?? '').endsWith('meta.v1.ObjectMeta')) continue; // lists, options, events of a watch
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) roots[`${gvk.group === '' ? '' : `${gvk.group}/`}${gvk.version} ${gvk.kind}`] = named(name);
  }
  for (const k of ['apps/v1 Deployment', 'v1 ConfigMap']) if (!(k in roots)) throw new Error(`no schema for ${k}`);
  /** A map list's keys, with the default of each key field that has one (OpenAPI `default`). */
  const listType = (s: PropertySchema, where: string): ListType | undefined => {
    const type = s['x-kubernetes-list-type'];
    if (type === 'set') return 'set';
    if (type !== 'map') return undefined;
    const keys = s['x-kubernetes-list-map-keys'];
    if (!keys?.length || !s.items?.$ref) throw new Error(`${where}: a map list without keys or an item type`);
    const item = schemas.get(shortName(s.items.$ref))?.properties ?? {};
    const defaults: Record<string, string | number> = {};
    for (const key of keys) {
      const d = item[key]?.default;
      if (typeof d === 'string' || typeof d === 'number') defaults[key] = d;
    }
    return Object.keys(defaults).length > 0 ? { keys, defaults } : { keys };
  };

  const lists: Record<string, Record<string, ListType>> = {};
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    const fields: Record<string, TypeRef> = {};
    for (const [field, s] of Object.entries(schemas.get(name)?.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      fields[field] = ref(s, `${name}.${field}`);
      const list = listType(s, `${name}.${field}`);
      if (list !== undefined) (lists[name] ??= {})[field] = list;
    }
    types[name] = fields;
  }
  const sorted = <T>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { roots: sorted(roots), types: sorted(types), lists: sorted(lists) };
}

/** The TypeScript module src/kube/api-types.ts holding a table. */
export function renderTypeTable(table: TypeTable, source: string): string {
  const lines = [
    `// Generated by scripts/kube-types/gen.ts from ${source}: do not edit.`,
    '// The fields of each object type `rollsafe check` decodes and the type of each field (see',
    '// scripts/kube-types/build.ts for the notation). An end-to-end test compares it with what the',
    '// test kube-apiserver serves at /openapi/v3.',
    "import type { TypeTable } from './type-table.js';",
    '',
    'export const API_TYPES: TypeTable = {',
    `  roots: ${JSON.stringify(table.roots)},`,
    '  types: {',
    ...Object.entries(table.types).map(([name, fields]) => `    ${JSON.stringify(name)}: ${JSON.stringify(fields)},`),
    '  },',
    '  lists: {',
    ...Object.entries(table.lists).map(([name, fields]) => `    ${JSON.stringify(name)}: ${JSON.stringify(fields)},`),
    '  },',
    '};',
    '',
  ];
  return lines.join('\n');
}
