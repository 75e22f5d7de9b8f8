// A Secret's keys, size and the keys its type requires, as core validation checks them
// (Kubernetes 1.37). stringData is merged into data first, as the API server does. No value of
// a Secret is ever quoted.
import { configMapKey } from './formats.js';
import { fields, quote, text, type ValidationIssue } from './raw.js';

const MAX_BYTES = 1024 * 1024;

/** The keys each type requires, and whether the value must be a JSON object. */
const REQUIRED: Readonly<Record<string, { keys: readonly string[]; any?: boolean; json?: boolean }>> = {
  'kubernetes.io/tls': { keys: ['tls.crt', 'tls.key'] },
  'kubernetes.io/dockerconfigjson': { keys: ['.dockerconfigjson'], json: true },
  'kubernetes.io/dockercfg': { keys: ['.dockercfg'], json: true },
  'kubernetes.io/basic-auth': { keys: ['username', 'password'], any: true },
  'kubernetes.io/ssh-auth': { keys: ['ssh-privatekey'] },
};

export function secretIssues(object: unknown): ValidationIssue[] {
  const o = fields(object);
  const issues: ValidationIssue[] = [];
  // Decoded values (data is base64), stringData winning.
  const values = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(fields(o?.data) ?? {})) values.set(k, Buffer.from(typeof v === 'string' ? v : '', 'base64'));
  for (const [k, v] of Object.entries(fields(o?.stringData) ?? {})) values.set(k, Buffer.from(typeof v === 'string' ? v : ''));
  let size = 0;
  for (const [key, value] of values) {
    const bad = configMapKey(key);
    if (bad) issues.push({ path: ['data', key], message: `the key ${quote(key)} ${bad}` });
    size += value.length;
  }
  if (size > MAX_BYTES) issues.push({ path: ['data'], message: `holds ${size} bytes, more than the 1048576 (1 MiB) a Secret may hold` });
  const type = text(o?.type) ?? '';
  if (type === 'kubernetes.io/service-account-token') {
    const account = text(fields(fields(o?.metadata)?.annotations)?.['kubernetes.io/service-account.name']) ?? '';
    if (account === '') issues.push({ path: ['metadata', 'annotations', 'kubernetes.io/service-account.name'], message: 'is missing: a service-account-token Secret names its ServiceAccount in this annotation' });
  }
  const rule = REQUIRED[type];
  if (!rule) return issues;
  const missing = rule.keys.filter((k) => !values.has(k));
  // ssh-auth wants a non-empty key; the others only a present one.
  if (type === 'kubernetes.io/ssh-auth' && values.get('ssh-privatekey')?.length === 0) missing.push('ssh-privatekey');
  if (rule.any ? missing.length === rule.keys.length : missing.length > 0) {
    const keys = rule.any ? rule.keys.join(' or ') : missing.join(' and ');
    for (const key of rule.any ? rule.keys : missing) issues.push({ path: ['data', key], message: `is missing: a Secret of type ${type} needs ${keys} (in data, base64, or in stringData)` });
  }
  for (const key of rule.json ? rule.keys : []) {
    const value = values.get(key);
    if (value === undefined) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.toString('utf8'));
    } catch {
      issues.push({ path: ['data', key], message: `is not JSON, which a Secret of type ${type} must hold (the value is not shown: it is a Secret's)` });
      continue;
    }
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) issues.push({ path: ['data', key], message: `is JSON but not an object, which a Secret of type ${type} must hold (the value is not shown: it is a Secret's)` });
  }
  return issues;
}
