import { z } from 'zod';
import { showValue } from '../engine/mask.js';
import type { EnvVar } from '../engine/objects.js';
import { definePolicy } from '../engine/policy.js';
import { podContainers, podSpec } from './shared/containers.js';
import { literalEnv } from './shared/env.js';

/**
 * Names whose empty value is a convention the programs reading them follow, not a missing value:
 * - WATCH_NAMESPACE(S): "" is every namespace (operator-sdk and controller-runtime operators; the
 *   operator exits when the variable is absent, so removing it, the usual fix, breaks it);
 * - …_OPTS, …_ARGS: extra arguments spliced into a command line (`$JAVA_OPTS`): none (not
 *   …_FLAGS or …_OPTIONS: FEATURE_FLAGS and DB_OPTIONS are often parsed, and "" breaks them);
 * - …_SELECTOR, …_SELECTOR_…: a label selector, where "" selects everything;
 * - …FEATURE_GATES: Kubernetes components' `--feature-gates`, where "" keeps the defaults.
 * In the real-world corpus these were 10 of the policy's 26 findings (5 of its 12 Deployments),
 * all in working charts (KEDA, Strimzi, SonarQube, other operators).
 */
const EMPTY_IS_MEANT = /(^|_)WATCH_NAMESPACES?$|_(OPTS|ARGS)$|(^|_)SELECTOR(_|$)|(^|_)FEATURE_GATES$/i;

export default definePolicy({
  id: 'env-empty',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: 'Env vars are not set to the empty string.',
  rationale:
    'An env var that is present but empty is not the same as an absent one: most config libraries ' +
    'apply their default only when the variable is missing, so `RATE_LIMIT=""` reaches the parser ' +
    'and the process exits at start-up, in every pod of the rollout. An entry with neither `value` ' +
    'nor `valueFrom` is set to the empty string too. Names whose empty value is a convention are ' +
    'not flagged: `WATCH_NAMESPACE` ("" is every namespace to an operator), extra arguments ' +
    '(`…_OPTS`, `…_ARGS`), label selectors (`…_SELECTOR`, "" selects everything) and ' +
    '`…FEATURE_GATES`. Where a ConfigSchema requires the variable, its finding ("is empty, but … ' +
    'requires a value") is the one reported.',
  fix: 'give the variable a value, or remove the entry so the application default applies',
  options: z.strictObject({}),
  // An empty env var its ConfigSchema requires is reported there ("is empty, but … requires a
  // value"): the same problem in the words of the app's own declaration.
  yieldsTo: { policy: 'config-schema', covers: 'empty' },
  check(deployment) {
    return podContainers(podSpec(deployment)).flatMap((c) =>
      literalEnv(c)
        .filter((e) => e.value === '' && !EMPTY_IS_MEANT.test(e.env.name))
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
