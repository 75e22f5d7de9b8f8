import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import { definePolicy } from '../engine/policy.js';
import { podContainers, podSpec, runningContainers } from './shared/containers.js';
import { loopbackEndpoints } from '../schema/formats/endpoint.js';
import { literalEnv } from './shared/env.js';

/** Keys whose values are addresses to listen on or to allow, not endpoints to connect to. */
const NOT_AN_ENDPOINT = /LISTEN|BIND|NO_PROXY|ORIGIN|CORS|REDIRECT|CALLBACK/i;

export default definePolicy({
  id: 'env-loopback',
  kinds: ['Deployment'],
  defaultAction: 'deny',
  summary: 'Env endpoints on localhost point at a port some container of the pod declares.',
  rationale:
    'Inside a pod, localhost is the pod itself. An endpoint such as ' +
    '`OTEL_EXPORTER_OTLP_ENDPOINT=localhost:4318` works on a laptop with a collector running and, in ' +
    'the cluster, connects to nothing: clients retry or hang at start-up, often with no log line. ' +
    'It is fine when a container of the same pod declares that port. When the pod has other ' +
    'containers it only warns, because a sidecar may listen without declaring the port. Bind ' +
    'addresses are not endpoints: `0.0.0.0`, `[::]`, and values of keys containing LISTEN or BIND ' +
    '(also NO_PROXY, ORIGIN, CORS, REDIRECT, CALLBACK, which hold allow-lists and browser URLs). ' +
    'A JDBC URL is read as the URL after `jdbc:`. ' +
    'A bare host without a port (`DB_HOST=localhost`) is not checked, nor are pods with ' +
    '`hostNetwork: true`, whose localhost is the node. Where a ConfigSchema types the variable and ' +
    'refuses the value for pointing at the pod itself, its finding is the one reported.',
  fix: 'point it at a Service (name.namespace.svc:port), or run the listener as a container of this pod that declares the port',
  options: z.strictObject({}),
  // An endpoint its ConfigSchema refuses for loopback is reported there ("points at loopback"):
  // the same problem in the words of the app's own declaration.
  yieldsTo: { policy: 'config-schema', covers: 'loopback' },
  check(deployment) {
    const pod = podSpec(deployment);
    // With hostNetwork, localhost is the node and its daemons (kubelet, node agents): not knowable here.
    if (pod.hostNetwork) return [];
    const running = runningContainers(pod);
    const declared = new Set(running.flatMap((c) => c.container.ports.map((p) => p.containerPort)));
    const issues: Issue[] = [];
    for (const c of podContainers(pod)) {
      const others = running.some((o) => o.container.name !== c.container.name);
      for (const e of literalEnv(c)) {
        // Only a value with a colon can hold an endpoint (host:port, scheme://): read the name after.
        if (!e.value.includes(':') || NOT_AN_ENDPOINT.test(e.env.name)) continue;
        const loopback = loopbackEndpoints(e.value).find((ep) => ep.port !== undefined && !declared.has(ep.port));
        if (!loopback) continue;
        issues.push({
          path: e.path,
          value: e.value,
          message: `env var ${e.env.name} of container "${c.container.name}" points at ${e.show()}, port ${loopback.port} on the pod's own loopback, and no container of the pod declares port ${loopback.port}${others ? ' (a sidecar may listen without declaring it)' : ''}`,
          ...(others && { level: 'soft' as const }),
        });
      }
    }
    return issues;
  },
});
