// A pod spec (of a Pod, or of a workload's pod template) as ValidatePodSpec checks it (core
// validation, Kubernetes 1.37): the mistakes a manifest makes, not every rule. The object is
// read as sent, before the API server's defaults: a field left out is one the defaults fill.
import { configMapKey, dns1123Label, dns1123Subdomain, portName, PROTOCOLS, suggestName } from './formats.js';
import { labelIssues } from './metadata.js';
import { ipProblem } from './net.js';
import { compareExact, type Exact, exactQuantity, isNegative, isWhole } from './quantity.js';
import { fields, type Fields, items, type Path, quote, text, type ValidationIssue, whole } from './raw.js';
import { schedulingIssues } from './scheduling.js';
import { containerSecurityIssues, podSecurityIssues } from './security.js';

const PORT_RANGE = 'a port number is 1 to 65535';
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;
const PROBE_NUMBERS = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const;
const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'] as const;
const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

const present = (f: Fields | undefined, key: string): boolean => f?.[key] !== undefined && f[key] !== null;

/** `claimed`: volumes the pod gets besides its own (a StatefulSet's volumeClaimTemplates). */
export function podSpecIssues(spec: unknown, at: Path, claimed: readonly string[] = []): ValidationIssue[] {
  const s = fields(spec);
  if (!s) return [];
  const issues: ValidationIssue[] = [];
  const volumes = volumeIssues(s, at, issues, claimed);
  for (const name of claimed) volumes.add(name);
  const containers = items(s.containers);
  if (containers.length === 0) issues.push({ path: [...at, 'containers'], message: 'is empty: a pod needs at least one container' });
  const names = new Set<string>();
  for (const list of ['containers', 'initContainers'] as const) {
    items(s[list]).forEach((c, i) => containerIssues(fields(c), [...at, list, i], list, volumes, names, issues));
  }
  hostPortIssues(s, at, issues);
  issues.push(...schedulingIssues(s, at), ...podSecurityIssues(s, at), ...podFieldIssues(s, at));
  return issues;
}

/**
 * Host ports: each protocol/hostIP/port once among the containers (init containers are checked on
 * their own), and with host networking a hostPort equal to its containerPort.
 */
function hostPortIssues(s: Fields, at: Path, issues: ValidationIssue[]): void {
  const seen = new Map<string, string>();
  items(s.containers).forEach((c, i) => {
    items(fields(c)?.ports).forEach((p, j) => {
      const port = fields(p) ?? {};
      const host = whole(port.hostPort) ?? 0;
      if (host === 0) return;
      const path = [...at, 'containers', i, 'ports', j, 'hostPort'];
      const containerPort = whole(port.containerPort) ?? 0;
      if (s.hostNetwork === true && host !== containerPort) issues.push({ path, message: `is ${host} but containerPort is ${containerPort}: with hostNetwork the container listens on the node itself, so hostPort must equal containerPort (or be left out)` });
      const key = `${text(port.protocol) || 'TCP'}/${text(port.hostIP) ?? ''}/${host}`;
      const first = seen.get(key);
      if (first !== undefined) issues.push({ path, message: `${host}/${text(port.protocol) || 'TCP'} is taken by ${first} already: a node port can be bound once per pod` });
      else seen.set(key, `containers[${i}].ports[${j}]`);
    });
  });
}

const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PREEMPTION = ['Never', 'PreemptLowerPriority'];

