// The string formats the API server's validation (k8s.io/apimachinery/pkg/util/validation,
// Kubernetes 1.37) holds names, labels and keys to. Each returns what is wrong, in short words
// a message can carry, or undefined when the value is valid.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The name part of a label key and a label value: alphanumeric at both ends, `-_.` inside. */
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const PERCENT = /^[0-9]+%$/;

const LABEL_WORDS = 'lower-case letters, digits and "-", starting and ending with a letter or digit';

/** A DNS-1123 label (container, volume and Namespace names): at most 63 characters. */
export function dns1123Label(value: string): string | undefined {
  if (value.length > 63) return 'is longer than 63 characters';
  if (!DNS1123_LABEL.test(value)) return DNS1123_SUBDOMAIN.test(value) ? 'contains a dot' : `is not made of ${LABEL_WORDS}`;
  return undefined;
}

/** A DNS-1123 subdomain (most object names): labels joined by dots, at most 253 characters. */
export function dns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return 'is longer than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value)) return `is not made of ${LABEL_WORDS}, and "."`;
  return undefined;
}

/** An IANA service name (container port names, named target ports): what IsValidPortName allows. */
export function portName(value: string): string | undefined {
  const problems: string[] = [];
  if (value.length > 15) problems.push('is longer than 15 characters');
  if (!/^[-a-z0-9]+$/.test(value)) problems.push('may hold only lower-case letters, digits and "-"');
  if (!/[a-z]/.test(value)) problems.push('must contain a letter (a string of digits is a name, not a number)');
  if (value.includes('--')) problems.push('must not contain "--"');
  if (value.startsWith('-') || value.endsWith('-')) problems.push('must not begin or end with "-"');
  return problems.length === 0 ? undefined : problems.join(', ');
}

/** A label key (and resource name, annotation key lower-cased): `[prefix/]name`, the prefix a DNS subdomain. */
export function labelKey(value: string): string | undefined {
  const parts = value.split('/');
  if (parts.length > 2) return 'has more than one "/"';
  if (value === '') return 'is empty';
  const [name = '', prefix] = parts.length === 2 ? [parts[1], parts[0]] : [parts[0]];
  if (prefix !== undefined) {
    if (prefix === '') return 'has an empty prefix before "/"';
    const bad = dns1123Subdomain(prefix);
    if (bad) return `has a prefix that ${bad}`;
  }
  if (name === '') return 'has an empty name after "/"';
  if (name.length > 63) return 'has a name part longer than 63 characters';
  if (!LABEL_NAME.test(name)) return 'has a name part not made of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** A label value: empty, or at most 63 letters, digits, `-_.`, alphanumeric at both ends. */
export function labelValue(value: string): string | undefined {
  if (value.length > 63) return 'is longer than 63 characters';
  if (value !== '' && !LABEL_NAME.test(value)) return 'is not made of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** A ConfigMap (or Secret) key: letters, digits, `-_.`, not `.`, `..` or starting with `..`. */
export function configMapKey(value: string): string | undefined {
  if (value.length > 253) return 'is longer than 253 characters';
  if (!CONFIG_KEY.test(value)) return 'is not made of letters, digits, "-", "_" and "." (no "/", no spaces)';
  if (value === '.' || value === '..' || value.startsWith('..')) return value.length <= 2 ? `may not be "${value}"` : 'may not start with ".."';
  return undefined;
}

/** The protocols a port (of a container, a Service, a NetworkPolicy) may name. */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** content.IsPathSegmentName (a reference's kind or name, an RBAC name): not "." or "..", no "/" or "%". */
export function pathSegmentName(value: string): string | undefined {
  if (value === '.' || value === '..') return `may not be ${JSON.stringify(value)}`;
  return /[/%]/.test(value) ? 'may not contain "/" or "%"' : undefined;
}

/** `25%`: a string int-or-percent must be digits and a percent sign. */
export const isPercent = (value: string): boolean => PERCENT.test(value);

/** A name in the allowed alphabet, to offer as the fix: `Web_App` -> `web-app`. */
export function suggestName(value: string, max = 63): string | undefined {
  const out = value
    .toLowerCase()
    .replace(/[^-a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return out === '' || out === value ? undefined : out;
}
