import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import { definePolicy } from '../engine/policy.js';
import { podSpec, runningContainers } from './shared/containers.js';
import { declaredPortNumbers, describePorts, probePort, probesOf } from './shared/probes.js';

export default definePolicy({
  id: 'probe-port-undeclared',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: "A probe's numeric port is declared when the container declares ports.",
  rationale:
    'A container that declares its ports but probes a number it does not declare is often a typo ' +
    'or a port that moved (the probe then never succeeds). It only warns: numeric ports work ' +
    'without being declared, and real charts probe undeclared health ports on purpose ' +
    '(ingress-nginx 10254, KEDA 8081). Containers that declare no ports at all are not flagged, nor ' +
    'are probes with a `host`, which connect to that host rather than to the pod.',
  fix: 'declare the port in the container\'s ports (name it and probe the name), or correct the number',
  options: z.strictObject({}),
  check(deployment) {
    const issues: Issue[] = [];
    for (const c of runningContainers(podSpec(deployment))) {
      const numbers = declaredPortNumbers(c.container);
      if (numbers.length === 0) continue;
      for (const p of probesOf(c)) {
        const target = probePort(p);
        if (!target || typeof target.port !== 'number' || numbers.includes(target.port)) continue;
        // Another host's port: the container's own ports say nothing about it.
        if (target.host !== undefined) continue;
        issues.push({
          path: target.path,
          value: String(target.port),
          message: `${p.kind} of container "${c.container.name}" targets port ${target.port}, which the container does not declare (declared: ${describePorts(c.container)})`,
        });
      }
    }
    return issues;
  },
});
