// A PodDisruptionBudget as policy validation checks it on create (Kubernetes 1.37).
import { isPercent } from './formats.js';
import { fields, type Fields, quote, text, type ValidationIssue } from './raw.js';
import { selectorIssues } from './selector.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

function amountIssues(spec: Fields, key: 'minAvailable' | 'maxUnavailable'): ValidationIssue[] {
  const v = spec[key];
  const path = ['spec', key];
  if (typeof v === 'number') return v < 0 ? [{ path, message: `is ${v}: it must not be negative` }] : [];
  if (typeof v !== 'string') return [];
  if (!isPercent(v)) return [{ path, message: /^-?[0-9]+$/.test(v) ? `is the string ${quote(v)}: a string must be a percentage such as "50%"; for a number of pods write it without quotes` : `is ${quote(v)}: write a number of pods, or a percentage such as "50%"` }];
  return Number(v.slice(0, -1)) > 100 ? [{ path, message: `is ${quote(v)}: it must not be more than 100%` }] : [];
}

export function podDisruptionBudgetIssues(object: unknown): ValidationIssue[] {
  const spec = fields(fields(object)?.spec) ?? {};
  const issues: ValidationIssue[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) issues.push({ path: ['spec'], message: 'has both minAvailable and maxUnavailable: a budget sets one of them' });
  issues.push(...amountIssues(spec, 'minAvailable'), ...amountIssues(spec, 'maxUnavailable'));
  const selector = fields(spec.selector);
  if (selector) issues.push(...selectorIssues(selector, ['spec', 'selector']));
  const policy = text(spec.unhealthyPodEvictionPolicy);
  if (policy !== undefined && !EVICTION_POLICIES.includes(policy)) issues.push({ path: ['spec', 'unhealthyPodEvictionPolicy'], message: `is ${quote(policy)}: write ${EVICTION_POLICIES.join(' or ')}` });
  return issues;
}
