// Where a pod may run, as core validation checks it (Kubernetes 1.37): tolerations, node and pod
// (anti-)affinity, topology spread constraints.
import { labelKey, labelValue } from './formats.js';
import { fields, type Fields, items, type Path, quote, text, type ValidationIssue, whole } from './raw.js';
import { selectorIssues } from './selector.js';

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];
const INCLUSION_POLICIES = ['Honor', 'Ignore'];

export function schedulingIssues(s: Fields, at: Path): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  items(s.tolerations).forEach((t, i) => tolerationIssues(fields(t) ?? {}, [...at, 'tolerations', i], issues));
  const affinity = fields(s.affinity);
  if (affinity) affinityIssues(affinity, [...at, 'affinity'], issues);
  spreadIssues(items(s.topologySpreadConstraints), [...at, 'topologySpreadConstraints'], issues);
  return issues;
}

function tolerationIssues(t: Fields, path: Path, issues: ValidationIssue[]): void {
  const key = text(t.key) ?? '';
  const operator = text(t.operator) ?? '';
  const value = text(t.value) ?? '';
  const effect = text(t.effect) ?? '';
  if (key !== '') {
    const bad = labelKey(key);
    if (bad) issues.push({ path: [...path, 'key'], message: `${quote(key)} ${bad}: a taint key is written as a label key` });
  } else if (operator !== 'Exists') {
    issues.push({ path: [...path, 'operator'], message: `is ${operator === '' ? 'Equal (the default)' : quote(operator)} with no key: without a key, write operator: Exists, which tolerates every taint` });
  }
  if (t.tolerationSeconds != null && effect !== 'NoExecute') {
    issues.push({ path: [...path, 'effect'], message: `is ${effect === '' ? 'empty' : quote(effect)}, but tolerationSeconds is set: tolerationSeconds is for effect: NoExecute only (how long the pod stays once the taint appears)` });
  }
  if (operator === 'Equal' || operator === '') {
    const bad = labelValue(value);
    if (bad) issues.push({ path: [...path, 'operator'], message: `the value ${quote(value)} ${bad}: a taint value is written as a label value` });
  } else if (operator === 'Exists') {
    if (value !== '') issues.push({ path: [...path, 'operator'], message: `is Exists with the value ${quote(value)}: Exists matches any value; remove value, or write operator: Equal` });
  } else {
    issues.push({ path: [...path, 'operator'], message: `is ${quote(operator)}: write Equal or Exists (with these capitals)` });
  }
  if (effect !== '' && !EFFECTS.includes(effect)) issues.push({ path: [...path, 'effect'], message: `is ${quote(effect)}: write one of ${EFFECTS.join(', ')}, or leave it out to match every effect` });
}

