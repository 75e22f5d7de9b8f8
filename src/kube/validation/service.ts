// A Service's ports and type as core validation checks them (Kubernetes 1.37).
import { dns1123Label, PROTOCOLS, suggestName } from './formats.js';
import { portRefIssues } from './pod-spec.js';
import { fields, items, quote, text, type ValidationIssue, whole } from './raw.js';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export function serviceIssues(object: unknown): ValidationIssue[] {
  const spec = fields(fields(object)?.spec);
  const issues: ValidationIssue[] = [];
  const type = text(spec?.type) || 'ClusterIP';
  if (!TYPES.includes(type)) issues.push({ path: ['spec', 'type'], message: `is ${quote(type)}: write one of ${TYPES.join(', ')} (with these capitals)` });
  const ports = items(spec?.ports);
  const headless = text(spec?.clusterIP) === 'None';
  if (ports.length === 0 && !headless && type !== 'ExternalName') issues.push({ path: ['spec', 'ports'], message: 'is empty: a Service needs at least one port (unless it is headless, clusterIP: None, or an ExternalName)' });
  const names = new Set<string>();
  /** port/protocol of each port seen, the protocol defaulted to TCP. */
  const seen = new Map<string, number>();
  ports.forEach((p, i) => {
    const port = fields(p);
    const path = ['spec', 'ports', i];
    const name = text(port?.name) ?? '';
    if (name === '' && ports.length > 1) issues.push({ path: [...path, 'name'], message: 'is missing: when a Service has more than one port, each needs a name' });
    else if (name !== '') {
      const bad = dns1123Label(name);
      const better = suggestName(name);
      if (bad) issues.push({ path: [...path, 'name'], message: `the port name ${quote(name)} ${bad}: a Service port name is lower-case letters, digits and "-", at most 63 characters${better ? `; e.g. ${better}` : ''}` });
      else if (names.has(name)) issues.push({ path: [...path, 'name'], message: `${quote(name)} names another port of this Service too: port names must differ` });
      names.add(name);
    }
    const number = whole(port?.port) ?? 0;
    if (number < 1 || number > 65535) issues.push({ path: [...path, 'port'], message: `is ${number}: a port number is 1 to 65535` });
    const protocol = text(port?.protocol);
    if (protocol !== undefined && protocol !== '' && !PROTOCOLS.includes(protocol)) issues.push({ path: [...path, 'protocol'], message: `is ${quote(protocol)}: write one of ${PROTOCOLS.join(', ')} (upper case)` });
    const key = `${number}/${protocol || 'TCP'}`;
    const first = seen.get(key);
    if (first !== undefined) issues.push({ path, message: `is port ${key} again (ports[${first}]): a Service serves each port and protocol once; remove one, or give it another port` });
    else seen.set(key, i);
    // 0 and "" are defaulted to the port itself.
    const target = port?.targetPort;
    if (target !== 0 && target !== '') portRefIssues(target, [...path, 'targetPort'], issues);
  });
  return issues;
}
