// The own fields of a StatefulSet, DaemonSet, ReplicaSet, Job and CronJob's Job template, as apps
// and batch validation check them on create (Kubernetes 1.37), after the API server's defaults
// (a DaemonSet's rolling update: maxUnavailable 1, maxSurge 0). Their pod templates and selectors
// are workloads.ts's.
import { claimSpecIssues } from './claim.js';
import { dns1123Label } from './formats.js';
import { selectsLabels } from './selector.js';
import { fields, type Fields, intOrPercent, items, nonNegative, type Path, quote, text, type ValidationIssue } from './raw.js';

function statefulSetIssues(spec: Fields): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const policy = text(spec.podManagementPolicy);
  if (policy !== undefined && policy !== '' && policy !== 'OrderedReady' && policy !== 'Parallel') issues.push({ path: ['spec', 'podManagementPolicy'], message: `is ${quote(policy)}: write OrderedReady or Parallel` });
  const strategy = fields(spec.updateStrategy);
  // "" is defaulted too
  const type = text(strategy?.type) || 'RollingUpdate';
  const rolling = strategy?.rollingUpdate == null ? undefined : fields(strategy.rollingUpdate) ?? {};
  const at = ['spec', 'updateStrategy'];
  if (type === 'OnDelete') {
    if (rolling) issues.push({ path: [...at, 'rollingUpdate'], message: 'is given with type: OnDelete: remove it, or write type: RollingUpdate' });
  } else if (type === 'RollingUpdate') {
    if (rolling) {
      nonNegative(rolling, ['partition'], [...at, 'rollingUpdate'], issues);
      if (rolling.maxUnavailable != null && intOrPercent(rolling.maxUnavailable, [...at, 'rollingUpdate', 'maxUnavailable'], issues, '25%', true) === 0) {
        issues.push({ path: [...at, 'rollingUpdate', 'maxUnavailable'], message: 'is 0: no pod could be updated; leave it out (1) or raise it' });
      }
    }
  } else issues.push({ path: [...at, 'type'], message: `is ${quote(type)}: write RollingUpdate or OnDelete` });
  const retention = fields(spec.persistentVolumeClaimRetentionPolicy);
  for (const key of ['whenDeleted', 'whenScaled'] as const) {
    const v = text(retention?.[key]);
    if (v !== undefined && v !== '' && v !== 'Retain' && v !== 'Delete') issues.push({ path: ['spec', 'persistentVolumeClaimRetentionPolicy', key], message: `is ${quote(v)}: write Retain or Delete` });
  }
  nonNegative(spec, ['replicas', 'minReadySeconds'], ['spec'], issues);
  const service = text(spec.serviceName) ?? '';
  const bad = service === '' ? undefined : dns1123Label(service);
  if (bad) issues.push({ path: ['spec', 'serviceName'], message: `${quote(service)} ${bad}: it names the headless Service that gives the pods their DNS names` });
  items(spec.volumeClaimTemplates).forEach((t, i) => issues.push(...claimSpecIssues(fields(fields(t)?.spec) ?? {}, ['spec', 'volumeClaimTemplates', i, 'spec'])));
  return issues;
}

function daemonSetIssues(spec: Fields): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (fields(fields(spec.template)?.spec)?.activeDeadlineSeconds != null) {
    issues.push({ path: ['spec', 'template', 'spec', 'activeDeadlineSeconds'], message: 'is set: a DaemonSet\'s pods run for as long as their node, so they take no deadline; remove it' });
  }
  nonNegative(spec, ['minReadySeconds', 'revisionHistoryLimit'], ['spec'], issues);
  const strategy = fields(spec.updateStrategy);
  const type = text(strategy?.type) || 'RollingUpdate';
  const at = ['spec', 'updateStrategy'];
  if (type === 'RollingUpdate') {
    const rolling = fields(strategy?.rollingUpdate) ?? {};
    const r = [...at, 'rollingUpdate'];
    const unavailable = rolling.maxUnavailable == null ? 1 : intOrPercent(rolling.maxUnavailable, [...r, 'maxUnavailable'], issues, '25%', true);
    const surge = rolling.maxSurge == null ? 0 : intOrPercent(rolling.maxSurge, [...r, 'maxSurge'], issues, '25%', true);
    if (unavailable !== undefined && surge !== undefined) {
      if (unavailable !== 0 && surge !== 0) {
        issues.push({ path: [...r, 'maxSurge'], message: `is ${String(rolling.maxSurge)} while maxUnavailable is ${rolling.maxUnavailable == null ? '1 (the default)' : String(rolling.maxUnavailable)}: a DaemonSet either surges or takes pods down; with maxSurge, set maxUnavailable: 0` });
      } else if (unavailable === 0 && surge === 0) {
        issues.push({ path: [...r, 'maxUnavailable'], message: 'is 0 and so is maxSurge: no pod could ever be replaced; let one of them be at least 1' });
      }
    }
  } else if (type !== 'OnDelete') issues.push({ path: [...at, 'type'], message: `is ${quote(type)}: write RollingUpdate or OnDelete` });
  return issues;
}

