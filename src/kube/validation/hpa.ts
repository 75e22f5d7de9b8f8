// An autoscaling/v2 HorizontalPodAutoscaler as autoscaling validation checks it on create
// (Kubernetes 1.37, HPAScaleToZero on), after the API server's defaults: minReplicas 1, a CPU
// metric at 80% when none is given, and the default scaling rules for what `behavior` leaves out.
import { dns1123Label, pathSegmentName } from './formats.js';
import { exactQuantity } from './quantity.js';
import { fields, type Fields, items, type Path, quote, text, type ValidationIssue, whole } from './raw.js';

const SOURCES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'] as const;
/** The field each metric type is described in. */
const FIELD: Readonly<Record<string, string>> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };
const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const MAX_PERIOD = 1800;
const MAX_WINDOW = 3600;

/** schema.ParseGroupVersion, and the group it requires: what is wrong with an apiVersion, or undefined. */
function apiVersionProblem(apiVersion: string, emptyGroupAllowed: boolean): string | undefined {
  if (apiVersion.split('/').length > 2) return `${quote(apiVersion)} is not GROUP/VERSION`;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group === '' && !emptyGroupAllowed) return `${apiVersion === '' ? 'is missing' : `${quote(apiVersion)} has no API group`}: write the target's group and version, such as apiVersion: apps/v1 for a Deployment`;
  return undefined;
}

export function hpaIssues(object: unknown): ValidationIssue[] {
  const spec = fields(fields(object)?.spec) ?? {};
  const issues: ValidationIssue[] = [];
  const min = spec.minReplicas == null ? 1 : whole(spec.minReplicas) ?? 1;
  const max = whole(spec.maxReplicas) ?? 0;
  if (min < 0) issues.push({ path: ['spec', 'minReplicas'], message: `is ${min}: it must be 0 or more` });
  if (max === 0) issues.push({ path: ['spec', 'maxReplicas'], message: 'is missing or 0: set the most replicas the HPA may scale to' });
  else if (max < 0) issues.push({ path: ['spec', 'maxReplicas'], message: `is ${max}: it must be at least 1` });
  if (max < min) issues.push({ path: ['spec', 'maxReplicas'], message: `is ${max}, less than minReplicas (${min}): raise maxReplicas or lower minReplicas` });
  const ref = fields(spec.scaleTargetRef) ?? {};
  issues.push(...referenceIssues(ref, ['spec', 'scaleTargetRef'], text(ref.kind) === 'ReplicationController'));
  const metrics = items(spec.metrics);
  metrics.forEach((m, i) => issues.push(...metricIssues(fields(m) ?? {}, ['spec', 'metrics', i])));
  // HPAScaleToZero (on in 1.37): zero replicas report no resource usage, so only an Object or
  // External metric can scale them up again. No metric at all is the default CPU one.
  if (min === 0 && !metrics.some((m) => ['Object', 'External'].includes(text(fields(m)?.type) ?? ''))) {
    issues.push({ path: ['spec', 'metrics'], message: 'has no Object or External metric, which minReplicas: 0 needs: a workload scaled to zero reports no cpu or memory to scale it up again; add one, or set minReplicas: 1' });
  }
  const behavior = fields(spec.behavior);
  if (behavior) {
    for (const direction of ['scaleUp', 'scaleDown'] as const) {
      const rules = fields(behavior[direction]);
      if (rules) issues.push(...rulesIssues(rules, ['spec', 'behavior', direction]));
    }
  }
  return issues;
}

function referenceIssues(ref: Fields, path: Path, emptyGroupAllowed: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const key of ['kind', 'name'] as const) {
    const v = text(ref[key]) ?? '';
    const bad = v === '' ? 'is missing' : pathSegmentName(v);
    if (bad) issues.push({ path: [...path, key], message: v === '' ? `is missing: name the object's ${key}` : `${quote(v)} ${bad}` });
  }
  const version = apiVersionProblem(text(ref.apiVersion) ?? '', emptyGroupAllowed);
  if (version) issues.push({ path: [...path, 'apiVersion'], message: version });
  return issues;
}

function metricIssues(metric: Fields, path: Path): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const type = text(metric.type) ?? '';
  if (!(SOURCES as readonly string[]).includes(type)) {
    issues.push({ path: [...path, 'type'], message: `${type === '' ? 'is missing' : `is ${quote(type)}`}: write one of ${SOURCES.join(', ')} (with these capitals)` });
  }
  const present = Object.values(FIELD).filter((f) => metric[f] != null);
  // Only the first source given is looked into (Object, External, Pods, Resource, ContainerResource order).
  const first = ['object', 'external', 'pods', 'resource', 'containerResource'].find((f) => present.includes(f));
  if (first !== undefined) issues.push(...sourceIssues(first, fields(metric[first]) ?? {}, [...path, first]));
  const expected = FIELD[type];
  if (expected !== undefined && metric[expected] == null) issues.push({ path: [...path, expected], message: `is missing: a metric of type ${type} is described under ${expected}` });
  if (present.length > 1) {
    for (const f of present.filter((p) => p !== expected)) issues.push({ path: [...path, f], message: `is given beside ${expected ?? 'another source'}: a metric describes one source, the one its type names` });
  }
  return issues;
}

