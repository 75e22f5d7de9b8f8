// The AdmissionReview answer kubectl shows: deny with every problem in status.message (capped,
// with the count of the rest) and all of them in status.details.causes; warnings whole when they
// leave room under the API server's 4 KiB, else each fitted to the 256 characters it would cut
// them to, and only the first few beside a denial; audit findings as annotations.
// Audit annotation keys are bare names (the policy id, `exempted`): the API server files each one
// under `<webhook name>/<key>` and drops, with only a klog line, any key that already has a `/`
// (checkKeyFormat in k8s.io/apiserver admission/attributes.go), so `rollsafe.dev/<policy>` never
// reached the audit log.
import type { Finding } from '../engine/finding.js';
import { printable } from '../engine/printable.js';
import { ADMISSION_API_VERSION } from './decode.js';

export const WARNING_MAX = 256;
export const WARNINGS_TOTAL_MAX = 4096;
/**
 * The most characters of warnings sent whole: the rest of the API server's 4 KiB is left to its
 * own warnings (a deprecated API version) and to other webhooks' on the same request.
 */
export const WARNINGS_WHOLE_MAX = 3072;
export const MESSAGE_MAX_LINES = 10;
/**
 * Warnings sent with a denial. kubectl prints every warning before the error, so 13 warnings of a
 * Deployment with one blocking problem put that problem a screen below the command (found by a
 * review of kubectl 1.37's output); the rest are counted in one more line.
 */
export const DENIAL_WARNINGS_MAX = 3;
/** Longest audit annotation value written (characters). */
export const AUDIT_VALUE_MAX = 2048;

export interface AdmissionResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: 'AdmissionReview';
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; reason: string; message: string; details?: { causes: { field: string; message: string; reason: string }[] } };
    warnings?: string[];
    auditAnnotations?: Record<string, string>;
  };
}

export const line = (f: Finding) => (f.path ? `[${f.policy}] ${f.path}: ${f.message}` : `[${f.policy}] ${f.message}`);

// A warning the API server passes on: it drops one holding a control character or invalid
// UTF-8, so controls are written as \uXXXX escapes (printable) and text is never cut inside a
// surrogate pair (cutAt).

/** The first n UTF-16 units of s, one fewer when the cut would split a surrogate pair. */
const cutAt = (s: string, n: number) => {
  const code = s.charCodeAt(n - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
};

/** One warning under 256 characters: drop the fix (after the last "; ") first, then cut. */
export function fitWarning(f: Finding): string {
  return fitText(printable(line(f)));
}

/** fitWarning of a warning's printable text. */
function fitText(full: string): string {
  if (full.length <= WARNING_MAX) return full;
  const cut = full.lastIndexOf('; ');
  const withoutFix = cut > 0 ? full.slice(0, cut) : full;
  return withoutFix.length <= WARNING_MAX ? withoutFix : `${cutAt(withoutFix, WARNING_MAX - 1)}…`;
}

/**
 * The warnings for kubectl. The API server passes warnings on whole until a request's warnings
 * reach 4096 characters; past that it cuts every one of them, ours and other webhooks', to 256
 * (truncateAtTotalRunes, truncateItemRunes in k8s.io/apiserver endpoints/filters/warning.go). So
 * warnings that leave a quarter of that free are sent whole, problem, consequence and fix; more
 * are each fitted to 256 by Rollsafe (the fix dropped first, not cut mid-word by the API server),
 * and at 4 KiB the rest is counted in a last line.
 */
export function fitWarnings(findings: readonly Finding[]): string[] {
  const whole = findings.map((f) => printable(line(f)));
  let size = 0;
  for (const w of whole) size += w.length;
  if (size <= WARNINGS_WHOLE_MAX) return whole;
  const out: string[] = [];
  let total = 0;
  for (const [i, text] of whole.entries()) {
    const w = fitText(text);
    const rest = whole.length - i;
    const tail = `… and ${rest} more warning(s); run rollsafe check on the manifest for all of them`;
    // The last warning needs no room for a tail after it; any other does. Past 4 KiB the API
    // server truncates and drops warnings of later admission steps (endpoints/filters/warning.go).
    if (total + w.length + (rest > 1 ? tail.length : 0) > WARNINGS_TOTAL_MAX) {
      out.push(tail);
      break;
    }
    out.push(w);
    total += w.length;
  }
  return out;
}

export interface ResponseInput {
  readonly uid: string;
  /** "Deployment shop/api" */
  readonly subject: string;
  readonly findings: readonly Finding[];
  /** Extra audit annotations (exemptions used), keyed by bare names: the API server adds `<webhook name>/`. */
  readonly annotations?: Readonly<Record<string, string>>;
}

export function buildResponse({ uid, subject, findings, annotations }: ResponseInput): AdmissionResponse {
  const denies = findings.filter((f) => f.action === 'deny');
  const warns = findings.filter((f) => f.action === 'warn');
  const audits = findings.filter((f) => f.action === 'audit');
  const response: AdmissionResponse['response'] = { uid, allowed: denies.length === 0 };
  if (denies.length > 0) {
    // Control characters escaped as in warnings: kubectl prints the message to a terminal as is,
    // and an annotation value or user name quoted in a finding may carry escape sequences.
    const shown = denies.slice(0, MESSAGE_MAX_LINES).map((f) => printable(line(f)));
    const more = denies.length - shown.length;
    response.status = {
      code: 403,
      reason: 'Forbidden',
      message: [`rollsafe denied ${subject}: ${denies.length} problem(s)`, ...shown, ...(more > 0 ? [`… and ${more} more (all in status.details.causes, or run rollsafe check on the manifest)`] : [])].join('\n'),
      details: { causes: denies.map((f) => ({ field: printable(f.path), message: printable(`[${f.policy}] ${f.message}`), reason: 'FieldValueInvalid' })) },
    };
  }
  if (denies.length > 0 && warns.length > DENIAL_WARNINGS_MAX + 1) {
    const more = warns.length - DENIAL_WARNINGS_MAX;
    response.warnings = [...fitWarnings(warns.slice(0, DENIAL_WARNINGS_MAX)), `… and ${more} more warning(s), which do not block this change; run rollsafe check on the manifest for all of them`];
  } else if (warns.length > 0) response.warnings = fitWarnings(warns);
  const audit: Record<string, string> = { ...annotations };
  for (const f of audits) {
    const key = f.policy;
    audit[key] = audit[key] ? `${audit[key]}; ${f.path}: ${f.message}` : `${f.path}: ${f.message}`;
  }
  // Values carry an exemption's reason and audit findings' messages: escaped as warnings are, and
  // cut, so one object cannot write an unbounded entry into every audit log event.
  for (const [key, raw] of Object.entries(audit)) {
    const value = printable(raw);
    audit[key] = value.length > AUDIT_VALUE_MAX ? `${cutAt(value, AUDIT_VALUE_MAX - 1)}…` : value;
  }
  if (Object.keys(audit).length > 0) response.auditAnnotations = audit;
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response };
}

export function allowUntouched(uid: string): AdmissionResponse {
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response: { uid, allowed: true } };
}
