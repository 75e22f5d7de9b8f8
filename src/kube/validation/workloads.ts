// Workloads as apps and batch validation check them (Kubernetes 1.37): where each kind keeps its
// pod template, the restart policy its pods may have, and a Deployment's own rules (selector,
// strategy, replicas).
import { annotationIssues, labelIssues } from './metadata.js';
import { podSpecIssues } from './pod-spec.js';
import { selectorIssues, selectsLabels } from './selector.js';
import { SPEC_RULES } from './workload-specs.js';
import { fields, type Fields, intOrPercent, items, nonNegative, type Path, quote, stringMap, text, type ValidationIssue, whole } from './raw.js';

/** Where the pod template is, and the restart policies its pods may have (undefined: any). */
const TEMPLATES: Readonly<Record<string, { template: Path; restart: readonly string[] | undefined }>> = {
  Deployment: { template: ['spec', 'template'], restart: ['Always'] },
  ReplicaSet: { template: ['spec', 'template'], restart: ['Always'] },
  DaemonSet: { template: ['spec', 'template'], restart: ['Always'] },
  StatefulSet: { template: ['spec', 'template'], restart: ['Always'] },
  Job: { template: ['spec', 'template'], restart: ['OnFailure', 'Never'] },
  CronJob: { template: ['spec', 'jobTemplate', 'spec', 'template'], restart: ['OnFailure', 'Never'] },
};

const at = (value: unknown, path: Path): unknown => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | null | undefined)?.[k], value);

/** The pod spec of a Pod or of a workload's template, with its place and its own rules. */
export function workloadIssues(kind: string, object: unknown): ValidationIssue[] {
  if (kind === 'Pod') return podSpecIssues(at(object, ['spec']), ['spec']);
  const where = TEMPLATES[kind];
  if (!where) return [];
  const template = fields(at(object, where.template));
  const issues: ValidationIssue[] = [];
  if (template) {
    const meta = fields(template.metadata);
    issues.push(...labelIssues(meta?.labels, [...where.template, 'metadata', 'labels']), ...annotationIssues(meta?.annotations, [...where.template, 'metadata', 'annotations']));
    // A StatefulSet's pods also get a volume per claim template, under the template's name.
    const claimed = kind === 'StatefulSet' ? items(at(object, ['spec', 'volumeClaimTemplates'])).map((t) => text(fields(fields(t)?.metadata)?.name) ?? '') : [];
    issues.push(...podSpecIssues(template.spec, [...where.template, 'spec'], claimed));
    issues.push(...restartIssues(kind, fields(template.spec), [...where.template, 'spec', 'restartPolicy'], where.restart));
  }
  const spec = fields(at(object, ['spec'])) ?? {};
  if (kind === 'Deployment') issues.push(...deploymentIssues(spec));
  if (kind === 'ReplicaSet' || kind === 'StatefulSet' || kind === 'DaemonSet') issues.push(...selectorMatchIssues(kind, spec));
  issues.push(...(SPEC_RULES[kind]?.(spec, text(fields(at(object, ['metadata']))?.name) ?? '') ?? []));
  return issues;
}

function restartIssues(kind: string, spec: Fields | undefined, path: Path, allowed: readonly string[] | undefined): ValidationIssue[] {
  if (!allowed) return [];
  const policy = text(spec?.restartPolicy) ?? '';
  if (policy === '' && allowed.includes('Always')) return []; // the default
  if (allowed.includes(policy)) return [];
  const what = policy === '' ? 'is missing' : `is ${quote(policy)}`;
  const why = allowed.includes('Always') ? `a ${kind} restarts its pods' containers always` : `a ${kind}'s pods run to completion, so they are not restarted always`;
  return [{ path, message: `${what}: ${why}; write ${allowed.map((p) => `restartPolicy: ${p}`).join(' or ')}` }];
}

/**
 * The selector a Deployment, ReplicaSet, StatefulSet or DaemonSet manages its pods by, and
 * whether it selects its own template's labels.
 */
