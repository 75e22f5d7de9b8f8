// Rollsafe's policy configuration: which action each policy takes, where, with which options.
// One zod schema is the type, the check and the documentation; the file is validated once and
// a wrong key or value is an error naming it.
import { z } from 'zod';
import { type DescribedIssue, describeZodIssues } from '../engine/describe-zod-error.js';
import type { Action } from '../engine/finding.js';
import type { PolicySettings } from '../engine/evaluate.js';
import { matchesSelector } from '../engine/selector.js';
import { POLICIES, policyById } from '../policies/index.js';

const POLICY_IDS = POLICIES.map((p) => p.id) as [string, ...string[]];

/** Policies that `profile: strict` raises to deny (DESIGN.md, "Why these defaults"). */
export const STRICT_POLICIES = [
  'readiness-probe',
  'probe-port-undeclared',
  'probe-timing',
  'resources',
  'run-as-non-root',
  'image-pinned',
  'env-empty',
] as const;

const ActionSchema = z.enum(['deny', 'warn', 'audit', 'off']).describe('what a finding of the policy does');

/** Per policy: an action, or {action, options}, with each policy's own options schema. */
const PolicyMap = z
  .strictObject(
    Object.fromEntries(
      POLICIES.map((p) => [
        p.id,
        z
          .union([
            ActionSchema,
            z.strictObject({
              action: ActionSchema.optional(),
              options: p.options.optional().describe(`options of ${p.id} (rollsafe explain ${p.id})`),
            }),
          ])
          .optional(),
      ]),
    ),
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown policy ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; known policies: ${POLICY_IDS.join(', ')}`
          : undefined,
    },
  )
  .default({});

// Names and labels as the API server accepts them (k8s.io/apimachinery validation). Written as
// patterns so the chart's values.schema.json refuses them too. A namespace or label value that
// could never exist, such as `team-*`, would otherwise match nothing, silently: there are no
// patterns in namespace names or selectors.
const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY = new RegExp(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?${NAME}$`);
const LABEL_VALUE = new RegExp(`^(${NAME})?$`);
const noPatterns = (v: unknown) => (typeof v === 'string' && /[*?[\]]/.test(v) ? '; there are no patterns: list each one' : '');

const NamespaceName = z.string().regex(NAMESPACE, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a namespace name (lower-case letters, digits and '-', at most 63)${noPatterns(issue.input)}`,
});
const LabelKey = z.string().regex(LABEL_KEY, { error: (issue) => `${JSON.stringify(issue.input)} is not a label key` });
const LabelValue = z.string().regex(LABEL_VALUE, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a label value (letters, digits, '-', '_', '.', at most 63)${
      noPatterns(issue.input) && '; selectors match whole values, not patterns: use matchExpressions with operator In and a list of values, or a label the namespaces share'
    }`,
});

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/**
 * A namespace selector, validated as the API server validates one (keys, values, operators): a
 * mistyped `in` or a value `team-*` would otherwise match nothing, silently. The operator is an
 * enum rather than a refinement so that the chart's values.schema.json refuses it as well.
 */
const NamespaceSelector = z
  .strictObject({
    // A number, boolean or null value is read as the string a label would hold (`tier: 1`), as before.
    matchLabels: z
      .record(LabelKey, z.union([LabelValue, z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v))))
      .nullish()
      .transform((v) => v ?? {}),
    matchExpressions: z
      .array(
        z.strictObject({
          key: LabelKey,
          operator: z.enum(OPERATORS),
          values: z.array(LabelValue).nullish().transform((v) => v ?? []),
        }),
      )
      .nullish()
      .transform((v) => v ?? []),
  })
  .superRefine((selector, ctx) => {
    selector.matchExpressions.forEach((e, i) => {
      if ((e.operator === 'In' || e.operator === 'NotIn') !== e.values.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['matchExpressions', i, 'values'], message: e.values.length > 0 ? `operator ${e.operator} takes no values` : `operator ${e.operator} needs at least one value` });
      }
    });
  });

