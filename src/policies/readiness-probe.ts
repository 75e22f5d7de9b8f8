import { z } from 'zod';
import { definePolicy } from '../engine/policy.js';
import { podSpec, runningContainers } from './shared/containers.js';

export default definePolicy({
  id: 'readiness-probe',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: 'Every app container has a readinessProbe.',
  rationale:
    'Without a readiness probe a pod counts as ready the moment its containers start, so a rolling ' +
    'update deletes a healthy old pod as soon as a new one is running, whether or not the new one ' +
    'works. A release that cannot parse its configuration then replaces every healthy pod with a ' +
    'broken one, and Services send traffic to pods that are not listening yet. It warns by default ' +
    'and denies under `profile: strict`: 43% of the real, working Deployments in our corpus have a ' +
    'container without one, and a webhook that refuses them on install gets uninstalled.',
  fix: 'add a readinessProbe (httpGet, tcpSocket, grpc or exec) that succeeds only when the container can serve',
  options: z.strictObject({}),
  check(deployment) {
    return runningContainers(podSpec(deployment))
      .filter((c) => c.list === 'containers' && !c.container.readinessProbe)
      .map((c) => ({
        path: `${c.path}.readinessProbe`,
        message: `container "${c.container.name}" has no readinessProbe, so a rollout counts it ready as soon as it starts`,
      }));
  },
});
