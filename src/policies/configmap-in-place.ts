import { z } from 'zod';
import type { ConfigMap } from '../engine/objects.js';
import { definePolicy } from '../engine/policy.js';
import type { ConfigMapRead } from '../engine/readers.js';
import { consumersOf, nameList } from './shared/consumers.js';

/** Keys whose value differs between the two versions (added, removed or changed), and in which field. */
const CHANGES = ['edits', 'adds', 'removes'] as const;
type Change = (typeof CHANGES)[number];

function changedKeys(before: ConfigMap, after: ConfigMap): { key: string; binary: boolean; change: Change }[] {
  const keys: { key: string; binary: boolean; change: Change }[] = [];
  for (const field of ['data', 'binaryData'] as const) {
    const a = before[field];
    const b = after[field];
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[k] === b[k]) continue;
      keys.push({ key: k, binary: field === 'binaryData', change: !Object.hasOwn(a, k) ? 'adds' : !Object.hasOwn(b, k) ? 'removes' : 'edits' });
    }
  }
  return keys;
}

/** `edits key A, removes keys B and C`: what the change does to the keys its consumers see, in those words. */
function changeWords(changed: readonly { key: string; change: Change }[]): string {
  return CHANGES.flatMap((change) => {
    const keys = [...new Set(changed.filter((k) => k.change === change).map((k) => k.key))].sort();
    return keys.length === 0 ? [] : [`${change} ${keys.length === 1 ? 'key' : 'keys'} ${nameList(keys, 5)}`];
  }).join(', ');
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
    'at once (a file mounted with `subPath` is never updated: it changes at restarts, like env). ' +
    'Only Deployments that read a changed key are named. An immutable ConfigMap with a versioned name (`app-config-v2`, a kustomize ' +
    '`configMapGenerator`, a Helm checksum annotation) makes the change a rollout, which ' +
    'readiness probes and `maxUnavailable` protect. Only UPDATEs seen by the webhook are checked; ' +
    '`rollsafe check` has no previous version to compare.',
  fix: 'create a new, immutable ConfigMap with a versioned name and point the Deployments at it, so the change rolls out',
  options: z.strictObject({}),
  check(cm, { lookup, namespace, previous }) {
    const name = cm.metadata.name;
    if (!name || previous?.kind !== 'ConfigMap') return [];
    const changed = changedKeys(previous, cm);
    if (changed.length === 0) return [];
    // Only the consumers that see a changed key: a configMapKeyRef or volume items name the keys
    // they read, envFrom reads no binaryData, and a volume no container mounts is not mounted.
    const consumers = consumersOf(name, namespace, lookup);
    const seeing = (use: ConfigMapRead['use']) =>
      consumers
        .filter((c) => c.reads.some((r) => r.use === use && changed.some((k) => r.shows(k.key, k.binary))))
        .map((c) => c.name);
    const byEnv = seeing('env');
    const bySubPath = seeing('subPath');
    const byVolume = seeing('volume');
    if (byEnv.length + bySubPath.length + byVolume.length === 0) return [];
    const how = [
      byEnv.length > 0 && `${nameList(byEnv)} read it as env (each pod sees the change only at its next restart)`,
      bySubPath.length > 0 && `${nameList(bySubPath)} mount it with subPath (never updated in place: each pod sees the change only at its next restart)`,
      byVolume.length > 0 && `${nameList(byVolume)} mount it (files change in every pod within about a minute, all at once)`,
    ].filter(Boolean);
    return [
      {
        path: 'data',
        message: `${changeWords(changed)} in place, outside any rollout: ${how.join('; ')}`,
      },
    ];
  },
});
