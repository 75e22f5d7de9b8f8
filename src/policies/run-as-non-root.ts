import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import { definePolicy } from '../engine/policy.js';
import { podContainers, podSpec } from './shared/containers.js';

export default definePolicy({
  id: 'run-as-non-root',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: 'Containers run as a non-root user.',
  rationale:
    'A process running as root inside a container is one kernel or runtime bug away from root on ' +
    'the node, and it can write anywhere in its filesystem. `runAsNonRoot: true` makes the kubelet ' +
    'refuse to start an image whose user is root; a non-zero `runAsUser` picks the user outright. ' +
    'Pod-level settings apply to every container unless the container overrides them. ' +
    '`runAsNonRoot: true` with `runAsUser: 0` is denied: the kubelet refuses to start such a container.',
  fix: 'set securityContext.runAsNonRoot: true (and a non-zero runAsUser if the image has no numeric user) on the pod or the container',
  options: z.strictObject({}),
  check(deployment) {
    const pod = podSpec(deployment);
    const issues: Issue[] = [];
    for (const c of podContainers(pod)) {
      const sc = c.container.securityContext;
      const user = sc?.runAsUser ?? pod.securityContext?.runAsUser;
      const nonRoot = sc?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
      const name = c.container.name;
      if (user === 0) {
        const where = sc?.runAsUser === 0 ? `${c.path}.securityContext.runAsUser` : 'spec.template.spec.securityContext.runAsUser';
        issues.push(
          nonRoot === true
            ? {
                path: where,
                message: `container "${name}" sets runAsNonRoot: true with runAsUser: 0; the kubelet refuses to start it`,
                fix: 'set a non-zero runAsUser, or remove runAsUser: 0 so the image\'s non-root user applies',
                // Not hygiene: every pod of the rollout fails to start (CreateContainerConfigError).
                level: 'hard',
              }
            : { path: where, message: `container "${name}" runs as root (runAsUser: 0)` },
        );
      } else if (user === undefined && nonRoot !== true) {
        issues.push({
          path: `${c.path}.securityContext`,
          message:
            nonRoot === false
              ? `container "${name}" sets runAsNonRoot: false and no runAsUser, so it runs as the image's user, often root`
              : `container "${name}" sets neither runAsNonRoot: true nor a non-zero runAsUser (pod or container), so it runs as the image's user, often root`,
        });
      }
    }
    return issues;
  },
});
