// `npm run bench`: the engine's cost per Deployment over the real-world corpus, with a baseline
// measured in the same run (decoding the same objects with zod, which every caller pays anyway),
// so figures from different machines and runs compare as ratios.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { documentLookup } from '../src/cli/document-lookup.js';
import { expandPaths, parseDocuments } from '../src/cli/read-documents.js';
import { defaultSettings, evaluateObject } from '../src/engine/evaluate.js';
import { parse as parseYamlText } from 'yaml';
import { ConfigMap as ConfigMapSchema, decodeObject, Deployment as DeploymentSchema, KnownObject } from '../src/engine/objects.js';
import { ConfigSchemaSpec } from '../src/schema/document.js';
import { pct } from './percentile.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const corpus = fileURLToPath(new URL('../../shared/corpus/real-world', import.meta.url));

const raw = expandPaths([corpus]).flatMap((f) => parseDocuments(f, readFileSync(f, 'utf8')).map((d) => d.value));
const objects = raw.flatMap((v) => {
  const p = KnownObject.safeParse(v);
  return p.success ? [p.data] : [];
});
const deployments = objects.filter((o) => o.kind === 'Deployment');
const rawDeployments = raw.filter((v) => (v as { kind?: unknown }).kind === 'Deployment');
const lookup = documentLookup(objects, 'default');
const ctx = { lookup, defaultNamespace: 'default', settingsFor: () => defaultSettings };

function timeEach<T>(items: readonly T[], fn: (item: T) => unknown): number[] {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const item of items) {
      const t0 = process.hrtime.bigint();
      fn(item);
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  return samples.sort((a, b) => a - b);
}

const fmt = (n: number) => n.toFixed(1).padStart(8);

// warm-up, so the JIT has compiled both paths before measuring
timeEach(deployments.slice(0, 50), (d) => evaluateObject(d, ctx));
timeEach(rawDeployments.slice(0, 50), (d) => decodeObject(d));

// The decode every review pays (decodeObject: the strict reading, lenient when a manifest needs it).
const decode = timeEach(rawDeployments, (d) => decodeObject(d));
const engine = timeEach(deployments, (d) => evaluateObject(d, ctx));

console.log(`engine over ${deployments.length} real-world Deployments × ${ROUNDS} rounds (µs per Deployment)`);
console.log(`                       median      p99`);
console.log(`baseline: zod decode ${fmt(pct(decode, 50))} ${fmt(pct(decode, 99))}`);
console.log(`engine: all policies ${fmt(pct(engine, 50))} ${fmt(pct(engine, 99))}`);
console.log(`ratio engine/decode  ${fmt(pct(engine, 50) / pct(decode, 50))}x ${fmt(pct(engine, 99) / pct(decode, 99))}x`);

// --- ConfigSchema costs (issue: typed config schemas) -----------------------------------------
// A Deployment with 30 schema-bound env vars, against the same Deployment with no schema; and a
// ConfigMap whose 20 KB embedded YAML document is checked against a schema, against parsing
// that YAML alone (the part no checker can avoid).

const TYPES = [
  ['integer', { type: 'integer', minimum: 1, maximum: 1000 }, '250'],
  ['url', { type: 'url', schemes: ['https'], hosts: ['*.shop.svc.cluster.local'] }, 'https://auth.shop.svc.cluster.local/x'],
  ['duration', { type: 'duration', maximum: '1m' }, '30s'],
  ['enum', { type: 'enum', values: ['debug', 'info', 'warn'] }, 'info'],
  ['list', { type: 'list', format: 'csv', items: { type: 'url' }, minItems: 1 }, 'https://a.example.com,https://b.example.com'],
  ['endpoint', { type: 'endpoint' }, 'otel-collector.observability:4318'],
] as const;
const keys: Record<string, unknown> = {};
const env: { name: string; value: string }[] = [];
for (let i = 0; i < 30; i++) {
  const [t, spec, value] = TYPES[i % TYPES.length]!;
  keys[`KEY_${t.toUpperCase()}_${i}`] = spec;
  env.push({ name: `KEY_${t.toUpperCase()}_${i}`, value });
}
const schemaSpec = ConfigSchemaSpec.parse({ targets: { workloads: [{ selector: { matchLabels: { app: 'bench' } } }], configMaps: ['bench'] }, keys });
const benchDeployment = DeploymentSchema.parse({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'bench', namespace: 'bench' },
  spec: { replicas: 2, template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'app', image: 'app:1.0.0', env }] } } },
});
const withSchema = { ...ctx, lookup: documentLookup([], 'bench', [{ namespace: 'bench', name: 'bench', spec: schemaSpec }]) };
const noSchema = { ...ctx, lookup: documentLookup([], 'bench') };

