import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import { type LoadedSchema, type Lookup, withConfigMap } from '../engine/lookup.js';
import { showValue } from '../engine/mask.js';
import type { ConfigMap, Container, Deployment } from '../engine/objects.js';
import { definePolicy, type PolicyContext } from '../engine/policy.js';
import { schemasForConfigMap, schemasForDeployment } from '../schema/bind.js';
import { checkValue } from '../schema/compile.js';
import { inFormat } from '../schema/formats/list.js';
import { describeSpec } from '../schema/describe-spec.js';
import type { KeySpec } from '../schema/document.js';
import { podContainers, podSpec } from './shared/containers.js';
import { consumersOf } from './shared/consumers.js';
import { type MountedKey, mountedKey } from './shared/mounted-key.js';
import { type EnvValue, resolveEnv } from './shared/resolved-env.js';

const named = (s: LoadedSchema) => `ConfigSchema ${s.namespace}/${s.name}`;

/** Longest YAML value parsed in a review (characters); JSON has no such bound (JSON.parse is ~100x faster). */
export const YAML_CHECKED_MAX = 64 * 1024;
const parsesYaml = (spec: KeySpec): boolean => spec.type === 'yaml' || (spec.type === 'list' && spec.format === 'yaml');

/** Problems of one present value; an empty value of a key that is not required is "not set". */
function valueIssues(key: string, spec: KeySpec, value: string, path: string, subject: string, schema: LoadedSchema, secret = false): Issue[] {
  if (value === '') {
    if (!spec.required) return [];
    return [{ path, value, message: `${subject} is empty, but ${named(schema)} requires a value`, fix: `set it to ${describeSpec(spec)}`, covers: 'empty' }];
  }
  if (value.length > YAML_CHECKED_MAX && parsesYaml(spec)) {
    // yaml's parser reads about 200 KB/s: a large value would hold every review behind it past
    // the API server's timeout. Not a problem of the value: it is left to the application.
    return [{ path, value, message: `${subject} cannot be checked against ${named(schema)}: ${Math.ceil(value.length / 1024)} KiB of YAML, more than the ${YAML_CHECKED_MAX / 1024} KiB rollsafe parses in a review`, fix: 'check the file in the repository that renders it, or declare the key as string', level: 'soft' }];
  }
  // checkValue reads the key only to mask what it quotes (list items, parser messages): a value
  // carrying a secret is masked there as a secret-looking key's would be.
  const maskAs = secret ? 'SECRET' : key;
  const problems = checkValue(spec, value, maskAs);
  if (problems.length === 0) return [];
  // Refused for pointing at the pod itself: fewer problems once loopback is allowed. A sidecar
  // that serves the port makes such a value work, and the schema says so with allowLoopback.
  const loopback = (spec.type === 'url' || spec.type === 'endpoint') && !spec.allowLoopback && checkValue({ ...spec, allowLoopback: true }, value, maskAs).length < problems.length;
  // A list in another format than declared: the same items as the key wants them, when they pass
  // the whole spec and can be shown (nothing masked or cut).
  const rewritten = spec.type === 'list' ? inFormat(value, spec.format) : undefined;
  const example = rewritten !== undefined && checkValue(spec, rewritten, maskAs).length === 0 && showValue(maskAs, rewritten) === JSON.stringify(rewritten) ? `: ${JSON.stringify(rewritten)}` : '';
  return [
    {
      path,
      value,
      message: `${subject}: ${showValue(maskAs, value)} ${problems.join('; ')} (${named(schema)})`,
      fix:
        `set it to ${describeSpec(spec)}${spec.description ? ` (${spec.description})` : ''}${example}` +
        (loopback ? `, or, if a container of the pod serves that port (a sidecar), allow it with allowLoopback: true on ${key} in ${named(schema)}` : ''),
      ...(loopback && { covers: 'loopback' as const }),
    },
  ];
}

/**
 * What this ConfigMap does to the Deployments that read it, checked against those Deployments'
 * schemas as their next pods will see them: bad values it gives them, and problems the change
 * creates, such as a required key dropped from a map they read through envFrom (which names no
 * key, so config-ref cannot see the loss). A problem a consumer has with or without this change is
 * not reported here; it is the Deployment's own. Values of this map under a schema that also binds
 * the ConfigMap itself are checked directly (below) and skipped here, so a value is reported once.
 */
