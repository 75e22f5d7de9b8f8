// `rollsafe check`: documents in, one result per checked object out. No printing here.
import { z } from 'zod';
import { type DescribedIssue, type DescribeIssue, describeZodError, describeZodIssues, renderPath } from '../engine/describe-zod-error.js';
import { evaluateObject, isChecked, withoutYielded } from '../engine/evaluate.js';
import { type Decision, decide, type Finding } from '../engine/finding.js';
import { decodeObject, KNOWN_KINDS, type KnownObject } from '../engine/objects.js';
import { type PolicyConfig, settingsFor } from '../config/policy-config.js';
import type { LoadedSchema } from '../engine/lookup.js';
import { ConfigSchemaDocument } from '../schema/document.js';
import { documentLookup } from './document-lookup.js';
import { collectInputError, InputError } from './input-error.js';
import { duplicateNotes, placesByIdentity } from './duplicates.js';
import { locate } from './locate.js';
import { schemaReachNotes } from './schema-reach.js';
import { documentName, type SourceDocument } from './read-documents.js';
import { describeWrongType } from './wrong-type.js';
import { retypedKeys } from './yaml-keys.js';
import { servedVersions, structuralIssues } from '../kube/structure.js';
import { ANNOTATIONS_LIMIT, LAST_APPLIED, lastAppliedSize } from '../kube/last-applied.js';
import { serverSideApplyIssues } from '../kube/server-side-apply.js';
import { type ValidationIssue, validationIssues } from '../kube/validation/index.js';
import { describeStructuralIssue } from './structure-message.js';
import { asAuthenticated, checkExemption, EXEMPT, inapplicableExemption, misplacedExemption, type Requester } from '../admission/exemptions.js';

export interface LocatedFinding extends Finding {
  /** 1-based line of the field in the file. */
  readonly line: number;
}

export interface ObjectResult {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly decision: Decision;
  readonly findings: LocatedFinding[];
  /** Policies skipped through `rollsafe.dev/exempt`, granted to the user of `--as`. */
  readonly exempted?: readonly string[];
}