/** The pod's own fields: DNS, deadlines, the scheduler's knobs. */
function podFieldIssues(s: Fields, at: Path): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const dns = text(s.dnsPolicy);
  if (dns !== undefined && dns !== '' && !DNS_POLICIES.includes(dns)) issues.push({ path: [...at, 'dnsPolicy'], message: `is ${quote(dns)}: write one of ${DNS_POLICIES.join(', ')} (with these capitals)` });
  if (dns === 'None' && items(fields(s.dnsConfig)?.nameservers).length === 0) issues.push({ path: [...at, 'dnsConfig', 'nameservers'], message: 'is empty: with dnsPolicy: None the pod gets only the DNS servers dnsConfig lists; list at least one' });
  const deadline = whole(s.activeDeadlineSeconds);
  if (deadline !== undefined && deadline <= 0) issues.push({ path: [...at, 'activeDeadlineSeconds'], message: `is ${deadline}: it must be at least 1 (seconds the pod may run), or left out` });
  const preemption = text(s.preemptionPolicy);
  if (preemption !== undefined && !PREEMPTION.includes(preemption)) issues.push({ path: [...at, 'preemptionPolicy'], message: `is ${quote(preemption)}: write PreemptLowerPriority or Never` });
  issues.push(...labelIssues(s.nodeSelector, [...at, 'nodeSelector']));
  items(s.hostAliases).forEach((h, i) => {
    const alias = fields(h) ?? {};
    const ip = text(alias.ip) ?? '';
    // StrictIPCIDRValidation (on in 1.37): no leading zeros, no IPv4-mapped IPv6.
    const badIp = ipProblem(ip);
    if (badIp) issues.push({ path: [...at, 'hostAliases', i, 'ip'], message: `${quote(ip)} ${badIp}` });
    items(alias.hostnames).forEach((n, j) => {
      const bad = dns1123Subdomain(text(n) ?? '');
      if (bad) issues.push({ path: [...at, 'hostAliases', i, 'hostnames', j], message: `${quote(text(n) ?? '')} ${bad}` });
    });
  });
  if (text(fields(s.os)?.name) === 'linux') {
    if (fields(s.securityContext)?.windowsOptions != null) issues.push({ path: [...at, 'securityContext', 'windowsOptions'], message: 'is set for a pod with os.name: linux: windows options apply to Windows pods only' });
    for (const list of ['containers', 'initContainers'] as const) {
      items(s[list]).forEach((c, i) => {
        if (fields(fields(c)?.securityContext)?.windowsOptions != null) issues.push({ path: [...at, list, i, 'securityContext', 'windowsOptions'], message: 'is set for a pod with os.name: linux: windows options apply to Windows pods only' });
      });
    }
  }
  for (const [key, check, what] of [
    ['serviceAccountName', dns1123Subdomain, 'a ServiceAccount'],
    ['nodeName', dns1123Subdomain, 'a Node'],
    ['priorityClassName', dns1123Subdomain, 'a PriorityClass'],
  ] as const) {
    const v = text(s[key]) ?? '';
    const bad = v === '' ? undefined : check(v);
    if (bad) issues.push({ path: [...at, key], message: `${quote(v)} ${bad}: it names ${what}` });
  }
  return issues;
}

/**
 * The pod's volume names; their own mistakes go to issues. A volume named after a StatefulSet's
 * claim template (`claimed`) is replaced by the claim before validation, so it is not checked.
 */
function volumeIssues(s: Fields, at: Path, issues: ValidationIssue[], claimed: readonly string[]): Set<string> {
  const names = new Set<string>();
  items(s.volumes).forEach((v, i) => {
    const volume = fields(v);
    const path = [...at, 'volumes', i];
    const name = text(volume?.name) ?? '';
    if (claimed.includes(name)) return;
    const bad = name === '' ? 'is empty' : dns1123Label(name);
    if (bad) issues.push({ path: [...path, 'name'], message: `${name === '' ? 'the volume name' : quote(name)} ${bad}: a volume name is lower-case letters, digits and "-", at most 63 characters${hint(name)}` });
    else if (names.has(name)) issues.push({ path: [...path, 'name'], message: `${quote(name)} names an earlier volume too: volume names must differ` });
    names.add(name);
    const sources = Object.keys(volume ?? {}).filter((k) => k !== 'name' && present(volume, k));
    if (sources.length > 1) issues.push({ path, message: `has ${sources.length} sources (${sources.join(', ')}): a volume has exactly one; split it into ${sources.length} volumes` });
  });
  return names;
}

const hint = (name: string): string => {
  const better = suggestName(name);
  return better ? `; e.g. ${better}` : '';
};

