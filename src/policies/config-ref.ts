import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import { configMapUnseen, type Lookup, withConfigMap } from '../engine/lookup.js';
import { ConfigMap, type ConfigMapVolume, type Deployment } from '../engine/objects.js';
import { definePolicy } from '../engine/policy.js';
import { allContainers, POD_PATH, podSpec } from './shared/containers.js';
import { consumersOf } from './shared/consumers.js';

// A ConfigMap that does not exist yet is only a warning: GitOps tools and `kubectl apply -f dir/`
// may create it a moment after the Deployment (DESIGN.md, config-ref). A missing key in a
// ConfigMap that does exist fails for certain: the kubelet will not start the container.
const notFound = (lookup: Lookup, ns: string, name: string) => `${configMapUnseen(lookup, ns, name)}; pods will not start until it exists`;

// Kubernetes publishes ConfigMap kube-root-ca.crt into every namespace (the root-ca-cert-publisher
// controller; every pod's kube-api-access volume reads it), so it exists whether or not it is
// among the objects seen. Its one key is ca.crt: the controller rewrites any other data, so a
// reference to another key of it fails for certain and is still reported.
const ROOT_CA = ConfigMap.parse({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': '' } });
const getConfigMap = (lookup: Lookup, namespace: string, name: string): ConfigMap | undefined =>
  lookup.getConfigMap(namespace, name) ?? (name === ROOT_CA.metadata.name ? ROOT_CA : undefined);
/** The fix of a missing key: nobody can add a key to kube-root-ca.crt. */
const missingKeyFix = (cm: ConfigMap) =>
  cm === ROOT_CA ? { fix: 'read the key ca.crt (kube-root-ca.crt, published by Kubernetes, has no other), or use a ConfigMap of your own' } : {};

/** An issue about a reference to one ConfigMap. */
interface RefIssue extends Issue {
  readonly configMap: string;
  /** The key the reference needs, when the ConfigMap exists and lacks it. */
  readonly key?: string;
  /** What the Deployment's next pods do without the key, for the ConfigMap's side of the finding. */
  readonly outcome?: string;
}

// The kubelet resolves env (configMapKeyRef) when it creates the container: a missing key fails
// that step (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, "couldn't find key").
const NO_ENV = 'its next pods will not start (CreateContainerConfigError)';
// A volume item naming a missing key fails the volume's set-up (pkg/volume/configmap MakePayload,
// "configmap references non-existent config key"), before any container is created: the pod
// stays in ContainerCreating with FailedMount events (pkg/kubelet/kubelet.go syncPod).
const NO_VOLUME = 'its next pods will not start: the volume cannot be mounted (FailedMount; the pods stay in ContainerCreating)';
// A subPath the volume does not hold does not fail the pod: the kubelet creates it as an empty
// directory and mounts that (pkg/kubelet/kubelet_pods.go makeMounts, SafeMakeDir).
const NO_FILE = 'its next pods get an empty directory mounted where the file was';

/**
 * A subPath as the kubelet joins it to the volume's directory (filepath.Join: empty and `.`
 * elements dropped), or undefined when it names the whole volume or the atomic writer's own
 * entries (`..data`, which every ConfigMap volume has).
 */
function cleanSubPath(subPath: string): string | undefined {
  const parts = subPath.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts[0]?.startsWith('..')) return undefined;
  return parts.join('/');
}

function deploymentIssues(deployment: Deployment, lookup: Lookup, namespace: string): RefIssue[] {
  const issues: RefIssue[] = [];
  // Without any objects to look in (the webhook without cluster access), a missing ConfigMap
  // is unknown, not missing: nothing is reported.
  const missingMap = (path: string, name: string, what: string): RefIssue[] =>
    lookup.knowsObjects
      ? [{
          configMap: name,
          path,
          message: `${what}: ${notFound(lookup, namespace, name)}`,
          fix: `create ConfigMap ${name} in namespace ${namespace} before or with this Deployment, or mark the reference optional: true`,
          level: 'soft',
        }]
      : [];
  for (const c of allContainers(podSpec(deployment))) {
    const who = `container "${c.container.name}"`;
    for (const env of c.container.env) {
      const ref = env.valueFrom?.configMapKeyRef;
      if (!ref?.name || ref.optional) continue;
      const path = `${c.path}.env[${env.name}]`;
      const cm = getConfigMap(lookup, namespace, ref.name);
      if (!cm) issues.push(...missingMap(path, ref.name, `env var ${env.name} of ${who}`));
      else if (!Object.hasOwn(cm.data, ref.key)) {
        // The kubelet reads an env var from `data` only: a key in binaryData is missing to it
        // ("couldn't find key"), though a volume would show it.
        const binary = Object.hasOwn(cm.binaryData, ref.key);
        issues.push({
          configMap: ref.name,
          key: ref.key,
          path,
          // Another key or map that is missing too is another mistake, not the old one.
          value: `${ref.name}/${ref.key}`,
          message: binary
            ? `env var ${env.name} of ${who} reads key "${ref.key}", which ConfigMap ${namespace}/${ref.name} has only in binaryData: env vars are read from data, so the kubelet does not find it`
            : `env var ${env.name} of ${who} reads key "${ref.key}", which ConfigMap ${namespace}/${ref.name} does not have (keys: ${keyList(cm)})`,
          ...(binary ? { fix: `move key ${ref.key} to data if it is text, or mount the ConfigMap as a volume to read it as a file` } : missingKeyFix(cm)),
          outcome: NO_ENV,
        });
      }
    }
    c.container.envFrom.forEach((from, i) => {
      const ref = from.configMapRef;
      if (!ref?.name || ref.optional || getConfigMap(lookup, namespace, ref.name)) return;
      issues.push(...missingMap(`${c.path}.envFrom[${i}].configMapRef`, ref.name, `envFrom of ${who}`));
    });
  }
  // The kubelet mounts only the volumes a container mounts ("Skipping unused volume"): an unused
  // one's ConfigMap is never read, so it cannot stop a pod.
  const mounted = new Set(allContainers(podSpec(deployment)).flatMap((c) => c.container.volumeMounts.map((m) => m.name)));
  for (const volume of podSpec(deployment).volumes) {
    if (!mounted.has(volume.name)) continue;
    const path = `${POD_PATH}.volumes[${volume.name}]`;
    if (volume.configMap) issues.push(...checkVolume(volume.name, volume.configMap, `${path}.configMap`));
    volume.projected?.sources.forEach((s, i) => {
      if (s.configMap) issues.push(...checkVolume(volume.name, s.configMap, `${path}.projected.sources[${i}].configMap`));
    });
  }
  issues.push(...subPathIssues());
  return issues;

  /** subPath mounts of a ConfigMap volume that name a file (or directory) the volume does not hold. */
  function subPathIssues(): RefIssue[] {
    const pod = podSpec(deployment);
    // Only a ConfigMap volume whose map is known can be checked: most reviews stop here, before
    // the containers are walked (a hot path of the webhook).
    if (!pod.volumes.some((v) => v.configMap?.name && getConfigMap(lookup, namespace, v.configMap.name))) return [];
    const out: RefIssue[] = [];
    const volumes = new Map(pod.volumes.map((v) => [v.name, v]));
    for (const c of allContainers(pod)) {
      for (const [index, m] of c.container.volumeMounts.entries()) {
        // subPathExpr is expanded from the container's env at start: not known here. A projected
        // volume may hold files of sources rollsafe does not keep (Secrets, downward API, tokens).
        const ref = m.subPathExpr || m.subPath === undefined ? undefined : volumes.get(m.name)?.configMap;
        const sub = m.subPath === undefined ? undefined : cleanSubPath(m.subPath);
        if (!ref?.name || sub === undefined) continue;
        const cm = getConfigMap(lookup, namespace, ref.name);
        // A map not found is reported on the volume; a missing item already stops the mount.
        if (!cm || ref.items.some((item) => !hasKey(cm, item.key))) continue;
        const byItems = ref.items.length > 0;
        const files = byItems ? ref.items.map((item) => item.path ?? item.key) : [...Object.keys(cm.data), ...Object.keys(cm.binaryData)];
        if (files.some((f) => { const p = cleanSubPath(f); return p === sub || p?.startsWith(`${sub}/`); })) continue;
        const who = `container "${c.container.name}"`;
        out.push({
          configMap: ref.name,
          // Without items, the file is the key of that name; with items, the Deployment's own paths decide, whatever the map holds.
          ...(!byItems && { key: sub }),
          // By mountPath (unique in a container): a volume is often mounted several times, one file
          // per subPath, and its name would point every finding at the first of those mounts.
          path: `${c.path}.volumeMounts[${m.mountPath ?? index}]`,
          value: `${ref.name}/${sub}`,
          message:
            (byItems
              ? `subPath "${sub}" of volume "${m.name}" in ${who} is not a path of the volume's items (${files.slice(0, 8).join(', ')}): the kubelet mounts an empty directory there instead of a file`
              : `subPath "${sub}" of volume "${m.name}" in ${who} is not a key of ConfigMap ${namespace}/${ref.name} (keys: ${keyList(cm)}): the kubelet mounts an empty directory there instead of a file`) +
            // optional covers a map that does not exist, in which case the directory is empty too:
            // the author may mean it, so a warning.
            (ref.optional ? ` (the volume is optional: true, which allows a missing ConfigMap, not a missing file)` : ''),
          fix: byItems ? 'use the path of one of the items as the subPath' : `add key ${sub} to ConfigMap ${ref.name}, or fix the subPath`,
          outcome: NO_FILE,
          ...(ref.optional && { level: 'soft' as const }),
        });
      }
    }
    return out;
  }

  function checkVolume(volume: string, ref: ConfigMapVolume, path: string): RefIssue[] {
    if (!ref.name || ref.optional) return [];
    const name = ref.name;
    const cm = getConfigMap(lookup, namespace, name);
    if (!cm) return missingMap(path, name, `volume "${volume}"`);
    return ref.items
      .filter((item) => !hasKey(cm, item.key))
      .map((item) => ({
        configMap: name,
        key: item.key,
        path: `${path}.items[${item.key}]`,
        value: name,
        message: `item "${item.key}" of volume "${volume}" is not a key of ConfigMap ${namespace}/${name} (keys: ${keyList(cm)})`,
        ...missingKeyFix(cm),
        outcome: NO_VOLUME,
      }));
  }
}

/**
 * A ConfigMap as it will be stored, seen from the Deployments that read it: a key they need
 * that it lacks stops their next pods from starting.
 */
function configMapIssues(cm: ConfigMap, lookup: Lookup, namespace: string): Issue[] {
  const name = cm.metadata.name;
  // Only against the cluster: `rollsafe check` reports these on the Deployment, which it has too.
  if (!name || !lookup.complete) return [];
  const after = withConfigMap(lookup, namespace, cm);
  const stored = lookup.getConfigMap(namespace, name);
  // A key this change removes is kept; one the map never had (a CREATE, an edit of a map that
  // already lacked it) is added.
  const removed = (key: string) => stored !== undefined && hasKey(stored, key);
  return consumersOf(name, namespace, lookup).flatMap((consumer) =>
    deploymentIssues(consumer.deployment, after, namespace)
      // Soft issues with a key are subPaths of optional volumes (a missing map, the other soft
      // case, names no key): still a warning when this change removes the file.
      .filter((i) => i.configMap === name && i.key !== undefined)
      .map((i) => ({
        // One path per key, so a key another Deployment already missed does not hide this one.
        path: i.key === undefined ? 'data' : `data[${i.key}]`,
        message: `Deployment ${consumer.name} needs a key this ConfigMap lacks: ${i.message}; ${i.outcome ?? NO_ENV}`,
        fix: i.key !== undefined && !removed(i.key) ? `add the key ${i.key}, or change the Deployment to stop reading it` : 'keep the key, or change the Deployment to stop reading it first',
        ...(i.level && { level: i.level }),
      })),
  );
}

export default definePolicy({
  id: 'config-ref',
  kinds: ['Deployment', 'ConfigMap'],
  defaultAction: 'deny',
  crossObject: true,
  summary: 'ConfigMap keys that env, envFrom and volumes refer to exist.',
  rationale:
    'A `configMapKeyRef` to a key the ConfigMap does not have stops the container from starting ' +
    '(CreateContainerConfigError), and a volume item naming a missing key stops the volume from being ' +
    'mounted (FailedMount: the pod stays in ContainerCreating), in every new pod of the rollout. A ' +
    '`subPath` mount of a ConfigMap volume that names a file the volume does not have is denied too: ' +
    'the kubelet does not fail, it mounts an empty directory where the application expects its file. ' +
    'References marked `optional: true` are skipped, except a subPath of an optional volume whose ConfigMap ' +
    'exists but lacks the file: a warning, as optional allows a missing ConfigMap, not a missing file. ' +
    'A ConfigMap that does not exist yet is only a ' +
    'warning, because GitOps tools and `kubectl apply -f dir/` may create it a moment later. ' +
    '`kube-root-ca.crt` (read by the `kube-api-access` volume) always exists: Kubernetes publishes it, ' +
    'with the one key `ca.crt`, into every namespace. ' +
    'A ConfigMap change that removes a key a Deployment reads is checked the same way.',
  fix: 'add the key to the ConfigMap, fix the name, or mark the reference optional: true',
  options: z.strictObject({}),
  check(object, { lookup, namespace }) {
    return object.kind === 'ConfigMap' ? configMapIssues(object, lookup, namespace) : deploymentIssues(object, lookup, namespace);
  },
});

/** Whether a volume (which shows data and binaryData keys as files) finds the key. */
const hasKey = (cm: ConfigMap, key: string) => Object.hasOwn(cm.data, key) || Object.hasOwn(cm.binaryData, key);

function keyList(cm: ConfigMap): string {
  const keys = [...Object.keys(cm.data), ...Object.keys(cm.binaryData)];
  if (keys.length === 0) return 'none';
  const shown = keys.slice(0, 8).join(', ');
  return keys.length > 8 ? `${shown}, … ${keys.length - 8} more` : shown;
}
