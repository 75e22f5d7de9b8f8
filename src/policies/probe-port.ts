import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import { definePolicy } from '../engine/policy.js';
import { podSpec, runningContainers } from './shared/containers.js';
import { describePorts, probePort, probesOf } from './shared/probes.js';

export default definePolicy({
  id: 'probe-port',
  kinds: ['Deployment'],
  defaultAction: 'deny',
  summary: "A probe's named port is a port of that container.",
  rationale:
    'The kubelet resolves a named probe port against the ports of the same container only. A name ' +
    'that is not there (a typo, a port renamed, a port declared on another container) cannot be ' +
    'resolved and the probe fails every time: readiness never passes, so the rollout stalls, and a ' +
    'liveness probe restarts the container forever. A named port declared as UDP only warns: ' +
    'probes connect over TCP, which works only if the app also listens on TCP at that number.',
  fix: 'use a port name declared in this container\'s ports, or the port number',
  options: z.strictObject({}),
  check(deployment) {
    const issues: Issue[] = [];
    for (const c of runningContainers(podSpec(deployment))) {
      for (const p of probesOf(c)) {
        const target = probePort(p);
        if (!target || typeof target.port !== 'string') continue;
        const declared = c.container.ports.find((port) => port.name === target.port);
        if (declared) {
          // Probes connect over TCP. A UDP port of the same name only works if the app also
          // listens on TCP at that number (DNS servers do), so this case only warns.
          if ((declared.protocol ?? 'TCP').toUpperCase() === 'UDP') {
            issues.push({
              path: target.path,
              value: target.port,
              message: `${p.kind} of container "${c.container.name}" targets port "${target.port}" (${declared.containerPort}), which the container declares as UDP; probes connect over TCP`,
              fix: 'probe a TCP port, or use an exec probe for a UDP-only service',
              level: 'soft',
            });
          }
          continue;
        }
        issues.push({
          path: target.path,
          value: target.port,
          message: `${p.kind} of container "${c.container.name}" targets port "${target.port}", which the container does not declare (declared: ${describePorts(c.container)})`,
        });
      }
    }
    return issues;
  },
});
