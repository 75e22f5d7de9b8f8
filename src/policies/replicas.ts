import { z } from 'zod';
import { definePolicy } from '../engine/policy.js';
import { replicasOf } from './shared/containers.js';
import { hpasTargeting } from './shared/hpa.js';

export default definePolicy({
  id: 'replicas',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: 'A Deployment runs at least two replicas, unless an HPA scales it.',
  rationale:
    'A single replica is down during every rollout that cannot surge, every node drain and every ' +
    'crash, and a PodDisruptionBudget cannot protect it. Deployments scaled by a ' +
    'HorizontalPodAutoscaler are skipped (the HPA owns the count), and so are Deployments scaled to ' +
    'zero on purpose (`replicas: 0`).',
  fix: 'set spec.replicas to 2 or more, or scale the Deployment with a HorizontalPodAutoscaler',
  options: z.strictObject({
    minReplicas: z.number().int().min(1).default(2).describe('fewest replicas accepted'),
  }),
  check(deployment, { lookup, namespace, options }) {
    const replicas = replicasOf(deployment);
    if (replicas === 0 || replicas >= options.minReplicas) return [];
    if (hpasTargeting(deployment, lookup, namespace).length > 0) return [];
    const seen = deployment.spec.replicas === undefined ? 'not set, so 1' : String(replicas);
    return [
      {
        path: 'spec.replicas',
        value: seen,
        // Above one replica, only a configured minReplicas can make the count too low: say so
        // rather than call two pods a single point of failure.
        message:
          replicas === 1
            ? `runs ${replicas} replica(s) (replicas: ${seen}), below ${options.minReplicas}; one pod is a single point of failure`
            : `runs ${replicas} replica(s) (replicas: ${seen}), below ${options.minReplicas}, the minReplicas of the policy configuration`,
        fix: `set spec.replicas to ${options.minReplicas} or more, or scale the Deployment with a HorizontalPodAutoscaler`,
      },
    ];
  },
});
