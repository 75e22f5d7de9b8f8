// One AdmissionReview in, one answer out: decode -> engine -> response. Pure and synchronous
// (the engine reads only caches through the Lookup), so the server handler stays thin.
import { type PolicyConfig, settingsFor } from '../config/policy-config.js';
import { describeZodError, describeZodIssues } from '../engine/describe-zod-error.js';
import { evaluateObject, withoutYielded } from '../engine/evaluate.js';
import { type Impact, schemaImpact } from '../engine/schema-impact.js';
import { POLICIES } from '../policies/index.js';
import { decide, type Decision, type Finding } from '../engine/finding.js';
import type { Lookup } from '../engine/lookup.js';
import { decodeObject, type ObjectMeta } from '../engine/objects.js';
import { ConfigSchemaDocument } from '../schema/document.js';
import { type AdmissionRequest, decodeReview } from './decode.js';
import { checkExemption, EXEMPT, inapplicableExemption, misplacedExemption, sameExemption } from './exemptions.js';
import { type AdmissionResponse, allowUntouched, buildResponse } from './respond.js';

export interface ReviewDeps {
  readonly lookup: Lookup;
  readonly config: PolicyConfig;
  /** Labels of a namespace, for namespaceOverrides; undefined when unknown. */
  readonly namespaceLabels?: (namespace: string) => Readonly<Record<string, string>> | undefined;
  /** How far the cluster cache behind `lookup` can be trusted; absent without cluster access. */
  readonly cache?: CacheTrust;
}

/** `stale`: the cache has not been in sync with the API server for longer than the configured bound. */
export type CacheTrust = { readonly stale: false } | { readonly stale: true; readonly ageSeconds: number };

/** Impacts of a ConfigSchema change listed as warnings; the rest are counted. */
const IMPACTS_SHOWN = 10;

const CROSS_OBJECT = new Set(POLICIES.filter((p) => p.crossObject).map((p) => p.id));

/**
 * While the cache is stale, findings that read other objects follow `staleCache`: `warn` keeps
 * them as at most warnings that say the lookup could not be trusted, `allow` drops them, `deny`
 * refuses the object (fail closed).
 */