function affinityIssues(a: Fields, path: Path, issues: ValidationIssue[]): void {
  const node = fields(a.nodeAffinity);
  if (node) {
    const required = node.requiredDuringSchedulingIgnoredDuringExecution;
    if (required != null) {
      const terms = items(fields(required)?.nodeSelectorTerms);
      const at = [...path, 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'];
      if (terms.length === 0) issues.push({ path: at, message: 'is empty: a required node affinity needs at least one term (a node must match one of them)' });
      terms.forEach((term, i) => nodeTermIssues(fields(term) ?? {}, [...at, i], true, issues));
    }
    items(node.preferredDuringSchedulingIgnoredDuringExecution).forEach((p, i) => {
      const preferred = fields(p) ?? {};
      const at = [...path, 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', i];
      weightIssues(preferred, at, issues);
      // The API server lets a preferred term name a label value no node can have.
      nodeTermIssues(fields(preferred.preference) ?? {}, [...at, 'preference'], false, issues);
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pod = fields(a[kind]);
    if (!pod) continue;
    items(pod.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => podTermIssues(fields(term) ?? {}, [...path, kind, 'requiredDuringSchedulingIgnoredDuringExecution', i], issues));
    items(pod.preferredDuringSchedulingIgnoredDuringExecution).forEach((p, i) => {
      const weighted = fields(p) ?? {};
      const at = [...path, kind, 'preferredDuringSchedulingIgnoredDuringExecution', i];
      weightIssues(weighted, at, issues);
      podTermIssues(fields(weighted.podAffinityTerm) ?? {}, [...at, 'podAffinityTerm'], issues);
    });
  }
}

function weightIssues(term: Fields, path: Path, issues: ValidationIssue[]): void {
  const weight = whole(term.weight) ?? 0;
  if (weight < 1 || weight > 100) issues.push({ path: [...path, 'weight'], message: `is ${weight}: a preference weighs 1 to 100` });
}

function nodeTermIssues(term: Fields, path: Path, checkValues: boolean, issues: ValidationIssue[]): void {
  items(term.matchExpressions).forEach((e, i) => {
    const expr = fields(e) ?? {};
    const at = [...path, 'matchExpressions', i];
    const operator = text(expr.operator) ?? '';
    const values = items(expr.values);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) issues.push({ path: [...at, 'values'], message: `is empty: ${operator} needs at least one value` });
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) issues.push({ path: [...at, 'values'], message: `must be left out for ${operator}` });
    } else if (operator === 'Gt' || operator === 'Lt') {
      if (values.length !== 1) issues.push({ path: [...at, 'values'], message: `has ${values.length} values: ${operator} compares with exactly one (a whole number)` });
    } else {
      issues.push({ path: [...at, 'operator'], message: `is ${quote(operator)}: write one of ${NODE_OPERATORS.join(', ')} (with these capitals)` });
    }
    const key = text(expr.key) ?? '';
    const badKey = labelKey(key);
    if (badKey) issues.push({ path: [...at, 'key'], message: `${quote(key)} ${badKey}` });
    if (checkValues) {
      values.forEach((v, j) => {
        const bad = labelValue(text(v) ?? '');
        if (bad) issues.push({ path: [...at, 'values', j], message: `${quote(text(v) ?? '')} ${bad}: no node label can have it` });
      });
    }
  });
  items(term.matchFields).forEach((f, i) => {
    const field = fields(f) ?? {};
    const at = [...path, 'matchFields', i];
    const operator = text(field.operator) ?? '';
    if (operator !== 'In' && operator !== 'NotIn') issues.push({ path: [...at, 'operator'], message: `is ${quote(operator)}: a field selector takes In or NotIn` });
    else if (items(field.values).length !== 1) issues.push({ path: [...at, 'values'], message: `must hold exactly one node name for ${operator}` });
    if (text(field.key) !== 'metadata.name') issues.push({ path: [...at, 'key'], message: `is ${quote(text(field.key) ?? '')}: the only field a node is selected by is metadata.name` });
  });
}

function podTermIssues(term: Fields, path: Path, issues: ValidationIssue[]): void {
  for (const selector of ['labelSelector', 'namespaceSelector'] as const) {
    const s = fields(term[selector]);
    if (s) issues.push(...selectorIssues(s, [...path, selector]));
  }
  const key = text(term.topologyKey) ?? '';
  if (key === '') issues.push({ path: [...path, 'topologyKey'], message: 'is missing: name the node label that groups nodes, such as kubernetes.io/hostname (one per node) or topology.kubernetes.io/zone' });
  else {
    const bad = labelKey(key);
    if (bad) issues.push({ path: [...path, 'topologyKey'], message: `${quote(key)} ${bad}` });
  }
}

function spreadIssues(constraints: readonly unknown[], path: Path, issues: ValidationIssue[]): void {
  const seen = new Map<string, number>();
  constraints.forEach((c, i) => {
    const constraint = fields(c) ?? {};
    const at = [...path, i];
    const skew = whole(constraint.maxSkew) ?? 0;
    if (skew <= 0) issues.push({ path: [...at, 'maxSkew'], message: `is ${skew}: it must be at least 1 (how many more pods one domain may hold than another)` });
    const key = text(constraint.topologyKey) ?? '';
    if (key === '') issues.push({ path: [...at, 'topologyKey'], message: 'is missing: name the node label to spread over, such as topology.kubernetes.io/zone' });
    const when = text(constraint.whenUnsatisfiable) ?? '';
    if (!WHEN_UNSATISFIABLE.includes(when)) issues.push({ path: [...at, 'whenUnsatisfiable'], message: `${when === '' ? 'is missing' : `is ${quote(when)}`}: write DoNotSchedule or ScheduleAnyway` });
    const pair = `${key}\u0000${when}`;
    const first = seen.get(pair);
    if (first !== undefined) issues.push({ path: [...at, '{topologyKey, whenUnsatisfiable}'], message: `repeats constraint ${first} (topologyKey ${quote(key)}, whenUnsatisfiable ${when}): merge them into one` });
    else seen.set(pair, i);
    const minDomains = whole(constraint.minDomains);
    if (minDomains !== undefined) {
      if (minDomains <= 0) issues.push({ path: [...at, 'minDomains'], message: `is ${minDomains}: it must be at least 1` });
      if (when !== 'DoNotSchedule') issues.push({ path: [...at, 'minDomains'], message: `is set with whenUnsatisfiable: ${when}: minDomains works only with DoNotSchedule` });
    }
    for (const policy of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const v = text(constraint[policy]);
      if (v !== undefined && !INCLUSION_POLICIES.includes(v)) issues.push({ path: [...at, policy], message: `is ${quote(v)}: write Honor or Ignore` });
    }
    const selector = fields(constraint.labelSelector);
    if (selector) issues.push(...selectorIssues(selector, [...at, 'labelSelector']));
  });
}
