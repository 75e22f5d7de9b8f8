// A ConfigMap key a container reads as a file: a volume (or a projected volume's source) of the
// ConfigMap that the container mounts, showing the key (all keys without `items`, else the items
// that name it). A ConfigSchema key such as `app.yaml` is usually read this way, not as env.
import type { Lookup } from '../../engine/lookup.js';
import { configMapSources } from '../../engine/readers.js';
import type { PodSpec } from '../../engine/objects.js';
import type { ContainerAt } from './containers.js';

export interface MountedKey {
  /** The ConfigMap and the volume mount that show the key. */
  readonly configMap: string;
  readonly mountPath: string;
  /** The key's text, when the ConfigMap is known and holds it. */
  readonly value: string | undefined;
}

/** The first mount of `c` that shows ConfigMap key `key`, or undefined when none does. */
export function mountedKey(pod: PodSpec, c: ContainerAt, key: string, namespace: string, lookup: Lookup): MountedKey | undefined {
  for (const m of c.container.volumeMounts) {
    const volume = pod.volumes.find((v) => v.name === m.name);
    if (!volume) continue;
    for (const source of configMapSources(volume)) {
      if (!source.name) continue;
      const cm = lookup.getConfigMap(namespace, source.name);
      const shown = source.items.length > 0 ? source.items.some((i) => i.key === key) : cm !== undefined && Object.hasOwn(cm.data, key);
      if (!shown) continue;
      const value = cm && Object.hasOwn(cm.data, key) ? cm.data[key] : undefined;
      return { configMap: source.name, mountPath: `${c.path}.volumeMounts[${m.name}]`, value };
    }
  }
  return undefined;
}
