// A pod's and a container's securityContext as core validation checks it (Kubernetes 1.37): the
// ids, the seccomp profile, procMount and the policies. Not `privileged`, which the cluster's
// --allow-privileged decides.
import { fields, type Fields, items, type Path, quote, text, type ValidationIssue, whole } from './raw.js';

const MAX_ID = 2 ** 31 - 1;
const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const PROC_MOUNTS = ['Default', 'Unmasked'];
const FS_GROUP_POLICIES = ['Always', 'OnRootMismatch'];
const SYSCTL_SEGMENT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL = new RegExp(`^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`);

function idIssues(sc: Fields, keys: readonly string[], path: Path, issues: ValidationIssue[]): void {
  for (const key of keys) {
    const id = whole(sc[key]);
    if (id !== undefined && (id < 0 || id > MAX_ID)) issues.push({ path: [...path, key], message: `is ${id}: a user or group id is 0 to ${MAX_ID}` });
  }
}

function seccompIssues(sc: Fields, path: Path, issues: ValidationIssue[]): void {
  const profile = sc.seccompProfile == null ? undefined : fields(sc.seccompProfile) ?? {};
  if (!profile) return;
  const at = [...path, 'seccompProfile'];
  const type = text(profile.type) ?? '';
  if (type === '') issues.push({ path: [...at, 'type'], message: 'is missing: write RuntimeDefault (the container runtime\'s profile), Localhost or Unconfined' });
  else if (!SECCOMP_TYPES.includes(type)) issues.push({ path: [...at, 'type'], message: `is ${quote(type)}: write one of ${SECCOMP_TYPES.join(', ')} (with these capitals)` });
  if (type === 'Localhost' && profile.localhostProfile == null) issues.push({ path: [...at, 'localhostProfile'], message: 'is missing: type Localhost loads the profile file it names, relative to the kubelet\'s seccomp directory' });
  if (type !== 'Localhost' && profile.localhostProfile != null) issues.push({ path: [...at, 'localhostProfile'], message: `is set with type ${type === '' ? '(none)' : type}: only type Localhost reads a profile file` });
}

export function podSecurityIssues(spec: Fields, at: Path): ValidationIssue[] {
  const sc = fields(spec.securityContext);
  if (!sc) return [];
  const path = [...at, 'securityContext'];
  const issues: ValidationIssue[] = [];
  idIssues(sc, ['fsGroup', 'runAsUser', 'runAsGroup'], path, issues);
  items(sc.supplementalGroups).forEach((g, i) => {
    const id = whole(g);
    if (id !== undefined && (id < 0 || id > MAX_ID)) issues.push({ path: [...path, 'supplementalGroups', i], message: `is ${id}: a group id is 0 to ${MAX_ID}` });
  });
  const policy = text(sc.fsGroupChangePolicy);
  if (policy !== undefined && !FS_GROUP_POLICIES.includes(policy)) issues.push({ path: [...path, 'fsGroupChangePolicy'], message: `is ${quote(policy)}: write OnRootMismatch or Always` });
  seccompIssues(sc, path, issues);
  items(sc.sysctls).forEach((x, i) => {
    const name = text(fields(x)?.name) ?? '';
    if (name.length > 253 || !SYSCTL.test(name)) issues.push({ path: [...path, 'sysctls', i, 'name'], message: `${quote(name)} is not a sysctl name: lower-case segments of letters, digits, "-" and "_", joined by "." or "/" (net.ipv4.ip_unprivileged_port_start)` });
  });
  return issues;
}

export function containerSecurityIssues(c: Fields, at: Path): ValidationIssue[] {
  const sc = fields(c.securityContext);
  if (!sc) return [];
  const path = [...at, 'securityContext'];
  const issues: ValidationIssue[] = [];
  idIssues(sc, ['runAsUser', 'runAsGroup'], path, issues);
  const procMount = text(sc.procMount);
  if (procMount !== undefined && !PROC_MOUNTS.includes(procMount)) issues.push({ path: [...path, 'procMount'], message: `is ${quote(procMount)}: write Default or Unmasked` });
  seccompIssues(sc, path, issues);
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) issues.push({ path, message: 'sets privileged: true and allowPrivilegeEscalation: false, which contradict each other: a privileged container can always escalate; drop one' });
    if (items(fields(sc.capabilities)?.add).includes('CAP_SYS_ADMIN')) issues.push({ path, message: 'adds CAP_SYS_ADMIN with allowPrivilegeEscalation: false, which contradict each other' });
  }
  return issues;
}
