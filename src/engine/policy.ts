// The shape of a rollout-safety policy: everything a user or reviewer needs about it, in one object.
import type { z } from 'zod';
import type { Action, Issue } from './finding.js';
import type { Lookup } from './lookup.js';
import type { KnownObject } from './objects.js';

export type CheckedKind = 'Deployment' | 'ConfigMap';
export type ObjectOfKind<K extends CheckedKind> = Extract<KnownObject, { kind: K }>;

export interface PolicyContext<O> {
  readonly lookup: Lookup;
  /** The object's namespace, defaulted when the manifest leaves it out. */
  readonly namespace: string;
  readonly options: O;
  /** On UPDATE, the object as stored before this change (webhook only). */
  readonly previous?: ObjectOfKind<CheckedKind> | undefined;
}

export interface Policy<K extends CheckedKind = CheckedKind, O = unknown> {
  readonly id: string;
  readonly kinds: readonly K[];
  readonly defaultAction: Exclude<Action, 'off'>;
  /** One line: what the policy requires. */
  readonly summary: string;
  /** One paragraph: the failure it prevents. */
  readonly rationale: string;
  /** One short sentence appended to findings that carry no fix of their own. */
  readonly fix: string;
  /** The policy's options; unknown options are rejected when the configuration is loaded. */
  readonly options: z.ZodType<O>;
  /**
   * The check reads other objects through the Lookup. When the webhook's cluster cache is stale,
   * its findings follow `staleCache` instead of their action.
   */
  readonly crossObject?: boolean;
  /**
   * A policy that says the same thing more precisely where it applies: a finding of this one is
   * left out where that policy has one at the same path that covers the same problem (Issue.covers)
   * with an action at least as strong (an empty env var that a ConfigSchema requires is judged by
   * its schema), so one problem is one line. A finding there about another problem keeps both.
   */
  readonly yieldsTo?: { readonly policy: string; readonly covers: NonNullable<Issue['covers']> };
  check(object: ObjectOfKind<K>, ctx: PolicyContext<O>): Issue[];
}

/** Identity function that gives each policy file its types. */
export function definePolicy<K extends CheckedKind, O>(policy: Policy<K, O>): Policy<K, O> {
  return policy;
}