function consumerIssues(cm: ConfigMap, lookup: Lookup, namespace: string, direct: readonly LoadedSchema[], leftToConsumers: ReadonlySet<string>): Issue[] {
  const name = cm.metadata.name;
  // Only against the cluster: `rollsafe check` reports these on the Deployment, which it has too.
  if (!name || !lookup.complete) return [];
  const after = withConfigMap(lookup, namespace, cm);
  const stored = lookup.getConfigMap(namespace, name)?.data ?? {};
  const inMap = (key: string) => Object.hasOwn(cm.data, key) || Object.hasOwn(stored, key);
  const seen = new Set<string>();
  const issues: Issue[] = [];
  for (const consumer of consumersOf(name, namespace, lookup)) {
    let before: Set<string> | undefined;
    for (const i of checkDeployment(consumer.deployment, { lookup: after, namespace })) {
      const fromHere = i.source?.name === name;
      // The direct check reads the map's keys by their own names; a value the Deployment sees
      // under another name (an envFrom prefix, a renamed configMapKeyRef) is checked here.
      if (fromHere && direct.includes(i.schema) && i.source?.key === i.variable && !leftToConsumers.has(schemaKey(i.schema, i.variable))) continue;
      if (!fromHere) {
        // Soft issues are guesses ("may come from a Secret", "has no key", which config-ref denies).
        if (i.level === 'soft') continue;
        before ??= new Set(checkDeployment(consumer.deployment, { lookup, namespace }).map(issueKey));
        if (before.has(issueKey(i))) continue;
      }
      const message = `Deployment ${consumer.name} reads it: ${i.message}`;
      if (seen.has(message)) continue;
      seen.add(message);
      const key = fromHere ? i.source?.key : mapKeyOf(i.container, name, i.variable, inMap);
      issues.push({
        path: key === undefined ? 'data' : `data[${key}]`,
        message,
        // On UPDATE, old findings are matched by policy, this and the value: one per consumer, schema and variable.
        about: `Deployment ${consumer.name}, ${issueKey(i)}`,
        ...(i.value !== undefined && { value: i.value }),
        ...(i.fix && { fix: i.fix }),
        ...(i.level && { level: i.level }),
      });
    }
  }
  return issues;
}

/**
 * The key of ConfigMap `name` that a container sees, or would see, as env var `variable`: through
 * a configMapKeyRef, or through envFrom with its prefix (a key of the old or new map, `inMap`,
 * first; else the key the map lacks); undefined when the container sets the variable itself and
 * only uses the map's values (`$(VAR)`).
 */
function mapKeyOf(container: Container, name: string, variable: string, inMap: (key: string) => boolean): string | undefined {
  // The kubelet applies env entries in order: the last one of a name wins, over any envFrom.
  const own = container.env.findLast((e) => e.name === variable);
  if (own) return own.valueFrom?.configMapKeyRef?.name === name ? own.valueFrom.configMapKeyRef.key : undefined;
  let lacking: string | undefined;
  for (const from of container.envFrom) {
    const prefix = from.prefix ?? '';
    const key = variable.slice(prefix.length);
    if (from.configMapRef?.name !== name || !variable.startsWith(prefix) || key === '') continue;
    if (inMap(key)) return key;
    lacking ??= key;
  }
  return lacking;
}

/**
 * What an issue of a Deployment's env is about: at most one per schema, container and variable.
 * Not the path: a value from envFrom has the index of its entry (`envFrom[0]`), which moves when
 * an entry is added before it, and every key of that ConfigMap shares it.
 */
const aboutVariable = (schema: LoadedSchema, container: string, variable: string) => `${named(schema)}, ${container}, env var ${variable}`;

/** The same problem of a consumer before and after a change, whatever value it now shows. */
const issueKey = (i: EnvIssue) => `ConfigSchema ${i.schema.namespace}/${i.schema.name}, ${i.path}, env var ${i.variable}`;

/** A key of one schema, in the set of keys the direct check leaves to the consumers. */
const schemaKey = (schema: LoadedSchema, key: string) => `${schema.namespace}/${schema.name}\u0000${key}`;

