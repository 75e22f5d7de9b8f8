import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import type { Lookup } from '../engine/lookup.js';
import type { ConfigMap, ConfigMapVolume } from '../engine/objects.js';
import { definePolicy } from '../engine/policy.js';
import { allContainers, POD_PATH, podSpec } from './shared/containers.js';

// A ConfigMap that does not exist yet is only a warning: GitOps tools and `kubectl apply -f dir/`
// may create it a moment after the Deployment (DESIGN.md, config-ref). A missing key in a
// ConfigMap that does exist fails for certain: the kubelet will not start the container.
const notFound = (lookup: Lookup, ns: string, name: string) =>
  `ConfigMap ${ns}/${name} was not found in ${lookup.source}; pods will not start until it exists`;

export default definePolicy({
  id: 'config-ref',
  kinds: ['Deployment'],
  defaultAction: 'deny',
  summary: 'ConfigMap keys that env, envFrom and volumes refer to exist.',
  rationale:
    'A `configMapKeyRef` to a key the ConfigMap does not have, or a volume item naming a missing key, ' +
    'stops the container from starting (CreateContainerConfigError), in every new pod of the rollout. ' +
    'References marked `optional: true` are skipped. A ConfigMap that does not exist yet is only a ' +
    'warning, because GitOps tools and `kubectl apply -f dir/` may create it a moment later.',
  fix: 'add the key to the ConfigMap, fix the name, or mark the reference optional: true',
  options: z.strictObject({}),
  check(deployment, { lookup, namespace }) {
    const issues: Issue[] = [];
    const missingMap = (path: string, name: string, what: string): Issue => ({
      path,
      message: `${what}: ${notFound(lookup, namespace, name)}`,
      fix: `create ConfigMap ${name} in namespace ${namespace} before or with this Deployment, or mark the reference optional: true`,
      level: 'soft',
    });
    for (const c of allContainers(podSpec(deployment))) {
      const who = `container "${c.container.name}"`;
      for (const env of c.container.env) {
        const ref = env.valueFrom?.configMapKeyRef;
        if (!ref?.name || ref.optional) continue;
        const path = `${c.path}.env[${env.name}]`;
        const cm = lookup.getConfigMap(namespace, ref.name);
        if (!cm) issues.push(missingMap(path, ref.name, `env var ${env.name} of ${who}`));
        else if (!hasKey(cm, ref.key)) {
          issues.push({
            path,
            message: `env var ${env.name} of ${who} reads key "${ref.key}", which ConfigMap ${namespace}/${ref.name} does not have (keys: ${keyList(cm)})`,
          });
        }
      }
      c.container.envFrom.forEach((from, i) => {
        const ref = from.configMapRef;
        if (!ref?.name || ref.optional || lookup.getConfigMap(namespace, ref.name)) return;
        issues.push(missingMap(`${c.path}.envFrom[${i}].configMapRef`, ref.name, `envFrom of ${who}`));
      });
    }
    for (const volume of podSpec(deployment).volumes) {
      const path = `${POD_PATH}.volumes[${volume.name}]`;
      if (volume.configMap) issues.push(...checkVolume(volume.name, volume.configMap, `${path}.configMap`));
      volume.projected?.sources.forEach((s, i) => {
        if (s.configMap) issues.push(...checkVolume(volume.name, s.configMap, `${path}.projected.sources[${i}].configMap`));
      });
    }
    return issues;

    function checkVolume(volume: string, ref: ConfigMapVolume, path: string): Issue[] {
      if (!ref.name || ref.optional) return [];
      const cm = lookup.getConfigMap(namespace, ref.name);
      if (!cm) return [missingMap(path, ref.name, `volume "${volume}"`)];
      return ref.items
        .filter((item) => !hasKey(cm, item.key))
        .map((item) => ({
          path: `${path}.items[${item.key}]`,
          message: `item "${item.key}" of volume "${volume}" is not a key of ConfigMap ${namespace}/${ref.name} (keys: ${keyList(cm)})`,
        }));
    }
  },
});

const hasKey = (cm: ConfigMap, key: string) => Object.hasOwn(cm.data, key) || Object.hasOwn(cm.binaryData, key);

function keyList(cm: ConfigMap): string {
  const keys = [...Object.keys(cm.data), ...Object.keys(cm.binaryData)];
  if (keys.length === 0) return 'none';
  const shown = keys.slice(0, 8).join(', ');
  return keys.length > 8 ? `${shown}, … ${keys.length - 8} more` : shown;
}