function containerIssues(c: Fields | undefined, at: Path, list: string, volumes: Set<string>, names: Set<string>, issues: ValidationIssue[]): void {
  const name = text(c?.name) ?? '';
  const badName = name === '' ? 'is empty' : dns1123Label(name);
  if (badName) issues.push({ path: [...at, 'name'], message: `${name === '' ? 'the container name' : quote(name)} ${badName}: a container name is lower-case letters, digits and "-", at most 63 characters${hint(name)}` });
  else if (names.has(name)) issues.push({ path: [...at, 'name'], message: `${quote(name)} names another container of this pod too: container names (init containers included) must differ` });
  if (name !== '') names.add(name);
  if ((text(c?.image) ?? '') === '') issues.push({ path: [...at, 'image'], message: 'is missing: every container needs an image' });
  const pull = text(c?.imagePullPolicy);
  if (pull !== undefined && pull !== '' && !PULL_POLICIES.includes(pull)) issues.push({ path: [...at, 'imagePullPolicy'], message: `is ${quote(pull)}: write one of ${PULL_POLICIES.join(', ')} (with these capitals)` });
  portIssues(c, at, issues);
  envIssues(c, at, issues);
  envFromIssues(c, at, issues);
  mountIssues(c, at, volumes, issues);
  resourceIssues(fields(c?.resources), [...at, 'resources'], issues);
  if (c) issues.push(...containerSecurityIssues(c, at));
  const lifecycle = fields(c?.lifecycle);
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = lifecycle?.[hook] == null ? undefined : fields(lifecycle[hook]) ?? {};
    if (!h) continue;
    const handlers = LIFECYCLE_HANDLERS.filter((k) => present(h, k));
    const path = [...at, 'lifecycle', hook];
    if (handlers.length === 0) issues.push({ path, message: `has no action: give it one of ${LIFECYCLE_HANDLERS.join(', ')}` });
    if (handlers.length > 1) issues.push({ path: [...path, handlers[1] ?? ''], message: `is a second action beside ${handlers[0] ?? ''}: a ${hook} hook has exactly one` });
  }
  // Init containers may carry probes only as sidecars (restartPolicy: Always); left to the API server.
  if (list === 'containers') {
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const p = fields(c?.[probe]);
      if (p) probeIssues(p, [...at, probe], probe !== 'readinessProbe', issues);
    }
  }
}

function portIssues(c: Fields | undefined, at: Path, issues: ValidationIssue[]): void {
  const names = new Set<string>();
  items(c?.ports).forEach((p, i) => {
    const port = fields(p);
    const path = [...at, 'ports', i];
    const name = text(port?.name) ?? '';
    if (name !== '') {
      const bad = portName(name);
      if (bad) issues.push({ path: [...path, 'name'], message: `the port name ${quote(name)} ${bad}${portNameHint(name)}` });
      else if (names.has(name)) issues.push({ path: [...path, 'name'], message: `${quote(name)} names another port of this container too: port names must differ` });
      else names.add(name);
    }
    const number = whole(port?.containerPort) ?? 0;
    if (number === 0) issues.push({ path: [...path, 'containerPort'], message: 'is missing: every port needs its number' });
    else if (number < 1 || number > 65535) issues.push({ path: [...path, 'containerPort'], message: `is ${number}: ${PORT_RANGE}` });
    const host = whole(port?.hostPort) ?? 0;
    if (host !== 0 && (host < 1 || host > 65535)) issues.push({ path: [...path, 'hostPort'], message: `is ${host}: ${PORT_RANGE}` });
    const protocol = text(port?.protocol);
    if (protocol !== undefined && protocol !== '' && !PROTOCOLS.includes(protocol)) issues.push({ path: [...path, 'protocol'], message: `is ${quote(protocol)}: write one of ${PROTOCOLS.join(', ')} (upper case)` });
  });
}

/** What a port name may be written as: `metrics-exporter` -> `metrics`, `HTTP` -> `http`, `8080` -> the number. */
function portNameHint(name: string): string {
  if (/^[0-9]+$/.test(name)) return `; to refer to port ${name}, write the number without quotes`;
  const better = suggestName(name, 15)?.replace(/-{2,}/g, '-');
  return `: a port name is at most 15 lower-case letters, digits and "-", with at least one letter${better ? `; e.g. ${better}` : ''}`;
}

