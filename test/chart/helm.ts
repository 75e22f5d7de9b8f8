// Helm for the chart tests: built by scripts/tools/install-helm.sh (cached after the first build),
// run with its own cache/config/data directories so the user's Helm setup never leaks in.
// A Helm that cannot be built fails the tests: there is no skipping.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/spawn-cli.js';

export const CHART = join(ROOT, 'charts/rollsafe');
export const RELEASE = 'rollsafe';
export const NAMESPACE = 'rollsafe';
/** A cold build takes 4 to 7 minutes on two busy cores. */
export const HELM_BUILD_TIMEOUT_MS = 20 * 60_000;

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let helmBin: string | undefined;

/** Runs scripts/tools/install-helm.sh (a no-op when cached) and returns the helm binary. */
export function installHelm(): string {
  if (helmBin) return helmBin;
  let out: string;
  try {
    out = execFileSync('bash', [join(ROOT, 'scripts/tools/install-helm.sh')], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      timeout: HELM_BUILD_TIMEOUT_MS,
    });
  } catch (err) {
    const e = err as { message: string; stderr?: string };
    throw new Error(`scripts/tools/install-helm.sh failed, so the chart cannot be tested: ${e.message}\n${(e.stderr ?? '').slice(-4000)}`);
  }
  const bin = join(out.trim().split('\n').pop() ?? '', 'helm');
  if (!existsSync(bin)) throw new Error(`scripts/tools/install-helm.sh printed no directory holding helm:\n${out}`);
  helmBin = bin;
  return bin;
}

/** Helm's state under .cache/helm in the checkout (git-ignored), never ~/.config/helm. */
function helmEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const home = join(ROOT, '.cache/helm');
  mkdirSync(home, { recursive: true });
  return { ...base, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
}

/** Runs helm; `env` replaces this process's environment (the HELM_*_HOME variables are added). */
export function helm(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): HelmResult {
  const r = spawnSync(installHelm(), args, {
    cwd: ROOT,
    encoding: 'utf8',
    input: opts.stdin ?? '',
    env: helmEnv(opts.env ?? process.env),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** `helm template` of the chart as release "rollsafe" in namespace "rollsafe"; throws with Helm's error. */
export function renderText(args: readonly string[] = []): string {
  const r = helm(['template', RELEASE, CHART, '--namespace', NAMESPACE, ...args]);
  if (r.code !== 0) throw new Error(`helm template ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}`);
  return r.stdout;
}

/** A rendered Kubernetes object, as far as these tests look into it. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string>; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`rendered YAML does not parse: ${d.errors[0]?.message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export const render = (args: readonly string[] = []): K8sObject[] => parseObjects(renderText(args));

export function only(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found[0] as K8sObject;
}

/** Each configuration the chart is tested in: default values, each certificate mode, each optional feature. */
export const SCENARIOS: Readonly<Record<string, readonly string[]>> = {
  'default values': [],
  'certificates from cert-manager (the chart makes its CA)': ['--set', 'certificates.mode=certManager'],
  'certificates from an existing cert-manager issuer': ['--set', 'certificates.mode=certManager', '--set', 'certificates.certManager.issuerRef.kind=ClusterIssuer', '--set', 'certificates.certManager.issuerRef.name=internal-ca'],
  'certificates from a user-provided Secret': ['--set', 'certificates.mode=secret', '--set', 'certificates.secret.name=my-webhook-tls', '--set-file', 'certificates.secret.caBundle=test/fixtures/chart/ca.crt'],
  'ServiceMonitor': ['--set', 'metrics.serviceMonitor.enabled=true'],
  'NetworkPolicy': ['--set', 'networkPolicy.enabled=true', '--set', 'networkPolicy.apiServer.cidrs={10.0.0.1/32}'],
  'ConfigSchema files': ['--set-file', 'schemas.shop\\.yaml=test/fixtures/chart/shop-schema.yaml'],
  'strict policy configuration': ['--set', 'config.profile=strict', '--set', 'config.exemptions.allowedGroups={platform-admins}'],
  'one replica': ['--set', 'replicaCount=1'],
  'Kubernetes 1.29 (no matchConditions)': ['--kube-version', '1.29.0'],
};
