// `npm run bench`: the engine's cost per Deployment over the real-world corpus, with a baseline
// measured in the same run (decoding the same objects with zod, which every caller pays anyway),
// so figures from different machines and runs compare as ratios.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { documentLookup } from '../src/cli/document-lookup.js';
import { expandPaths, parseDocuments } from '../src/cli/read-documents.js';
import { defaultSettings, evaluateObject } from '../src/engine/evaluate.js';
import { KnownObject } from '../src/engine/objects.js';

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

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
const fmt = (n: number) => n.toFixed(1).padStart(8);

// warm-up, so the JIT has compiled both paths before measuring
timeEach(deployments.slice(0, 50), (d) => evaluateObject(d, ctx));
timeEach(rawDeployments.slice(0, 50), (d) => KnownObject.parse(d));

const decode = timeEach(rawDeployments, (d) => KnownObject.parse(d));
const engine = timeEach(deployments, (d) => evaluateObject(d, ctx));

console.log(`engine over ${deployments.length} real-world Deployments × ${ROUNDS} rounds (µs per Deployment)`);
console.log(`                       median      p99`);
console.log(`baseline: zod decode ${fmt(pct(decode, 50))} ${fmt(pct(decode, 99))}`);
console.log(`engine: all policies ${fmt(pct(engine, 50))} ${fmt(pct(engine, 99))}`);
console.log(`ratio engine/decode  ${fmt(pct(engine, 50) / pct(decode, 50))}x ${fmt(pct(engine, 99) / pct(decode, 99))}x`);
