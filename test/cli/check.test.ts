// The `rollsafe check` contract (DESIGN.md, "CLI contract"): inputs, output formats, exit codes.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import type { CheckReport } from '../../src/cli/check.js';
import { formatGithub } from '../../src/cli/output/github.js';
import { toUri } from '../../src/cli/output/sarif.js';
import { rollsafe } from '../helpers/run-cli.js';
import { ROOT, spawnRollsafe } from '../helpers/spawn-cli.js';

const CLI = 'test/fixtures/cli';

describe('rollsafe check inputs', () => {
  it('reads multi-document YAML, List kinds and JSON, and skips kinds it does not check', async () => {
    const r = await rollsafe(['check', '-o', 'json', `${CLI}/mixed.yaml`, `${CLI}/list.json`]);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.results.map((x: { kind: string; name: string }) => `${x.kind}/${x.name}`)).toEqual([
      'Deployment/web',
      'ConfigMap/web-config',
      'Deployment/from-list',
    ]);
    expect(report.summary).toMatchObject({ files: 2, objects: 6, checked: 3, skipped: 3 });
  });

  it('applies YAML merge keys as kubectl does (sigs.k8s.io/yaml): a container written `<<: *base` has what it merges', async () => {
    const r = await rollsafe(['check', '-o', 'json', `${CLI}/merge-keys.yaml`]);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.results[0].findings).toEqual([]);
    expect(report.summary.decisions).toEqual({ allow: 1, warn: 0, deny: 0 });
  });

  it('warns where YAML 1.1 gives an unquoted key other text (NO is "false", 010 is "8"), at the key\'s line, and not for quoted keys or keys that keep their text', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: countries, namespace: shop}\ndata:\n  SE: stockholm\n  NO: oslo\n  "on": quoted\n  010: octal\n  true: "kept"\n  2024-01-01: date\n';
    const r = await rollsafe(['check', '-o', 'json', '-'], yaml);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { results: { decision: string; findings: { policy: string; action: string; path: string; line: number; message: string }[] }[] };
    expect(report.results[0]?.findings.map(({ policy, action, path, line }) => ({ policy, action, path, line }))).toEqual([
      { policy: 'yaml-key', action: 'warn', path: 'data.false', line: 6 },
      { policy: 'yaml-key', action: 'warn', path: 'data["8"]', line: 8 },
    ]);
    expect(report.results[0]?.findings[0]?.message).toContain('the key written NO (unquoted) is the boolean false in YAML 1.1');
    expect(report.results[0]?.findings[0]?.message).toContain('quote it ("NO":)');
    expect(report.results[0]?.decision).toBe('warn');
  });

  it('applies YAML merge keys in the policy configuration (options shared through an anchor)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-merge-config-'));
    const config = join(dir, 'rollsafe.yaml');
    writeFileSync(config, "policies:\n  replicas: &strict {action: deny, options: {minReplicas: 3}}\nnamespaceOverrides:\n  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}\n    policies:\n      replicas: {<<: *strict, action: warn}\n");
    const r = await rollsafe(['check', '-o', 'json', '-c', config, `${CLI}/merge-keys.yaml`]);
    expect(r.stderr).toBe('');
    const findings = JSON.parse(r.stdout).results[0].findings as { policy: string; action: string }[];
    expect(findings.map((f) => `${f.policy}:${f.action}`)).toEqual(['replicas:warn']);
  });

  it('walks directories recursively for .yaml, .yml and .json files only', async () => {
    const r = await rollsafe(['check', '-o', 'json', `${CLI}/tree`]);
    expect(r.stderr).toBe('');
    const files = JSON.parse(r.stdout).results.map((x: { file: string }) => x.file.replace(/\\/g, '/'));
    expect(files).toEqual([`${CLI}/tree/a.yml`, `${CLI}/tree/nested/b.yaml`]);
  });

  it('follows symbolic links to directories (a shared base/), once per real directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rollsafe-links-'));
    mkdirSync(join(root, 'shared'));
    writeFileSync(join(root, 'shared', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {A: "1"}\n');
    mkdirSync(join(root, 'repo'));
    writeFileSync(join(root, 'repo', 'own.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: own}\ndata: {A: "1"}\n');
    symlinkSync(join(root, 'shared'), join(root, 'repo', 'base'));
    symlinkSync(join(root, 'shared'), join(root, 'repo', 'base-again'));
    symlinkSync(join(root, 'repo'), join(root, 'repo', 'loop'));
    const r = await rollsafe(['check', '-o', 'json', join(root, 'repo')]);
    expect(r.stderr).toBe('');
    const files = JSON.parse(r.stdout).results.map((x: { file: string }) => x.file.slice(root.length + 1).replace(/\\/g, '/'));
    expect(files).toEqual(['repo/base/cm.yaml', 'repo/own.yaml']);
  });

  it('passes over documents that are not manifests in a searched directory (dashboards, values files), and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-gitops-'));
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {A: "1"}\n');
    writeFileSync(join(dir, 'dashboard.json'), '{"title": "Shop", "panels": []}\n');
    writeFileSync(join(dir, 'values.yaml'), 'replicaCount: 2\n---\n- a list\n');
    const json = await rollsafe(['check', '-o', 'json', dir]);
    expect([json.code, json.stderr]).toEqual([0, '']);
    expect(JSON.parse(json.stdout).summary).toMatchObject({ files: 3, objects: 1, checked: 1, notManifests: 3 });
    const text = await rollsafe(['check', dir]);
    expect(text.stdout).toContain(`3 document(s) without kind or apiVersion in searched directories not read: ${join(dir, 'dashboard.json')}, ${join(dir, 'values.yaml')}\n`);
    // Named on the command line, the same file is a mistake (exit 2), each document of it, and so
    // is a manifest without its kind or apiVersion anywhere.
    const named = await rollsafe(['check', join(dir, 'values.yaml')]);
    expect([named.code, named.stderr]).toEqual([
      2,
      `rollsafe: error: ${join(dir, 'values.yaml')}:1: document 1 is not a Kubernetes object (no kind)\n` +
        `rollsafe: error: ${join(dir, 'values.yaml')}:3: document 2 is not a Kubernetes object (no kind)\n`,
    ]);
    // An item of a List is a manifest wherever it is found: one without a kind is an error (kubectl refuses it).
    writeFileSync(join(dir, 'list.yaml'), 'apiVersion: v1\nkind: List\nitems:\n- metadata: {name: x}\n');
    const list = await rollsafe(['check', dir]);
    expect([list.code, list.stderr]).toEqual([2, `rollsafe: error: ${join(dir, 'list.yaml')}:4: document 1, items[0] is not a Kubernetes object (no kind)\n`]);
    rmSync(join(dir, 'list.yaml'));
    // Nothing but such documents: the wrong directory, which must not pass a CI job.
    const only = mkdtempSync(join(tmpdir(), 'rollsafe-values-only-'));
    writeFileSync(join(only, 'values.yaml'), 'replicaCount: 2\n');
    const wrong = await rollsafe(['check', only]);
    expect([wrong.code, wrong.stdout, wrong.stderr]).toEqual([2, '', `rollsafe: error: ${only}: no Kubernetes manifest found: 1 document(s) without kind or apiVersion passed over (${join(only, 'values.yaml')})\n`]);
    writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: apps/v1\nmetadata: {name: web}\n');
    const broken = await rollsafe(['check', dir]);
    expect([broken.code, broken.stderr]).toEqual([2, `rollsafe: error: ${join(dir, 'broken.yaml')}:1: document 1 is not a Kubernetes object (no kind)\n`]);
  });

  it('reports a dangling symbolic link under a directory instead of skipping it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-dangling-'));
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    // An editor's lock file is a dangling link by design, and is skipped.
    symlinkSync('user@host.4242:1700000000', join(dir, '.#a.yaml'));
    expect((await rollsafe(['check', dir])).code).toBe(0);
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'b.yaml'));
    const r = await rollsafe(['check', '-o', 'json', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`rollsafe: error: ${join(dir, 'b.yaml')}: cannot read: dangling symbolic link to ${join(dir, 'nowhere.yaml')} (ENOENT)\n`);
    // The search goes on: the other file is still checked and reported.
    const report = JSON.parse(r.stdout) as { results: { name: string }[]; errors: { file: string }[] };
    expect(report.results.map((x) => x.name)).toEqual(['a']);
    expect(report.errors.map((e) => e.file)).toEqual([join(dir, 'b.yaml')]);
    // A directory holding nothing but the dangling link: the link is the error, not 'no manifests found'.
    const lone = mkdtempSync(join(tmpdir(), 'rollsafe-dangling-only-'));
    symlinkSync(join(lone, 'nowhere.yaml'), join(lone, 'c.yaml'));
    const only = await rollsafe(['check', lone]);
    expect([only.code, only.stderr]).toEqual([2, `rollsafe: error: ${join(lone, 'c.yaml')}: cannot read: dangling symbolic link to ${join(lone, 'nowhere.yaml')} (ENOENT)\n`]);
  });

  it('refuses a directory with no manifest file, and input with no document at all unless --allow-empty', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rollsafe-empty-'));
    const notes = mkdtempSync(join(tmpdir(), 'rollsafe-notes-'));
    writeFileSync(join(notes, 'README.md'), '# not a manifest\n');
    for (const dir of [empty, notes]) {
      const r = await rollsafe(['check', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`rollsafe: error: ${dir}: no manifests found under this directory (no .yaml, .yml or .json file)\n`);
    }
    writeFileSync(join(notes, 'empty.yaml'), '# nothing rendered\n');
    // `helm template … | rollsafe check -` after helm failed, in a shell without pipefail: the
    // same empty input as a chart that renders nothing, so it must not pass unless told.
    for (const [args, named] of [[[notes], notes], [[join(notes, 'empty.yaml')], join(notes, 'empty.yaml')], [['-'], '<stdin>']] as const) {
      const refused = await rollsafe(['check', '-o', 'json', ...args], '');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(new RegExp(`^rollsafe: error: ${named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no Kubernetes object`));
      expect(JSON.parse(refused.stdout).errors).toHaveLength(1);
      const allowed = await rollsafe(['check', '-o', 'json', '--allow-empty', ...args], '');
      expect(allowed.code).toBe(0);
      expect(JSON.parse(allowed.stdout).summary).toMatchObject({ files: 1, objects: 0, checked: 0 });
    }
    const piped = await rollsafe(['check', '-'], '');
    expect(piped.stderr).toContain('the command before the pipe printed none (if it failed, run the pipeline with set -o pipefail');
  });

  it('still writes a valid machine-readable document when the run stops before checking anything', async () => {
    for (const args of [['no/such/dir'], ['-c', 'no/such/config.yaml', 'test/fixtures/incidents']]) {
      const sarif = await rollsafe(['check', '-o', 'sarif', ...args]);
      expect(sarif.code).toBe(2);
      const run = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] }).runs[0];
      expect(run?.results).toEqual([expect.objectContaining({ ruleId: 'input-error', message: expect.objectContaining({ text: expect.stringContaining('no such file or directory (ENOENT)') }) })]);
      const junit = await rollsafe(['check', '-o', 'junit', ...args]);
      expect(junit.stdout).toMatch(/^<\?xml[\s\S]*<error message="cannot read[^"]*no such file or directory \(ENOENT\)"/);
      const json = await rollsafe(['check', '-o', 'json', ...args]);
      expect(JSON.parse(json.stdout).errors).toEqual([expect.objectContaining({ message: expect.stringContaining('no such file or directory') })]);
      const text = await rollsafe(['check', ...args]);
      expect([text.code, text.stdout]).toEqual([2, '']);
    }
  });

  it('refuses a kustomize directory whose kustomization changes its files, and checks one that only lists them (flux-system)', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'rollsafe-kustomize-'));
    for (const dir of ['apps/base', 'apps/prod', 'clusters/prod/flux-system']) mkdirSync(join(repo, dir), { recursive: true });
    writeFileSync(join(repo, 'apps/base/kustomization.yaml'), 'resources: [deployment.yaml]\nnamePrefix: prod-\n');
    copyFileSync(`${CLI}/mixed.yaml`, join(repo, 'apps/base/deployment.yaml'));
    writeFileSync(join(repo, 'apps/prod/Kustomization'), 'resources: [../base]\nnamespace: shop\npatches: [{path: patch.yaml}]\n');
    writeFileSync(join(repo, 'apps/prod/patch.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n');
    // What `flux bootstrap` writes: the files are applied as they are.
    writeFileSync(join(repo, 'clusters/prod/flux-system/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n');
    copyFileSync(`${CLI}/list.json`, join(repo, 'clusters/prod/flux-system/gotk-components.yaml'));
    const r = await rollsafe(['check', '-o', 'json', repo, repo]);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { results: { name: string }[]; errors: { file: string; message: string }[] };
    // The flux-system files are checked; nothing under a kustomize directory that changes its
    // files is, and no patch is read as a broken object. Each refusal once, though named twice.
    expect(report.results.map((x) => x.name)).toEqual(['from-list']);
    const refusal = (dir: string, file: string, sets: string) =>
      `rollsafe: error: ${join(repo, dir)}: a kustomize directory (${file}: it sets ${sets}): its files are what kustomize builds from, not what is applied, so nothing under it was checked; check its render instead (kubectl kustomize ${join(repo, dir)} | rollsafe check -), or name a file to check it as it is`;
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([refusal('apps/base', 'kustomization.yaml', 'namePrefix'), refusal('apps/prod', 'Kustomization', 'namespace, patches')]);
    // A file named on the command line is checked as it is.
    const named = await rollsafe(['check', '-o', 'json', join(repo, 'apps/base/deployment.yaml')]);
    expect(JSON.parse(named.stdout).summary).toMatchObject({ checked: 2 });
  });

  it('refuses a Helm chart directory with one error and its render as the fix, and hints at the render for a template named as a file', async () => {
    // Rollsafe's own chart: its templates are Go templates, which read as YAML gave one parser error each.
    const repo = mkdtempSync(join(tmpdir(), 'rollsafe-helm-'));
    try {
      mkdirSync(join(repo, 'apps'));
      copyFileSync(`${CLI}/mixed.yaml`, join(repo, 'apps/web.yaml'));
      const r = await rollsafe(['check', '-o', 'json', repo, 'charts']);
      expect(r.code).toBe(2);
      const report = JSON.parse(r.stdout) as { summary: { checked: number }; errors: { file: string; message: string }[] };
      expect(report.errors).toEqual([
        { file: 'charts/rollsafe', message: "a Helm chart (Chart.yaml): its templates are what helm renders, not what is applied, so nothing under it was checked; check its render instead (helm template my-release charts/rollsafe [-f VALUES] [--include-crds] | rollsafe check -), and name the repository's other directories to check them without it" },
      ]);
      // The manifests beside it are still checked.
      expect(report.summary.checked).toBe(2);
      const template = await rollsafe(['check', 'charts/rollsafe/templates/deployment.yaml']);
      expect(template.code).toBe(2);
      expect(template.stderr).toMatch(/^rollsafe: error: charts\/rollsafe\/templates\/deployment\.yaml:\d+: invalid YAML \(document 1\): .*; the file holds Helm template syntax \(\{\{ … \}\}\): check its render instead \(helm template my-release CHART \| rollsafe check -\)\n$/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('reads a directory whose Chart.yaml is not a Helm chart (a k3s HelmChart) as manifests, and gives no template hint for {{ inside strings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-notchart-'));
    try {
      writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: helm.cattle.io/v1\nkind: HelmChart\nmetadata: {name: traefik, namespace: kube-system}\nspec: {chart: traefik}\n');
      copyFileSync(`${CLI}/mixed.yaml`, join(dir, 'deploy.yaml'));
      const r = await rollsafe(['check', '-o', 'json', dir]);
      expect((JSON.parse(r.stdout) as { summary: { checked: number }; errors: unknown[] }).errors).toEqual([]);
      writeFileSync(join(dir, 'alerts.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: alerts}\ndata:\n  rule: "{{ $labels.instance }} down"\n  ci: ${{ github.sha }}\n  bad: [unclosed\n');
      const bad = await rollsafe(['check', join(dir, 'alerts.yaml')]);
      expect(bad.stderr).toMatch(/invalid YAML \(document 1\): [^;]*\n$/);
      // A template that parses as YAML: the action is read as a map, and said to be one; in a
      // child process, so a warning of the YAML parser on stderr would show.
      writeFileSync(join(dir, 'alerts.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata: {a: b}\n');
      const parsed = spawnRollsafe(['check', join(dir, 'alerts.yaml')]);
      expect(parsed.code).toBe(2);
      expect(parsed.stderr).toBe(`rollsafe: error: ${join(dir, 'alerts.yaml')}:4: invalid ConfigMap (document 1): metadata.name: is a map where Kubernetes wants a string, so kubectl apply refuses it; it is a Helm template action ({{ … }}), which YAML reads as a map: check the chart's render instead (helm template my-release CHART | rollsafe check -)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warns when a ConfigSchema checked nothing because its targets are in another namespace (manifests without one)', async () => {
    const schema = 'test/fixtures/schema-incidents/schema.yaml';
    const broken = readFileSync('test/fixtures/schema-incidents/broken.yaml', 'utf8');
    const unset = broken.replace(/, namespace: shop/g, '');
    expect(unset).not.toContain('namespace: shop');
    const r = await rollsafe(['check', '-o', 'json', '-s', schema, '-'], unset);
    expect(r.stderr).toBe('rollsafe: warning: ConfigSchema shop/api-config checked nothing: ConfigMap api-config matches its targets but is in namespace default (its manifest has no metadata.namespace, so it is read as --namespace default); run with -n shop, or set the namespace in the manifests\n');
    expect((JSON.parse(r.stdout) as { results: { findings: { policy: string }[] }[] }).results.flatMap((o) => o.findings).filter((f) => f.policy === 'config-schema')).toEqual([]);
    // With -n shop the schema applies, and nothing is said.
    const fixed = await rollsafe(['check', '-o', 'json', '-n', 'shop', '-s', schema, '-'], unset);
    expect(fixed.stderr).toBe('');
    expect((JSON.parse(fixed.stdout) as { results: { findings: { policy: string }[] }[] }).results.flatMap((o) => o.findings).filter((f) => f.policy === 'config-schema').length).toBeGreaterThan(0);
  });

  it('warns on an object given twice in one run, naming where the other copy is, since cross-object checks may read either', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'rollsafe-dup-'));
    for (const env of ['prod', 'staging']) {
      mkdirSync(join(repo, env));
      copyFileSync(`${CLI}/mixed.yaml`, join(repo, env, 'app.yaml'));
    }
    const r = await rollsafe(['check', '-o', 'json', repo]);
    const report = JSON.parse(r.stdout) as { results: { file: string; kind: string; name: string; findings: { policy: string; action: string; message: string }[] }[] };
    const duplicates = report.results.map((o) => [o.file, `${o.kind}/${o.name}`, o.findings.filter((f) => f.policy === 'duplicate').map((f) => `${f.action}: ${f.message.split(': all documents')[0] ?? ''}`)]);
    const [prod, staging] = ['prod', 'staging'].map((env) => join(repo, env, 'app.yaml'));
    expect(duplicates).toEqual([
      [prod, 'Deployment/web', [`warn: Deployment shop/web is also given at ${staging}:1`]],
      [prod, 'ConfigMap/web-config', [`warn: ConfigMap shop/web-config is also given at ${staging}:30`]],
      [staging, 'Deployment/web', [`warn: Deployment shop/web is also given at ${prod}:1`]],
      [staging, 'ConfigMap/web-config', [`warn: ConfigMap shop/web-config is also given at ${prod}:30`]],
    ]);
    // One copy: no such warning.
    const alone = JSON.parse((await rollsafe(['check', '-o', 'json', prod as string])).stdout) as typeof report;
    expect(alone.results.flatMap((o) => o.findings).filter((f) => f.policy === 'duplicate')).toEqual([]);
    // Five copies: three named, the rest counted. Objects named by generateName are never the same object.
    const cm = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\ndata: {n: "${n}"}\n`;
    const generated = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: job-, namespace: shop}\ndata: {a: b}\n';
    const many = JSON.parse((await rollsafe(['check', '-o', 'json', '-'], [1, 2, 3, 4, 5].map(cm).join('---\n') + '---\n' + generated + '---\n' + generated)).stdout) as typeof report;
    const notes = many.results.map((o) => o.findings.filter((f) => f.policy === 'duplicate').map((f) => f.message.split(': all documents')[0]));
    expect(notes).toEqual([
      ['ConfigMap shop/cfg is also given at <stdin>:6, <stdin>:11, <stdin>:16 and 1 more'],
      ['ConfigMap shop/cfg is also given at <stdin>:1, <stdin>:11, <stdin>:16 and 1 more'],
      ['ConfigMap shop/cfg is also given at <stdin>:1, <stdin>:6, <stdin>:16 and 1 more'],
      ['ConfigMap shop/cfg is also given at <stdin>:1, <stdin>:6, <stdin>:11 and 1 more'],
      ['ConfigMap shop/cfg is also given at <stdin>:1, <stdin>:6, <stdin>:11 and 1 more'],
      [],
      [],
    ]);
  });

  it('takes one path per --schemas, so the manifests after it stay PATHs (repeat it, or use commas)', async () => {
    const schema = 'test/fixtures/schema-incidents/schema.yaml';
    const broken = 'test/fixtures/schema-incidents/broken.yaml';
    for (const args of [['-s', schema, broken], ['--schemas', schema, '-s', schema, broken], ['-s', `${schema},${schema}`, broken]]) {
      const r = await rollsafe(['check', '-o', 'json', ...args]);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).results.some((x: { findings: { policy: string }[] }) => x.findings.some((f) => f.policy === 'config-schema'))).toBe(true);
    }
  });

  describe('--schemas DIR as a GitOps repository keeps one', () => {
    const schema = readFileSync('test/fixtures/schema-incidents/schema.yaml', 'utf8');
    const broken = 'test/fixtures/schema-incidents/broken.yaml';
    const dirWith = (files: Record<string, string>) => {
      const dir = mkdtempSync(join(tmpdir(), 'rollsafe-schemas-'));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      return dir;
    };
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: configschemas.rollsafe.dev}\n';
    const configSchemaFindings = (stdout: string) =>
      (JSON.parse(stdout) as CheckReport).results.flatMap((x) => x.findings).filter((f) => f.policy === 'config-schema').length;

    it('passes over its kustomization, Namespace and CRD, and applies the schemas beside them', async () => {
      const dir = dirWith({ 'kustomization.yaml': 'resources:\n- crd.yaml\n- schema.yaml\n- ns.yaml\n', 'crd.yaml': crd, 'schema.yaml': schema, 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' });
      try {
        const r = await rollsafe(['check', '-o', 'json', '-s', dir, broken]);
        expect(r.stderr).toBe('');
        expect(configSchemaFindings(r.stdout)).toBeGreaterThan(0);
        expect(r.code).toBe(1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('is an input error when it holds no ConfigSchema at all, naming what it passed over', async () => {
      const dir = dirWith({ 'kustomization.yaml': 'resources:\n- crd.yaml\n', 'crd.yaml': crd });
      try {
        const r = await rollsafe(['check', '-s', dir, broken]);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(`rollsafe: error: --schemas ${dir}: no ConfigSchema found: 2 document(s) of other kinds passed over (${join(dir, 'crd.yaml')}, ${join(dir, 'kustomization.yaml')})\n`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a kustomize directory whose kustomization changes its schemas or applies them from elsewhere', async () => {
      const local = dirWith({ 'schema.yaml': schema.replace(', namespace: shop', ''), 'kustomization.yaml': 'namespace: shop\nresources: [schema.yaml]\n' });
      const overlay = dirWith({ 'kustomization.yaml': 'resources: [../base]\n' });
      try {
        const ns = await rollsafe(['check', '-s', local, broken]);
        expect(ns.code).toBe(2);
        expect(ns.stderr).toContain(`rollsafe: error: ${local}: a kustomize directory (kustomization.yaml: it sets namespace): its files are what kustomize builds from, not what is applied, so no ConfigSchema under it was loaded; give its render instead (kubectl kustomize ${local} > schemas.yaml, then --schemas schemas.yaml; check also reads it on stdin, --schemas -)`);
        const based = await rollsafe(['check', '-s', overlay, broken]);
        expect(based.code).toBe(2);
        expect(based.stderr).toContain('(kustomization.yaml: it lists resources outside this directory (../base))');
        // Its render, piped in or as a file, is what applies: the Namespace in it is passed over.
        const rendered = await rollsafe(['check', '-o', 'json', '-s', '-', broken], `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n${schema}`);
        expect(configSchemaFindings(rendered.stdout)).toBeGreaterThan(0);
      } finally {
        rmSync(local, { recursive: true, force: true });
        rmSync(overlay, { recursive: true, force: true });
      }
    });

    it('is an input error for each --schemas path that holds no ConfigSchema: an empty stdin, an empty file, an empty directory, a directory beside a good one', async () => {
      const others = dirWith({ 'crd.yaml': crd });
      const blank = dirWith({ 'empty.yaml': '# nothing yet\n' });
      try {
        const stdin = await rollsafe(['check', '-s', '-', broken], '');
        expect(stdin.code).toBe(2);
        expect(stdin.stderr).toBe('rollsafe: error: --schemas -: no ConfigSchema on stdin: the command before the pipe printed none (if it failed, run the pipeline with set -o pipefail so its failure fails the job)\n');
        const file = await rollsafe(['check', '-s', join(blank, 'empty.yaml'), broken]);
        expect(file.stderr).toBe(`rollsafe: error: --schemas ${join(blank, 'empty.yaml')}: no ConfigSchema found: no document in it\n`);
        const second = await rollsafe(['check', '-s', 'test/fixtures/schema-incidents/schema.yaml', '-s', others, 'test/fixtures/schema-incidents/fixed.yaml']);
        expect(second.code).toBe(2);
        expect(second.stderr).toBe(`rollsafe: error: --schemas ${others}: no ConfigSchema found: 1 document(s) of other kinds passed over (${join(others, 'crd.yaml')})\n`);
        const none = mkdtempSync(join(tmpdir(), 'rollsafe-no-schemas-'));
        const emptyDir = await rollsafe(['check', '-s', none, broken]);
        rmSync(none, { recursive: true, force: true });
        expect(emptyDir.stderr).toBe(`rollsafe: error: ${none}: no ConfigSchema files found under this directory (no .yaml, .yml or .json file)\n`);
        const twice = await rollsafe(['check', '-s', '-', '-'], schema);
        expect(twice.code).toBe(2);
        expect(twice.stderr).toBe('rollsafe: error: --schemas -: stdin can be read once: give - to --schemas or as a PATH, not both (write one of them to a file)\n');
      } finally {
        rmSync(others, { recursive: true, force: true });
        rmSync(blank, { recursive: true, force: true });
      }
    });

    it('loads the schemas under a kustomization only when they are what it applies: not a file it does not list, one it lists that is missing, or one in a skipped directory', async () => {
      const dir = dirWith({ 'schema.yaml': schema, 'stale.yaml': schema.replace('name: api-config', 'name: stale') });
      mkdirSync(join(dir, 'team'));
      mkdirSync(join(dir, '.hidden'));
      copyFileSync('test/fixtures/schema-incidents/schema.yaml', join(dir, 'team/schema.yaml'));
      copyFileSync('test/fixtures/schema-incidents/schema.yaml', join(dir, '.hidden/x.yaml'));
      const why = async (kustomization: string) => {
        writeFileSync(join(dir, 'kustomization.yaml'), kustomization);
        const r = await rollsafe(['check', '-o', 'json', '-s', dir, broken]);
        return r.code === 2 ? /kustomization\.yaml: (.*?)\)(?:: its files|, so no ConfigSchema)/.exec(r.stderr)?.[1] : `loaded, exit ${r.code}`;
      };
      try {
        expect(await why('resources: [schema.yaml]\n')).toBe('it does not list stale.yaml, team/schema.yaml, which kustomize would not apply');
        expect(await why('resources: [schema.yaml, stale.yaml, team, notyet.yaml]\n')).toBe('it lists notyet.yaml, which does not exist');
        expect(await why('resources: [schema.yaml, stale.yaml, team, .hidden/x.yaml]\n')).toBe('it lists .hidden/x.yaml, in a directory rollsafe does not search');
        // A directory listed covers the files under it.
        expect(await why('resources: [./schema.yaml, stale.yaml, team]\n')).toBe('loaded, exit 1');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('never passes over a mistyped schema; a file named that holds none is an input error', async () => {
      const dir = dirWith({ 'schema.yaml': schema, 'typo.yaml': 'apiVersion: rollsafe.dev/v1alpha1\nkind: ConfigSchemas\nmetadata: {name: api-config}\n', 'kustomization.yaml': 'resources: [schema.yaml, typo.yaml]\n' });
      try {
        const typo = await rollsafe(['check', '-s', dir, broken]);
        expect(typo.code).toBe(2);
        expect(typo.stderr).toBe(`rollsafe: error: ${join(dir, 'typo.yaml')}:1: --schemas: document 1 is not a ConfigSchema (kind "ConfigSchemas", apiVersion "rollsafe.dev/v1alpha1": a ConfigSchema is kind "ConfigSchema", apiVersion "rollsafe.dev/v1alpha1")\n`);
        writeFileSync(join(dir, 'typo.yaml'), 'apiVersion: rollsafe/v1alpha1\nkind: Configschema\nmetadata: {name: api-config}\n');
        expect((await rollsafe(['check', '-s', dir, broken])).stderr).toContain(`${join(dir, 'typo.yaml')}:1: --schemas: document 1 is not a ConfigSchema (kind "Configschema", apiVersion "rollsafe/v1alpha1"`);
        const named = await rollsafe(['check', '-s', join(dir, 'kustomization.yaml'), broken]);
        expect(named.code).toBe(2);
        expect(named.stderr).toBe(`rollsafe: error: --schemas ${join(dir, 'kustomization.yaml')}: no ConfigSchema found: 1 document(s) of other kinds passed over (${join(dir, 'kustomization.yaml')})\n`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('reads stdin when the path is -', async () => {
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-stdin}\ndata: {A: "1"}\n';
    const r = await rollsafe(['check', '-o', 'json', '-'], manifest);
    const report = JSON.parse(r.stdout);
    expect(report.results[0]).toMatchObject({ file: '<stdin>', kind: 'ConfigMap', name: 'from-stdin', decision: 'allow' });
    expect(r.code).toBe(0);
  });

  it('resolves ConfigMap references across the documents given, in any order', async () => {
    const alone = await rollsafe(['check', '-o', 'json', `${CLI}/config-ref/deployment.yaml`]);
    const both = await rollsafe(['check', '-o', 'json', `${CLI}/config-ref`]);
    const configRef = (out: string) =>
      JSON.parse(out)
        .results.flatMap((r: { findings: { policy: string; action: string }[] }) => r.findings)
        .filter((f: { policy: string }) => f.policy === 'config-ref')
        .map((f: { action: string; message: string }) => f.action);
    expect(configRef(alone.stdout)).toEqual(['warn']);
    expect(configRef(both.stdout)).toEqual(['deny']);
    expect(both.code).toBe(1);
  });
});

describe('rollsafe check errors (exit 2, file and line, no stack trace)', () => {
  it('reports invalid YAML with the file and line', () => {
    const r = spawnRollsafe(['check', `${CLI}/invalid-yaml.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rollsafe: error: test\/fixtures\/cli\/invalid-yaml\.yaml:9: invalid YAML \(document 2\): /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toMatch(/^0 object\(s\) checked in 1 file\(s\): .*; 1 input error\(s\) \(on stderr\): what they name was not checked\n$/);
  });

  describe('a bad file among good ones: every error is reported, the rest is still checked, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-mixed-'));
    // a deny in a good file, a YAML error in one file, an object the API server refuses in another
    writeFileSync(join(dir, 'a-deny.yaml'), readFileSync('test/fixtures/incidents/probe-ports-root.yaml', 'utf8'));
    writeFileSync(join(dir, 'b-broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n');
    writeFileSync(join(dir, 'c-port.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: c}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        ports:\n        - containerPort: "8080"\n');

    it('text: the good file\'s findings, then each error on stderr with its file and line', async () => {
      const r = await rollsafe(['check', dir]);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('[probe-port]');
      expect(r.stdout).toMatch(/1 denied.*; 2 input error\(s\) \(on stderr\)/);
      const errors = r.stderr.trimEnd().split('\n');
      expect(errors).toEqual([
        expect.stringMatching(new RegExp(`^rollsafe: error: ${join(dir, 'b-broken.yaml')}:\\d+: invalid YAML \\(document 1\\)`)),
        expect.stringMatching(new RegExp(`^rollsafe: error: ${join(dir, 'c-port.yaml')}:10: invalid Deployment \\(document 1\\): spec\\.template\\.spec\\.containers\\[0\\]\\.ports\\[0\\]\\.containerPort`)),
      ]);
    });

    it('json: results for what was read, errors for what was not', async () => {
      const r = await rollsafe(['check', '-o', 'json', dir]);
      expect(r.code).toBe(2);
      const report = JSON.parse(r.stdout) as { results: { file: string; decision: string }[]; errors: { file: string; line?: number; message: string }[]; summary: { errors: number } };
      expect(report.results.map((x) => [x.file, x.decision])).toEqual([[join(dir, 'a-deny.yaml'), 'deny']]);
      expect(report.errors.map((e) => [e.file, e.line])).toEqual([[join(dir, 'b-broken.yaml'), expect.any(Number)], [join(dir, 'c-port.yaml'), 10]]);
      expect(report.errors[1]?.message).toMatch(/^invalid Deployment \(document 1\): spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort/);
      expect(report.summary.errors).toBe(2);
    });

    it('sarif: each error is an error-level result at its file and line, with its rule', async () => {
      const run = JSON.parse((await rollsafe(['check', '-o', 'sarif', dir])).stdout).runs[0] as {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; ruleIndex: number; level: string; locations: [{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }] }[];
      };
      const errors = run.results.filter((x) => x.ruleId === 'input-error');
      expect(errors.map((x) => [x.level, x.locations[0].physicalLocation.region?.startLine])).toEqual([['error', expect.any(Number)], ['error', 10]]);
      for (const x of run.results) expect(run.tool.driver.rules[x.ruleIndex]?.id).toBe(x.ruleId);
      expect(run.results.some((x) => x.ruleId === 'probe-port')).toBe(true);
    });

    it('junit: an error test case per input error, counted in errors=', async () => {
      const xml = (await rollsafe(['check', '-o', 'junit', dir])).stdout;
      expect(xml).toMatch(/<testsuites name="rollsafe" tests="3" failures="1" errors="2">/);
      expect(xml).toContain(`<testsuite name="${join(dir, 'c-port.yaml')}" tests="1" failures="0" errors="1" skipped="0">`);
      expect(xml).toMatch(/<testcase classname="rollsafe.input" name="input error \(line 10\)"[^>]*>\n\s*<error message="invalid Deployment/);
    });
  });

  it('reports a file that does not exist', async () => {
    const r = await rollsafe(['check', 'no/such/file.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('rollsafe: error: no/such/file.yaml: cannot read: no such file or directory (ENOENT)\n');
  });

  it('refuses an object too large for the copy client-side kubectl apply keeps in an annotation, of any kind, unless --server-side', async () => {
    const dashboards = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: dashboards', 'data:', `  node.json: "${'x'.repeat(270_000)}"`, ''].join('\n');
    // a custom resource: its metadata is validated as every object's is
    const rules = ['apiVersion: monitoring.coreos.com/v1', 'kind: PrometheusRule', 'metadata:', '  name: alerts', '  annotations:', `    notes: "${'y'.repeat(140_000)}"`, 'spec: {}', ''].join('\n');
    const r = await rollsafe(['check', '-'], `${dashboards}---\n${rules}`);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^rollsafe: error: <stdin>:\d+: invalid ConfigMap \(document 1\): the API server refuses it, so kubectl apply fails \(The ConfigMap "dashboards" is invalid\): metadata\.annotations: kubectl apply adds the annotation kubectl\.kubernetes\.io\/last-applied-configuration, a copy of the whole object \(270,\d{3} bytes\), which brings the annotations to 270,\d{3} bytes, more than the 262144 \(256 KiB\) the API server allows; apply it server-side/),
      expect.stringMatching(/^rollsafe: error: <stdin>:\d+: invalid PrometheusRule \(document 2\): .*a copy of the whole object \(140,\d{3} bytes\), which brings the annotations to 280,\d{3} bytes.* and check with rollsafe check --server-side, or split the object$/),
    ]);
    const serverSide = await rollsafe(['check', '--server-side', '-'], `${dashboards}---\n${rules}`);
    expect([serverSide.code, serverSide.stderr]).toEqual([0, '']);
  });

  it('with --server-side, refuses what server-side apply refuses and client-side apply lets through: two env entries of one name', async () => {
    const manifest = readFileSync(join(ROOT, 'test/fixtures/kube-schema/deploy-duplicate-env-name.yaml'), 'utf8');
    expect((await rollsafe(['check', '-'], manifest)).code).toBe(0);
    const r = await rollsafe(['check', '--server-side', '-'], manifest);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rollsafe: error: <stdin>:\d+: invalid Deployment \(document 1\): server-side apply refuses it \(failed to create typed patch object\): spec\.template\.spec\.containers\[0\]\.env\[1\]: has the same name as env\[0\]: server-side apply refuses two entries with the same key in this list \(duplicate entries for key \[name="MODE"\]\)/);
  });

  it('reports a Deployment whose fields have the wrong type, naming the field', async () => {
    const r = await rollsafe(['check', `${CLI}/wrong-type.yaml`]);
    expect(r.code).toBe(2);
    // The line of the field (containerPort: "eighty"), not of the document.
    expect(r.stderr).toContain('wrong-type.yaml:10: invalid Deployment (document 1): spec.template.spec.containers[0].ports[0].containerPort:');
  });

  it('puts an object of a List, and its findings, at their own lines', async () => {
    const r = await rollsafe(['check', '-o', 'json', `${CLI}/list.json`]);
    const result = JSON.parse(r.stdout).results[0] as { name: string; line: number; findings: { path: string; line: number }[] };
    expect(result).toMatchObject({ name: 'from-list', line: 5 });
    const container = result.findings.find((f) => f.path.startsWith('spec.template.spec.containers[app]'));
    expect(container?.line).toBe(14);
  });

  it('names the item of a List in its error, not just the List document', async () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n  data: {x: 1}\n- metadata: {name: c}\n';
    const r = await rollsafe(['check', '-'], list);
    expect([r.code, r.stderr]).toEqual([
      2,
      'rollsafe: error: <stdin>:8: invalid ConfigMap (document 1, items[1]): data.x: is the number 1 where Kubernetes wants a string, so kubectl apply refuses it; quote it: x: "1"\n' +
        'rollsafe: error: <stdin>:9: document 1, items[2] is not a Kubernetes object (no kind)\n',
    ]);
  });

  it('puts each subPath finding at its own mount when one volume is mounted several times (one file each)', async () => {
    const manifest = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: cfg}',
      'data: {app.yaml: "a: 1"}',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      volumes: [{name: cfg, configMap: {name: cfg}}]',
      '      containers:',
      '        - name: web',
      '          image: web:1',
      '          volumeMounts:',
      '            - {name: cfg, mountPath: /etc/app.yaml, subPath: app.yaml}',
      '            - {name: cfg, mountPath: /etc/nginx.conf, subPath: nginx.conf}',
      '            - {name: cfg, mountPath: /etc/log.conf, subPath: log.conf}',
      '',
    ].join('\n');
    const r = await rollsafe(['check', '-o', 'json', '-'], manifest);
    const findings = (JSON.parse(r.stdout).results as { name: string; findings: { policy: string; path: string; line: number }[] }[])
      .find((x) => x.name === 'web')
      ?.findings.filter((f) => f.policy === 'config-ref');
    expect(findings?.map((f) => [f.path, f.line])).toEqual([
      ['spec.template.spec.containers[web].volumeMounts[/etc/nginx.conf]', 20],
      ['spec.template.spec.containers[web].volumeMounts[/etc/log.conf]', 21],
    ]);
  });

  it('reports usage errors with what is allowed', async () => {
    const r = await rollsafe(['check', '-o', 'xml', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'xml' is invalid. Allowed choices are text, json, sarif, junit, github.");
    expect((await rollsafe(['check'])).code).toBe(2);
    expect((await rollsafe(['nonsense'])).code).toBe(2);
  });

  it('refuses a --namespace the API server would refuse, and reads a path given twice once', async () => {
    const ns = await rollsafe(['check', '-n', 'Bad_NS', `${CLI}/mixed.yaml`]);
    expect([ns.code, ns.stderr]).toEqual([2, 'rollsafe: error: --namespace: "Bad_NS" is not a namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters\n']);
    const twice = JSON.parse((await rollsafe(['check', '-o', 'json', `${CLI}/mixed.yaml`, `./${CLI}/mixed.yaml`, join(ROOT, CLI, 'mixed.yaml')])).stdout) as { results: { findings: { policy: string }[] }[]; summary: { files: number } };
    expect(twice.results.flatMap((r) => r.findings).filter((f) => f.policy === 'duplicate')).toEqual([]);
    expect(twice.summary.files).toBe(1);
    const stdin = JSON.parse((await rollsafe(['check', '-o', 'json', '-', '-'], readFileSync(`${CLI}/mixed.yaml`, 'utf8'))).stdout) as { summary: { files: number } };
    expect(stdin.summary.files).toBe(1);
    // A link to a file is the file: read once, no duplicate of itself.
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-link-'));
    copyFileSync(`${CLI}/mixed.yaml`, join(dir, 'app.yaml'));
    symlinkSync(join(dir, 'app.yaml'), join(dir, 'link.yaml'));
    const linked = JSON.parse((await rollsafe(['check', '-o', 'json', dir, join(dir, 'link.yaml')])).stdout) as typeof twice;
    expect([linked.summary.files, linked.results.flatMap((r) => r.findings).filter((f) => f.policy === 'duplicate')]).toEqual([1, []]);
  });

  it('puts a policy configuration mistake and a YAML error in it at their lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-config-'));
    writeFileSync(join(dir, 'c.yaml'), 'profile: default\npolicies:\n  env-empty: warn\n  replicas: block\n');
    writeFileSync(join(dir, 'dup.yaml'), 'profile: default\npolicies:\n  replicas: warn\n  replicas: deny\n');
    const bad = await rollsafe(['check', '--config', join(dir, 'c.yaml'), `${CLI}/mixed.yaml`]);
    expect(bad.stderr).toContain('c.yaml:4: invalid policy configuration:');
    const dup = await rollsafe(['check', '--config', join(dir, 'dup.yaml'), `${CLI}/mixed.yaml`]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/dup\.yaml:4: invalid YAML: Map keys must be unique/);
  });

  it('reports an invalid policy configuration naming the setting', async () => {
    const r = await rollsafe(['check', '--config', `${CLI}/bad-config.yaml`, `${CLI}/mixed.yaml`]);
    expect(r.code).toBe(2);
    // The line of the first setting listed (profile: paranoid).
    expect(r.stderr).toContain('bad-config.yaml:1: invalid policy configuration:');
    expect(r.stderr).toContain('policies: unknown policy "readiness-probes"; known policies: readiness-probe,');
    expect(r.stderr).toContain('policies.replicas: must be one of "deny", "warn", "audit", "off"');
    expect(r.stderr).toContain('policies.probe-timing.options.minPeriodSeconds:');
    // Several problems: each at its own line.
    expect(r.stderr).toMatch(/\n {2}line \d+: policies\.replicas: must be one of/);
    expect(r.stderr).toContain('profile: must be one of "default", "strict"');
  });
});

describe('rollsafe check policy configuration', () => {
  it('applies per-policy actions, strict profile, excluded namespaces and namespace overrides', async () => {
    const r = await rollsafe(['check', '-o', 'json', '--config', `${CLI}/config.yaml`, `${CLI}/namespaces.yaml`]);
    expect(r.stderr).toBe('');
    const byNs = Object.fromEntries(
      JSON.parse(r.stdout).results.map((x: { namespace: string; findings: { policy: string; action: string }[] }) => [
        x.namespace,
        x.findings.map((f) => `${f.policy}:${f.action}`).sort(),
      ]),
    );
    // strict raises readiness-probe and image-pinned; replicas is off; legacy namespaces only warn.
    expect(byNs.prod).toEqual(['image-pinned:deny', 'readiness-probe:deny']);
    expect(byNs.legacy).toEqual(['image-pinned:warn', 'readiness-probe:warn']);
    expect(byNs['kube-system']).toBeUndefined();
  });

  it('counts objects in excludeNamespaces as excluded, not as checked and clean, in every summary', async () => {
    const args = ['--config', `${CLI}/config.yaml`, `${CLI}/namespaces.yaml`];
    const json = JSON.parse((await rollsafe(['check', '-o', 'json', ...args])).stdout);
    expect(json.results.map((x: { namespace: string }) => x.namespace)).toEqual(['prod', 'legacy']);
    expect(json.summary).toMatchObject({ objects: 4, checked: 2, skipped: 1, excluded: 1, decisions: { allow: 0, warn: 1, deny: 1 } });
    const text = (await rollsafe(['check', ...args])).stdout.trimEnd().split('\n').at(-1);
    expect(text).toBe(
      '2 object(s) checked in 1 file(s): 1 denied, 1 with warnings, 0 clean; 2 deny, 2 warn, 0 audit finding(s); ' +
        '1 object(s) of other kinds skipped; 1 excluded by excludeNamespaces',
    );
    const junit = (await rollsafe(['check', '-o', 'junit', ...args])).stdout;
    expect(junit).toContain('<testsuites name="rollsafe" tests="3" failures="1" errors="0">');
    expect(junit).toContain('tests="3" failures="1" errors="0" skipped="1">');
    expect(junit).toContain(
      '<testcase classname="Deployment.kube-system" name="app" file="test/fixtures/cli/namespaces.yaml">\n' +
        '      <skipped message="namespace kube-system is in excludeNamespaces"/>\n    </testcase>',
    );
    // Nothing excluded: the text summary line is as before.
    expect((await rollsafe(['check', `${CLI}/namespaces.yaml`])).stdout).not.toContain('excluded');
  });
});

describe('rollsafe check output formats', () => {
  const file = 'test/fixtures/incidents/probe-ports-root.yaml';

  it('json has the shape of DESIGN.md', async () => {
    const r = await rollsafe(['check', '-o', 'json', file]);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['results', 'errors', 'summary']);
    expect(report.errors).toEqual([]);
    expect(Object.keys(report.results[0])).toEqual(['file', 'line', 'kind', 'namespace', 'name', 'decision', 'findings']);
    expect(Object.keys(report.results[0].findings[0])).toEqual(['policy', 'action', 'path', 'message', 'line']);
    expect(report.summary).toEqual({
      files: 1,
      objects: 1,
      checked: 1,
      skipped: 0,
      excluded: 0,
      schemas: 0,
      notManifests: 0,
      errors: 0,
      decisions: { allow: 0, warn: 0, deny: 1 },
      findings: { deny: 1, warn: report.summary.findings.warn, audit: 0 },
    });
  });

  it('sarif is SARIF 2.1.0 with a rule per policy and a located result per finding', async () => {
    const r = await rollsafe(['check', '-o', 'sarif', file]);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('rollsafe');
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toContain('probe-port');
    const deny = run.results.find((x: { ruleId: string }) => x.ruleId === 'probe-port');
    expect(deny.level).toBe('error');
    expect(run.tool.driver.rules[deny.ruleIndex].id).toBe('probe-port');
    expect(deny.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: file }, region: { startLine: 18 } });
    expect(run.results.filter((x: { level: string }) => x.level === 'warning').length).toBeGreaterThan(5);
  });

  it('an input error on stderr cannot start a workflow command, whatever the manifest holds', async () => {
    const forged = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  "bogus\\n::warning::forged by manifest\\r##[error]again": 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: "web:1"}]}\n';
    for (const output of ['text', 'json', 'sarif', 'junit']) {
      const r = await rollsafe(['check', '-o', output, '-'], forged);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('forged by manifest');
      expect(r.stderr.split(/\r|\n/).filter((l) => /^\s*(::|##\[)/.test(l))).toEqual([]);
    }
  });

  it('github: one workflow-command annotation per finding and input error, at its file and line, then the counts', async () => {
    const r = await rollsafe(['check', '-o', 'github', file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    // The file as an absolute path, which the runner makes relative to the workspace (a step may
    // run in a subdirectory), and in the message too: past 10 per kind, annotations are log lines.
    expect(lines).toContain(`::error file=${join(ROOT, file).replace(/:/g, '%3A').replace(/,/g, '%2C')},line=18,title=rollsafe [probe-port] Deployment shop/payments::${file}:18: spec.template.spec.containers[payments].readinessProbe.httpGet.port: readinessProbe of container "payments" targets port "health", which the container does not declare (declared: http (8080)); use a port name declared in this container's ports, or the port number`);
    expect(lines.filter((l) => l.startsWith('::warning file=')).length).toBeGreaterThan(5);
    expect(lines.at(-1)).toMatch(/^rollsafe: 1 object\(s\) checked in 1 file\(s\): 1 denied/);
    // The manifest's text cannot start a workflow command of its own: line breaks and % are
    // escaped in the message, and `:` and `,` in a property (a file name) too.
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-gh-'));
    copyFileSync(file, join(dir, 'a,b:c.yaml'));
    const named = (await rollsafe(['check', '-o', 'github', join(dir, 'a,b:c.yaml')])).stdout.split('\n')[0] ?? '';
    expect(named).toMatch(/^::warning file=[^,]*a%2Cb%3Ac\.yaml,line=20,title=rollsafe \[readiness-probe\]/);
    const report = JSON.parse((await rollsafe(['check', '-o', 'json', file])).stdout) as CheckReport;
    const forged = { ...report, results: report.results.map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, message: `${f.message}\n::error::forged 100%` })) })) };
    const escaped = formatGithub(forged).trimEnd().split('\n');
    expect(escaped.every((l) => l.startsWith('::') || l.startsWith('rollsafe: '))).toBe(true);
    expect(escaped.filter((l) => l.startsWith('::')).every((l) => l.endsWith('%0A::error::forged 100%25'))).toBe(true);
    // A bare CR ends a line for the runner too.
    const cr = { ...report, results: report.results.map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, message: `${f.message}\r::error::forged` })) })) };
    expect(formatGithub(cr).split(/\r|\n/).filter(Boolean).every((l) => l.startsWith('::') || l.startsWith('rollsafe: '))).toBe(true);
    // An input error is an annotation too.
    const broken = await rollsafe(['check', '-o', 'github', 'no/such.yaml']);
    expect(broken.stdout.split('\n')[0]).toBe(`::error file=${join(ROOT, 'no/such.yaml')},title=rollsafe input error::no/such.yaml: cannot read: no such file or directory (ENOENT) (nothing it names was checked)`);
    expect(broken.stderr).toBe('');
    const option = await rollsafe(['check', '-o', 'github', '-n', 'Bad_NS', file]);
    expect(option.stdout.split('\n')[0]).toMatch(/^::error title=rollsafe input error::--namespace: "Bad_NS" is not a namespace name/);
  });

  it('sarif has rule metadata for every ruleId, the exemption check included', async () => {
    const r = await rollsafe(['check', '-o', 'sarif', '-c', `${CLI}/exemption/config.yaml`, `${CLI}/exemption/checkout.yaml`]);
    const run = JSON.parse(r.stdout).runs[0] as { tool: { driver: { rules: { id: string; help: { text: string } }[] } }; results: { ruleId: string; ruleIndex: number }[] };
    expect(run.results.map((x) => x.ruleId)).toContain('exemption');
    for (const x of run.results) expect(run.tool.driver.rules[x.ruleIndex]?.id).toBe(x.ruleId);
    expect(run.tool.driver.rules.find((x) => x.id === 'exemption')?.help.text).toContain('--as');
  });

  it('sarif locations are URIs code scanning resolves: relative to the working directory, percent-encoded', async () => {
    type Result = { locations: [{ physicalLocation: { artifactLocation: { uri: string } } }] };
    const uris = async (args: string[], stdin = '') =>
      new Set((JSON.parse((await rollsafe(['check', '-o', 'sarif', ...args], stdin)).stdout).runs[0].results as Result[]).map((x) => x.locations[0].physicalLocation.artifactLocation.uri));
    // An absolute path inside the checkout is written relative to it, as code scanning wants.
    expect(await uris([join(process.cwd(), file)])).toEqual(new Set([file]));
    expect(await uris([`./${file}`])).toEqual(new Set([file]));
    expect(await uris(['-'], readFileSync(file, 'utf8'))).toEqual(new Set(['stdin']));
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-uri-'));
    const odd = join(dir, 'my app #1 ü%.yaml');
    copyFileSync(file, odd);
    // Outside the working directory: an absolute file URI.
    expect(await uris([odd])).toEqual(new Set([pathToFileURL(odd).href]));
    expect(toUri('k8s/my app #1 ü%.yaml', '/repo')).toBe('k8s/my%20app%20%231%20%C3%BC%25.yaml');
    expect(toUri('/repo/k8s/a.yaml', '/repo')).toBe('k8s/a.yaml');
    expect(toUri('../other/a.yaml', '/repo')).toBe('file:///other/a.yaml');
  });

  it('junit has a test case per object and a failure per denied object', async () => {
    const r = await rollsafe(['check', '-o', 'junit', file, 'test/fixtures/cli/mixed.yaml']);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="rollsafe" tests="3" failures="1" errors="0">/);
    expect(r.stdout).toContain('<testcase classname="Deployment.shop" name="payments"');
    expect(r.stdout).toContain('<failure message="1 deny finding(s): probe-port" type="rollsafe.deny">[probe-port] spec.template.spec.containers[payments].readinessProbe.httpGet.port:');
    expect(r.stdout).toContain('&quot;health&quot;');
    expect(r.stdout.match(/<testcase /g)).toHaveLength(3);
  });

  it('junit stays well-formed XML 1.0 when a manifest value holds characters XML cannot carry', async () => {
    const manifest = readFileSync('test/fixtures/incidents/telemetry-loopback.yaml', 'utf8').replace('value: "localhost:4318', 'value: "http://localhost:4318/x\\e[31m\\uFFFF\\uFFFE');
    expect(manifest).toContain('\\uFFFF');
    const r = await rollsafe(['check', '-o', 'junit', '-'], manifest);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('<failure ');
    // Every character is one XML 1.0 allows (tab, line feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD, astral).
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(r.stdout).toContain('\\u001b[31m\\uffff\\ufffe');
  });

  it('text writes control characters of the manifest as \\uXXXX, so they cannot drive the terminal or forge a line', async () => {
    const manifest = readFileSync('test/fixtures/incidents/telemetry-loopback.yaml', 'utf8').replace('value: "localhost:4318', 'value: "http://localhost:4318/x\\e[2J\\nforged\\e]0;x\\u0007');
    const r = await rollsafe(['check', '-'], manifest);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(r.stdout).toContain('localhost:4318/x\\u001b[2J\\nforged\\u001b]0;x\\u0007');
    // Names cannot hold them (the API server refuses such a name): the input error quotes the name escaped.
    const named = readFileSync(file, 'utf8').replace('name: payments, namespace', 'name: "pay\\e[2Jments\\nforged", namespace');
    const refused = await rollsafe(['check', '-'], named);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trimEnd()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(refused.stderr).toContain('metadata.name: "pay\\u001b[2Jments\\nforged" is not made of lower-case letters');
  });

  it('text colours only when asked (TTY) and ends with a summary line', async () => {
    const plain = await rollsafe(['check', file]);
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout.trimEnd().split('\n').at(-1)).toMatch(/^1 object\(s\) checked in 1 file\(s\): 1 denied/);
  });
});

describe('rollsafe.dev/exempt in check (--as, --as-group)', () => {
  const EX = `${CLI}/exemption`;
  const policies = (stdout: string) =>
    (JSON.parse(stdout) as { results: { findings: { policy: string; action: string }[]; exempted?: string[] }[] }).results.map((r) => ({
      findings: r.findings.map((f) => `${f.action} ${f.policy}`),
      exempted: r.exempted,
    }));

  it('does not apply an exemption without --as, and says how to check as whoever applies the manifest', async () => {
    const r = await rollsafe(['check', '-o', 'json', '-c', `${EX}/config.yaml`, `${EX}/checkout.yaml`]);
    expect(r.code).toBe(1);
    expect(policies(r.stdout)).toEqual([{ findings: ['deny env-loopback', 'warn exemption'], exempted: undefined }]);
    expect(r.stdout).toContain('run check --as USER (and --as-group GROUP) as whoever applies this manifest');
  });

  it('honours it as the webhook would for an allowed user or group', async () => {
    for (const as of [['--as', 'system:serviceaccount:argocd:argocd-application-controller'], ['--as', 'ops@example.com', '--as-group', 'platform-admins']]) {
      const r = await rollsafe(['check', '-o', 'json', '-c', `${EX}/config.yaml`, ...as, `${EX}/checkout.yaml`]);
      expect([as, r.code, policies(r.stdout)]).toEqual([as, 0, [{ findings: [], exempted: ['env-loopback'] }]]);
    }
    const text = await rollsafe(['check', '-c', `${EX}/config.yaml`, '--as', 'ops@example.com', '--as-group', 'platform-admins', `${EX}/checkout.yaml`]);
    expect(text.stdout).toContain('↷ exempt  env-loopback (rollsafe.dev/exempt, honoured for --as)');
  });

  it('denies the annotation for a user who may not set it, as the webhook does', async () => {
    const r = await rollsafe(['check', '-o', 'json', '-c', `${EX}/config.yaml`, '--as', 'dev@example.com', `${EX}/checkout.yaml`]);
    expect([r.code, policies(r.stdout)]).toEqual([1, [{ findings: ['deny env-loopback', 'deny exemption'], exempted: undefined }]]);
  });

  it('gives --as the groups the API server gives that user: a service account is in system:serviceaccounts:NS', async () => {
    // allowedGroups: [system:serviceaccounts:argocd], as a platform team allows every controller of its GitOps namespace.
    const r = await rollsafe(['check', '-o', 'json', '-c', `${EX}/config-sa-group.yaml`, '--as', 'system:serviceaccount:argocd:argocd-application-controller', `${EX}/checkout.yaml`]);
    expect([r.code, policies(r.stdout)]).toEqual([0, [{ findings: [], exempted: ['env-loopback'] }]]);
    const other = await rollsafe(['check', '-o', 'json', '-c', `${EX}/config-sa-group.yaml`, '--as', 'system:serviceaccount:shop:deployer', `${EX}/checkout.yaml`]);
    expect([other.code, policies(other.stdout)]).toEqual([1, [{ findings: ['deny env-loopback', 'deny exemption'], exempted: undefined }]]);
  });

  it('warns, as the webhook does, when the list names a policy that never checks the kind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-exempt-kind-'));
    const manifest = join(dir, 'checkout.yaml');
    writeFileSync(manifest, readFileSync(`${EX}/checkout.yaml`, 'utf8').replace(/(rollsafe\.dev\/exempt: ")([^"]*)"/, '$1$2,configmap-in-place"'));
    const r = await rollsafe(['check', '-o', 'json', '-c', `${EX}/config.yaml`, '--as', 'ops@example.com', '--as-group', 'platform-admins', manifest]);
    expect([r.code, policies(r.stdout)]).toEqual([0, [{ findings: ['warn exemption'], exempted: ['env-loopback'] }]]);
    expect(r.stdout).toContain('names configmap-in-place, a policy that does not check Deployments: it exempts nothing here');
  });

  it('refuses --as-group without --as (exit 2)', async () => {
    const r = await rollsafe(['check', '--as-group', 'platform-admins', `${EX}/checkout.yaml`]);
    expect([r.code, r.stderr]).toEqual([2, 'rollsafe: error: --as-group: needs --as (the user the groups belong to)\n']);
  });
});

describe('a reader that stops early', () => {
  it('check … | head: no stack trace, and the exit code is still the check\'s', async () => {
    const { spawnSync } = await import('node:child_process');
    const errFile = join(mkdtempSync(join(tmpdir(), 'rollsafe-epipe-')), 'stderr');
    // The real-world corpus prints hundreds of KB of findings, more than a pipe holds; head reads one line.
    // Without the directories that hold files kubectl apply refuses (test/fixtures/corpus-refused.tsv: exit 2).
    const refused = new Set(['ingress-nginx', 'knative', 'metrics-server']);
    const corpus = readdirSync(join(ROOT, '../shared/corpus/real-world'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && !refused.has(e.name))
      .map((e) => `../shared/corpus/real-world/${e.name}`);
    const script = `"${process.execPath}" bin/rollsafe.js check ${corpus.join(' ')} 2>"${errFile}" | head -n 1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect([r.stdout, readFileSync(errFile, 'utf8')]).toEqual(['1\n', '']);
  });
});
