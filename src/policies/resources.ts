import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import type { Container, HorizontalPodAutoscaler, PodSpec } from '../engine/objects.js';
import { definePolicy } from '../engine/policy.js';
import { POD_PATH, podContainers, podSpec, runningContainers } from './shared/containers.js';
import { containerUtilizationResources, hpasTargeting, utilizationResources } from './shared/hpa.js';
import { givesLimit, givesRequest } from './shared/limit-ranges.js';

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
    '`default`) counts as set: with `rollsafe check`, put the LimitRange among the documents. ' +
    'Pod-level resources (`spec.template.spec.resources`, Kubernetes 1.34+) count for every container: ' +
    'the scheduler and the HPA then use the pod\'s requests. Classic init containers are not checked ' +
    '(they finish before the app starts).',
  fix: 'set resources.requests.cpu, resources.requests.memory and resources.limits.memory',
  options: z.strictObject({}),
  check(deployment, { lookup, namespace }) {
    const issues: Issue[] = [];
    const pod = podSpec(deployment);
    const containers = runningContainers(pod);
    // What a LimitRange of the namespace gives a container that sets none: its pods get it.
    const ranges = lookup.listLimitRanges(namespace);
    const requests = (c: Container, resource: string) => hasRequest(c, resource) || givesRequest(ranges, resource);
    const memoryLimitDefaulted = givesLimit(ranges, 'memory');
    for (const c of containers) {
      const limits = c.container.resources?.limits ?? {};
      const missing = [
        !requests(c.container, 'cpu') && !podHas(pod, 'cpu') && 'cpu request',
        !requests(c.container, 'memory') && !podHas(pod, 'memory') && 'memory request',
        limits.memory === undefined && pod.resources?.limits.memory === undefined && !memoryLimitDefaulted && 'memory limit',
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
        if (podLevelRequests(pod)) {
          // The HPA divides by the pod's requests: the pod-level one, else the sum of the containers'.
          if (podHas(pod, resource) || podContainers(pod).some((c) => requests(c.container, resource))) continue;
          issues.push({
            path: `${POD_PATH}.resources.requests.${resource}`,
            message: `${hpaName} scales on ${resource} utilization${noMetric ? ' (the default: it lists no metrics)' : ''} but neither the pod-level resources nor any container request ${resource}, so the HPA cannot compute utilization and never scales`,
            fix: `set spec.template.spec.resources.requests.${resource}`,
            level: 'hard',
          });
          continue;
        }
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

// Pod-level resources (PodLevelResources: beta, on by default since Kubernetes 1.34; the API server
// drops the field where the gate is off, so the webhook never sees it there). A pod-level limit
// defaults the pod-level request (pkg/apis/core/v1/defaults.go defaultPodRequests), and with any
// pod-level cpu, memory or hugepages value the HPA uses the pod's requests instead of each
// container's (pkg/controller/podautoscaler/replica_calculator.go calculateRequests).
const podHas = (pod: PodSpec, resource: string): boolean =>
  pod.resources?.requests[resource] !== undefined || pod.resources?.limits[resource] !== undefined;

const podLevel = (name: string): boolean => name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');

const podLevelRequests = (pod: PodSpec): boolean =>
  Object.keys(pod.resources?.requests ?? {}).some(podLevel) || Object.keys(pod.resources?.limits ?? {}).some(podLevel);

// An HPA that names no metric scales on 80% average cpu Utilization: the API server defaults
// autoscaling/v2 `metrics` that way, and autoscaling/v1 without targetCPUUtilizationPercentage too.
const hasNoMetric = (h: HorizontalPodAutoscaler): boolean =>
  h.spec.metrics.length === 0 && h.spec.targetCPUUtilizationPercentage === undefined;