function sourceIssues(source: string, src: Fields, path: Path): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const target = fields(src.target) ?? {};
  const tpath = [...path, 'target'];
  const has = (k: string) => target[k] != null;
  if (source === 'object') issues.push(...referenceIssues(fields(src.describedObject) ?? {}, [...path, 'describedObject'], true));
  if (source === 'object' || source === 'external' || source === 'pods') {
    const name = text(fields(src.metric)?.name) ?? '';
    const bad = name === '' ? 'is missing: name the metric' : pathSegmentName(name);
    if (bad) issues.push({ path: [...path, 'metric', 'name'], message: name === '' ? bad : `${quote(name)} ${bad}` });
  }
  if (source === 'resource' || source === 'containerResource') {
    const name = text(src.name) ?? '';
    if (name === '') issues.push({ path: [...path, 'name'], message: 'is missing: name the resource, cpu or memory' });
    else if (source === 'containerResource' && !name.includes('/') && !['cpu', 'memory', 'ephemeral-storage'].includes(name) && !name.startsWith('hugepages-')) {
      issues.push({ path: [...path, 'name'], message: `${quote(name)} is not a container resource: write cpu or memory` });
    }
    if (source === 'containerResource') {
      const container = text(src.container) ?? '';
      const bad = container === '' ? 'is missing: name the container whose usage counts' : dns1123Label(container);
      if (bad) issues.push({ path: [...path, 'container'], message: container === '' ? bad : `${quote(container)} ${bad}` });
    }
  }
  issues.push(...targetIssues(target, tpath));
  if (source === 'object' && !has('value') && !has('averageValue')) issues.push({ path: [...tpath, 'averageValue'], message: 'is missing: an Object metric needs target.value or target.averageValue' });
  if (source === 'external') {
    if (!has('value') && !has('averageValue')) issues.push({ path: [...tpath, 'averageValue'], message: 'is missing: an External metric needs target.value or target.averageValue' });
    if (has('value') && has('averageValue')) issues.push({ path: [...tpath, 'value'], message: 'is given beside averageValue: an External metric targets one of them' });
  }
  if (source === 'pods' && !has('averageValue')) issues.push({ path: [...tpath, 'averageValue'], message: 'is missing: a Pods metric targets an averageValue per pod' });
  if (source === 'resource' || source === 'containerResource') {
    if (!has('averageUtilization') && !has('averageValue')) issues.push({ path: [...tpath, 'averageUtilization'], message: 'is missing: a resource metric targets averageUtilization (percent of requests, with type: Utilization) or averageValue' });
    if (has('averageUtilization') && has('averageValue')) issues.push({ path: [...tpath, 'averageValue'], message: 'is given beside averageUtilization: a resource metric targets one of them' });
  }
  return issues;
}

function targetIssues(target: Fields, path: Path): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const type = text(target.type) ?? '';
  if (!TARGET_TYPES.includes(type)) issues.push({ path: [...path, 'type'], message: `${type === '' ? 'is missing' : `is ${quote(type)}`}: write one of ${TARGET_TYPES.join(', ')} (with these capitals)` });
  for (const key of ['value', 'averageValue'] as const) {
    const v = target[key];
    if (v == null) continue;
    const q = typeof v === 'string' || typeof v === 'number' ? exactQuantity(v) : undefined;
    if (q && q.num <= 0n) issues.push({ path: [...path, key], message: `is ${String(v)}: a target must be more than 0` });
  }
  const utilization = whole(target.averageUtilization);
  if (utilization !== undefined && utilization < 1) issues.push({ path: [...path, 'averageUtilization'], message: `is ${utilization}: a utilization target is a percentage of the requests, more than 0` });
  return issues;
}

function rulesIssues(rules: Fields, path: Path): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const window = whole(rules.stabilizationWindowSeconds);
  if (window !== undefined && window < 0) issues.push({ path: [...path, 'stabilizationWindowSeconds'], message: `is ${window}: it must be 0 or more` });
  if (window !== undefined && window > MAX_WINDOW) issues.push({ path: [...path, 'stabilizationWindowSeconds'], message: `is ${window}: at most ${MAX_WINDOW} (one hour)` });
  const select = text(rules.selectPolicy);
  if (select !== undefined && !SELECT_POLICIES.includes(select)) issues.push({ path: [...path, 'selectPolicy'], message: `is ${quote(select)}: write one of ${SELECT_POLICIES.join(', ')}` });
  // Left out, the policies are the defaults; written as an empty list, there are none.
  if (Array.isArray(rules.policies) && rules.policies.length === 0) issues.push({ path: [...path, 'policies'], message: 'is empty: give at least one policy, or leave policies out for the defaults' });
  items(rules.policies).forEach((p, i) => {
    const policy = fields(p) ?? {};
    const at = [...path, 'policies', i];
    const type = text(policy.type) ?? '';
    if (type !== 'Pods' && type !== 'Percent') issues.push({ path: [...at, 'type'], message: `${type === '' ? 'is missing' : `is ${quote(type)}`}: write Pods or Percent` });
    const value = whole(policy.value) ?? 0;
    if (value <= 0) issues.push({ path: [...at, 'value'], message: `is ${value}: it must be more than 0` });
    const period = whole(policy.periodSeconds) ?? 0;
    if (period <= 0) issues.push({ path: [...at, 'periodSeconds'], message: `is ${period}: it must be more than 0` });
    if (period > MAX_PERIOD) issues.push({ path: [...at, 'periodSeconds'], message: `is ${period}: at most ${MAX_PERIOD} (30 minutes)` });
  });
  return issues;
}
