import { z } from 'zod';
import type { ConfigMap } from '../engine/objects.js';
import { definePolicy } from '../engine/policy.js';
import { consumersOf, nameList } from './shared/consumers.js';

/** Keys whose value differs between the two versions (added, removed or changed). */
function changedKeys(before: ConfigMap, after: ConfigMap): string[] {
  const keys = new Set<string>();
  for (const field of ['data', 'binaryData'] as const) {
    const a = before[field];
    const b = after[field];
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[k] !== b[k]) keys.add(k);
  }
  return [...keys].sort();
}

export default definePolicy({
  id: 'configmap-in-place',
  kinds: ['ConfigMap'],
  defaultAction: 'warn',
  crossObject: true,
  summary: 'ConfigMaps that running Deployments read are not edited in place.',
  rationale:
    'An in-place edit of a ConfigMap bypasses the rollout: pods read env values when a container ' +
    'starts, so each pod picks up the change at its next restart, at an unpredictable time and with ' +
    'no readiness gate or rollback; mounted files change in every pod within about a minute, all ' +
    'at once. An immutable ConfigMap with a versioned name (`app-config-v2`, a kustomize ' +
    '`configMapGenerator`, a Helm checksum annotation) makes the change a rollout, which ' +
    'readiness probes and `maxUnavailable` protect. Only UPDATEs seen by the webhook are checked; ' +
    '`rollsafe check` has no previous version to compare.',
  fix: 'create a new, immutable ConfigMap with a versioned name and point the Deployments at it, so the change rolls out',
  options: z.strictObject({}),
  check(cm, { lookup, namespace, previous }) {
    const name = cm.metadata.name;
    if (!name || previous?.kind !== 'ConfigMap') return [];
    const keys = changedKeys(previous, cm);
    if (keys.length === 0) return [];
    const consumers = consumersOf(name, namespace, lookup);
    if (consumers.length === 0) return [];
    const byEnv = consumers.filter((c) => c.as.has('env')).map((c) => c.name);
    const byVolume = consumers.filter((c) => c.as.has('volume')).map((c) => c.name);
    const how = [
      byEnv.length > 0 && `${nameList(byEnv)} read it as env (each pod sees the change only at its next restart)`,
      byVolume.length > 0 && `${nameList(byVolume)} mount it (files change in every pod within about a minute, all at once)`,
    ].filter(Boolean);
    return [
      {
        path: 'data',
        message: `edits ${keys.length === 1 ? 'key' : 'keys'} ${nameList(keys, 5)} in place, outside any rollout: ${how.join('; ')}`,
      },
    ];
  },
});
