// Exemptions: `rollsafe.dev/exempt: "policy-a,policy-b"` with a required
// `rollsafe.dev/exempt-reason`, honoured only for users or groups the policy configuration
// allows. Anyone else setting (or changing) the annotation is denied. An UPDATE that leaves both
// annotations as they were keeps the exemption: it was approved when it was set, and a
// developer's image bump must not be blocked by an exemption an admin granted.
import type { Finding } from '../engine/finding.js';
import type { KnownObject, ObjectMeta } from '../engine/objects.js';
import { POLICIES, policyById } from '../policies/index.js';

export const EXEMPT = 'rollsafe.dev/exempt';
export const EXEMPT_REASON = 'rollsafe.dev/exempt-reason';

export interface Requester {
  readonly username?: string | undefined;
  readonly groups?: readonly string[] | undefined;
}

export interface ExemptionRules {
  readonly allowedGroups: readonly string[];
  readonly allowedUsers: readonly string[];
}

export type ExemptionResult =
  | { kind: 'none' }
  | { kind: 'granted'; policies: readonly string[]; reason: string }
  | { kind: 'refused'; finding: Finding };

const refuse = (message: string): ExemptionResult => ({
  kind: 'refused',
  finding: { policy: 'exemption', action: 'deny', path: `metadata.annotations[${EXEMPT}]`, message },
});

type Annotations = Readonly<Record<string, unknown>> | undefined;

/** Both annotations as they were: an exemption already granted, kept whoever sends the update. */
export const sameExemption = (a: Annotations, b: Annotations): boolean => a?.[EXEMPT] === b?.[EXEMPT] && a?.[EXEMPT_REASON] === b?.[EXEMPT_REASON];

/** Who may set the annotation, as the configuration lists them. */
function whoMay(rules: ExemptionRules): string {
  const groups = rules.allowedGroups.length > 0 ? `a member of ${rules.allowedGroups.join(', ')}` : undefined;
  const users = rules.allowedUsers.length > 0 ? rules.allowedUsers.join(', ') : undefined;
  if (groups && users) return `${users} or ${groups}`;
  return groups ?? users ?? 'a cluster admin to list you in exemptions.allowedUsers or allowedGroups of the Rollsafe policy configuration, then';
}

/** A few of the requester's names, each cut: the annotation may hold up to 256 KiB of them. */
function shownNames(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((p) => (p.length > 64 ? `${p.slice(0, 63)}…` : p));
  const more = names.length > shown.length ? ` and ${names.length - shown.length} more` : '';
  return `${shown.join(', ')}${more}`;
}

/** The policy ids an annotation value lists, each once: `a,a` skips nothing more than `a`, and a repeated id would repeat in every message. */
const listedIds = (raw: string): string[] => [...new Set(raw.split(',').map((p) => p.trim()).filter(Boolean))];

/**
 * `found`: the object's findings as evaluated (undefined when it was not: an excluded namespace),
 * so a refusal can say that the exemption is not needed at all.
 */
