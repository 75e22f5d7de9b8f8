// What the API server's validation refuses with 422 Invalid after it has decoded an object: the
// mistakes manifests make in the kinds Rollsafe knows (a selector that does not match the pod
// template, a request above its limit, a mount of a volume the pod does not declare, a port name
// of 16 characters), so `rollsafe check` fails where `kubectl apply` would. Pure. Run only on
// an object that decodes (src/kube/structure.ts found nothing): the API server validates nothing
// it cannot decode. Not every rule of Kubernetes: a rule here refuses only what 1.37 refuses
// (test/fixtures/kube-schema records each against a real API server).
import { persistentVolumeClaimIssues } from './claim.js';
import { configMapIssues } from './config-map.js';
import { networkPolicyIssues } from './network-policy.js';
import { limitRangeIssues, resourceQuotaIssues } from './quota.js';
import { bindingIssues, roleIssues } from './rbac.js';
import { cronJobIssues } from './cron-job.js';
import { hpaIssues } from './hpa.js';
import { ingressIssues } from './ingress.js';
import { podDisruptionBudgetIssues } from './pod-disruption-budget.js';
import { secretIssues } from './secret.js';
import { metadataIssues } from './metadata.js';
import { serviceIssues } from './service.js';
import { workloadIssues } from './workloads.js';
import type { ValidationIssue } from './raw.js';

export type { ValidationIssue } from './raw.js';

/** The GA apiVersion of each kind validated here; another version is left alone. */
const VERSIONS: Readonly<Record<string, string>> = {
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Pod: 'v1',
  Service: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Namespace: 'v1',
  LimitRange: 'v1',
  Ingress: 'networking.k8s.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  PersistentVolumeClaim: 'v1',
  ResourceQuota: 'v1',
  ServiceAccount: 'v1',
};

/** The rules of each kind beyond its metadata and pod template. */
const KIND_RULES: Readonly<Record<string, (object: unknown) => ValidationIssue[]>> = {
  Service: serviceIssues,
  ConfigMap: configMapIssues,
  Secret: secretIssues,
  CronJob: cronJobIssues,
  Ingress: ingressIssues,
  HorizontalPodAutoscaler: hpaIssues,
  PodDisruptionBudget: podDisruptionBudgetIssues,
  NetworkPolicy: networkPolicyIssues,
  Role: (o) => roleIssues('Role', o),
  ClusterRole: (o) => roleIssues('ClusterRole', o),
  RoleBinding: (o) => bindingIssues('RoleBinding', o),
  ClusterRoleBinding: (o) => bindingIssues('ClusterRoleBinding', o),
  PersistentVolumeClaim: persistentVolumeClaimIssues,
  ResourceQuota: resourceQuotaIssues,
  LimitRange: limitRangeIssues,
};

export function validationIssues(object: unknown, apiVersion: string, kind: string): ValidationIssue[] {
  if (VERSIONS[kind] !== apiVersion) return [];
  const issues = [...metadataIssues(kind, (object as { metadata?: unknown } | null)?.metadata), ...workloadIssues(kind, object)];
  issues.push(...(KIND_RULES[kind]?.(object) ?? []));
  return issues;
}
