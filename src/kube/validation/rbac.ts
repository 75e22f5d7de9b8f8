// RBAC roles and bindings as rbac validation checks them on create (Kubernetes 1.37), after the
// defaults (a binding's roleRef.apiGroup and a User or Group subject's apiGroup are
// rbac.authorization.k8s.io when left out).
import { dns1123Subdomain, pathSegmentName } from './formats.js';
import { fields, type Fields, items, type Path, quote, text, type ValidationIssue } from './raw.js';
import { selectorIssues } from './selector.js';

const GROUP = 'rbac.authorization.k8s.io';

function ruleIssues(rule: Fields, path: Path, namespaced: boolean, issues: ValidationIssue[]): void {
  if (items(rule.verbs).length === 0) issues.push({ path: [...path, 'verbs'], message: 'is empty: list what the rule allows, such as get, list and watch' });
  if (items(rule.nonResourceURLs).length > 0) {
    if (namespaced) issues.push({ path: [...path, 'nonResourceURLs'], message: 'is set in a Role: URLs such as /healthz are not in a namespace; put this rule in a ClusterRole' });
    if (items(rule.apiGroups).length > 0 || items(rule.resources).length > 0 || items(rule.resourceNames).length > 0) issues.push({ path: [...path, 'nonResourceURLs'], message: 'is set beside apiGroups, resources or resourceNames: a rule is about URLs or about resources; split it in two' });
    return;
  }
  if (items(rule.apiGroups).length === 0) issues.push({ path: [...path, 'apiGroups'], message: 'is empty: name the API groups, "" for the core group (pods, configmaps)' });
  if (items(rule.resources).length === 0) issues.push({ path: [...path, 'resources'], message: 'is empty: name the resources the rule is about, such as pods' });
}

export function roleIssues(kind: 'Role' | 'ClusterRole', object: unknown): ValidationIssue[] {
  const o = fields(object) ?? {};
  const issues: ValidationIssue[] = [];
  items(o.rules).forEach((r, i) => ruleIssues(fields(r) ?? {}, ['rules', i], kind === 'Role', issues));
  const aggregation = kind === 'ClusterRole' && o.aggregationRule != null ? fields(o.aggregationRule) ?? {} : undefined;
  if (aggregation) {
    const selectors = items(aggregation.clusterRoleSelectors);
    if (selectors.length === 0) issues.push({ path: ['aggregationRule', 'clusterRoleSelectors'], message: 'is empty: an aggregated ClusterRole gathers the rules of the ClusterRoles these selectors select; add one' });
    selectors.forEach((s, i) => issues.push(...selectorIssues(fields(s) ?? {}, ['aggregationRule', 'clusterRoleSelectors', i])));
  }
  return issues;
}

export function bindingIssues(kind: 'RoleBinding' | 'ClusterRoleBinding', object: unknown): ValidationIssue[] {
  const o = fields(object) ?? {};
  const issues: ValidationIssue[] = [];
  const ref = fields(o.roleRef) ?? {};
  const group = text(ref.apiGroup) || GROUP;
  if (group !== GROUP) issues.push({ path: ['roleRef', 'apiGroup'], message: `is ${quote(group)}: write ${GROUP}` });
  const refKind = text(ref.kind) ?? '';
  const kinds = kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(refKind)) issues.push({ path: ['roleRef', 'kind'], message: `is ${quote(refKind)}: a ${kind} refers to a ${kinds.join(' or a ')} (with these capitals)` });
  const name = text(ref.name) ?? '';
  const badName = name === '' ? 'is missing: name the role to grant' : pathSegmentName(name);
  if (badName) issues.push({ path: ['roleRef', 'name'], message: name === '' ? badName : `${quote(name)} ${badName}` });
  items(o.subjects).forEach((s, i) => {
    const subject = fields(s) ?? {};
    const path = ['subjects', i];
    const subjectName = text(subject.name) ?? '';
    if (subjectName === '') issues.push({ path: [...path, 'name'], message: 'is missing: name the user, group or ServiceAccount' });
    const subjectKind = text(subject.kind) ?? '';
    const apiGroup = text(subject.apiGroup) ?? '';
    if (subjectKind === 'ServiceAccount') {
      const bad = subjectName === '' ? undefined : dns1123Subdomain(subjectName);
      if (bad) issues.push({ path: [...path, 'name'], message: `${quote(subjectName)} ${bad}: it names a ServiceAccount` });
      if (apiGroup !== '') issues.push({ path: [...path, 'apiGroup'], message: `is ${quote(apiGroup)}: a ServiceAccount subject has apiGroup "" (leave it out)` });
      if (kind === 'ClusterRoleBinding' && (text(subject.namespace) ?? '') === '') issues.push({ path: [...path, 'namespace'], message: 'is missing: a ServiceAccount subject of a ClusterRoleBinding names its namespace' });
    } else if (subjectKind === 'User' || subjectKind === 'Group') {
      if (apiGroup !== '' && apiGroup !== GROUP) issues.push({ path: [...path, 'apiGroup'], message: `is ${quote(apiGroup)}: a ${subjectKind} subject has apiGroup ${GROUP} (or leave it out)` });
    } else {
      issues.push({ path: [...path, 'kind'], message: `is ${quote(subjectKind)}: write ServiceAccount, User or Group (with these capitals)` });
    }
  });
  return issues;
}
