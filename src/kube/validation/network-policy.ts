// A NetworkPolicy as networking validation checks it on create (Kubernetes 1.37): its selectors,
// ports, peers and CIDRs (strict, as StrictIPCIDRValidation reads them), and policy types.
import { portName, PROTOCOLS } from './formats.js';
import { cidrProblem, strictSubset } from './net.js';
import { fields, type Fields, items, type Path, quote, text, type ValidationIssue, whole } from './raw.js';
import { selectorIssues } from './selector.js';


/**
 * StrictIPCIDRValidation (on by default since 1.36) refuses these forms when a NetworkPolicy is
 * created; an update keeps the CIDRs the stored object already has.
 */
const createOnly = (problem: string): string =>
  /bits set beyond|leading 0|IPv4-mapped/.test(problem) ? ' (refused when the NetworkPolicy is created; an existing one with this exact value may still be updated)' : '';
const TYPES = ['Ingress', 'Egress'];

function portIssues(p: Fields, path: Path, issues: ValidationIssue[]): void {
  const protocol = text(p.protocol);
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) issues.push({ path: [...path, 'protocol'], message: `is ${quote(protocol)}: write one of ${PROTOCOLS.join(', ')} (upper case)` });
  const port = p.port;
  const end = whole(p.endPort);
  if (typeof port === 'number') {
    if (port < 1 || port > 65535) issues.push({ path: [...path, 'port'], message: `is ${port}: a port number is 1 to 65535` });
    if (end !== undefined) {
      if (end < port) issues.push({ path: [...path, 'endPort'], message: `is ${end}, below port ${port}: the range runs from port to endPort` });
      if (end < 1 || end > 65535) issues.push({ path: [...path, 'endPort'], message: `is ${end}: a port number is 1 to 65535` });
    }
  } else if (typeof port === 'string') {
    if (end !== undefined) issues.push({ path: [...path, 'endPort'], message: `is set with the named port ${quote(port)}: a range needs a port number` });
    const bad = portName(port);
    if (bad) issues.push({ path: [...path, 'port'], message: `the port name ${quote(port)} ${bad}` });
  } else if (end !== undefined) {
    issues.push({ path: [...path, 'endPort'], message: 'is set without port: a range needs a port number to start from' });
  }
}

function peerIssues(peer: Fields, path: Path, issues: ValidationIssue[]): void {
  let peers = 0;
  for (const key of ['podSelector', 'namespaceSelector'] as const) {
    if (peer[key] == null) continue;
    peers++;
    issues.push(...selectorIssues(fields(peer[key]) ?? {}, [...path, key]));
  }
  const block = peer.ipBlock == null ? undefined : fields(peer.ipBlock) ?? {};
  if (block) {
    peers++;
    const cidr = text(block.cidr) ?? '';
    const bad = cidr === '' ? 'is missing: write the address range, such as 10.0.0.0/8' : cidrProblem(cidr);
    if (bad) issues.push({ path: [...path, 'ipBlock', 'cidr'], message: cidr === '' ? bad : `${quote(cidr)} ${bad}${createOnly(bad)}` });
    // The API server still checks except against a cidr with host bits set (it parses sloppily).
    if (!bad || /bits set beyond/.test(bad)) {
      items(block.except).forEach((e, i) => {
        const except = text(e) ?? '';
        const badExcept = cidrProblem(except);
        if (badExcept) issues.push({ path: [...path, 'ipBlock', 'except', i], message: `${quote(except)} ${badExcept}${createOnly(badExcept)}` });
        else if (!strictSubset(except, cidr)) issues.push({ path: [...path, 'ipBlock', 'except', i], message: `${quote(except)} is not a strict subset of cidr ${quote(cidr)}: except carves smaller ranges out of cidr` });
      });
    }
  }
  if (peers === 0) issues.push({ path, message: 'is empty: a peer names a podSelector, a namespaceSelector or an ipBlock (leave from/to out to allow every peer)' });
  else if (peers > 1 && block) issues.push({ path, message: 'has an ipBlock beside a selector: an ipBlock peer stands alone; write it as its own entry' });
}

export function networkPolicyIssues(object: unknown): ValidationIssue[] {
  const spec = fields(fields(object)?.spec) ?? {};
  const issues: ValidationIssue[] = [];
  issues.push(...selectorIssues(fields(spec.podSelector) ?? {}, ['spec', 'podSelector']));
  for (const [direction, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
    items(spec[direction]).forEach((r, i) => {
      const rule = fields(r) ?? {};
      items(rule.ports).forEach((p, j) => portIssues(fields(p) ?? {}, ['spec', direction, i, 'ports', j], issues));
      items(rule[peersKey]).forEach((p, j) => peerIssues(fields(p) ?? {}, ['spec', direction, i, peersKey, j], issues));
    });
  }
  const types = items(spec.policyTypes);
  if (types.length > 2) issues.push({ path: ['spec', 'policyTypes'], message: `lists ${types.length} types: a policy is Ingress, Egress or both` });
  else {
    types.forEach((t, i) => {
      if (!TYPES.includes(text(t) ?? '')) issues.push({ path: ['spec', 'policyTypes', i], message: `is ${quote(text(t) ?? '')}: write Ingress or Egress (with a capital)` });
    });
  }
  return issues;
}
