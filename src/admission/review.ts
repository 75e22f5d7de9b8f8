// One AdmissionReview in, one answer out: decode -> engine -> response. Pure and synchronous
// (the engine reads only caches through the Lookup), so the server handler stays thin.
import { type PolicyConfig, settingsFor } from '../config/policy-config.js';
import { describeZodError, describeZodIssues } from '../engine/describe-zod-error.js';
import { evaluateObject } from '../engine/evaluate.js';
import { decide, type Decision, type Finding } from '../engine/finding.js';
import type { Lookup } from '../engine/lookup.js';
import { decodeObject, type ObjectMeta } from '../engine/objects.js';
import { ConfigSchemaDocument } from '../schema/document.js';
import { type AdmissionRequest, decodeReview } from './decode.js';
import { checkExemption } from './exemptions.js';
import { type AdmissionResponse, allowUntouched, buildResponse } from './respond.js';

export interface ReviewDeps {
  readonly lookup: Lookup;
  readonly config: PolicyConfig;
  /** Labels of a namespace, for namespaceOverrides; undefined when unknown. */
  readonly namespaceLabels?: (namespace: string) => Readonly<Record<string, string>> | undefined;
}

export interface ReviewSummary {
  readonly uid: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly operation: string;
  readonly username: string | undefined;
  readonly decision: Decision;
  /** Why the object was not evaluated, when it was not. */
  readonly skipped?: string;
  readonly findings: readonly Finding[];
  readonly exempted: readonly string[];
  /** Deny findings downgraded because the old object already had them. */
  readonly preexisting: number;
}

export type ReviewOutcome =
  | { readonly ok: true; readonly response: AdmissionResponse; readonly summary: ReviewSummary }
  | { readonly ok: false; readonly error: string; readonly uid?: string };

const CHECKED = new Set(['Deployment', 'ConfigMap', 'ConfigSchema']);
/** Written by the kube-controller-manager into every namespace; never blocked (namespace creation depends on it). */
const ROOT_CA = 'kube-root-ca.crt';

/** ConfigMap data as the API server sends it: a flat map of strings (or absent). */
const isStringMap = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'));

/** Equal flat string maps; anything else is "changed" and goes on to be decoded (and refused there). */
const sameData = (a: unknown, b: unknown) =>
  isStringMap(a) && isStringMap(b) && JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

function skip(req: AdmissionRequest, reason: string): ReviewOutcome {
  return { ok: true, response: allowUntouched(req.uid), summary: { ...summarize(req, [], [], 0), skipped: reason } };
}

/** Why a request needs no evaluation, or undefined when it does. */
function skipReason(req: AdmissionRequest): string | undefined {
  if (req.operation === 'DELETE' || req.operation === 'CONNECT') return `${req.operation} is never checked`;
  if (!CHECKED.has(req.kind.kind)) return `kind ${req.kind.kind} is not checked`;
  if (req.kind.kind === 'ConfigMap') {
    if (req.name === ROOT_CA) return `${ROOT_CA} is never blocked`;
    const o = req.object as { data?: unknown; binaryData?: unknown } | undefined;
    const old = req.oldObject as { data?: unknown; binaryData?: unknown } | undefined;
    // Leader election and other metadata-only updates: nothing a policy looks at changed.
    if (req.operation === 'UPDATE' && old && sameData(o?.data, old.data) && sameData(o?.binaryData, old.binaryData)) {
      return 'UPDATE changes neither data nor binaryData';
    }
  }
  return undefined;
}

export function reviewAdmission(body: unknown, deps: ReviewDeps): ReviewOutcome {
  const decoded = decodeReview(body);
  if (!decoded.ok) return decoded;
  const req = decoded.request;
  const reason = skipReason(req);
  if (reason) return skip(req, reason);

  const namespace = req.namespace ?? 'default';
  const subject = `${req.kind.kind} ${namespace}/${req.name ?? '(unnamed)'}`;
  const findings: Finding[] = [];
  const exempted: string[] = [];
  let preexisting = 0;
  const annotations: Record<string, string> = {};

  if (req.kind.kind === 'ConfigSchema') {
    const parsed = ConfigSchemaDocument.safeParse(req.object);
    if (!parsed.success) {
      for (const issue of describeZodIssues(parsed.error)) {
        findings.push({ policy: 'config-schema', action: 'deny', path: issue.path, message: `invalid ConfigSchema: ${issue.message}` });
      }
    }
  } else {
    const object = decodeObject(req.object);
    if (!object.success) {
      // The API server only sends objects it has validated, so this is Rollsafe not reading a
      // valid object: fail open with a warning rather than block the cluster.
      return outcome(req, subject, [{ policy: 'decode', action: 'warn', path: '', message: `rollsafe could not read this object (${describeZodError(object.error)[0] ?? 'unknown'}); it was not checked` }], [], 0, {});
    }
    const old = req.operation === 'UPDATE' ? decodeObject(req.oldObject) : undefined;
    const oldObject = old?.success ? old.data : undefined;
    const settings = settingsFor(deps.config, namespace, deps.namespaceLabels?.(namespace));
    const ctx = { lookup: deps.lookup, defaultNamespace: namespace, settingsFor: () => settings };
    let current = evaluateObject(object.data, ctx);

    const exemption = checkExemption(object.data.metadata, oldObject?.metadata as ObjectMeta | undefined, req.userInfo, deps.config.exemptions);
    if (exemption.kind === 'refused') findings.push(exemption.finding);
    if (exemption.kind === 'granted') {
      const used = current.filter((f) => exemption.policies.includes(f.policy));
      current = current.filter((f) => !exemption.policies.includes(f.policy));
      exempted.push(...new Set(used.map((f) => f.policy)));
      annotations['rollsafe.dev/exempted'] = `${exemption.policies.join(',')} (${exemption.reason})`;
    }

    if (oldObject && deps.config.existingViolations === 'warn') {
      const before = new Set(evaluateObject(oldObject, ctx).filter((f) => f.action === 'deny').map((f) => `${f.policy}\u0000${f.path}`));
      current = current.map((f) => {
        if (f.action !== 'deny' || !before.has(`${f.policy}\u0000${f.path}`)) return f;
        preexisting++;
        return { ...f, action: 'warn' as const, message: `predates this change (the object already had it): ${f.message}` };
      });
    }
    findings.push(...current);
  }
  return outcome(req, subject, findings, exempted, preexisting, annotations);
}

function summarize(req: AdmissionRequest, findings: Finding[], exempted: string[], preexisting: number): ReviewSummary {
  return {
    uid: req.uid,
    kind: req.kind.kind,
    namespace: req.namespace ?? '',
    name: req.name ?? '',
    operation: req.operation,
    username: req.userInfo.username,
    decision: decide(findings),
    findings,
    exempted,
    preexisting,
  };
}

function outcome(req: AdmissionRequest, subject: string, findings: Finding[], exempted: string[], preexisting: number, annotations: Record<string, string>): ReviewOutcome {
  return {
    ok: true,
    response: buildResponse({ uid: req.uid, subject, findings, annotations }),
    summary: summarize(req, findings, exempted, preexisting),
  };
}
