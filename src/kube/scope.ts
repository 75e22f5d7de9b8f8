// Which built-in kinds are cluster-scoped: `kubectl api-resources --namespaced=false` against
// kube-apiserver 1.37 (review and token kinds, which are never applied, left out). Every other
// kind, custom resources included, is taken as namespaced: what a CRD declares is not known here.
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterTrustBundle',
  'ComponentStatus',
  'CustomResourceDefinition',
  'DeviceClass',
  'DeviceTaintRule',
  'FlowSchema',
  'IPAddress',
  'IngressClass',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'ResourceSlice',
  'RuntimeClass',
  'ServiceCIDR',
  'StorageClass',
  'StorageVersionMigration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeAttributesClass',
]);

export const isClusterScoped = (kind: string): boolean => CLUSTER_SCOPED.has(kind);
