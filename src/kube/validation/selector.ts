// A label selector (a Deployment's, a PodDisruptionBudget's, a pod affinity term's) as
// ValidateLabelSelector checks it (Kubernetes 1.37).
import { labelIssues } from './metadata.js';
import { fields, type Fields, items, type Path, quote, text, type ValidationIssue } from './raw.js';

export const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A label selector's labels and expressions (a Deployment's, a PodDisruptionBudget's). */
export function selectorIssues(selector: Fields, at: Path = ['spec', 'selector']): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  issues.push(...labelIssues(selector.matchLabels, [...at, 'matchLabels']));
  items(selector.matchExpressions).forEach((e, i) => {
    const expr = fields(e);
    const path = [...at, 'matchExpressions', i];
    const operator = text(expr?.operator) ?? '';
    const values = items(expr?.values);
    if (!OPERATORS.includes(operator)) issues.push({ path: [...path, 'operator'], message: `is ${quote(operator)}: write one of In, NotIn, Exists, DoesNotExist` });
    else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) issues.push({ path: [...path, 'values'], message: `is empty: ${operator} needs at least one value` });
    else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) issues.push({ path: [...path, 'values'], message: `must be left out for ${operator}` });
  });
  return issues;
}

