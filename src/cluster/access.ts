// How the webhook reaches the API server, decided once at start-up: an explicit kubeconfig, the
// pod's service account, $KUBECONFIG or ~/.kube/config (as kubectl), or not at all. Without
// access it still serves single-object checks and says so in the log.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Connection, ConnectionError, inClusterConnection, kubeconfigConnection } from './connection.js';

export type ClusterAccess =
  | { readonly kind: 'off'; readonly reason: string }
  | { readonly kind: 'on'; readonly connection: Connection };

export interface AccessSettings {
  readonly cluster: 'auto' | 'off';
  readonly kubeconfig?: string | undefined;
}

export { ConnectionError as AccessError };

const fromFile = (path: string, via: string): ClusterAccess => ({ kind: 'on', connection: kubeconfigConnection(path, via) });

export function clusterAccess(s: AccessSettings, env: Readonly<Record<string, string | undefined>>): ClusterAccess {
  if (s.cluster === 'off') return { kind: 'off', reason: 'cluster access disabled (--cluster off)' };
  if (s.kubeconfig) return fromFile(s.kubeconfig, env.ROLLSAFE_KUBECONFIG === s.kubeconfig ? 'ROLLSAFE_KUBECONFIG' : '--kubeconfig');
  if (env.KUBERNETES_SERVICE_HOST) return { kind: 'on', connection: inClusterConnection(env) };
  const fromEnv = env.KUBECONFIG?.split(':').find((p) => p !== '');
  if (fromEnv) return fromFile(fromEnv, '$KUBECONFIG');
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return fromFile(home, 'kubeconfig');
  return { kind: 'off', reason: 'no kubeconfig and no in-cluster service account' };
}
