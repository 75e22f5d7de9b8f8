// A label selector (a Deployment's, a PodDisruptionBudget's, a pod affinity term's) as
// ValidateLabelSelector checks it (Kubernetes 1.37).
import { matchesSelector } from '../../engine/selector.js';
import { labelKey, labelValue } from './formats.js';
import { labelIssues } from './metadata.js';
import { fields, type Fields, items, type Path, quote, stringMap, text, type ValidationIssue } from './raw.js';

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
    const key = text(expr?.key) ?? '';
    const badKey = labelKey(key);
    if (badKey) issues.push({ path: [...path, 'key'], message: `${quote(key)} ${badKey}` });
    if (!OPERATORS.includes(operator)) issues.push({ path: [...path, 'operator'], message: `is ${quote(operator)}: write one of In, NotIn, Exists, DoesNotExist` });
    else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) issues.push({ path: [...path, 'values'], message: `is empty: ${operator} needs at least one value` });
    else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) issues.push({ path: [...path, 'values'], message: `must be left out for ${operator}` });
    values.forEach((v, j) => {
      const bad = labelValue(text(v) ?? '');
      if (bad) issues.push({ path: [...path, 'values', j], message: `${quote(text(v) ?? '')} ${bad}: no label can have it` });
    });
  });
  return issues;
}

/**
 * Whether a selector as written selects these labels (the engine's matchesSelector). A selector
 * with an unknown operator selects nothing to compare: selectorIssues refuses the operator, and the
 * API server does not validate the template against a selector it cannot build.
 */
export function selectsLabels(selector: Fields, labels: Readonly<Record<string, string>>): boolean {
  const matchExpressions = items(selector.matchExpressions).map((e) => {
    const expr = fields(e);
    return { key: text(expr?.key) ?? '', operator: text(expr?.operator) ?? '', values: items(expr?.values).map((v) => (typeof v === 'string' ? v : '')) };
  });
  if (matchExpressions.some((e) => !OPERATORS.includes(e.operator))) return true;
  return matchesSelector({ matchLabels: Object.fromEntries(stringMap(selector.matchLabels)), matchExpressions }, labels);
}

