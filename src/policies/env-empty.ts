import { z } from 'zod';
import { showValue } from '../engine/mask.js';
import type { EnvVar } from '../engine/objects.js';
import { definePolicy } from '../engine/policy.js';
import { podContainers, podSpec } from './shared/containers.js';
import { literalEnv } from './shared/env.js';

export default definePolicy({
  id: 'env-empty',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: 'Env vars are not set to the empty string.',
  rationale:
    'An env var that is present but empty is not the same as an absent one: most config libraries ' +
    'apply their default only when the variable is missing, so `RATE_LIMIT=""` reaches the parser ' +
    'and the process exits at start-up, in every pod of the rollout. An entry with neither `value` ' +
    'nor `valueFrom` is set to the empty string too. Where a ConfigSchema requires the variable, ' +
    'its finding ("is empty, but … requires a value") is the one reported.',
  fix: 'give the variable a value, or remove the entry so the application default applies',
  options: z.strictObject({}),
  // An empty env var its ConfigSchema requires is reported there ("is empty, but … requires a
  // value"): the same problem in the words of the app's own declaration.
  yieldsTo: { policy: 'config-schema', covers: 'empty' },
  check(deployment) {
    return podContainers(podSpec(deployment)).flatMap((c) =>
      literalEnv(c)
        .filter((e) => e.value === '')
        .map((e) => ({
          path: e.path,
          message: `env var ${e.env.name} of container "${c.container.name}" ${setTo(e.env)} (an empty value, not the default)`,
        })),
    );
  },
});

/** How the entry comes to be empty, in the words of the manifest: no value, "", or a `$(VAR)` that expands to "". */
function setTo(env: EnvVar): string {
  if (env.value === undefined) return 'has no value, so it is set to ""';
  if (env.value === '') return 'is set to ""';
  return `is set to ${showValue(env.name, env.value)}, which expands to ""`;
}
