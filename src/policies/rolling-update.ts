import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import { definePolicy } from '../engine/policy.js';
import { podSpec, replicasOf } from './shared/containers.js';
import { hpasTargeting } from './shared/hpa.js';
import { resolveFenceposts, scaleIntOrPercent } from './shared/int-or-percent.js';

const PATH = 'spec.strategy';

export default definePolicy({
  id: 'rolling-update',
  kinds: ['Deployment'],
  defaultAction: 'deny',
  summary: 'A rollout keeps old pods serving until new ones are ready.',
  rationale:
    'With `Recreate`, or a `maxUnavailable` that resolves to every replica, a rollout stops all old ' +
    'pods before any new pod has proved it works: a bad release is a full outage instead of a ' +
    'stalled rollout. With one replica this only warns (one pod cannot overlap without surge), and ' +
    '`Recreate` on a single replica that mounts a PersistentVolumeClaim is accepted: a ReadWriteOnce ' +
    'volume cannot be mounted by two pods, so Recreate is the correct strategy there. When a ' +
    'HorizontalPodAutoscaler scales the Deployment, its `minReplicas` is the replica count that counts.',
  fix: 'use strategy RollingUpdate with maxUnavailable below the replica count (e.g. 25%) and maxSurge of at least 1',
  options: z.strictObject({}),
  check(deployment, { lookup, namespace }) {
    // With an HPA, the replica count is the HPA's to set: at least its minReplicas at any rollout.
    // Scaled to zero: nothing to roll (and an HPA does not scale a Deployment at 0 replicas).
    if (deployment.spec.replicas === 0) return [];
    // The larger of the two counts: the HPA keeps at least its minReplicas (1 when left out).
    const hpa = hpasTargeting(deployment, lookup, namespace).sort((a, b) => (b.spec.minReplicas ?? 1) - (a.spec.minReplicas ?? 1))[0];
    const floor = hpa ? (hpa.spec.minReplicas ?? 1) : 0;
    const replicas = Math.max(replicasOf(deployment), floor);
    if (replicas === 0) return [];
    const scaledBy = hpa && floor > replicasOf(deployment) ? `, at least ${replicas} (the minReplicas of HorizontalPodAutoscaler ${hpa.metadata.name ?? ''})` : '';
    const strategy = deployment.spec.strategy;
    const level = replicas > 1 ? undefined : ('soft' as const);
    const issues: Issue[] = [];
    if (strategy?.type === 'Recreate') {
      const mountsClaim = podSpec(deployment).volumes.some((v) => v.persistentVolumeClaim);
      if (replicas === 1 && mountsClaim) return [];
      issues.push({
        path: `${PATH}.type`,
        message:
          replicas > 1
            ? scaledBy
              ? `strategy Recreate stops every replica before starting new ones${scaledBy}`
              : `strategy Recreate stops all ${replicas} replicas before starting new ones`
            : 'strategy Recreate stops the only replica before its replacement starts, so every rollout is an outage',
        ...(replicas === 1 && {
          fix: 'use RollingUpdate with maxUnavailable 0 and maxSurge 1 (keep Recreate only for a ReadWriteOnce volume)',
        }),
        ...(level && { level }),
      });
      return issues;
    }
    const rolling = strategy?.rollingUpdate;
    const posts = resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, replicas);
    if (posts && posts.maxUnavailable >= replicas) {
      const seen = rolling?.maxUnavailable ?? '25%';
      const shown = `${JSON.stringify(seen)}${rolling?.maxUnavailable === undefined ? ' (the default)' : ''}`;
      // With maxSurge 0 the controller raises a maxUnavailable of 0 to 1: say so, or "25%" -> 1 of 1 reads as a mistake.
      const raised = posts.maxSurge === 0 && scaleIntOrPercent(seen, replicas, false) === 0 ? ' (raised from 0 because maxSurge is 0)' : '';
      issues.push({
        path: `${PATH}.rollingUpdate.maxUnavailable`,
        value: String(seen),
        message: `maxUnavailable ${shown} resolves to ${posts.maxUnavailable} of ${replicas} replica(s)${raised}, so a rollout may take every pod down at once`,
        fix:
          replicas > 1
            ? `set maxUnavailable below ${replicas} (e.g. 25%)`
            : 'set maxUnavailable to 0 and maxSurge to 1 so the new pod is ready before the old one stops',
        ...(level && { level }),
      });
    }
    return issues;
  },
});