function applyStaleness(findings: Finding[], deps: ReviewDeps): Finding[] {
  const cache = deps.cache;
  if (!cache?.stale) return findings;
  const why = staleWhy(cache.ageSeconds);
  switch (deps.config.staleCache) {
    case 'allow':
      return findings.filter((f) => !CROSS_OBJECT.has(f.policy));
    case 'deny':
      return findings; // refused as a whole by staleDenial, after existing violations are matched

    case 'warn':
      return findings.map((f) =>
        CROSS_OBJECT.has(f.policy) ? { ...f, action: f.action === 'deny' ? 'warn' : f.action, message: `not verified, ${why}: ${f.message}` } : f,
      );
  }
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
/** The annotation of a ConfigMap leader-election lock (client-go's legacy ConfigMap lock). */
const LEADER = 'control-plane.alpha.kubernetes.io/leader';

/** ConfigMap data as the API server sends it: a flat map of strings (or absent). */
const isStringMap = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'));

/** Equal flat string maps; anything else is "changed" and goes on to be decoded (and refused there). */
const sameData = (a: unknown, b: unknown) =>
  isStringMap(a) && isStringMap(b) && JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

interface StoredConfigMap {
  readonly data?: unknown;
  readonly binaryData?: unknown;
  readonly metadata?: { readonly annotations?: unknown; readonly deletionTimestamp?: unknown };
}

/** The annotations of an object as sent, when they are a map. */
const annotationsOf = (o: StoredConfigMap | undefined): Readonly<Record<string, unknown>> | undefined => {
  const a = o?.metadata?.annotations;
  return typeof a === 'object' && a !== null ? (a as Record<string, unknown>) : undefined;
};

function skip(req: AdmissionRequest, reason: string): ReviewOutcome {
  return { ok: true, response: allowUntouched(req.uid), summary: { ...summarize(req, [], [], 0), skipped: reason } };
}

/** Why a request needs no evaluation, or undefined when it does. */
function skipReason(req: AdmissionRequest): string | undefined {
  if (req.operation === 'DELETE' || req.operation === 'CONNECT') return `${req.operation} is never checked`;
  // A subresource cannot change what policies read: the status strategy keeps the stored spec and
  // metadata, and scale's kind is Scale. A configuration that sends them (rules with
  // `deployments/*`) must not let a controller's status update be refused (staleCache: deny,
  // a ConfigMap key removed since the last rollout).
  if (req.subResource) return `subresource ${req.subResource} is never checked`;
  if (!CHECKED.has(req.kind.kind)) return `kind ${req.kind.kind} is not checked`;
  // Finalizers are removed by UPDATEs of an object already being deleted (the garbage collector's
  // foreground deletion, controllers' cleanup): nothing of it will run again, and refusing one
  // (existingViolations: deny, staleCache: deny) would leave it Terminating for good.
  if (req.operation === 'UPDATE' && (req.object as StoredConfigMap | undefined)?.metadata?.deletionTimestamp) return 'the object is being deleted (metadata.deletionTimestamp is set)';
  if (req.kind.kind === 'ConfigMap') {
    if (req.name === ROOT_CA) return `${ROOT_CA} is never blocked`;
    const o = req.object as StoredConfigMap | undefined;
    const old = req.oldObject as StoredConfigMap | undefined;
    // The CREATE of a leader-election lock: no data to check, and leader election must not wait
    // for the webhook. As the chart's not-leader-election matchCondition: not with data (the
    // annotation must not let data past) nor with an exemption (it must be checked before it is kept).
    const annotations = annotationsOf(o);
    if (req.operation === 'CREATE' && annotations?.[LEADER] !== undefined && annotations[EXEMPT] === undefined && o?.data == null && o?.binaryData == null) {
      return 'a leader-election lock without data is never blocked';
    }
    // Leader election and other metadata-only updates: nothing a policy looks at changed. Not when
    // the exemption annotations change: an unchanged exemption is kept whoever sends it, so one
    // set here unchecked would be honoured at the next data change.
    if (req.operation === 'UPDATE' && old && sameData(o?.data, old.data) && sameData(o?.binaryData, old.binaryData) && sameExemption(annotationsOf(o), annotationsOf(old))) {
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
      // A schema stored before a rule existed (or before this webhook) may be relabelled: with
      // its spec unchanged, its mistakes predate the change and are warnings (existingViolations).
      // Any change to the spec must leave it valid: a message does not show the value, so a new
      // mistake at the same path would otherwise pass as the old one.
      const specOf = (o: unknown) => JSON.stringify((o as { spec?: unknown } | null | undefined)?.spec ?? null);
      const unchanged = req.operation === 'UPDATE' && deps.config.existingViolations === 'warn' && specOf(req.oldObject) === specOf(req.object);
      for (const issue of describeZodIssues(parsed.error)) {
        const predates = unchanged && issue.path.startsWith('spec');
        if (predates) preexisting++;
        findings.push({ policy: 'config-schema', action: predates ? 'warn' : 'deny', path: issue.path, message: `${predates ? 'predates this change: ' : ''}invalid ConfigSchema: ${issue.message}` });
      }
    } else {
      const { metadata, spec } = parsed.data;
      findings.push(...applyStaleness(impactWarnings(schemaImpact({ namespace: metadata.namespace ?? namespace, name: metadata.name, spec }, deps.lookup)), deps));
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
    const evaluated = evaluateObject(object.data, { ...ctx, previous: oldObject });
    let current = applyStaleness(evaluated, deps);

    // Also in excludeNamespaces, where nothing else is checked: an unchanged exemption is kept
    // whoever sends it, so one stored there unchecked would hold once the namespace is checked.
    const exemption = checkExemption(object.data.metadata, oldObject?.metadata as ObjectMeta | undefined, req.userInfo, deps.config.exemptions, settings.excluded ? undefined : evaluated);
    if (exemption.kind === 'refused') findings.push(exemption.finding);
    if (exemption.kind === 'granted') {
      const used = current.filter((f) => exemption.policies.includes(f.policy));
      current = current.filter((f) => !exemption.policies.includes(f.policy));
      exempted.push(...new Set(used.map((f) => f.policy)));
      // What this request skipped, as the log and rollsafe_exemptions_total count it: an auditor
      // must not read `exempted` on a request whose listed policies found nothing to skip.
      if (exempted.length > 0) {
        annotations.exempted = `${exempted.join(',')} (${exemption.reason})`;
        // The one who applies sees it too, not only the audit log: kubectl prints this warning.
        findings.push({
          policy: 'exemption',
          action: 'warn',
          path: `metadata.annotations[${EXEMPT}]`,
          message: `${used.length} finding(s) of ${exempted.join(', ')} not enforced, exempted (${exemption.reason}); remove the annotation once they are fixed`,
        });
      }
    }
    const misplaced = misplacedExemption(object.data) ?? (exemption.kind === 'granted' ? inapplicableExemption(object.data) : undefined);
    if (misplaced) findings.push(misplaced);

    let downgraded: ReadonlySet<Finding> = new Set();
    if (oldObject && deps.config.existingViolations === 'warn') {
      const matched = judgeExisting(current, applyStaleness(evaluateObject(oldObject, ctx), deps));
      current = matched.findings;
      downgraded = matched.downgraded;
    }
    const reported = withoutYielded(current);
    // Denials let through as predating this change, counted as reported (not those yielded away).
    preexisting = reported.filter((f) => downgraded.has(f)).length;
    // The values were only for matching: they may be secrets, and findings are logged.
    findings.push(...reported.map(({ value: _value, covers: _covers, ...shown }) => shown));
  }
  // Fail closed on a stale cache, except where nothing is checked (excludeNamespaces).
  if (!deps.config.excludeNamespaces.includes(namespace)) findings.push(...staleDenial(deps));
  return outcome(req, subject, findings, exempted, preexisting, annotations);
}

/** What a finding is about: its policy and subject (`about`, else the path), whatever its value. */
const subjectOf = (f: Finding) => `${f.policy}\u0000${f.about ?? f.path}`;

/**
 * A finding of the old object and one of the new are the same problem: same subject and same
 * value. Not the message: it also shows what the change may alter around the problem (the
 * replica count, the ports declared), which does not make it new. A value the change altered
 * does: the author edited the broken field and left it broken (`25connections` -> `30connections`).
 */
const sameProblem = (f: Finding) => `${subjectOf(f)}\u0000${f.value === undefined ? 'no value' : `=${f.value}`}`;

/**
 * existingViolations: warn. A deny finding the old object already had becomes a warning that
 * says it predates the change. One whose field this change edited and left wrong stays a deny
 * and says so: its author saw it pass as a warning until now and must see why it blocks. A
 * warning the old object already had says it predates the change too, and every finding this
 * change brought comes first: beside a denial kubectl shows only the first warnings, and a hotfix
 * of a legacy Deployment must not read as if it had made its seven old warnings.
 */
function judgeExisting(current: readonly Finding[], old: readonly Finding[]): { findings: Finding[]; downgraded: ReadonlySet<Finding> } {
  const denied = old.filter((f) => f.action === 'deny');
  const before = new Set(denied.map(sameProblem));
  const subjects = new Set(denied.map(subjectOf));
  const warned = new Set(old.filter((f) => f.action === 'warn').map(sameProblem));
  const downgraded = new Set<Finding>();
  const fresh: Finding[] = [];
  const older: Finding[] = [];
  for (const f of current) {
    if (f.action === 'deny' && before.has(sameProblem(f))) {
      const warning: Finding = { ...f, action: 'warn', message: `predates this change: ${f.message}` };
      downgraded.add(warning);
      older.push(warning);
    } else if (f.action === 'warn' && (warned.has(sameProblem(f)) || before.has(sameProblem(f)))) {
      older.push({ ...f, message: `predates this change: ${f.message}` });
    } else if (f.action === 'deny' && subjects.has(subjectOf(f))) {
      fresh.push({ ...f, message: `edited by this change, still a problem: ${f.message}` });
    } else fresh.push(f);
  }
  return { findings: [...fresh, ...older], downgraded };
}

const staleWhy = (ageSeconds: number) => `the cluster cache has not synced with the API server for ${Math.round(ageSeconds)} s`;

/** With `staleCache: deny` and a stale cache, the one finding that refuses the object (fail closed). */
function staleDenial(deps: ReviewDeps): Finding[] {
  const cache = deps.cache;
  if (!cache?.stale || deps.config.staleCache !== 'deny') return [];
  return [{ policy: 'stale-cache', action: 'deny', path: '', message: `${staleWhy(cache.ageSeconds)}, so cross-object checks cannot be trusted (staleCache: deny); retry once the webhook has reconnected` }];
}

/** A ConfigSchema that would fail objects already stored: each as a warning (allowed: the objects run today). */
function impactWarnings(impacts: readonly Impact[]): Finding[] {
  const shown = impacts.slice(0, IMPACTS_SHOWN).map((i): Finding => ({
    policy: 'config-schema',
    action: 'warn',
    path: 'spec.keys',
    message: `${i.object} would fail this schema at its next change: ${i.path}: ${i.message}`,
  }));
  const more = impacts.length - shown.length;
  if (more > 0) shown.push({ policy: 'config-schema', action: 'warn', path: 'spec.keys', message: `… and ${more} more problem(s) in objects this schema binds` });
  return shown;
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
