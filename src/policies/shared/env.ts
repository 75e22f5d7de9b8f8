// Literal env values of a container, expanded as the kubelet expands them.
import { expandVars } from '../../engine/expand.js';
import type { EnvVar } from '../../engine/objects.js';
import type { ContainerAt } from './containers.js';

export interface EnvAt {
  readonly env: EnvVar;
  /** The value the process sees: `value` after `$(VAR)` expansion from earlier entries; "" when absent. */
  readonly value: string;
  /** e.g. `spec.template.spec.containers[api].env[POOL_SIZE]` */
  readonly path: string;
}

/** Env entries given as literals (`value`, or neither `value` nor `valueFrom`, which means ""). */
export function literalEnv(c: ContainerAt): EnvAt[] {
  const defined = new Map<string, string>();
  const out: EnvAt[] = [];
  for (const env of c.container.env) {
    if (env.valueFrom) {
      defined.delete(env.name);
      continue;
    }
    const value = expandVars(env.value ?? '', defined);
    defined.set(env.name, value);
    out.push({ env, value, path: `${c.path}.env[${env.name}]` });
  }
  return out;
}
