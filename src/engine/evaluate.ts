// The engine: objects + lookup + settings -> findings. Pure: no I/O, no clock, no logger.
import { POLICIES } from '../policies/index.js';
import { type Action, actionRank, type Finding, type Issue, stronger, weaker } from './finding.js';
import type { Lookup } from './lookup.js';
import type { KnownObject } from './objects.js';
import type { CheckedKind, ObjectOfKind, Policy } from './policy.js';

/** What the policy configuration says for one namespace (already validated). */
export interface PolicySettings {
  /** Objects in an excluded namespace are not checked at all. */
  readonly excluded: boolean;
  /** Explicit action per policy id; absent means the policy's default (and the case's level). */
  readonly actions: Readonly<Record<string, Action>>;
  /** Parsed options per policy id; absent means the policy's defaults. */
  readonly options: Readonly<Record<string, unknown>>;
}

export const defaultSettings: PolicySettings = { excluded: false, actions: {}, options: {} };

export interface EvaluateContext {
  readonly lookup: Lookup;
  /** Namespace for objects whose manifest has none. */
  readonly defaultNamespace: string;
  readonly settingsFor: (namespace: string) => PolicySettings;
  readonly policies?: readonly Policy<CheckedKind, unknown>[];
  /** On UPDATE, the object as stored before (policies such as configmap-in-place compare). */
  readonly previous?: KnownObject | undefined;
}

export const isChecked = (o: KnownObject): o is ObjectOfKind<CheckedKind> =>
  o.kind === 'Deployment' || o.kind === 'ConfigMap';

/** The action of one issue: an explicit setting wins, then the case's level, then the default. */
export function actionFor(policy: Policy<CheckedKind, unknown>, explicit: Action | undefined, issue: Issue): Action {
  if (issue.level === 'hard') return explicit ?? stronger(policy.defaultAction, 'deny');
  const base = explicit ?? policy.defaultAction;
  return issue.level === 'soft' ? weaker(base, 'warn') : base;
}

const defaults = new WeakMap<object, unknown>();
/** A policy's options with nothing configured, parsed once. */
function defaultOptions(policy: Policy<CheckedKind, unknown>): unknown {
  if (!defaults.has(policy)) defaults.set(policy, policy.options.parse({}));
  return defaults.get(policy);
}

/** Findings of one object. Objects of kinds no policy checks give none. */
export function evaluateObject(object: KnownObject, ctx: EvaluateContext): Finding[] {
  if (!isChecked(object)) return [];
  const namespace = object.metadata.namespace ?? ctx.defaultNamespace;
  const settings = ctx.settingsFor(namespace);
  if (settings.excluded) return [];
  const findings: Finding[] = [];
  const previous = ctx.previous?.kind === object.kind && isChecked(ctx.previous) ? ctx.previous : undefined;
  for (const policy of ctx.policies ?? POLICIES) {
    if (!(policy.kinds as readonly string[]).includes(object.kind)) continue;
    const explicit = settings.actions[policy.id];
    if (explicit === 'off') continue;
    const configured = settings.options[policy.id];
    const options = configured === undefined ? defaultOptions(policy) : policy.options.parse(configured);
    for (const issue of policy.check(object, { lookup: ctx.lookup, namespace, options, previous })) {
      const action = actionFor(policy, explicit, issue);
      if (action === 'off') continue;
      findings.push({
        policy: policy.id,
        action,
        path: issue.path,
        message: `${issue.message}; ${issue.fix ?? policy.fix}`,
        ...(issue.about !== undefined && { about: issue.about }),
        ...(issue.value !== undefined && { value: issue.value }),
        ...(issue.covers !== undefined && { covers: issue.covers }),
      });
    }
  }
  return findings;
}

const YIELDS = new Map(POLICIES.flatMap((p) => (p.yieldsTo ? [[p.id, p.yieldsTo] as const] : [])));

/**
 * The findings without those of a policy with `yieldsTo` where that policy reports the same
 * problem at the same path. Applied to what is reported, after exemptions and the matching of an
 * UPDATE's old findings: an exemption of the policy yielded to must not silence the one that yielded.
 */
export function withoutYielded<F extends Finding>(findings: F[]): F[] {
  if (!findings.some((f) => YIELDS.has(f.policy))) return findings;
  return findings.filter((f) => {
    const to = YIELDS.get(f.policy);
    return to === undefined || !findings.some((g) => g.policy === to.policy && g.covers === to.covers && g.path === f.path && actionRank(g.action) >= actionRank(f.action));
  });
}
