// ResourceQuota and LimitRange as core validation checks them on create (Kubernetes 1.37).
import { labelKey } from './formats.js';
import { compareExact, type Exact, exactQuantity, isWhole } from './quantity.js';
import { fields, items, type Path, quote, text, type ValidationIssue } from './raw.js';

const QUOTA_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers',
  'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);
/** helper.IsQuotaHugePageResourceName: hugepages-* and requests.hugepages-* (not limits.). */
const isHugePages = (name: string) => /^(requests\.)?hugepages-/.test(name);
/** helper.IsExtendedResourceName: not native (no "/", or in kubernetes.io/), not requests.*; counted whole. */
const isExtended = (name: string) => name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.') && labelKey(`requests.${name}`) === undefined;
const WHOLE_RESOURCES = new Set(['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);
const POD_COUNT = new Set(['pods']);
const POD_COMPUTE = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);
const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'VolumeAttributesClass', 'CrossNamespacePodAffinity'];
const EXISTS_ONLY = new Set(['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'CrossNamespacePodAffinity']);

/** Whether a quota scope may limit a resource (helper.IsResourceQuotaScopeValidForResource). */
function scopeFits(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return POD_COUNT.has(resource);
  if (scope === 'VolumeAttributesClass') return resource === 'persistentvolumeclaims' || resource === 'requests.storage';
  if (SCOPES.includes(scope)) return POD_COUNT.has(resource) || POD_COMPUTE.has(resource);
  return true;
}

/** What scopeFits lets a known scope limit, as a message says it. */
function scopeReach(scope: string): string {
  if (scope === 'BestEffort') return 'a BestEffort quota counts pods only';
  if (scope === 'VolumeAttributesClass') return 'a VolumeAttributesClass quota limits persistentvolumeclaims and requests.storage only';
  return `a ${scope} quota limits pods and their cpu and memory only`;
}

const quantity = (v: unknown): Exact | undefined => (typeof v === 'string' || typeof v === 'number' ? exactQuantity(v) : undefined);

export function resourceQuotaIssues(object: unknown): ValidationIssue[] {
  const spec = fields(fields(object)?.spec) ?? {};
  const issues: ValidationIssue[] = [];
  const hard = Object.entries(fields(spec.hard) ?? {});
  const standard = (name: string) => QUOTA_RESOURCES.has(name) || isHugePages(name);
  for (const [name, value] of hard) {
    const path = ['spec', 'hard', name];
    const badName = labelKey(name);
    if (badName) issues.push({ path, message: `the resource name ${quote(name)} ${badName}` });
    else if (!name.includes('/') && !standard(name)) issues.push({ path, message: `${quote(name)} is not a resource a quota limits: write requests.cpu, limits.memory, pods, count/deployments.apps and the like, or a name with a "/"${name === 'storage' ? ' (for claims, requests.storage)' : ''}` });
    const q = quantity(value);
    if (q && q.num < 0n) issues.push({ path, message: `is ${String(value)}: it must not be negative` });
    else if (q && (WHOLE_RESOURCES.has(name) || isExtended(name)) && !isWhole(q)) issues.push({ path, message: `is ${String(value)}: ${name} is counted in whole numbers` });
  }
  const scopes = items(spec.scopes).map((s) => text(s) ?? '');
  for (const scope of scopes) {
    if (!SCOPES.includes(scope)) issues.push({ path: ['spec', 'scopes'], message: `holds ${quote(scope)}: write one of ${SCOPES.join(', ')} (with these capitals)` });
    const unfit = hard.map(([name]) => name).filter((name) => standard(name) && !scopeFits(scope, name));
    if (SCOPES.includes(scope) && unfit.length > 0) issues.push({ path: ['spec', 'scopes'], message: `holds ${scope}, which cannot limit ${unfit.join(', ')}: ${scopeReach(scope)}; move the rest to another quota` });
  }
  for (const [a, b] of [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']] as const) {
    if (scopes.includes(a) && scopes.includes(b)) issues.push({ path: ['spec', 'scopes'], message: `holds both ${a} and ${b}: no pod is both` });
  }
  items(fields(spec.scopeSelector)?.matchExpressions).forEach((e, i) => {
    const expr = fields(e) ?? {};
    const path = ['spec', 'scopeSelector', 'matchExpressions', i];
    const scope = text(expr.scopeName) ?? '';
    const operator = text(expr.operator) ?? '';
    const values = items(expr.values);
    if (!SCOPES.includes(scope)) issues.push({ path: [...path, 'scopeName'], message: `is ${quote(scope)}: write one of ${SCOPES.join(', ')}` });
    if (EXISTS_ONLY.has(scope) && operator !== 'Exists') issues.push({ path: [...path, 'operator'], message: `is ${quote(operator)}: the scope ${scope} takes operator: Exists` });
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) issues.push({ path: [...path, 'values'], message: `is empty: ${operator} needs at least one value` });
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) issues.push({ path: [...path, 'values'], message: `must be left out for ${operator}` });
    } else issues.push({ path: [...path, 'operator'], message: `is ${quote(operator)}: write In, NotIn, Exists or DoesNotExist (with these capitals)` });
  });
  return issues;
}

