// What a new or changed ConfigSchema would do to the objects already stored: the ConfigMaps and
// Deployments it binds that pass today and would fail under it. A team tightening a schema sees
// the damage when it applies the schema, not at the next rollout.
import configSchema from '../policies/config-schema.js';
import { schemasForDeployment } from '../schema/bind.js';
import type { Issue } from './finding.js';
import { type LoadedSchema, type Lookup, withConfigSchema } from './lookup.js';
import type { ConfigMap, Deployment } from './objects.js';

export interface Impact {
  /** `Deployment ns/name` or `ConfigMap ns/name`. */
  readonly object: string;
  readonly path: string;
  readonly message: string;
}

const key = (i: Issue) => `${i.path}\u0000${i.message}`;

export function schemaImpact(schema: LoadedSchema, lookup: Lookup): Impact[] {
  const ns = schema.namespace;
  const after = withConfigSchema(lookup, schema);
  const bound: (ConfigMap | Deployment)[] = [];
  for (const name of schema.spec.targets.configMaps ?? []) {
    const cm = lookup.getConfigMap(ns, name);
    if (cm) bound.push(cm);
  }
  for (const d of lookup.listDeployments(ns)) {
    if (schemasForDeployment(d, ns, after).some((b) => b.schema === schema)) bound.push(d);
  }
  const impacts: Impact[] = [];
  for (const object of bound) {
    const before = new Set(configSchema.check(object, { lookup, namespace: ns, options: {} }).map(key));
    for (const issue of configSchema.check(object, { lookup: after, namespace: ns, options: {} })) {
      if (issue.level === 'soft' || before.has(key(issue))) continue;
      impacts.push({ object: `${object.kind} ${ns}/${object.metadata.name ?? ''}`, path: issue.path, message: issue.message });
    }
  }
  return impacts;
}