function replicaSetIssues(spec: Fields): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  nonNegative(spec, ['replicas', 'minReadySeconds'], ['spec'], issues);
  return issues;
}

/**
 * A Job's spec (a Job's, or a CronJob's Job template's at `at`). `defaulted`: a Job's own spec,
 * which gets completions 1 when neither completions nor parallelism is given (not a template's).
 */
function jobSpecIssues(spec: Fields, at: Path, defaulted: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  nonNegative(spec, ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'], at, issues);
  const mode = text(spec.completionMode);
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') issues.push({ path: [...at, 'completionMode'], message: `is ${quote(mode)}: write NonIndexed or Indexed` });
  if (mode === 'Indexed' && spec.completions == null && !(defaulted && spec.parallelism == null)) issues.push({ path: [...at, 'completions'], message: 'is missing: an Indexed Job runs one pod per index, 0 to completions - 1' });
  if (mode !== 'Indexed') {
    for (const key of ['backoffLimitPerIndex', 'maxFailedIndexes'] as const) {
      if (spec[key] != null) issues.push({ path: [...at, key], message: 'is for completionMode: Indexed only' });
    }
  }
  if (spec.maxFailedIndexes != null && spec.backoffLimitPerIndex == null) issues.push({ path: [...at, 'backoffLimitPerIndex'], message: 'is missing: maxFailedIndexes counts indexes that used up backoffLimitPerIndex; set it too' });
  return issues;
}

/** The labels the API server gives a Job's pods; its uid is not known before it exists. */
const jobLabels = (name: string): Record<string, string> => ({
  'controller-uid': UNKNOWN_UID,
  'batch.kubernetes.io/controller-uid': UNKNOWN_UID,
  'job-name': name,
  'batch.kubernetes.io/job-name': name,
});
const UNKNOWN_UID = '\u0000uid assigned at creation';

function jobIssues(spec: Fields, name: string): ValidationIssue[] {
  const issues = jobSpecIssues(spec, ['spec'], true);
  // The API server adds the Job's uid to its selector; a selector written by hand must still
  // select the labels it gives the Job's pods, unless manualSelector says it is the author's.
  if (spec.manualSelector === true) return issues;
  const selector = fields(spec.selector);
  if (selector && !selectsLabels(selector, jobLabels(name))) {
    issues.push({ path: ['spec', 'selector'], message: 'does not select the labels Kubernetes gives a Job\'s pods (`selector` not auto-generated); remove selector, or set manualSelector: true and label the template to match' });
  }
  // Kubernetes adds these labels to the template only where it has none of that key, then requires
  // its own values: a template that sets one to anything else is refused.
  const labels = fields(fields(fields(spec.template)?.metadata)?.labels) ?? {};
  for (const [key, expected] of Object.entries(jobLabels(name))) {
    if (!(key in labels) || labels[key] === expected) continue;
    const path = ['spec', 'template', 'metadata', 'labels', key];
    issues.push(
      expected === UNKNOWN_UID
        ? { path, message: 'is set: Kubernetes sets it to the Job\'s uid, assigned at creation; remove it from the template' }
        : { path, message: `is ${quote(text(labels[key]) ?? '')}: Kubernetes sets it to the Job's name, ${quote(name)}; remove it from the template` },
    );
  }
  return issues;
}

/** A CronJob's Job template: its selector is always generated. */
function cronJobTemplateIssues(spec: Fields): ValidationIssue[] {
  const job = fields(fields(spec.jobTemplate)?.spec) ?? {};
  const at = ['spec', 'jobTemplate', 'spec'];
  const issues = jobSpecIssues(job, at, false);
  if (job.selector != null) issues.push({ path: [...at, 'selector'], message: 'is set: Kubernetes generates the selector of each Job a CronJob starts; remove it' });
  if (job.manualSelector === true) issues.push({ path: [...at, 'manualSelector'], message: 'is true: a CronJob\'s Jobs always get a generated selector; remove it' });
  return issues;
}

/** The rules of each kind's spec beyond its pod template and selector (`name`: the object's). */
export const SPEC_RULES: Readonly<Record<string, (spec: Fields, name: string) => ValidationIssue[]>> = {
  StatefulSet: statefulSetIssues,
  DaemonSet: daemonSetIssues,
  ReplicaSet: replicaSetIssues,
  Job: jobIssues,
  CronJob: cronJobTemplateIssues,
};
