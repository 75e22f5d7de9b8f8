import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import type { Container, HorizontalPodAutoscaler } from '../engine/objects.js';
import { definePolicy } from '../engine/policy.js';
import { podSpec, runningContainers } from './shared/containers.js';
import { containerUtilizationResources, hpasTargeting, utilizationResources } from './shared/hpa.js';
import { limitDefaultedBy, requestDefaultedBy } from './shared/limit-ranges.js';

export default definePolicy({
  id: 'resources',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: 'Containers request cpu and memory and limit memory; HPAs can compute utilization.',
  rationale:
    'Without requests the scheduler packs pods onto nodes that cannot run them, and without a memory ' +
    'limit one leaking container takes its neighbours down with the node. It denies one case that ' +
    'fails for certain: a HorizontalPodAutoscaler that scales on cpu or memory Utilization while a ' +
    'container requests none of that resource cannot compute utilization and never scales. A ' +
    'request or memory limit that a LimitRange of the namespace gives every new pod (`defaultRequest`, ' +
    '`default`) counts as set: with `rollsafe check`, put the LimitRange among the documents. Classic ' +
    'init containers are not checked (they finish before the app starts).',
  fix: 'set resources.requests.cpu, resources.requests.memory and resources.limits.memory',
  options: z.strictObject({}),
  check(deployment, { lookup, namespace }) {
    const issues: Issue[] = [];
    const containers = runningContainers(podSpec(deployment));
    // What a LimitRange of the namespace gives a container that sets none: its pods get it.
    const defaulted = {
      cpu: requestDefaultedBy(lookup, namespace, 'cpu') !== undefined,
      memory: requestDefaultedBy(lookup, namespace, 'memory') !== undefined,
      memoryLimit: limitDefaultedBy(lookup, namespace, 'memory') !== undefined,
    };
    const requests = (c: Container, resource: string) => hasRequest(c, resource) || requestDefaultedBy(lookup, namespace, resource) !== undefined;
    for (const c of containers) {
      const limits = c.container.resources?.limits ?? {};
      const missing = [
        !hasRequest(c.container, 'cpu') && !defaulted.cpu && 'cpu request',
        !hasRequest(c.container, 'memory') && !defaulted.memory && 'memory request',
        limits.memory === undefined && !defaulted.memoryLimit && 'memory limit',
      ].filter((m): m is string => m !== false);
      if (missing.length === 0) continue;
      issues.push({
        path: `${c.path}.resources`,
        message: `container "${c.container.name}" has no ${missing.join(', no ')}`,
      });
    }
    for (const hpa of hpasTargeting(deployment, lookup, namespace)) {
      const hpaName = `HorizontalPodAutoscaler ${hpa.metadata.name ?? ''}`.trim();
      const noMetric = hasNoMetric(hpa);
      for (const resource of noMetric ? ['cpu'] : utilizationResources(hpa)) {
        for (const c of containers) {
          if (requests(c.container, resource)) continue;
          issues.push({
            path: `${c.path}.resources.requests.${resource}`,
            message: `${hpaName} scales on ${resource} utilization${noMetric ? ' (the default: it lists no metrics)' : ''} but container "${c.container.name}" requests no ${resource}, so the HPA cannot compute utilization and never scales`,
            fix: `set resources.requests.${resource} on every container, or give the namespace a LimitRange with defaultRequest.${resource}`,
            level: 'hard',
          });
        }
      }
      for (const { container, resource } of containerUtilizationResources(hpa)) {
        const c = containers.find((x) => x.container.name === container);
        if (!c || requests(c.container, resource)) continue;
        issues.push({
          path: `${c.path}.resources.requests.${resource}`,
          message: `${hpaName} scales on ${resource} utilization of container "${container}", which requests no ${resource}, so the HPA never scales`,
          fix: `set resources.requests.${resource} on container "${container}"`,
          level: 'hard',
        });
      }
    }
    return issues;
  },
});

// A limit without a request is not a missing request: the API server copies the limit into the
// request when it creates the pod, and the scheduler and the HPA see that.
const hasRequest = (c: Container, resource: string): boolean =>
  c.resources?.requests[resource] !== undefined || c.resources?.limits[resource] !== undefined;

// An HPA that names no metric scales on 80% average cpu Utilization: the API server defaults
// autoscaling/v2 `metrics` that way, and autoscaling/v1 without targetCPUUtilizationPercentage too.
const hasNoMetric = (h: HorizontalPodAutoscaler): boolean =>
  h.spec.metrics.length === 0 && h.spec.targetCPUUtilizationPercentage === undefined;
