// deploy/ is the chart's render as plain manifests (DESIGN.md layout; issue 7): regenerating it
// must change nothing. Fix a failure with `npm run render-deploy` and commit deploy/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/spawn-cli.js';
import { HELM_BUILD_TIMEOUT_MS, installHelm, only, parseObjects } from './helm.js';

const DEPLOY = join(ROOT, 'deploy');
const manifests = (dir: string) => readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

let fresh: string;
beforeAll(() => {
  installHelm();
  fresh = mkdtempSync(join(tmpdir(), 'rollsafe-deploy-'));
  execFileSync('bash', [join(ROOT, 'scripts/render-deploy.sh'), fresh], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}, HELM_BUILD_TIMEOUT_MS);
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

test('deploy/ holds exactly the files scripts/render-deploy.sh writes', () => {
  expect(manifests(DEPLOY)).toEqual(manifests(fresh));
});

test.each(['00-namespace.yaml', 'rollsafe.yaml'])('deploy/%s equals a fresh render of the chart', (file) => {
  expect(readFileSync(join(DEPLOY, file), 'utf8')).toBe(readFileSync(join(fresh, file), 'utf8'));
});

test('deploy/ creates its namespace, the CRD and every object of the chart, with cert-manager certificates and no private key', () => {
  const objects = manifests(DEPLOY).flatMap((f) => parseObjects(readFileSync(join(DEPLOY, f), 'utf8')));
  expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
    'Certificate/rollsafe-ca',
    'Certificate/rollsafe-tls',
    'ClusterRole/rollsafe',
    'ClusterRoleBinding/rollsafe',
    'ConfigMap/rollsafe-config',
    'CustomResourceDefinition/configschemas.rollsafe.dev',
    'Deployment/rollsafe',
    'Issuer/rollsafe-ca',
    'Issuer/rollsafe-selfsigned',
    'Namespace/rollsafe',
    'PodDisruptionBudget/rollsafe',
    'Service/rollsafe',
    'ServiceAccount/rollsafe',
    'ValidatingWebhookConfiguration/rollsafe',
  ]);
  expect(only(objects, 'ValidatingWebhookConfiguration').metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': 'rollsafe/rollsafe-tls' });
  expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
});
