import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import type { Probe } from '../engine/objects.js';
import { definePolicy } from '../engine/policy.js';
import { podSpec, runningContainers } from './shared/containers.js';
import { probesOf } from './shared/probes.js';

// Kubernetes defaults when a probe leaves the field out or sets it to 0 (the API server
// defaults 0 too: pkg/apis/core/v1/defaults.go SetDefaults_Probe).
const DEFAULT_PERIOD = 10;
const DEFAULT_TIMEOUT = 1;
const DEFAULT_FAILURES = 3;
const orDefault = (value: number | undefined, fallback: number): number => (value ? value : fallback);

/**
 * Are two probes the same once the API server has filled in its defaults (SetDefaults_Probe,
 * SetDefaults_HTTPGetAction)? So `rollsafe check` on a manifest and the webhook on the defaulted
 * object judge alike: `periodSeconds: 10` written out is the probe that leaves it to the default.
 * Timings first (numbers); the handler, headers included, only when they match.
 */
function sameProbe(a: Probe, b: Probe): boolean {
  return (
    (a.initialDelaySeconds ?? 0) === (b.initialDelaySeconds ?? 0) &&
    orDefault(a.periodSeconds, DEFAULT_PERIOD) === orDefault(b.periodSeconds, DEFAULT_PERIOD) &&
    orDefault(a.timeoutSeconds, DEFAULT_TIMEOUT) === orDefault(b.timeoutSeconds, DEFAULT_TIMEOUT) &&
    orDefault(a.failureThreshold, DEFAULT_FAILURES) === orDefault(b.failureThreshold, DEFAULT_FAILURES) &&
    orDefault(a.successThreshold, 1) === orDefault(b.successThreshold, 1) &&
    handlerKey(a) === handlerKey(b)
  );
}

const handlerKey = (p: Probe): string =>
  JSON.stringify([
    p.httpGet && [p.httpGet.port, p.httpGet.path || '/', p.httpGet.host, (p.httpGet.scheme ?? 'HTTP').toUpperCase(), p.httpGet.httpHeaders],
    p.tcpSocket && [p.tcpSocket.port, p.tcpSocket.host],
    p.grpc && [p.grpc.port, p.grpc.service],
    p.exec?.command,
  ]);

export default definePolicy({
  id: 'probe-timing',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: 'Probe timings leave the container room to answer and to start.',
  rationale:
    'Probes that run every second load the app and the kubelet and turn a short pause into a ' +
    'restart; a timeout as long as the period means probes overlap; a liveness probe identical to ' +
    'the readiness probe restarts a container that is only busy, which turns overload into an ' +
    'outage; and a liveness probe that restarts a container less than 30 s after it starts ' +
    '(initialDelaySeconds + periodSeconds × failureThreshold), with no startupProbe, kills a slow ' +
    'starting container before it is up, in a loop.',
  fix: 'adjust the probe timings',
  options: z.strictObject({
    minPeriodSeconds: z.number().int().min(1).default(5).describe('smallest periodSeconds accepted'),
    minLivenessGraceSeconds: z
      .number()
      .int()
      .min(0)
      .default(30)
      .describe('fewest seconds a liveness probe must allow before its first restart when there is no startupProbe'),
  }),
  check(deployment, { options }) {
    const issues: Issue[] = [];
    for (const c of runningContainers(podSpec(deployment))) {
      const probes = probesOf(c);
      for (const p of probes) {
        const period = orDefault(p.probe.periodSeconds, DEFAULT_PERIOD);
        const timeout = orDefault(p.probe.timeoutSeconds, DEFAULT_TIMEOUT);
        const tooOften = Boolean(p.probe.periodSeconds) && period < options.minPeriodSeconds;
        if (tooOften) {
          issues.push({
            path: `${p.path}.periodSeconds`,
            value: String(period),
            message: `${p.kind} of container "${c.container.name}" runs every ${period}s`,
            fix: `set periodSeconds to ${options.minPeriodSeconds} or more`,
          });
        }
        // Not when the fix of a period too short also ends the overlap: one problem, one line.
        if (timeout >= period && !(tooOften && timeout < options.minPeriodSeconds)) {
          const written = p.probe.timeoutSeconds ? `timeoutSeconds ${timeout}` : `timeoutSeconds ${timeout} (the default)`;
          issues.push({
            path: `${p.path}.timeoutSeconds`,
            value: `${timeout}/${period}`,
            message: `${p.kind} of container "${c.container.name}" has ${written} >= periodSeconds ${period}, so one slow answer uses the whole period and the probe cannot run at the rate set`,
            // 1 is the least timeoutSeconds the API server accepts: only the period can give.
            fix: timeout > 1 ? 'make timeoutSeconds smaller than periodSeconds' : `raise periodSeconds above ${timeout}`,
          });
        }
      }
      const { livenessProbe, readinessProbe, startupProbe } = c.container;
      if (livenessProbe && readinessProbe && sameProbe(livenessProbe, readinessProbe)) {
        issues.push({
          path: `${c.path}.livenessProbe`,
          // Two problems share this path: the value tells them apart on UPDATE.
          value: 'identical to the readinessProbe',
          message: `livenessProbe of container "${c.container.name}" is identical to its readinessProbe, so a busy container is restarted instead of taken out of rotation`,
          fix: 'give the liveness probe a cheaper check or a higher failureThreshold than the readiness probe',
        });
      }
      if (livenessProbe && !startupProbe) {
        // What kills a slow start is the time before the first restart, not the delay alone.
        const delay = livenessProbe.initialDelaySeconds ?? 0;
        const grace =
          delay + orDefault(livenessProbe.periodSeconds, DEFAULT_PERIOD) * orDefault(livenessProbe.failureThreshold, DEFAULT_FAILURES);
        if (grace < options.minLivenessGraceSeconds) {
          issues.push({
            path: `${c.path}.livenessProbe`,
            value: `restarts after ${grace}s`,
            message: `livenessProbe of container "${c.container.name}" restarts it ${grace}s after start (initialDelaySeconds + periodSeconds × failureThreshold) and there is no startupProbe, so a slow start is killed in a loop`,
            fix: `add a startupProbe, or allow at least ${options.minLivenessGraceSeconds}s before the first restart`,
          });
        }
      }
    }
    return issues;
  },
});