function checkConfigMap(cm: ConfigMap, { lookup, namespace }: PolicyContext<unknown>): Issue[] {
  const direct = schemasForConfigMap(cm, namespace, lookup);
  const issues: Issue[] = [];
  // Required keys left empty where the schema also targets workloads: as a missing one (below),
  // the workload's env may set the variable itself (an env entry wins over envFrom), so only a
  // consumer that sees the empty value is a problem, reported by consumerIssues. Without the
  // cluster's Deployments (`rollsafe check`, --cluster off) that cannot be known: a warning.
  const leftToConsumers = new Set<string>();
  for (const schema of direct) {
    const { keys, additionalKeys } = schema.spec;
    const targetsWorkloads = Boolean(schema.spec.targets.workloads?.length);
    for (const [key, spec] of Object.entries(keys)) {
      const path = `data[${key}]`;
      if (Object.hasOwn(cm.data, key)) {
        const value = cm.data[key] ?? '';
        if (value !== '' || !spec.required || !targetsWorkloads) issues.push(...valueIssues(key, spec, value, path, `key ${key}`, schema));
        else if (lookup.complete) leftToConsumers.add(schemaKey(schema, key));
        else {
          issues.push({
            path,
            value,
            message: `key ${key} is empty, but ${named(schema)} requires a value: a Deployment reading it through envFrom gets it empty unless its own env sets ${key} (which Deployments read it is known only against the cluster)`,
            fix: `set it to ${describeSpec(spec)}`,
            level: 'soft',
          });
        }
      } else if (Object.hasOwn(cm.binaryData, key)) {
        issues.push({ path: `binaryData[${key}]`, message: `key ${key} is in binaryData, which cannot be checked against ${named(schema)}`, fix: 'move it to data if it is text', level: 'soft' });
      } else if (spec.required && !schema.spec.targets.workloads?.length) {
        // When the schema also targets workloads, a required key may come from their env instead;
        // the workload check enforces presence over every source of the environment.
        issues.push({ path: `data[${key}]`, message: `key ${key} is missing, but ${named(schema)} requires it`, fix: `add ${key}: ${describeSpec(spec)}` });
      }
    }
    if (additionalKeys !== 'allow') {
      for (const key of Object.keys(cm.data).filter((k) => !Object.hasOwn(keys, k))) {
        issues.push({
          path: `data[${key}]`,
          message: `key ${key} is not declared in ${named(schema)} (a typo, or a key the app does not read?)`,
          fix: `remove it, or declare it in the schema's keys`,
          ...(additionalKeys === 'warn' && { level: 'soft' as const }),
        });
      }
    }
  }
  return [...consumerIssues(cm, lookup, namespace, direct, leftToConsumers), ...issues];
}

/** An issue of a Deployment's env; `source` when the value came from a ConfigMap key. */
interface EnvIssue extends Issue {
  readonly schema: LoadedSchema;
  /** The env var the issue is about, and the container whose env it is. */
  readonly variable: string;
  readonly container: Container;
  readonly source?: { readonly name: string; readonly key: string };
}

