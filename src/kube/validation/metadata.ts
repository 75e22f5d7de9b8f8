// metadata (and a pod template's metadata) as ValidateObjectMeta and ValidateLabels check them.
import { dns1123Label, dns1123Subdomain, labelKey, labelValue, suggestName } from './formats.js';
import { fields, type Path, quote, stringMap, text, type ValidationIssue } from './raw.js';

/** How each kind's name is validated (apps and core validation, Kubernetes 1.37); kinds not listed are not checked. */
const NAME_RULES: Readonly<Record<string, { check: (v: string) => string | undefined; what: string; max: number }>> = {
  // RelaxedServiceNameValidation (on by default in 1.37): a DNS-1123 label, so `1web` is accepted.
  Service: { check: dns1123Label, what: 'a DNS-1123 label: lower-case letters, digits and "-", at most 63 characters', max: 63 },
  Namespace: { check: dns1123Label, what: 'a DNS-1123 label: lower-case letters, digits and "-", at most 63 characters', max: 63 },
};
const SUBDOMAIN = { check: dns1123Subdomain, what: 'a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", at most 253 characters', max: 253 };
for (const kind of ['Deployment', 'ReplicaSet', 'DaemonSet', 'Pod', 'ConfigMap', 'Secret', 'LimitRange', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'CronJob', 'NetworkPolicy', 'PersistentVolumeClaim', 'ResourceQuota', 'ServiceAccount']) {
  (NAME_RULES as Record<string, typeof SUBDOMAIN>)[kind] = SUBDOMAIN;
}

/** The most an object's annotations may hold together, keys and values (apimachinery TotalAnnotationSizeLimitB): 256 KiB. */
export const ANNOTATIONS_LIMIT = 256 * 1024;

/** The bytes annotations hold together, as the API server counts them: keys and values in UTF-8. */
export function annotationBytes(annotations: unknown): number {
  let n = 0;
  for (const [key, value] of stringMap(annotations)) n += Buffer.byteLength(key) + Buffer.byteLength(value);
  return n;
}

export function metadataIssues(kind: string, metadata: unknown): ValidationIssue[] {
  const m = fields(metadata);
  const issues: ValidationIssue[] = [];
  const name = text(m?.name);
  const rule = NAME_RULES[kind];
  if (rule && name !== undefined && name !== '') {
    const bad = rule.check(name);
    if (bad) {
      const better = suggestName(name, rule.max);
      issues.push({ path: ['metadata', 'name'], message: `${quote(name)} ${bad}: a ${kind}'s name must be ${rule.what}${better ? `; e.g. ${better}` : ''}` });
    }
  }
  issues.push(...labelIssues(m?.labels, ['metadata', 'labels']), ...annotationIssues(m?.annotations, ['metadata', 'annotations']));
  return issues;
}

/** Labels: each key and value in its format. */
export function labelIssues(labels: unknown, path: Path): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [key, value] of stringMap(labels)) {
    const badKey = labelKey(key);
    if (badKey) issues.push({ path: [...path, key], message: `the label key ${quote(key)} ${badKey}` });
    const badValue = labelValue(value);
    if (badValue) issues.push({ path: [...path, key], message: `the label value ${quote(value)} ${badValue}${valueHint(value)}` });
  }
  return issues;
}

/** `1.2.3+build` -> `1.2.3_build`: what a label value can carry instead. */
function valueHint(value: string): string {
  const fixed = value.replace(/[^-A-Za-z0-9_.]/g, '_').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63).replace(/[^A-Za-z0-9]+$/, '');
  return fixed !== value && fixed !== '' ? `; e.g. ${quote(fixed)}, or put the value in an annotation, which may hold any text` : '; put it in an annotation, which may hold any text';
}

/** Annotations: keys as label keys but for case; all of them together at most 256 KiB. */
export function annotationIssues(annotations: unknown, path: Path): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [key] of stringMap(annotations)) {
    const bad = labelKey(key.toLowerCase());
    if (bad) issues.push({ path: [...path, key], message: `the annotation key ${quote(key)} ${bad}` });
  }
  const size = annotationBytes(annotations);
  if (size > ANNOTATIONS_LIMIT) {
    issues.push({ path, message: `hold ${size} bytes together, more than the ${ANNOTATIONS_LIMIT} (256 KiB) the API server allows; move large values into a ConfigMap` });
  }
  return issues;
}
