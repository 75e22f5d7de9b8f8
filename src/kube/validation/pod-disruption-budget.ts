// A PodDisruptionBudget as policy validation checks it on create (Kubernetes 1.37).
import { fields, intOrPercent, quote, text, type ValidationIssue } from './raw.js';
import { selectorIssues } from './selector.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

export function podDisruptionBudgetIssues(object: unknown): ValidationIssue[] {
  const spec = fields(fields(object)?.spec) ?? {};
  const issues: ValidationIssue[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) issues.push({ path: ['spec'], message: 'has both minAvailable and maxUnavailable: a budget sets one of them' });
  for (const key of ['minAvailable', 'maxUnavailable'] as const) intOrPercent(spec[key], ['spec', key], issues, '50%', true);
  const selector = fields(spec.selector);
  if (selector) issues.push(...selectorIssues(selector, ['spec', 'selector']));
  const policy = text(spec.unhealthyPodEvictionPolicy);
  if (policy !== undefined && !EVICTION_POLICIES.includes(policy)) issues.push({ path: ['spec', 'unhealthyPodEvictionPolicy'], message: `is ${quote(policy)}: write ${EVICTION_POLICIES.join(' or ')}` });
  return issues;
}
