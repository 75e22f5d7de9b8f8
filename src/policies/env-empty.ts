import { z } from 'zod';
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
    'nor `valueFrom` is set to the empty string too.',
  fix: 'give the variable a value, or remove the entry so the application default applies',
  options: z.strictObject({}),
  check(deployment) {
    return podContainers(podSpec(deployment)).flatMap((c) =>
      literalEnv(c)
        .filter((e) => e.value === '')
        .map((e) => ({
          path: e.path,
          message:
            e.env.value === undefined
              ? `env var ${e.env.name} of container "${c.container.name}" has no value, so it is set to "" (an empty value, not the default)`
              : `env var ${e.env.name} of container "${c.container.name}" is set to "" (an empty value, not the default)`,
        })),
    );
  },
});