export function checkExemption(meta: ObjectMeta, old: ObjectMeta | undefined, who: Requester, rules: ExemptionRules, found: readonly { readonly policy: string }[] | undefined): ExemptionResult {
  const raw = meta.annotations[EXEMPT];
  if (raw === undefined) return { kind: 'none' };
  const policies = listedIds(raw);
  const reason = meta.annotations[EXEMPT_REASON]?.trim() ?? '';
  const unchanged = sameExemption(old?.annotations, meta.annotations);
  const allowed =
    (who.username !== undefined && rules.allowedUsers.includes(who.username)) ||
    (who.groups ?? []).some((g) => rules.allowedGroups.includes(g));
  // Said first to someone who may not set it: fixing a typo or adding a reason would only lead
  // them, one denial later, to this answer.
  if (!allowed && !unchanged) {
    const user = who.username ?? 'this user';
    const listed = policies.length > 0 ? ` (${shownNames(policies)})` : '';
    // The list kept and only the reason edited: an exemption granted before, which this user may
    // keep as it is but not re-word (the reason is what the audit log shows for it).
    if (old?.annotations?.[EXEMPT] === raw && old.annotations[EXEMPT_REASON] !== undefined) {
      return refuse(`${user} may not change ${EXEMPT_REASON} of the exemption from policies${listed}; keep the reason as it was, or ask ${whoMay(rules)} to change it`);
    }
    // "Not needed" only when that is known: the object was evaluated and every id is a policy.
    const needless = found !== undefined && policies.length > 0 && policies.every((p) => policyById(p) !== undefined) && !found.some((f) => policies.includes(f.policy));
    const otherwise = needless ? `or remove it: ${policies.length > 1 ? 'none of these policies finds a problem' : 'that policy finds no problem'} in this object` : 'or fix the findings';
    return refuse(`${user} may not exempt objects from policies${listed}; ask ${whoMay(rules)} to set ${EXEMPT}, ${otherwise}`);
  }
  const unknown = policies.filter((p) => policyById(p) === undefined);
  if (policies.length === 0) return refuse(`${EXEMPT} names no policy; list policy ids separated by commas, or remove it`);
  if (unknown.length > 0) {
    return refuse(`${EXEMPT} names unknown polic${unknown.length > 1 ? 'ies' : 'y'} ${shownNames(unknown)}; known: ${POLICIES.map((p) => p.id).join(', ')}`);
  }
  if (reason === '') return refuse(`${EXEMPT} needs a ${EXEMPT_REASON} annotation saying why; add one`);
  return { kind: 'granted', policies, reason };
}

/**
 * The annotation written on a Deployment's pod template (a chart's `podAnnotations`, the only
 * annotations many charts expose) is copied to every pod and read by nobody: without this the
 * findings stay denied with no word on why the exemption did nothing.
 */
export function misplacedExemption(object: KnownObject): Finding | undefined {
  if (object.kind !== 'Deployment' || object.metadata.annotations[EXEMPT] !== undefined) return undefined;
  const template = object.spec.template.metadata?.annotations ?? {};
  const key = template[EXEMPT] !== undefined ? EXEMPT : template[EXEMPT_REASON] !== undefined ? EXEMPT_REASON : undefined;
  if (key === undefined) return undefined;
  return {
    policy: 'exemption',
    action: 'warn',
    path: `spec.template.metadata.annotations[${key}]`,
    message: `is on the pod template, where Rollsafe does not read it: it exempts nothing; move ${EXEMPT} and ${EXEMPT_REASON} to the Deployment's own metadata.annotations`,
  };
}

/**
 * Listed policies that never check this kind (`configmap-in-place` on a Deployment): such an
 * exemption is granted and skips nothing, and whoever wrote it believes a finding is silenced.
 */
export function inapplicableExemption(object: KnownObject): Finding | undefined {
  const raw = object.metadata.annotations[EXEMPT];
  if (raw === undefined) return undefined;
  const other = listedIds(raw).filter((id) => {
    const policy = policyById(id);
    return policy !== undefined && !(policy.kinds as readonly string[]).includes(object.kind);
  });
  if (other.length === 0) return undefined;
  const which = other.length > 1 ? 'policies that do' : 'a policy that does';
  return {
    policy: 'exemption',
    action: 'warn',
    path: `metadata.annotations[${EXEMPT}]`,
    message: `names ${shownNames(other)}, ${which} not check ${object.kind}s: it exempts nothing here; remove ${other.length > 1 ? 'them' : 'it'} from the list`,
  };
}

const SERVICE_ACCOUNT = /^system:serviceaccount:([^:]+):[^:]+$/;

/**
 * A requester as the API server sees it: every authenticated request is in system:authenticated
 * (group.AuthenticatedGroupAdder), and a service account's token also puts it in
 * system:serviceaccounts and system:serviceaccounts:<namespace> (serviceaccount.MakeGroupNames,
 * k8s.io/apiserver). `check --as` names only the user, and allowedGroups naming one of these
 * must be honoured there as the webhook honours it.
 */
export function asAuthenticated(who: Requester): Requester {
  if (who.username === undefined || who.username === 'system:anonymous') return who;
  const namespace = SERVICE_ACCOUNT.exec(who.username)?.[1];
  const implied = ['system:authenticated', ...(namespace === undefined ? [] : ['system:serviceaccounts', `system:serviceaccounts:${namespace}`])];
  return { username: who.username, groups: [...new Set([...(who.groups ?? []), ...implied])] };
}