export const PolicyConfig = z.strictObject({
  profile: z.enum(['default', 'strict']).default('default').describe('strict raises hygiene policies to deny'),
  existingViolations: z
    .enum(['warn', 'deny'])
    .default('warn')
    .describe('on UPDATE, what a deny finding the old object already had does'),
  policies: PolicyMap.describe('per policy: an action, or {action, options}'),
  staleCache: z
    .enum(['warn', 'deny', 'allow'])
    .default('warn')
    .describe('webhook only: what cross-object findings do while the cluster cache is stale (warn: at most a warning that says so; deny: refuse checked objects; allow: skip them)'),
  excludeNamespaces: z.array(NamespaceName).default([]).describe('namespaces never checked'),
  exemptions: z
    .strictObject({
      allowedGroups: z.array(z.string()).default([]).describe('groups whose members may set the rollsafe.dev/exempt annotation'),
      allowedUsers: z.array(z.string()).default([]).describe('users who may set the rollsafe.dev/exempt annotation'),
    })
    .default({ allowedGroups: [], allowedUsers: [] })
    .describe('webhook only: who may exempt an object from policies'),
  namespaceOverrides: z
    .array(
      z.strictObject({
        namespaceSelector: NamespaceSelector.describe(
          'namespace labels; kubernetes.io/metadata.name holds the namespace name',
        ),
        policies: PolicyMap,
      }),
    )
    .default([])
    .describe('later entries win'),
});
export type PolicyConfig = z.infer<typeof PolicyConfig>;

export const defaultPolicyConfig: PolicyConfig = PolicyConfig.parse({});

export class PolicyConfigError extends Error {
  constructor(
    readonly source: string,
    /** Each problem with the path of the setting it names (`policies.replicas`), for its line in the file. */
    readonly issues: readonly DescribedIssue[],
  ) {
    super(`${source}: invalid policy configuration:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'PolicyConfigError';
  }
}

export function parsePolicyConfig(raw: unknown, source: string): PolicyConfig {
  const parsed = PolicyConfig.safeParse(raw ?? {});
  if (!parsed.success) throw new PolicyConfigError(source, describeZodIssues(parsed.error));
  const written = isRecord(raw) ? raw : {};
  const overrides = Array.isArray(written.namespaceOverrides) ? (written.namespaceOverrides as unknown[]) : [];
  return {
    ...parsed.data,
    policies: writtenOptions(parsed.data.policies, written.policies),
    namespaceOverrides: parsed.data.namespaceOverrides.map((o, i) => {
      const entry = overrides[i];
      return { ...o, policies: writtenOptions(o.policies, isRecord(entry) ? entry.policies : undefined) };
    }),
  };
}

type PolicyMap = z.infer<typeof PolicyMap>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Options as the file wrote them, without the defaults zod filled in. An override's options are
 * merged key by key over the options already in force, and a default it did not write must not
 * undo a value `policies` set (an override of minLivenessGraceSeconds put minPeriodSeconds back
 * to 5). settingsFor fills the defaults once everything is merged.
 */
function writtenOptions(map: PolicyMap, raw: unknown): PolicyMap {
  return Object.fromEntries(
    Object.entries(map).map(([id, setting]) => {
      const given = isRecord(raw) && isRecord(raw[id]) ? raw[id].options : undefined;
      if (typeof setting !== 'object' || !isRecord(setting.options) || !isRecord(given)) return [id, setting];
      const options = Object.fromEntries(Object.entries(setting.options).filter(([key]) => Object.hasOwn(given, key)));
      return [id, { ...setting, options }];
    }),
  );
}

function apply(map: PolicyMap, actions: Record<string, Action>, options: Record<string, Record<string, unknown>>) {
  for (const [id, setting] of Object.entries(map)) {
    if (setting === undefined) continue;
    if (typeof setting === 'string') actions[id] = setting;
    else {
      if (setting.action) actions[id] = setting.action;
      if (isRecord(setting.options)) options[id] = { ...options[id], ...setting.options };
    }
  }
}

/** Settings for one namespace: profile, then `policies`, then matching overrides in order. */
export function settingsFor(
  config: PolicyConfig,
  namespace: string,
  namespaceLabels: Readonly<Record<string, string>> = {},
): PolicySettings {
  if (config.excludeNamespaces.includes(namespace)) return { excluded: true, actions: {}, options: {} };
  const actions: Record<string, Action> = {};
  const options: Record<string, Record<string, unknown>> = {};
  if (config.profile === 'strict') for (const id of STRICT_POLICIES) actions[id] = 'deny';
  apply(config.policies, actions, options);
  const labels = { 'kubernetes.io/metadata.name': namespace, ...namespaceLabels };
  for (const o of config.namespaceOverrides) {
    if (matchesSelector(o.namespaceSelector, labels)) apply(o.policies, actions, options);
  }
  // Each part was validated on its own; the merge of valid parts is valid, and parsing fills the defaults.
  const parsed = Object.fromEntries(Object.entries(options).map(([id, o]) => [id, policyById(id)?.options.parse(o) ?? o]));
  return { excluded: false, actions, options: parsed };
}