const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

export function limitRangeIssues(object: unknown): ValidationIssue[] {
  const spec = fields(fields(object)?.spec) ?? {};
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  items(spec.limits).forEach((l, i) => {
    const limit = fields(l) ?? {};
    const at: Path = ['spec', 'limits', i];
    const type = text(limit.type) ?? '';
    const badType = type === '' ? 'is missing' : labelKey(type);
    if (badType) issues.push({ path: [...at, 'type'], message: type === '' ? 'is missing: write Container, Pod or PersistentVolumeClaim' : `${quote(type)} ${badType}` });
    else if (!type.includes('/') && !LIMIT_TYPES.includes(type)) issues.push({ path: [...at, 'type'], message: `is ${quote(type)}: write Container, Pod or PersistentVolumeClaim (with these capitals)` });
    if (seen.has(type)) issues.push({ path: [...at, 'type'], message: `is ${type} again: a LimitRange has one entry per type` });
    seen.add(type);
    /** Each resource's quantity as written and read. */
    const map = (key: string): Map<string, { q: Exact; w: string }> =>
      new Map(
        Object.entries(fields(limit[key]) ?? {}).flatMap(([k, v]) => {
          const q = quantity(v);
          return q ? [[k, { q, w: String(v) }] as const] : [];
        }),
      );
    const min = map('min');
    const max = map('max');
    const def = map('default');
    const defReq = map('defaultRequest');
    const ratio = map('maxLimitRequestRatio');
    if (type === 'Pod') {
      for (const key of ['default', 'defaultRequest'] as const) if (Object.keys(fields(limit[key]) ?? {}).length > 0) issues.push({ path: [...at, key], message: 'is set for type: Pod: defaults apply to containers; use type: Container' });
    }
    if (type === 'PersistentVolumeClaim' && !min.has('storage') && !max.has('storage')) issues.push({ path: [...at, 'limits'], message: 'has neither min nor max storage: a PersistentVolumeClaim limit needs one' });
    const keys = new Set([...min.keys(), ...max.keys(), ...def.keys(), ...defReq.keys(), ...ratio.keys()]);
    type Read = { q: Exact; w: string } | undefined;
    const order = (k: string, lowName: string, low: Read, highName: string, high: Read, at2: string) => {
      if (low && high && compareExact(low.q, high.q) > 0) issues.push({ path: [...at, at2, k], message: `${lowName} ${k} ${low.w} is more than ${highName} ${high.w}: min <= defaultRequest <= default <= max` });
    };
    for (const k of keys) {
      const m = min.get(k);
      const x = max.get(k);
      const d = def.get(k);
      const r = defReq.get(k);
      order(k, 'min', m, 'max', x, 'min');
      order(k, 'min', m, 'defaultRequest', r, 'defaultRequest');
      order(k, 'defaultRequest', r, 'max', x, 'defaultRequest');
      order(k, 'defaultRequest', r, 'default', d, 'defaultRequest');
      order(k, 'min', m, 'default', d, 'default');
      order(k, 'default', d, 'max', x, 'default');
      const q = ratio.get(k);
      if (q && q.q.num < q.q.den) issues.push({ path: [...at, 'maxLimitRequestRatio', k], message: `is ${q.w}, less than 1: a limit can be at most this many times its request, and never below it` });
    }
  });
  return issues;
}
