// The Dockerfile's rules (issue 7), checked on the file itself since no container engine is here:
// pinned small bases, compiled JavaScript only in the final stage, a numeric non-root user, and an
// entrypoint that receives SIGTERM itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/spawn-cli.js';
import { execForm, inBuildContext, parseCopy, readDockerfile, type Stage } from './dockerfile.js';

const stages = readDockerfile();
const build = stages[0] as Stage;
const final = stages[stages.length - 1] as Stage;
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const of = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

test('has a build stage and a final stage', () => {
  expect(stages.length).toBe(2);
  expect(build.name).toBe('build');
  expect(final.name).toBeUndefined();
});

test('pins every base image to an exact Node 20 release of a slim variant, never latest', () => {
  for (const s of stages) {
    expect(s.image).toMatch(/^node:20\.\d+\.\d+-(bookworm-slim|alpine\d+\.\d+)(@sha256:[a-f0-9]{64})?$/);
    expect(s.image).not.toMatch(/latest/);
  }
  expect(new Set(stages.map((s) => s.image)).size).toBe(1);
});

test('fetches nothing with ADD (no URLs, no archives unpacked implicitly)', () => {
  for (const s of stages) expect(of(s, 'ADD')).toEqual([]);
});

test('the build stage installs from the lockfile, compiles, then drops dev dependencies and tsx', () => {
  const runs = of(build, 'RUN').map((r) => r.args).join('\n');
  expect(runs).toMatch(/\bnpm ci\b/);
  expect(runs).toMatch(/\bnpm run build\b/);
  expect(runs).toMatch(/\bnpm prune --omit=dev\b/);
  expect(runs).toMatch(/\bnpm uninstall\b.*\btsx\b/);
  expect(runs.indexOf('npm run build')).toBeLessThan(runs.indexOf('npm prune'));
});

test('the build stage copies only what .dockerignore sends, and .dockerignore keeps local builds, dependencies and secrets out', () => {
  for (const c of of(build, 'COPY').map((i) => parseCopy(i.args))) {
    expect(c.from).toBeUndefined();
    for (const src of c.sources) expect([src, inBuildContext(dockerignore, src.replace(/^\.\/|\/$/g, ''))]).toEqual([src, true]);
  }
  for (const path of ['node_modules', 'dist', '.git', 'test', 'bench', '.env', 'charts', 'Dockerfile']) {
    expect([path, inBuildContext(dockerignore, path)]).toEqual([path, false]);
  }
});

test('the final stage copies only dist/, the production node_modules and package.json from the build stage', () => {
  const copies = of(final, 'COPY').map((i) => parseCopy(i.args));
  expect(copies.every((c) => c.from === 'build')).toBe(true);
  expect(copies.flatMap((c) => c.sources).sort()).toEqual(['/app/dist', '/app/node_modules', '/app/package.json']);
  expect(of(final, 'RUN')).toEqual([]);
  expect(final.instructions.map((i) => i.args).join('\n')).not.toMatch(/\btsx\b|\.ts\b|\bsrc\b/);
});

test('the final stage runs as a numeric non-root user', () => {
  const users = of(final, 'USER');
  expect(users.length).toBeGreaterThan(0);
  const user = users[users.length - 1]?.args ?? '';
  expect(user).toMatch(/^\d+(:\d+)?$/);
  expect(user.split(':').map(Number).every((id) => id > 0)).toBe(true);
  // Kubernetes' runAsNonRoot check and the chart's runAsUser use the same number.
  const values = readFileSync(join(ROOT, 'charts/rollsafe/values.yaml'), 'utf8');
  expect(values).toContain(`runAsUser: ${user.split(':')[0]}`);
});

test('the entrypoint is node itself in exec form, running the compiled server, so SIGTERM reaches its drain handler', () => {
  const entrypoints = of(final, 'ENTRYPOINT');
  expect(entrypoints.length).toBe(1);
  const words = execForm(entrypoints[0]?.args ?? '');
  // A shell form would make /bin/sh PID 1, which does not pass SIGTERM on.
  expect(words).toBeDefined();
  expect(words?.[0]).toBe('node');
  expect(words?.slice(-2)).toEqual(['dist/cli/main.js', 'serve']);
  expect(of(final, 'CMD')).toEqual([]);
  expect(of(final, 'ENV').map((e) => e.args)).toContain('NODE_ENV=production');
  expect(of(final, 'EXPOSE').map((e) => e.args)).toEqual(['8443']);
});
