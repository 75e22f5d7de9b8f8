// A ConfigMap's keys and size as core validation checks them (Kubernetes 1.37).
import { configMapKey } from './formats.js';
import { fields, quote, type ValidationIssue } from './raw.js';

/** What data and binaryData may hold together: 1 MiB (MaxSecretSize). */
const MAX_BYTES = 1024 * 1024;

export function configMapIssues(object: unknown): ValidationIssue[] {
  const o = fields(object);
  const data = fields(o?.data) ?? {};
  const binary = fields(o?.binaryData) ?? {};
  const issues: ValidationIssue[] = [];
  let size = 0;
  for (const [bag, entries] of [['data', data], ['binaryData', binary]] as const) {
    for (const [key, value] of Object.entries(entries)) {
      const bad = configMapKey(key);
      if (bad) issues.push({ path: [bag, key], message: `the key ${quote(key)} ${bad}${key.includes('/') ? '; a file in a subdirectory is mounted with items: [{key, path: dir/file}]' : ''}` });
      if (bag === 'data' && Object.hasOwn(binary, key)) issues.push({ path: [bag, key], message: `is a key of binaryData too: a key may be in one of them` });
      // binaryData is base64 in the manifest; the API server counts the decoded bytes.
      if (typeof value === 'string') size += bag === 'data' ? Buffer.byteLength(value) : Buffer.from(value, 'base64').length;
    }
  }
  if (size > MAX_BYTES) issues.push({ path: [], message: `holds ${size} bytes of data, more than the 1048576 (1 MiB) a ConfigMap may hold; split it, or mount the content from an image or a volume` });
  return issues;
}