/** An int-or-string port as probes and Services refer to one: a number in range or a port name. */
export function portRefIssues(port: unknown, path: Path, issues: ValidationIssue[]): void {
  if (typeof port === 'number') {
    if (port < 1 || port > 65535) issues.push({ path, message: `is ${port}: ${PORT_RANGE}` });
  } else if (typeof port === 'string') {
    const bad = portName(port);
    if (bad) issues.push({ path, message: `the port name ${quote(port)} ${bad}${portNameHint(port)}` });
  }
}

function probeIssues(p: Fields, at: Path, mustSucceedOnce: boolean, issues: ValidationIssue[]): void {
  const handlers = HANDLERS.filter((h) => present(p, h));
  if (handlers.length === 0) issues.push({ path: at, message: 'has no check: give it one of httpGet, tcpSocket, grpc or exec' });
  if (handlers.length > 1) issues.push({ path: [...at, handlers[1] ?? ''], message: `is a second check beside ${handlers[0] ?? ''}: a probe has exactly one of httpGet, tcpSocket, grpc and exec` });
  const first = handlers[0];
  if (first === 'httpGet' || first === 'tcpSocket') portRefIssues(fields(p[first])?.port, [...at, first, 'port'], issues);
  if (first === 'grpc') portRefIssues(whole(fields(p.grpc)?.port) ?? 0, [...at, 'grpc', 'port'], issues);
  for (const key of PROBE_NUMBERS) {
    const n = whole(p[key]);
    if (n !== undefined && n < 0) issues.push({ path: [...at, key], message: `is ${n}: it must not be negative` });
  }
  const success = whole(p.successThreshold);
  if (mustSucceedOnce && success !== undefined && success > 1) {
    issues.push({ path: [...at, 'successThreshold'], message: `is ${success}: a liveness or startup probe passes on its first success, so successThreshold must be 1 (or left out)` });
  }
}

function envIssues(c: Fields | undefined, at: Path, issues: ValidationIssue[]): void {
  items(c?.env).forEach((e, i) => {
    const env = fields(e);
    const path = [...at, 'env', i];
    const name = text(env?.name) ?? '';
    if (name === '') issues.push({ path: [...path, 'name'], message: 'is empty: every env entry needs a name' });
    // RelaxedEnvironmentVariableValidation (on by default since 1.32): printable ASCII but "=".
    else if (!isEnvName(name)) issues.push({ path: [...path, 'name'], message: `${quote(name)} is not a variable name: printable ASCII characters other than "=" only` });
    const from = fields(env?.valueFrom);
    if (!from) return;
    const sources = ENV_SOURCES.filter((k) => present(from, k));
    const valuePath = [...path, 'valueFrom'];
    if (sources.length === 0) issues.push({ path: valuePath, message: 'names no source: give one of configMapKeyRef, secretKeyRef, fieldRef or resourceFieldRef' });
    else if ((text(env?.value) ?? '') !== '') issues.push({ path: valuePath, message: `is given beside value: an env entry has a value or a valueFrom, not both; remove one` });
    else if (sources.length > 1) issues.push({ path: valuePath, message: `has ${sources.length} sources (${sources.join(', ')}): give exactly one` });
    for (const ref of ['configMapKeyRef', 'secretKeyRef'] as const) {
      const key = text(fields(from[ref])?.key);
      const bad = key === undefined || key === '' ? undefined : configMapKey(key);
      if (bad) issues.push({ path: [...valuePath, ref, 'key'], message: `the key ${quote(key ?? '')} ${bad}, so no ${ref === 'secretKeyRef' ? 'Secret' : 'ConfigMap'} can hold it` });
    }
  });
}

/** RelaxedEnvironmentVariableValidation (on by default since 1.32): printable ASCII but "=" (`1FOO` is fine). */
const isEnvName = (name: string): boolean => !/[^\x20-\x7e]|=/.test(name);

