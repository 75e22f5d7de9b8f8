// Which ConfigSchemas bind an object: `targets.configMaps` by name, `targets.workloads` by a label
// selector on the Deployment (its own labels or its pod template's), in the schema's namespace.
import type { LoadedSchema, Lookup } from '../engine/lookup.js';
import type { ConfigMap, Deployment } from '../engine/objects.js';
import { LabelSelector } from '../engine/objects.js';
import { matchesSelector } from '../engine/selector.js';

export function schemasForConfigMap(cm: ConfigMap, namespace: string, lookup: Lookup): LoadedSchema[] {
  const name = cm.metadata.name;
  if (!name) return [];
  return lookup.listConfigSchemas(namespace).filter((s) => s.spec.targets.configMaps?.includes(name));
}

export interface WorkloadBinding {
  readonly schema: LoadedSchema;
  /** Container names the schema checks; undefined means every container. */
  readonly containers: readonly string[] | undefined;
}

// Schema documents are parsed once and kept (CLI run, informer cache), so their selectors are
// converted once too.
const selectors = new WeakMap<object, LabelSelector>();
function selectorOf(raw: object): LabelSelector {
  let s = selectors.get(raw);
  if (!s) selectors.set(raw, (s = LabelSelector.parse(raw)));
  return s;
}

export function schemasForDeployment(d: Deployment, namespace: string, lookup: Lookup): WorkloadBinding[] {
  const own = d.metadata.labels;
  const pod = d.spec.template.metadata?.labels ?? {};
  const out: WorkloadBinding[] = [];
  for (const schema of lookup.listConfigSchemas(namespace)) {
    for (const w of schema.spec.targets.workloads ?? []) {
      const selector = selectorOf(w.selector);
      if (matchesSelector(selector, own) || matchesSelector(selector, pod)) {
        out.push({ schema, containers: w.containers });
        break;
      }
    }
  }
  return out;
}
