// What the engine reports. A finding is not an error: it is one problem in one field,
// with the action the policy configuration gives it.

/** Ordered from weakest to strongest; `off` findings are dropped before they are reported. */
export const ACTIONS = ['off', 'audit', 'warn', 'deny'] as const;
export type Action = (typeof ACTIONS)[number];

export const actionRank = (a: Action): number => ACTIONS.indexOf(a);
export const weaker = (a: Action, b: Action): Action => (actionRank(a) <= actionRank(b) ? a : b);
export const stronger = (a: Action, b: Action): Action => (actionRank(a) >= actionRank(b) ? a : b);

/**
 * What a policy's check returns: a field and a sentence. The action is decided by the engine.
 * - `soft`: this case is never worse than a warning (e.g. a ConfigMap that may be created a moment later).
 * - `hard`: this case denies under the default configuration even when the policy defaults to warn
 *   (e.g. an HPA that can never scale); an explicit action for the policy still wins.
 */
export interface Issue {
  readonly path: string;
  readonly message: string;
  readonly level?: 'soft' | 'hard';
  /** Replaces the policy's general fix when this case has a more precise one. */
  readonly fix?: string;
  /**
   * What the problem is about when its path does not say it alone (a ConfigMap key seen by
   * several consumers) or may move (`envFrom[0]` becomes `envFrom[1]` when an entry is added
   * before it). An UPDATE's findings are matched with the old object's by policy, this (else the
   * path) and `value`, so it must name the problem on its own: an old problem of one consumer
   * never excuses a new one of another.
   */
  readonly about?: string;
  /**
   * The value the problem lies in, when the object's author writes it (an env value, a probe's
   * port, an image). Never shown: it may be a secret. On UPDATE a finding whose value changed is
   * a new problem, not one the old object had: the author edited the broken field and left it
   * broken (`25connections` -> `30connections`).
   */
  readonly value?: string;
  /**
   * Which problem this is, where another policy may find the same one and yield to this one
   * (Policy.yieldsTo): `empty` (a required value left empty), `loopback` (an address on the pod itself).
   */
  readonly covers?: 'empty' | 'loopback';
}

export interface Finding {
  readonly policy: string;
  readonly action: Exclude<Action, 'off'>;
  readonly path: string;
  readonly message: string;
  /** From the issue; see Issue.about. */
  readonly about?: string;
  /** From the issue; see Issue.value. Compared on UPDATE, then dropped: never in an answer or a log. */
  readonly value?: string;
  /** From the issue; see Issue.covers. */
  readonly covers?: Issue['covers'];
}

export type Decision = 'allow' | 'warn' | 'deny';

/** deny if any finding denies, warn if any warns, otherwise allow (audit findings allow). */
export function decide(findings: readonly Finding[]): Decision {
  if (findings.some((f) => f.action === 'deny')) return 'deny';
  if (findings.some((f) => f.action === 'warn')) return 'warn';
  return 'allow';
}