export function selectorMatchIssues(kind: string, spec: Fields): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const selector = fields(spec.selector);
  const template = fields(fields(spec.template)?.metadata);
  const labels = new Map(stringMap(template?.labels));
  if (!selector) {
    const fix = labels.size > 0 ? `to select this template's pods: selector: {matchLabels: {${[...labels].map(([k, v]) => `${k}: ${v}`).join(', ')}}}` : 'add spec.selector.matchLabels and the same labels under spec.template.metadata.labels (a kustomize base gets them from its labels: check what kustomize build renders)';
    issues.push({ path: ['spec', 'selector'], message: `is missing: apps/v1 requires a ${kind} to select its pods by label (extensions/v1beta1 took them from the template); ${fix}` });
  } else {
    issues.push(...selectorIssues(selector));
    if (stringMap(selector.matchLabels).length + items(selector.matchExpressions).length === 0) {
      issues.push({ path: ['spec', 'selector'], message: `is empty: a ${kind} must select its pods by at least one label` });
    } else if (!selectsLabels(selector, Object.fromEntries(labels))) {
      issues.push({ path: ['spec', 'template', 'metadata', 'labels'], message: `do not match spec.selector, so the ${kind} would not manage its own pods (\`selector\` does not match template \`labels\`); give the template every label of selector.matchLabels` });
    }
  }

  return issues;
}

function deploymentIssues(spec: Fields): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  nonNegative(spec, ['replicas'], ['spec'], issues);

  issues.push(...selectorMatchIssues('Deployment', spec));

  const strategy = fields(spec.strategy);
  const type = text(strategy?.type) || 'RollingUpdate';
  const rolling = fields(strategy?.rollingUpdate);
  if (type === 'Recreate' && rolling) issues.push({ path: ['spec', 'strategy', 'rollingUpdate'], message: 'is given with type: Recreate, which replaces all pods at once; remove rollingUpdate, or write type: RollingUpdate' });
  else if (type !== 'Recreate' && type !== 'RollingUpdate') issues.push({ path: ['spec', 'strategy', 'type'], message: `is ${quote(type)}: write RollingUpdate or Recreate` });
  else if (type === 'RollingUpdate') issues.push(...rollingUpdateIssues(rolling));

  nonNegative(spec, ['minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds'], ['spec'], issues);
  const minReady = whole(spec.minReadySeconds) ?? 0;
  const deadline = whole(spec.progressDeadlineSeconds);
  if (deadline !== undefined && deadline >= 0 && deadline <= minReady) {
    issues.push({ path: ['spec', 'progressDeadlineSeconds'], message: `is ${deadline}, not more than minReadySeconds (${minReady}): progressDeadlineSeconds must be greater than minReadySeconds` });
  } else if (deadline === undefined && minReady >= 600) {
    issues.push({ path: ['spec', 'minReadySeconds'], message: `is ${minReady}, not less than the default progressDeadlineSeconds of 600: set progressDeadlineSeconds greater than minReadySeconds` });
  }
  return issues;
}

/** Defaults: 25% each. Both 0 would let no pod be replaced. */
function rollingUpdateIssues(rolling: Fields | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const path = ['spec', 'strategy', 'rollingUpdate'];
  // Only maxUnavailable is held to 100% (ValidateRollingUpdateDeployment).
  const amount = (key: 'maxSurge' | 'maxUnavailable'): number | undefined =>
    rolling?.[key] == null ? 25 : intOrPercent(rolling[key], [...path, key], issues, '25%', key === 'maxUnavailable');
  const surge = amount('maxSurge');
  const unavailable = amount('maxUnavailable');
  if (surge === 0 && unavailable === 0) issues.push({ path: [...path, 'maxUnavailable'], message: 'is 0 and so is maxSurge: no pod could ever be replaced; let one of them be at least 1' });
  return issues;
}
