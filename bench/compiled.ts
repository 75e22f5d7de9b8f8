// What the benches measure runs as the container image runs it: compiled by tsc, loaded by plain
// Node. Under tsx every function gets a runtime `__name` wrapper (esbuild's keepNames), a cost on
// each closure a review creates that the image never pays (measured: the compiled server answered
// about 7% more reviews per second), and tsx's loader adds its own memory to the RSS. The benches
// compile into node_modules/.cache, never into dist/ (bin/rollsafe.js would prefer a stale dist/
// to the sources).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Logger from '../src/server/logger.js';
import type * as ReviewConfig from '../src/server/review-config.js';
import type * as Start from '../src/server/start.js';
import type * as Tls from '../src/server/tls.js';

/** Where bench/tsconfig.json writes: bench/ and src/ keep their places under it. */
export const COMPILED_DIR = fileURLToPath(new URL('../node_modules/.cache/rollsafe-bench', import.meta.url));

/** Compiles src/ and bench/cache.ts (bench/tsconfig.json) into COMPILED_DIR; throws with tsc's output on failure. */
export function compileBench(): string {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('tsconfig.json', import.meta.url))], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tsc failed (${run.status}):\n${run.stdout}${run.stderr}`);
  return COMPILED_DIR;
}

export type ServerModules = typeof Start & typeof Logger & typeof ReviewConfig & typeof Tls;

/** What the server bench needs of the compiled server, from a directory compileBench wrote. */
export async function loadServerModules(dir: string): Promise<ServerModules> {
  const load = (path: string): Promise<object> => import(pathToFileURL(`${dir}/src/server/${path}`).href) as Promise<object>;
  const [start, logger, reviewConfig, tls] = await Promise.all([load('start.js'), load('logger.js'), load('review-config.js'), load('tls.js')]);
  return { ...(start as typeof Start), ...(logger as typeof Logger), ...(reviewConfig as typeof ReviewConfig), ...(tls as typeof Tls) };
}
