// How the webhook reaches the API server, decided once at start-up: an explicit kubeconfig, the
// pod's service account, $KUBECONFIG or ~/.kube/config (as kubectl), or not at all. Without
// access it still serves single-object checks and says so in the log.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export type ClusterAccess =
  | { readonly kind: 'off'; readonly reason: string }
  | { readonly kind: 'on'; readonly kubeConfig: KubeConfig; readonly via: string; readonly server: string };

export interface AccessSettings {
  readonly cluster: 'auto' | 'off';
  readonly kubeconfig?: string | undefined;
}

export class AccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessError';
  }
}

function fromFile(path: string, via: string): ClusterAccess {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (err) {
    throw new AccessError(`${via} ${path}: cannot be read as a kubeconfig (${(err as Error).message.split('\n')[0]})`);
  }
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new AccessError(`${via} ${path}: its current context names no cluster`);
  return { kind: 'on', kubeConfig: kc, via: `${via} ${path}`, server };
}

export function clusterAccess(s: AccessSettings, env: Readonly<Record<string, string | undefined>>): ClusterAccess {
  if (s.cluster === 'off') return { kind: 'off', reason: 'cluster access disabled (--cluster off)' };
  if (s.kubeconfig) return fromFile(s.kubeconfig, '--kubeconfig');
  if (env.KUBERNETES_SERVICE_HOST) {
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return { kind: 'on', kubeConfig: kc, via: 'the pod service account', server: kc.getCurrentCluster()?.server ?? '' };
  }
  const fromEnv = env.KUBECONFIG?.split(':').find((p) => p !== '');
  if (fromEnv) return fromFile(fromEnv, '$KUBECONFIG');
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return fromFile(home, 'kubeconfig');
  return { kind: 'off', reason: 'no kubeconfig and no in-cluster service account' };
}