function checkDeployment(d: Deployment, { lookup, namespace }: Pick<PolicyContext<unknown>, 'lookup' | 'namespace'>): EnvIssue[] {
  const issues: EnvIssue[] = [];
  for (const { schema, containers } of schemasForDeployment(d, namespace, lookup)) {
    const { keys, additionalKeys } = schema.spec;
    for (const c of podContainers(podSpec(d))) {
      if (containers && !containers.includes(c.container.name)) continue;
      // A classic init container (migrate, wait-for-db) is usually another program: unless the
      // schema names it, the values it sets are checked, but it need not set every required key
      // nor only declared ones.
      const wholeSchema = containers !== undefined || c.list !== 'initContainers' || c.sidecar;
      const env = resolveEnv(c, namespace, lookup);
      const who = `container "${c.container.name}"`;
      for (const [key, spec] of Object.entries(keys)) {
        const v: EnvValue | undefined = env.values.get(key);
        let file: MountedKey | undefined;
        // What every issue of this key in this container is about (EnvIssue).
        const ofVariable = { schema, variable: key, container: c.container, about: aboutVariable(schema, who, key) };
        if (v?.known) {
          const subject = `env var ${key} of ${who}${v.configMap ? ` (from ConfigMap ${namespace}/${v.configMap.name} key ${v.configMap.key})` : ''}`;
          // A later envFrom source Rollsafe cannot read may replace the value: still a problem of
          // this ConfigMap's value, but the denial says how it could be a dead one.
          const shadowed = v.shadowedBy;
          const where = shadowed ? `${shadowed.source} (${shadowed.path.slice(shadowed.path.lastIndexOf('.') + 1)})` : '';
          const unless = shadowed ? `, unless ${where} sets ${key} too: a later envFrom source wins, and ${shadowed.unread}` : '';
          const alsoFix = shadowed ? `; if ${shadowed.source} sets ${key}, remove ${key} from ${v.configMap ? `ConfigMap ${v.configMap.name}` : 'this source'} instead, so no dead value is left` : '';
          issues.push(
            ...valueIssues(key, spec, v.value, v.path, subject, schema, v.secret).map((i) => ({
              ...i,
              ...ofVariable,
              message: `${i.message}${unless}`,
              fix: `${i.fix}${alsoFix}`,
              ...(v.configMap && { source: v.configMap }),
            })),
          );
        } else if (v) {
          issues.push({ ...ofVariable, path: v.path, message: `env var ${key} of ${who} cannot be checked against ${named(schema)}: ${v.reason}`, fix: 'check it by hand, or move the value to a ConfigMap', level: 'soft' });
        } else if ((file = mountedKey(podSpec(d), c, key, namespace, lookup))) {
          // Not an env var: a file the container mounts from a ConfigMap (`app.yaml`). Its text is
          // checked where the map is known; where it is not, the map's own review checks it.
          const { configMap, mountPath, value } = file;
          if (value !== undefined) {
            const subject = `file ${key} of ConfigMap ${namespace}/${configMap}, mounted in ${who}`;
            issues.push(...valueIssues(key, spec, value, mountPath, subject, schema).map((i) => ({ ...i, ...ofVariable, source: { name: configMap, key } })));
          }
        } else if (spec.required && wholeSchema) {
          const opaque = env.opaque[0];
          issues.push(
            opaque
              ? { ...ofVariable, path: opaque.path, message: `env var ${key} of ${who} is required by ${named(schema)} and may come from here, but ${opaque.reason}`, fix: 'check it by hand', level: 'soft' }
              : { ...ofVariable, path: `${c.path}.env`, message: `env var ${key} of ${who} is not set, but ${named(schema)} requires it`, fix: `add ${key} with ${describeSpec(spec)}` },
          );
        }
      }
      if (additionalKeys !== 'allow' && wholeSchema) {
        for (const [name, v] of env.values) {
          if (Object.hasOwn(keys, name)) continue;
          issues.push({
            schema,
            variable: name,
            container: c.container,
            about: aboutVariable(schema, who, name),
            ...(v.known && v.configMap && { source: v.configMap }),
            path: v.path,
            message: `env var ${name} of ${who} is not declared in ${named(schema)} (a typo, or a variable the app does not read?)`,
            fix: 'remove it, or declare it in the schema',
            ...(additionalKeys === 'warn' && { level: 'soft' as const }),
          });
        }
      }
    }
  }
  return issues;
}

export default definePolicy({
  id: 'config-schema',
  kinds: ['Deployment', 'ConfigMap'],
  defaultAction: 'deny',
  crossObject: true,
  summary: 'Config values match the ConfigSchemas that declare their types.',
  rationale:
    'A value the application cannot parse (`POOL_SIZE=25connections`, an empty required ' +
    '`RATE_LIMIT`, a one-line CORS list turned into a YAML list, an auth URL on the wrong host) ' +
    'passes every Kubernetes check and crashes every new pod, or worse, starts them broken. A ' +
    'ConfigSchema lets the application team declare each key\'s type; values in the ConfigMaps and ' +
    'container env it targets are checked before they reach the cluster. Values from Secrets are ' +
    'never read: such keys are reported once as unverifiable (a warning), never as valid.',
  fix: 'set a value that matches the schema',
  options: z.strictObject({}),
  check(object, ctx) {
    return object.kind === 'ConfigMap' ? checkConfigMap(object, ctx) : checkDeployment(object, ctx);
  },
});
