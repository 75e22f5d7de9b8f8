// The image without a container engine (issue 7): the build stage's own COPY and RUN lines, read
// from the Dockerfile, run in a temp directory standing in for /app; the final stage's COPY lines
// assemble its /app; then the compiled output runs as the entrypoint would: `rollsafe check`, and
// `serve` answering /healthz and exiting 0 on SIGTERM.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/spawn-cli.js';
import { freePort } from '../server/helpers/serve-process.js';
import { execForm, parseCopy, readDockerfile, type Stage } from './dockerfile.js';

const BUILD_TIMEOUT_MS = 15 * 60_000;
const FIXTURE = join(ROOT, 'test/fixtures/incidents/telemetry-loopback.yaml');

let work: string;
let finalApp: string;
let entrypoint: string[];
let env: NodeJS.ProcessEnv;

/** Runs one stage: WORKDIR, ENV, COPY (from the repository or an earlier stage's root) and RUN. */
function runStage(stage: Stage, root: string, stageRoots: Record<string, string>): NodeJS.ProcessEnv {
  let workdir = '/';
  const stageEnv: NodeJS.ProcessEnv = {};
  const inRoot = (p: string) => join(root, p.startsWith('/') ? p : join(workdir, p));
  for (const ins of stage.instructions) {
    switch (ins.keyword) {
      case 'WORKDIR':
        workdir = ins.args.startsWith('/') ? ins.args : join(workdir, ins.args);
        mkdirSync(inRoot(workdir), { recursive: true });
        break;
      case 'ENV': {
        const [k, ...v] = ins.args.split('=');
        stageEnv[k ?? ''] = v.join('=');
        break;
      }
      case 'COPY': {
        const c = parseCopy(ins.args);
        const fromRoot = c.from ? stageRoots[c.from] : ROOT;
        if (!fromRoot) throw new Error(`COPY --from=${c.from}: no such stage`);
        for (const src of c.sources) {
          const from = c.from ? join(fromRoot, src) : resolve(ROOT, src);
          const dest = c.dest.endsWith('/') ? join(inRoot(c.dest), src.replace(/\/$/, '').split('/').pop() ?? '') : inRoot(c.dest);
          cpSync(from, dest, { recursive: true, verbatimSymlinks: true });
        }
        break;
      }
      case 'RUN': {
        const r = spawnSync('bash', ['-euo', 'pipefail', '-c', ins.args], {
          cwd: inRoot(workdir),
          env: { ...process.env, ...stageEnv },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        if (r.status !== 0) throw new Error(`Dockerfile line ${ins.line}: RUN ${ins.args} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        break;
      }
      case 'ENTRYPOINT':
        entrypoint = execForm(ins.args) ?? [];
        break;
      default: // USER, EXPOSE: nothing to do outside a container
    }
  }
  return stageEnv;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rollsafe-image-'));
  const stages = readDockerfile();
  const roots: Record<string, string> = {};
  stages.forEach((stage, i) => {
    const root = join(work, stage.name ?? `stage-${i}`);
    mkdirSync(root);
    env = runStage(stage, root, roots);
    if (stage.name) roots[stage.name] = root;
  });
  finalApp = join(work, `stage-${stages.length - 1}`, 'app');
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('the final /app holds compiled JavaScript, package.json and production dependencies only', () => {
  expect(readdirSync(finalApp).sort()).toEqual(['dist', 'node_modules', 'package.json']);
  expect(existsSync(join(finalApp, 'dist/cli/main.js'))).toBe(true);
  const ts = readdirSync(join(finalApp, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  expect(ts).toEqual([]);
  const installed = (name: string) => existsSync(join(finalApp, 'node_modules', name, 'package.json'));
  for (const dev of ['tsx', 'esbuild', 'typescript', 'jest', 'ts-jest', '@types/jest', 'fast-check', 'autocannon']) expect([dev, installed(dev)]).toEqual([dev, false]);
  for (const dep of ['fastify', 'zod', 'yaml', 'pino', '@kubernetes/client-node']) expect([dep, installed(dep)]).toEqual([dep, true]);
});

test('the compiled rollsafe check gives the same result as the sources', () => {
  const run = (cmd: string[], cwd: string) => spawnSync(process.execPath, [...cmd, 'check', '--output', 'json', FIXTURE], { cwd, encoding: 'utf8', env: { ...process.env, ...env, NO_COLOR: '1' } });
  const compiled = run(['dist/cli/main.js'], finalApp);
  expect(compiled.stderr).toBe('');
  expect(compiled.status).toBe(1);
  const result = JSON.parse(compiled.stdout) as { results: { decision: string; findings: { policy: string }[] }[] };
  expect(result.results[0]?.decision).toBe('deny');
  expect(result.results[0]?.findings.map((f) => f.policy)).toContain('env-loopback');
  // bin/rollsafe.js runs the TypeScript sources through tsx when the checkout has no dist/.
  const sources = run(['bin/rollsafe.js'], ROOT);
  expect(compiled.stdout).toBe(sources.stdout);
});

describe('the entrypoint', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  test('serves /healthz over HTTPS and exits 0 after SIGTERM', async () => {
    const port = await freePort();
    const [cmd, ...args] = entrypoint;
    expect(cmd).toBe('node');
    const started = spawn(process.execPath, args, {
      cwd: finalApp,
      env: { ...process.env, ...env, ROLLSAFE_PORT: String(port), ROLLSAFE_HOST: '127.0.0.1', ROLLSAFE_DRAIN_SECONDS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    started.stdout?.setEncoding('utf8').on('data', (c: string) => (output += c));
    started.stderr?.setEncoding('utf8').on('data', (c: string) => (output += c));
    const exited = new Promise<number | null>((done) => started.on('exit', (code) => done(code)));

    const healthz = () =>
      new Promise<number>((done, fail) => {
        // The development certificate made at start is self-signed.
        const req = request({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 1000 }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        });
        req.on('error', fail);
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.end();
      });
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      if (started.exitCode !== null) throw new Error(`the server exited with ${started.exitCode}:\n${output}`);
      status = await healthz().catch(() => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);

    started.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
