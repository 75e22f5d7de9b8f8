// A PersistentVolumeClaim's spec (a PVC's, a StatefulSet's claim template's) as core validation
// checks it on create (Kubernetes 1.37).
import { dns1123Subdomain } from './formats.js';
import { exactQuantity } from './quantity.js';
import { fields, type Fields, items, type Path, quote, text, type ValidationIssue } from './raw.js';
import { selectorIssues } from './selector.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];

/**
 * `standalone`: a PersistentVolumeClaim's own spec, whose dataSourceRef with a namespace is
 * dropped before validation (CrossNamespaceVolumeDataSource is alpha and off in 1.37); a
 * StatefulSet's claim template keeps it and is validated with it.
 */
export function claimSpecIssues(spec: Fields, path: Path, standalone = false): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const modes = items(spec.accessModes).map((m) => text(m) ?? '');
  if (modes.length === 0) issues.push({ path: [...path, 'accessModes'], message: 'is empty: a claim needs at least one access mode, such as ReadWriteOnce' });
  for (const mode of modes) {
    if (!ACCESS_MODES.includes(mode)) issues.push({ path: [...path, 'accessModes'], message: `holds ${quote(mode)}: write one of ${ACCESS_MODES.join(', ')}` });
  }
  if (modes.includes('ReadWriteOncePod') && modes.some((m) => m !== 'ReadWriteOncePod' && ACCESS_MODES.includes(m))) {
    issues.push({ path: [...path, 'accessModes'], message: 'holds ReadWriteOncePod with another mode: ReadWriteOncePod stands alone' });
  }
  const selector = fields(spec.selector);
  if (selector) issues.push(...selectorIssues(selector, [...path, 'selector']));
  const requests = fields(fields(spec.resources)?.requests);
  const storage = requests?.storage;
  if (storage === undefined) issues.push({ path: [...path, 'resources', 'requests', 'storage'], message: 'is missing: a claim asks for its size, such as storage: 10Gi' });
  else {
    const q = typeof storage === 'string' || typeof storage === 'number' ? exactQuantity(storage) : storage === null ? exactQuantity(0) : undefined;
    if (q && q.num <= 0n) issues.push({ path: [...path, 'resources', 'requests', 'storage'], message: `is ${String(storage)}: a claim asks for more than 0 bytes, such as 10Gi` });
  }
  const storageClass = text(spec.storageClassName) ?? '';
  const badClass = storageClass === '' ? undefined : dns1123Subdomain(storageClass);
  if (badClass) issues.push({ path: [...path, 'storageClassName'], message: `${quote(storageClass)} ${badClass}: it names a StorageClass` });
  // A standalone claim's dataSourceRef with a namespace is dropped (CrossNamespaceVolumeDataSource
  // off); then, with no dataSourceRef, a dataSource other than a PVC or VolumeSnapshot is dropped
  // silently (KEP 1495), and the one given is copied to the other. A claim template keeps both as written.
  const dropped = standalone && (text(fields(spec.dataSourceRef)?.namespace) ?? '') !== '';
  const ref = spec.dataSourceRef == null || dropped ? undefined : fields(spec.dataSourceRef) ?? {};
  let source = spec.dataSource == null ? undefined : fields(spec.dataSource) ?? {};
  if (standalone && source && !ref && !pvcOrSnapshot(source)) source = undefined;
  if (source) issues.push(...sourceIssues(source, [...path, 'dataSource']));
  if (ref) issues.push(...sourceIssues(ref, [...path, 'dataSourceRef']));
  if (ref && (text(ref.namespace) ?? '') !== '') {
    if (source) issues.push({ path: [...path, 'dataSource'], message: 'is set with a dataSourceRef that has a namespace: give dataSourceRef alone' });
  } else if (source && ref && !sameSource(source, ref)) {
    issues.push({ path: [...path, 'dataSource'], message: 'differs from dataSourceRef (apiGroup, kind and name must be the same, an absent apiGroup and "" differ): give dataSourceRef alone' });
  }
  const volumeMode = text(spec.volumeMode);
  if (volumeMode !== undefined && !VOLUME_MODES.includes(volumeMode)) issues.push({ path: [...path, 'volumeMode'], message: `is ${quote(volumeMode)}: write Filesystem or Block` });
  return issues;
}

/** dataSource or dataSourceRef: what a volume is filled from. */
function sourceIssues(source: Fields, at: Path): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const key of ['name', 'kind'] as const) if ((text(source[key]) ?? '') === '') issues.push({ path: [...at, key], message: `is missing: name the ${key === 'kind' ? 'kind of object' : 'object'} the volume is filled from` });
  const group = text(source.apiGroup) ?? '';
  const kind = text(source.kind) ?? '';
  if (group === '' && kind !== '' && kind !== 'PersistentVolumeClaim') issues.push({ path: at, message: `names kind ${quote(kind)} with no apiGroup: in the core group only a PersistentVolumeClaim can be a source; give the apiGroup (snapshot.storage.k8s.io for a VolumeSnapshot)` });
  const badGroup = group === '' ? undefined : dns1123Subdomain(group);
  if (badGroup) issues.push({ path: [...at, 'apiGroup'], message: `${quote(group)} ${badGroup}` });
  return issues;
}

const pvcOrSnapshot = (source: Fields): boolean => {
  const group = text(source.apiGroup) ?? '';
  return (group === '' && source.kind === 'PersistentVolumeClaim') || (group === 'snapshot.storage.k8s.io' && source.kind === 'VolumeSnapshot');
};

/** As Go compares them: apiGroup is a pointer, so absent (or null) and "" differ. */
const sameSource = (a: Fields, b: Fields): boolean =>
  (a.apiGroup ?? undefined) === (b.apiGroup ?? undefined) && (text(a.kind) ?? '') === (text(b.kind) ?? '') && (text(a.name) ?? '') === (text(b.name) ?? '');

export function persistentVolumeClaimIssues(object: unknown): ValidationIssue[] {
  return claimSpecIssues(fields(fields(object)?.spec) ?? {}, ['spec'], true);
}