/** A Deployment or ConfigMap in a namespace of `excludeNamespaces`: not checked, not a result. */
export interface ExcludedObject {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface CheckSummary {
  readonly files: number;
  readonly objects: number;
  readonly checked: number;
  /** Objects of kinds no policy checks (Services, HPAs and Namespaces are still used for lookups). */
  readonly skipped: number;
  /** Deployments and ConfigMaps in a namespace of `excludeNamespaces` (still used for lookups). */
  readonly excluded: number;
  /** ConfigSchema documents applied (from the paths and --schemas). */
  readonly schemas: number;
  /**
   * Documents with neither kind nor apiVersion in files found by searching a directory (a
   * Grafana dashboard, a Helm values file, package.json): not manifests, so not read.
   */
  readonly notManifests: number;
  /** Files and documents that could not be read or decoded (`errors`): their objects are not checked. */
  readonly errors: number;
  readonly decisions: Record<Decision, number>;
  readonly findings: Record<Finding['action'], number>;
}

export interface CheckReport {
  readonly results: ObjectResult[];
  readonly excluded: ExcludedObject[];
  /** Where the documents counted in summary.notManifests are. */
  readonly notManifests: readonly { readonly file: string; readonly line: number }[];
  /**
   * Input errors (invalid YAML, an object the API server would refuse, an invalid ConfigSchema),
   * in the order found: each is reported and the rest is still checked; the run exits 2.
   */
  readonly errors: readonly InputError[];
  /** Said beside the report (stderr): a ConfigSchema whose targets are only in another namespace. */
  readonly notes: readonly string[];
  readonly summary: CheckSummary;
}

export interface CheckOptions {
  /** ConfigSchemas from `--schemas`. */
  readonly schemas?: readonly LoadedSchema[];
  /** Who applies the manifests (`--as`, `--as-group`): exemptions are honoured as the webhook honours them for this user. */
  readonly requester?: Requester;
  /**
   * Files found by searching a directory. A document in one of them with neither kind nor
   * apiVersion is not read: a GitOps repository keeps dashboards, values files and the like next
   * to its manifests. In a file named on the command line it is a mistake, as is a kind without
   * an apiVersion anywhere.
   */
  readonly searched?: ReadonlySet<string>;
  /** Files that could not be read or parsed, reported with the documents' own errors. */
  readonly readErrors?: readonly InputError[];
  /** `--validate`: a field the object's type does not have is an input error (`strict`, kubectl apply's default) or passed over (`ignore`). */
  readonly unknownFields?: 'strict' | 'ignore';
  /**
   * `--server-side`: the manifests are applied without client-side kubectl apply's copy of each
   * object in an annotation (kubectl apply --server-side, Argo CD's ServerSideApply=true, Flux,
   * Helm), so that copy's size is not checked.
   */
  readonly serverSide?: boolean;
}

const Kinded = z.object({ kind: z.string(), apiVersion: z.string().optional() });

const lineOf = (doc: SourceDocument, path: string | undefined) => (path === undefined || path === '(top level)' ? doc.line : locate(doc, path));

/** The line of the first problem listed (a ConfigSchema's problems are listed without their lines). */
const lineOfFirst = (doc: SourceDocument, error: z.ZodError) => lineOf(doc, describeZodIssues(error)[0]?.path);

/**
 * An object's problems as an input error's detail: one on the error's line, several on a line
 * each with its own line; and the error's line, that of the problem found first in the file.
 */
function problemList(doc: SourceDocument, problems: readonly DescribedIssue[]): { line: number; detail: string } {
  const lines = problems.map(({ path }) => lineOf(doc, path));
  const [only] = problems;
  const detail = problems.length === 1 && only ? ` ${only.path}: ${only.message}` : problems.map((p, i) => `\n  ${p.path}: ${p.message} (line ${lines[i]})`).join('');
  return { line: lines.length === 0 ? doc.line : Math.min(...lines), detail };
}

/** Validate a ConfigSchema document; a mistake is an input error naming file, document and path. */
export function loadSchema(doc: SourceDocument, defaultNamespace: string): LoadedSchema {
  refuseUnsendable(doc);
  const parsed = ConfigSchemaDocument.safeParse(doc.value);
  if (!parsed.success) {
    // The CRD refuses a number or boolean for a string (`values: [yes, no]`: "must be of type
    // string", kubectl 1.37) but accepts `minimum: "1"`, which the schema's own messages explain.
    const problems = describeZodError(parsed.error, '', describeWrongType(doc, 'the ConfigSchema', ['string'])).join('\n  ');
    throw new InputError(doc.file, lineOfFirst(doc, parsed.error), `invalid ConfigSchema (${documentName(doc)}):\n  ${problems}`);
  }
  const { metadata, spec } = parsed.data;
  return { namespace: metadata.namespace ?? defaultNamespace, name: metadata.name, spec };
}

/** A manifest kubectl cannot turn into JSON (a `.inf`) is an input error, as kubectl apply fails on it. */
function refuseUnsendable(doc: SourceDocument): void {
  if (doc.refused) throw new InputError(doc.file, doc.refused.line, doc.refused.message);
}

/** The files of the documents passed over as not manifests, for a message: the first three, then a count (`a.json, b.yaml and 2 more file(s)`). */
export function notManifestFiles(report: CheckReport, show: (file: string) => string = (f) => f): string {
  const files = [...new Set(report.notManifests.map((d) => d.file))];
  return `${files.slice(0, 3).map(show).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more file(s)` : ''}`;
}

/** Whether a document has a kind or an apiVersion, whatever their values: a manifest, perhaps a broken one. */
const hasManifestField = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && ('kind' in value || 'apiVersion' in value);

export const isConfigSchema = (doc: SourceDocument): boolean =>
  (doc.value as { kind?: unknown } | null)?.kind === 'ConfigSchema';

export function checkDocuments(
  docs: readonly SourceDocument[],
  files: number,
  config: PolicyConfig,
  defaultNamespace: string,
  { schemas: extraSchemas = [], requester, searched = new Set(), readErrors = [], unknownFields = 'strict', serverSide = false }: CheckOptions = {},
): CheckReport {
  const decoded: { doc: SourceDocument; object: KnownObject }[] = [];
  const schemas = [...extraSchemas];
  const notManifests: { file: string; line: number }[] = [];
  const errors = [...readErrors];
  let skipped = 0;
  for (const doc of docs) {
    const read = collectInputError(errors, () => readDocument(doc, defaultNamespace, searched.has(doc.file), unknownFields, serverSide));
    if (read === undefined) continue;
    if (read.kind === 'not-manifest') notManifests.push({ file: doc.file, line: doc.line });
    else if (read.kind === 'schema') schemas.push(read.schema);
    else if (read.kind === 'other') skipped++;
    else decoded.push({ doc, object: read.object });
  }
  const objects = decoded.map((d) => d.object);
  const lookup = documentLookup(objects, defaultNamespace, schemas);
  const places = placesByIdentity(decoded, defaultNamespace);
  const namespaceLabels = new Map(
    objects.flatMap((o) => (o.kind === 'Namespace' && o.metadata.name ? [[o.metadata.name, o.metadata.labels] as const] : [])),
  );
  const settingsCache = new Map<string, ReturnType<typeof settingsFor>>();
  const ctx = {
    lookup,
    defaultNamespace,
    settingsFor: (ns: string) => {
      let s = settingsCache.get(ns);
      if (!s) settingsCache.set(ns, (s = settingsFor(config, ns, namespaceLabels.get(ns))));
      return s;
    },
  };
  const results: ObjectResult[] = [];
  const excluded: ExcludedObject[] = [];
  for (const { doc, object } of decoded) {
    if (!isChecked(object)) {
      skipped++;
      continue;
    }
    const namespace = object.metadata.namespace ?? defaultNamespace;
    const name = object.metadata.name ?? object.metadata.generateName ?? '(unnamed)';
    if (ctx.settingsFor(namespace).excluded) {
      excluded.push({ file: doc.file, line: doc.line, kind: object.kind, namespace, name });
      continue;
    }
    const exemption = applyExemption(object, evaluateObject(object, ctx), config, requester);
    const findings = [...withoutYielded(exemption.findings), ...retypedKeyNotes(doc), ...duplicateNotes(doc, object, places, defaultNamespace)].map((f) => ({ ...f, line: locate(doc, f.path) }));
    results.push({ file: doc.file, line: doc.line, kind: object.kind, namespace, name, decision: decide(findings), findings, ...(exemption.exempted && { exempted: exemption.exempted }) });
  }
  const summary = summarize(results, files, docs.length - notManifests.length, skipped, excluded.length, schemas.length, notManifests.length, errors.length);
  const notes = schemaReachNotes(schemas, objects, defaultNamespace);
  return { results, excluded, notManifests, errors, notes, summary };
}

type ReadDocument =
  | { readonly kind: 'not-manifest' }
  | { readonly kind: 'schema'; readonly schema: LoadedSchema }
  | { readonly kind: 'other' }
  | { readonly kind: 'object'; readonly object: KnownObject };

/** A kind or apiVersion that is no string, told as any wrong type is, with a fix that writes a kind rather than quoting `yes`. */
function describeKindWrongType(doc: SourceDocument): DescribeIssue {
  const wrongType = describeWrongType(doc, 'Kubernetes');
  return (issue) => {
    const message = wrongType(issue);
    if (message === undefined || issue.path.length !== 1 || issue.path[0] !== 'kind') return message;
    return message.replace(/; quote it: .*$/s, "; write the object's kind, such as kind: Deployment");
  };
}

/** What one document is; an InputError when it is a manifest that cannot be read. */
function readDocument(doc: SourceDocument, defaultNamespace: string, searched: boolean, unknownFields: 'strict' | 'ignore', serverSide: boolean): ReadDocument {
  const kinded = Kinded.safeParse(doc.value);
  if (!kinded.success) {
    // An item of a `kind: List` is meant as a manifest wherever its file was found.
    if (searched && doc.item === undefined && !hasManifestField(doc.value)) return { kind: 'not-manifest' };
    const written = describeZodIssues(kinded.error, '', describeKindWrongType(doc)).filter((p) => p.path === 'kind' || p.path === 'apiVersion');
    // `kind: 5`, `kind: yes`, `apiVersion: 1.0`: say what kubectl reads (it refuses them: "kind isn't string type")
    if (hasManifestField(doc.value) && (doc.value as { kind?: unknown }).kind != null && written.length > 0) {
      const { line, detail } = problemList(doc, written);
      throw new InputError(doc.file, line, `${documentName(doc)} is not a Kubernetes object:${detail}`);
    }
    throw new InputError(doc.file, doc.line, `${documentName(doc)} is not a Kubernetes object (no kind)`);
  }
  refuseUnsendable(doc);
  if (kinded.data.kind === 'ConfigSchema') return { kind: 'schema', schema: loadSchema(doc, defaultNamespace) };
  refuseUndecodable(doc, kinded.data.kind, kinded.data.apiVersion, unknownFields);
  if (serverSide) refuseUnappliable(doc, kinded.data.kind, kinded.data.apiVersion);
  refuseInvalid(doc, kinded.data.kind, kinded.data.apiVersion, serverSide, defaultNamespace);
  if (!KNOWN_KINDS.includes(kinded.data.kind)) return { kind: 'other' };
  const parsed = decodeObject(doc.value);
  if (!parsed.success) {
    const { line, detail } = problemList(doc, describeZodIssues(parsed.error, '', describeWrongType(doc, 'Kubernetes')));
    throw new InputError(doc.file, line, `invalid ${kinded.data.kind} (${documentName(doc)}):${detail}`);
  }
  return { kind: 'object', object: parsed.data };
}

/** Problems listed in one input error at most; the rest are counted. */
const MAX_LISTED = 20;

/**
 * What the API server refuses while decoding the object (a field its type does not have, a value
 * of the wrong type: src/kube/structure.ts), all of it in one input error, as kubectl apply would
 * refuse the file: for every built-in kind in its GA version, also those the policies skip (a
 * StatefulSet, a Secret). An apiVersion without a known schema (a custom resource, a beta
 * version) is left alone, but for a Deployment or HPA in a version Kubernetes 1.37 no longer serves.
 */
function refuseUndecodable(doc: SourceDocument, kind: string, apiVersion: string | undefined, unknownFields: 'strict' | 'ignore'): void {
  // Only for the kinds the engine decodes: another kind may be served in a beta version a cluster enables.
  const served = KNOWN_KINDS.includes(kind) ? servedVersions(kind) : [];
  if (apiVersion !== undefined && served.length > 0 && !served.includes(apiVersion)) {
    // kubectl 1.37: `no matches for kind "Deployment" in version "extensions/v1beta1"`
    const selector = kind === 'Deployment' && (doc.value as { spec?: { selector?: unknown } }).spec?.selector == null ? ' (and add spec.selector, which apps/v1 requires)' : '';
    throw new InputError(
      doc.file,
      lineOf(doc, 'apiVersion'),
      `${documentName(doc)}: Kubernetes 1.37 serves no ${kind} in ${apiVersion}, so kubectl apply refuses it (no matches for kind "${kind}" in version "${apiVersion}"); write apiVersion: ${served.join(' or ')}${selector}`,
    );
  }
  const issues = structuralIssues(doc.value, apiVersion ?? '', kind)?.filter((i) => unknownFields === 'strict' || i.code !== 'unknown-field');
  if (issues === undefined || issues.length === 0) return;
  refuseListing(doc, `invalid ${kind} (${documentName(doc)})`, issues.slice(0, MAX_LISTED).map((i) => describeStructuralIssue(doc, kind, i)), issues.length);
}

/** One input error: `header`, then problems (the first MAX_LISTED of `total`, then a count), at the line of the first. */
function refuseListing(doc: SourceDocument, header: string, listed: readonly DescribedIssue[], total: number): never {
  const { line, detail } = problemList(doc, listed);
  const more = total > MAX_LISTED ? `\n  and ${total - MAX_LISTED} more problem(s)` : '';
  throw new InputError(doc.file, line, `${header}:${detail}${more}`);
}

/** The first MAX_LISTED issues of src/kube with their paths written out. */
const listedIssues = (issues: readonly ValidationIssue[]): DescribedIssue[] =>
  issues.slice(0, MAX_LISTED).map((i) => ({ path: renderPath(i.path) || '(top level)', message: i.message }));

/**
 * `--server-side`: what server-side apply refuses as it turns the manifest into a typed patch, before
 * validation (src/kube/server-side-apply.ts): two env entries of one name, two ports of one number
 * and protocol, metadata.managedFields.
 */
function refuseUnappliable(doc: SourceDocument, kind: string, apiVersion: string | undefined): void {
  const issues = serverSideApplyIssues(doc.value, apiVersion ?? '', kind);
  if (issues.length === 0) return;
  refuseListing(doc, `invalid ${kind} (${documentName(doc)}): server-side apply refuses it (failed to create typed patch object)`, listedIssues(issues), issues.length);
}

/**
 * What the API server's validation refuses once the object decodes (422 Invalid: a selector that
 * does not match the pod template, a request above its limit, a mount of an undeclared volume;
 * src/kube/validation), all of it in one input error. kubectl refuses it with every --validate.
 * Unless `serverSide`, also an object too large for the copy client-side kubectl apply adds to
 * its annotations, of any kind (custom resources and CRDs too: every object's metadata is validated).
 */
function refuseInvalid(doc: SourceDocument, kind: string, apiVersion: string | undefined, serverSide: boolean, defaultNamespace: string): void {
  const issues = validationIssues(doc.value, apiVersion ?? '', kind);
  const copy = serverSide ? undefined : lastAppliedIssue(doc.value, defaultNamespace);
  if (copy) issues.push(copy);
  if (issues.length === 0) return;
  const name = (doc.value as { metadata?: { name?: unknown } }).metadata?.name;
  const told = `The ${kind} ${JSON.stringify(typeof name === 'string' ? name : '')} is invalid`;
  refuseListing(doc, `invalid ${kind} (${documentName(doc)}): the API server refuses it, so kubectl apply fails (${told})`, listedIssues(issues), issues.length);
}

/**
 * The annotations once client-side kubectl apply has added its copy of the object, when that
 * takes them past the API server's 256 KiB and they were within it before (when they were not,
 * validation says so on its own).
 */
function lastAppliedIssue(value: unknown, defaultNamespace: string): ValidationIssue | undefined {
  const size = lastAppliedSize(value, defaultNamespace);
  if (size === undefined || size.total <= ANNOTATIONS_LIMIT || size.annotations > ANNOTATIONS_LIMIT) return undefined;
  const n = (x: number) => x.toLocaleString('en-US');
  return {
    path: ['metadata', 'annotations'],
    message:
      `kubectl apply adds the annotation ${LAST_APPLIED}, a copy of the whole object (${n(size.copy)} bytes), which brings the annotations to ${n(size.total)} bytes, ` +
      `more than the ${ANNOTATIONS_LIMIT} (256 KiB) the API server allows; apply it server-side (kubectl apply --server-side; Argo CD: the ServerSideApply=true sync option; ` +
      'Flux and Helm add no copy) and check with rollsafe check --server-side, or split the object',
  };
}

/**
 * `rollsafe.dev/exempt` as the webhook would treat it when `requester` applies the object. Who
 * applies a manifest decides (a person, or a GitOps controller's service account), so without
 * `--as` the exemption is not applied and a warning says how to check as that user.
 */
function applyExemption(object: KnownObject, findings: Finding[], config: PolicyConfig, requester: Requester | undefined): { findings: Finding[]; exempted?: string[] } {
  if (object.kind !== 'Deployment' && object.kind !== 'ConfigMap') return { findings };
  const misplaced = misplacedExemption(object);
  if (misplaced) return { findings: [...findings, misplaced] };
  if (object.metadata.annotations[EXEMPT] === undefined) return { findings };
  if (!requester) {
    const note: Finding = {
      policy: 'exemption',
      action: 'warn',
      path: `metadata.annotations[${EXEMPT}]`,
      message:
        'not applied by rollsafe check: the webhook honours it only when a user or group of exemptions.allowedUsers or allowedGroups applies the object; ' +
        'run check --as USER (and --as-group GROUP) as whoever applies this manifest, e.g. --as system:serviceaccount:argocd:argocd-application-controller',
    };
    return { findings: [...findings, note] };
  }
  const result = checkExemption(object.metadata, undefined, asAuthenticated(requester), config.exemptions, findings);
  if (result.kind === 'refused') return { findings: [...findings, result.finding] };
  if (result.kind === 'none') return { findings };
  const exempted = [...new Set(findings.filter((f) => result.policies.includes(f.policy)).map((f) => f.policy))];
  const inapplicable = inapplicableExemption(object);
  return { findings: [...findings.filter((f) => !result.policies.includes(f.policy)), ...(inapplicable ? [inapplicable] : [])], exempted };
}

/**
 * Keys the object gets other than as written (yaml-keys.ts): a warning of check's own, as the
 * webhook sees only the JSON kubectl made of them.
 */
function retypedKeyNotes(doc: SourceDocument): Finding[] {
  return retypedKeys(doc.node, doc.value).map((k) => ({
    policy: 'yaml-key',
    action: 'warn',
    path: renderPath(k.path),
    message:
      `the key written ${k.written} (unquoted) is ${k.readAs} in YAML 1.1, as kubectl, Helm and Argo CD read it, so the object gets the key ${JSON.stringify(k.key)}, not ${JSON.stringify(k.written)}; ` +
      `quote it ("${k.written}":) if ${JSON.stringify(k.written)} is meant`,
  }));
}

function summarize(results: ObjectResult[], files: number, objects: number, skipped: number, excluded: number, schemas: number, notManifests: number, errors: number): CheckSummary {
  const decisions: Record<Decision, number> = { allow: 0, warn: 0, deny: 0 };
  const findings: Record<Finding['action'], number> = { deny: 0, warn: 0, audit: 0 };
  for (const r of results) {
    decisions[r.decision]++;
    for (const f of r.findings) findings[f.action]++;
  }
  return { files, objects, checked: results.length, skipped, excluded, schemas, notManifests, errors, decisions, findings };
}