function envFromIssues(c: Fields | undefined, at: Path, issues: ValidationIssue[]): void {
  items(c?.envFrom).forEach((e, i) => {
    const from = fields(e);
    const path = [...at, 'envFrom', i];
    const prefix = text(from?.prefix) ?? '';
    if (prefix !== '' && !isEnvName(prefix)) issues.push({ path: [...path, 'prefix'], message: `${quote(prefix)} is not a variable name prefix: printable ASCII characters other than "=" only` });
    const sources = (['configMapRef', 'secretRef'] as const).filter((k) => present(from, k));
    if (sources.length === 0) issues.push({ path, message: 'names no source: give configMapRef or secretRef' });
    else if (sources.length > 1) issues.push({ path, message: 'gives both configMapRef and secretRef: write one per entry' });
    for (const ref of sources) {
      if ((text(fields(from?.[ref])?.name) ?? '') === '') issues.push({ path: [...path, ref, 'name'], message: `is missing: name the ${ref === 'configMapRef' ? 'ConfigMap' : 'Secret'} to read` });
    }
  });
}

function mountIssues(c: Fields | undefined, at: Path, volumes: Set<string>, issues: ValidationIssue[]): void {
  const paths = new Set<string>();
  items(c?.volumeMounts).forEach((m, i) => {
    const mount = fields(m);
    const path = [...at, 'volumeMounts', i];
    const name = text(mount?.name) ?? '';
    if (!volumes.has(name)) {
      const known = [...volumes];
      issues.push({ path: [...path, 'name'], message: `${quote(name)} is not a volume of this pod (${known.length === 0 ? 'it declares none' : `it declares ${known.join(', ')}`}): add it under volumes, or mount one of those` });
    }
    const mountPath = text(mount?.mountPath) ?? '';
    if (mountPath === '') issues.push({ path: [...path, 'mountPath'], message: 'is empty: every mount needs the path it is mounted at' });
    else if (paths.has(mountPath)) issues.push({ path: [...path, 'mountPath'], message: `${quote(mountPath)} is the mountPath of another mount of this container too: each path holds one mount` });
    paths.add(mountPath);
    if ((text(mount?.subPath) ?? '') !== '' && (text(mount?.subPathExpr) ?? '') !== '') issues.push({ path: [...path, 'subPathExpr'], message: 'is given beside subPath: write one of them' });
  });
}

/** A resource kubelet cannot overcommit: an extended resource (`nvidia.com/gpu`) or hugepages. */
const notOvercommitted = (name: string): boolean => name.startsWith('hugepages-') || (name.includes('/') && !name.includes('kubernetes.io/'));

function resourceIssues(r: Fields | undefined, at: Path, issues: ValidationIssue[]): void {
  if (!r) return;
  const read = (which: 'requests' | 'limits'): Map<string, { written: string; exact: Exact }> => {
    const out = new Map<string, { written: string; exact: Exact }>();
    for (const [name, v] of Object.entries(fields(r[which]) ?? {})) {
      const written = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : undefined;
      const exact = written === undefined ? undefined : exactQuantity(written);
      if (written === undefined || !exact) continue;
      const path = [...at, which, name];
      if (!name.includes('/') && !CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
        issues.push({ path, message: `${quote(name)} is not a resource a container can ask for: cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource with its domain (nvidia.com/gpu)` });
      }
      if (isNegative(exact)) issues.push({ path, message: `is ${written}: a quantity must not be negative` });
      else if (notOvercommitted(name) && !name.startsWith('hugepages-') && !isWhole(exact)) issues.push({ path, message: `is ${written}: ${name} is counted in whole units` });
      out.set(name, { written, exact });
    }
    return out;
  };
  const limits = read('limits');
  for (const [name, request] of read('requests')) {
    const limit = limits.get(name);
    const path = [...at, 'requests', name];
    if (limit === undefined) {
      if (notOvercommitted(name)) issues.push({ path, message: `is requested without a limit: ${name} cannot be overcommitted, so set limits.${name} to the same amount` });
      continue;
    }
    const order = compareExact(request.exact, limit.exact);
    if (notOvercommitted(name) && order !== 0) issues.push({ path, message: `is ${request.written} and the limit ${limit.written}: ${name} cannot be overcommitted, so its request must equal its limit` });
    else if (order > 0) issues.push({ path, message: `is ${request.written}, more than the limit of ${limit.written}: a request must not exceed its limit; raise limits.${name} or lower the request` });
  }
}
