// An Ingress as networking validation checks it on create (Kubernetes 1.37): its rules' hosts,
// each path's type and form, each backend, TLS hosts and secrets, the class name.
import { dns1123Label, dns1123Subdomain, pathSegmentName, portName } from './formats.js';
import { fields, type Fields, items, type Path, quote, text, type ValidationIssue, whole } from './raw.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_SUFFIXES = ['/..', '/.'];
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** netutils.ParseIPSloppy: an IPv4 address (leading zeros allowed) or an IPv6 one. */
const isIp = (v: string): boolean =>
  /^\d{1,3}(\.\d{1,3}){3}$/.test(v) ? v.split('.').every((o) => Number(o) <= 255) : v.includes(':') && /^[0-9a-fA-F:.]+$/.test(v);

/** A host as IsWildcardDNS1123Subdomain or IsDNS1123Subdomain judges it; what is wrong, or undefined. */
function hostProblem(host: string): string | undefined {
  if (host.includes('*')) {
    if (host.length > 253) return 'is longer than 253 characters';
    const rest = host.startsWith('*.') ? host.slice(2) : undefined;
    return rest !== undefined && dns1123Subdomain(rest) === undefined ? undefined : 'is not a wildcard host: "*." then a DNS name, such as *.example.com ("*" only as the whole first label)';
  }
  const bad = dns1123Subdomain(host);
  return bad && `${bad}${host !== host.toLowerCase() ? ' (a host is written in lower case)' : ''}`;
}

export function ingressIssues(object: unknown): ValidationIssue[] {
  const o = fields(object);
  const spec = fields(o?.spec);
  const issues: ValidationIssue[] = [];
  const rules = items(spec?.rules);
  if (rules.length === 0 && spec?.defaultBackend == null) {
    issues.push({ path: ['spec'], message: 'has neither rules nor a defaultBackend: an Ingress routes nothing without one of them; add spec.rules (host and paths) or spec.defaultBackend' });
  }
  if (spec?.defaultBackend != null) backendIssues(fields(spec.defaultBackend), ['spec', 'defaultBackend'], issues);
  rules.forEach((r, i) => ruleIssues(fields(r), ['spec', 'rules', i], issues));
  items(spec?.tls).forEach((t, i) => {
    const tls = fields(t);
    items(tls?.hosts).forEach((h, j) => {
      const host = text(h) ?? '';
      const bad = hostProblem(host);
      if (bad) issues.push({ path: ['spec', 'tls', i, 'hosts', j], message: `${quote(host)} ${bad}` });
    });
    const secret = text(tls?.secretName) ?? '';
    const bad = secret === '' ? undefined : dns1123Subdomain(secret);
    if (bad) issues.push({ path: ['spec', 'tls', i, 'secretName'], message: `${quote(secret)} ${bad}: it names a Secret, whose name is lower-case letters, digits, "-" and "."` });
  });
  const className = text(spec?.ingressClassName);
  if (className !== undefined) {
    const bad = dns1123Subdomain(className);
    if (bad) issues.push({ path: ['spec', 'ingressClassName'], message: `${quote(className)} ${bad}: it names an IngressClass (kubectl get ingressclass lists them)` });
    const annotation = text(fields(fields(o?.metadata)?.annotations)?.[CLASS_ANNOTATION]);
    if (annotation !== undefined && annotation !== className) {
      issues.push({ path: ['metadata', 'annotations', CLASS_ANNOTATION], message: `is ${quote(annotation)} but spec.ingressClassName is ${quote(className)}: when both are set they must match; remove the annotation (spec.ingressClassName replaces it). The API server refuses this when the Ingress is created; one that exists may still be updated` });
    }
  }
  return issues;
}

function ruleIssues(rule: Fields | undefined, path: Path, issues: ValidationIssue[]): void {
  const host = text(rule?.host) ?? '';
  if (host !== '') {
    if (isIp(host)) issues.push({ path: [...path, 'host'], message: `${quote(host)} is an IP address: a rule's host is a DNS name; leave host out to match requests for any host` });
    const bad = hostProblem(host);
    if (bad) issues.push({ path: [...path, 'host'], message: `${quote(host)} ${bad}` });
  }
  const http = fields(rule?.http);
  if (rule?.http == null) return;
  const paths = items(http?.paths);
  if (paths.length === 0) issues.push({ path: [...path, 'http', 'paths'], message: 'is empty: a rule with http needs at least one path (path: /, pathType: Prefix, and a backend)' });
  paths.forEach((p, i) => pathIssues(fields(p), [...path, 'http', 'paths', i], issues));
}

