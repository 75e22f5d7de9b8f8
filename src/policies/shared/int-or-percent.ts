// int-or-percent fields of a Deployment strategy, resolved the way the deployment controller does
// (k8s.io/apimachinery intstr.GetScaledValueFromIntOrPercent; kubernetes pkg/controller/deployment/util
// ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down, and if both resolve to 0
// maxUnavailable becomes 1).
import type { IntOrString } from '../../engine/objects.js';

export function scaleIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number | undefined {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value.trim());
  if (!m) return /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export interface Fenceposts {
  readonly maxSurge: number;
  readonly maxUnavailable: number;
}

export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  replicas: number,
): Fenceposts | undefined {
  const surge = scaleIntOrPercent(maxSurge ?? '25%', replicas, true);
  const unavailable = scaleIntOrPercent(maxUnavailable ?? '25%', replicas, false);
  if (surge === undefined || unavailable === undefined) return undefined;
  return { maxSurge: surge, maxUnavailable: surge === 0 && unavailable === 0 ? 1 : unavailable };
}