const services = Array.from({ length: 120 }, (_, i) => `  svc${i}:\n    host: svc${i}.shop.svc.cluster.local\n    port: ${8000 + i}\n    timeout: 5s\n    tags: [a, b, c]\n    enabled: true\n    note: "${'x'.repeat(60)}"\n`).join('');
const bigYaml = `server:\n  port: 8080\nservices:\n${services}`;
const yamlSpec = ConfigSchemaSpec.parse({
  targets: { configMaps: ['bench'] },
  keys: {
    'app.yaml': {
      type: 'yaml',
      schema: {
        type: 'object',
        required: ['server'],
        properties: {
          server: { type: 'object', properties: { port: { type: 'integer', minimum: 1, maximum: 65535 } } },
          services: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['host', 'port'],
              properties: { host: { type: 'string', pattern: '^[a-z0-9.-]+$' }, port: { type: 'integer' }, enabled: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string' } } },
            },
          },
        },
      },
    },
  },
});
const benchConfigMap = ConfigMapSchema.parse({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench', namespace: 'bench' }, data: { 'app.yaml': bigYaml } });
const yamlCtx = { ...ctx, lookup: documentLookup([], 'bench', [{ namespace: 'bench', name: 'bench-yaml', spec: yamlSpec }]) };

const SCHEMA_ROUNDS = ROUNDS * 50;
const one = <T>(item: T) => Array.from({ length: SCHEMA_ROUNDS / ROUNDS }, () => item);
timeEach(one(benchDeployment), (d) => evaluateObject(d, withSchema));
const depBase = timeEach(one(benchDeployment), (d) => evaluateObject(d, noSchema));
const depSchema = timeEach(one(benchDeployment), (d) => evaluateObject(d, withSchema));
const cmBase = timeEach(one(bigYaml), (y) => parseYamlText(y));
const cmSchema = timeEach(one(benchConfigMap), (c) => evaluateObject(c, yamlCtx));
const findings = evaluateObject(benchConfigMap, yamlCtx).length + evaluateObject(benchDeployment, withSchema).filter((f) => f.policy === 'config-schema').length;

console.log(`\nConfigSchema checks (µs per object, ${SCHEMA_ROUNDS} runs; ${findings} schema findings, expected 0)`);
console.log(`                                            median      p99`);
console.log(`baseline: Deployment, 30 env vars, no schema ${fmt(pct(depBase, 50))} ${fmt(pct(depBase, 99))}`);
console.log(`Deployment, 30 schema-bound env vars        ${fmt(pct(depSchema, 50))} ${fmt(pct(depSchema, 99))}`);
console.log(`ratio                                       ${fmt(pct(depSchema, 50) / pct(depBase, 50))}x ${fmt(pct(depSchema, 99) / pct(depBase, 99))}x`);
console.log(`baseline: parse the ${(bigYaml.length / 1024).toFixed(1)} KB YAML alone          ${fmt(pct(cmBase, 50))} ${fmt(pct(cmBase, 99))}`);
console.log(`ConfigMap, ${(bigYaml.length / 1024).toFixed(1)} KB YAML checked by schema    ${fmt(pct(cmSchema, 50))} ${fmt(pct(cmSchema, 99))}`);
console.log(`ratio                                       ${fmt(pct(cmSchema, 50) / pct(cmBase, 50))}x ${fmt(pct(cmSchema, 99) / pct(cmBase, 99))}x`);