function pathIssues(entry: Fields | undefined, path: Path, issues: ValidationIssue[]): void {
  const type = text(entry?.pathType);
  const value = text(entry?.path) ?? '';
  if (type === undefined) {
    // The API server stops here for this path: its backend is not looked at.
    issues.push({ path: [...path, 'pathType'], message: 'is missing: networking.k8s.io/v1 requires it (v1beta1 defaulted it); write pathType: Prefix to match the path and everything under it, or Exact' });
    return;
  }
  if (type === 'Exact' || type === 'Prefix') {
    if (!value.startsWith('/')) issues.push({ path: [...path, 'path'], message: `${quote(value)} is not an absolute path: with pathType ${type} it must start with "/"` });
    if (value !== '') {
      for (const seq of BAD_SEQUENCES) if (value.includes(seq)) issues.push({ path: [...path, 'path'], message: `${quote(value)} contains ${quote(seq)}, which pathType ${type} does not allow (use ImplementationSpecific for a controller's own syntax)` });
      for (const suffix of BAD_SUFFIXES) if (value.endsWith(suffix)) issues.push({ path: [...path, 'path'], message: `${quote(value)} ends with ${quote(suffix)}, which pathType ${type} does not allow` });
    }
  } else if (type === 'ImplementationSpecific') {
    if (value !== '' && !value.startsWith('/')) issues.push({ path: [...path, 'path'], message: `${quote(value)} is not an absolute path: it must start with "/"` });
  } else {
    issues.push({ path: [...path, 'pathType'], message: `is ${quote(type)}: write one of ${PATH_TYPES.join(', ')} (with these capitals)` });
  }
  backendIssues(fields(entry?.backend), [...path, 'backend'], issues);
}

function backendIssues(backend: Fields | undefined, path: Path, issues: ValidationIssue[]): void {
  const resource = backend?.resource == null ? undefined : fields(backend.resource) ?? {};
  const service = backend?.service == null ? undefined : fields(backend.service) ?? {};
  if (resource && service) return void issues.push({ path, message: 'has both a service and a resource: a backend is one of them' });
  if (resource) {
    const group = text(resource.apiGroup);
    const bad = group === undefined ? undefined : dns1123Subdomain(group);
    if (bad) issues.push({ path: [...path, 'resource', 'apiGroup'], message: `${quote(group ?? '')} ${bad}` });
    for (const key of ['kind', 'name'] as const) {
      const v = text(resource[key]) ?? '';
      const bad = v === '' ? undefined : pathSegmentName(v);
      if (v === '') issues.push({ path: [...path, 'resource', key], message: `is missing: a resource backend names the object's ${key}` });
      else if (bad) issues.push({ path: [...path, 'resource', key], message: `${quote(v)} ${bad}` });
    }
    return;
  }
  if (!service) return void issues.push({ path, message: 'is empty: a backend needs a service (name and port) or a resource' });
  const name = text(service.name) ?? '';
  if (name === '') issues.push({ path: [...path, 'service', 'name'], message: 'is missing: write the name of the Service in the Ingress\'s namespace' });
  else {
    const bad = dns1123Label(name);
    if (bad) issues.push({ path: [...path, 'service', 'name'], message: `${quote(name)} ${bad}: it names a Service, whose name is a DNS-1123 label` });
  }
  const port = fields(service.port);
  const portText = text(port?.name) ?? '';
  const number = whole(port?.number) ?? 0;
  if (portText !== '' && number !== 0) issues.push({ path, message: 'has both service.port.name and service.port.number: give one of them' });
  else if (portText !== '') {
    const bad = portName(portText);
    if (bad) issues.push({ path: [...path, 'service', 'port', 'name'], message: `${quote(portText)} ${bad}` });
  } else if (number !== 0) {
    if (number < 1 || number > 65535) issues.push({ path: [...path, 'service', 'port', 'number'], message: `is ${number}: a port number is 1 to 65535` });
  } else issues.push({ path, message: 'has no service.port: give the Service port\'s number (number: 80) or name (name: http)' });
}
