// Rollsafe against its peers (Polaris, kube-score, kube-linter) on their own fixtures.
//
// /work/shared/corpus/peer-fixtures/EXPECTED.tsv holds each peer's verdict as asserted by the peer's
// own tests, and the Rollsafe policy that covers the same check (corpus README explains both). For
// every row with a Rollsafe policy this test runs the engine on the fixture file and compares:
// - peer `fail` and `warn` both count as flagged;
// - Rollsafe flags the row's object when it has a finding of the row's policy at `warn` or `deny`
//   (kube-linter probe-port rows whose probe uses a numeric port map to `probe-port-undeclared`,
//   corpus README); when the peer's message names a container (kube-linter), only findings of that
//   container count, and for kube-linter's readiness/liveness/startup-port only findings of that probe;
// - objects of kinds Rollsafe does not check (Pod, StatefulSet, CronJob, DeploymentConfig, ...) get
//   `not-checked`, which never agrees: it has to be listed like any other disagreement.
// Every disagreement must be listed, with its reason, in test/fixtures/peer-disagreements.tsv, and
// every listed line must still be a disagreement (no stale lines). Results come from the engine only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { documentLookup } from '../src/cli/document-lookup.js';
import { parseDocuments } from '../src/cli/read-documents.js';
import { defaultSettings, evaluateObject } from '../src/engine/evaluate.js';
import type { Finding } from '../src/engine/finding.js';
import { describeZodError } from '../src/engine/describe-zod-error.js';
import { KnownObject } from '../src/engine/objects.js';
import { CORPUS, deepFreeze, FIXTURES } from './helpers/fixtures.js';

const PEERS = join(CORPUS, 'peer-fixtures');
const TABLE = join(FIXTURES, 'peer-disagreements.tsv');
const CHECKED_KINDS = ['Deployment', 'ConfigMap'];

type PeerVerdict = 'pass' | 'fail' | 'warn';
type RollsafeVerdict = 'pass' | 'fail' | 'not-checked' | 'invalid';

interface ExpectedRow {
  readonly line: number;
  readonly file: string;
  readonly tool: string;
  readonly toolCheck: string;
  readonly expected: PeerVerdict;
  readonly object: string;
  readonly policy: string;
  readonly note: string;
}

interface Compared {
  readonly row: ExpectedRow;
  readonly rollsafe: RollsafeVerdict;
  /** The Rollsafe policy actually looked up (differs from row.policy for numeric probe ports). */
  readonly policyUsed: string;
  readonly agree: boolean;
  /** Why the object does not decode, for `invalid`. */
  readonly invalid?: string;
}

interface TableLine {
  readonly line: number;
  readonly file: string;
  readonly tool: string;
  readonly toolCheck: string;
  readonly object: string;
  readonly policy: string;
  readonly peer: string;
  readonly rollsafe: string;
  readonly reason: string;
}

const TABLE_COLUMNS = ['file', 'tool', 'tool_check', 'object', 'rollsafe_policy', 'peer', 'rollsafe', 'reason'];

function readTsv(path: string): { line: number; cells: string[] }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text }))
    .filter(({ text }) => text.trim() !== '' && !text.startsWith('#'))
    .map(({ line, text }) => ({ line, cells: text.split('\t') }));
}

function readExpected(): ExpectedRow[] {
  const [header, ...rows] = readTsv(join(PEERS, 'EXPECTED.tsv'));
  if (header?.cells.join('\t') !== 'file\ttool\ttool_check\texpected\tobject\trollsafe_policy\tnote') {
    throw new Error('EXPECTED.tsv: unexpected header');
  }
  return rows
    .map(({ line, cells }) => {
      const [file, tool, toolCheck, expected, object, policy, note] = cells;
      if (note === undefined || !['pass', 'fail', 'warn'].includes(expected!)) {
        throw new Error(`EXPECTED.tsv line ${line}: malformed row`);
      }
      return { line, file: file!, tool: tool!, toolCheck: toolCheck!, expected: expected as PeerVerdict, object: object!, policy: policy!, note };
    })
    .filter((r) => r.policy !== '-');
}

function readTable(): TableLine[] {
  const [header, ...rows] = readTsv(TABLE);
  if (header?.cells.join('\t') !== TABLE_COLUMNS.join('\t')) throw new Error(`peer-disagreements.tsv: header must be ${TABLE_COLUMNS.join(' ')}`);
  return rows.map(({ line, cells }) => {
    if (cells.length !== TABLE_COLUMNS.length || cells.some((c) => c.trim() === '')) {
      throw new Error(`peer-disagreements.tsv line ${line}: expected ${TABLE_COLUMNS.length} non-empty tab-separated columns`);
    }
    const [file, tool, toolCheck, object, policy, peer, rollsafe, reason] = cells as [string, string, string, string, string, string, string, string];
    return { line, file, tool, toolCheck, object, policy, peer, rollsafe, reason };
  });
}

// ---- the fixture files, decoded and evaluated as the CLI does --------------------------------------

interface Evaluated {
  readonly kind: string;
  readonly name: string | undefined;
  /** 0-based YAML document index, to resolve `Kind/(unnamed doc N)`. */
  readonly index: number;
  /** The raw document, to read a probe's port. */
  readonly value: Record<string, unknown>;
  /** Absent for kinds Rollsafe does not check and for objects its schema rejects. */
  readonly findings: readonly Finding[] | undefined;
  /** Why Rollsafe's schema rejects a document of a checked kind (`rollsafe check` refuses the file). */
  readonly invalid: string | undefined;
}

/** Documents whose `metadata` was absent and was defaulted to `{}` to decode them. */
const metadataDefaulted = new Set<string>();

const evaluated = new Map<string, Evaluated[]>();

/**
 * Every document of a file with the engine's findings (checked kinds only). kube-linter's probe-port
 * fixtures have Deployments without `metadata`, which Rollsafe's schema requires (the API server
 * requires a name too, and `rollsafe check` rejects such a file as invalid input); they are decoded
 * with an empty `metadata` so the probe-port rules can be compared at all.
 */
function evaluateDocuments(file: string): Evaluated[] {
  const cached = evaluated.get(file);
  if (cached) return cached;
  const docs = parseDocuments(file, readFileSync(join(PEERS, file), 'utf8'));
  const decoded = docs.map((d) => {
    const value = (d.value ?? {}) as Record<string, unknown>;
    let parsed = KnownObject.safeParse(value);
    if (!parsed.success && value.metadata === undefined && typeof value.kind === 'string' && CHECKED_KINDS.includes(value.kind)) {
      parsed = KnownObject.safeParse({ ...value, metadata: {} });
      if (parsed.success) metadataDefaulted.add(`${file}#${d.index}`);
    }
    return { doc: d, value, object: parsed.success ? deepFreeze(parsed.data) : undefined };
  });
  const objects = decoded.flatMap((d) => (d.object ? [d.object] : []));
  const lookup = documentLookup(objects, 'default');
  const out = decoded.map(({ doc, value, object }): Evaluated => {
    const kind = typeof value.kind === 'string' ? value.kind : '';
    const meta = value.metadata as { name?: unknown } | undefined;
    const name = typeof meta?.name === 'string' ? meta.name : undefined;
    const invalid = CHECKED_KINDS.includes(kind) && !object ? describeZodError(KnownObject.safeParse(value).error!).join('; ') : undefined;
    const findings =
      object && CHECKED_KINDS.includes(object.kind)
        ? evaluateObject(object, { lookup, defaultNamespace: 'default', settingsFor: () => defaultSettings })
        : undefined;
    return { kind, name, index: doc.index, value, findings, invalid };
  });
  evaluated.set(file, out);
  return out;
}

/** The documents a row's `object` names; several when a file repeats a name. */
function candidates(row: ExpectedRow): Evaluated[] {
  const m = /^([^/]+)\/(.+)$/.exec(row.object);
  if (!m) throw new Error(`EXPECTED.tsv line ${row.line}: object "${row.object}" names no single object`);
  const [, kind, name] = m;
  const unnamed = /^\(unnamed doc (\d+)\)$/.exec(name!);
  const docs = evaluateDocuments(row.file).filter((d) =>
    unnamed ? d.kind === kind && d.index === Number(unnamed[1]) : d.kind === kind && d.name === name,
  );
  if (docs.length === 0) throw new Error(`EXPECTED.tsv line ${row.line}: ${row.object} not found in ${row.file}`);
  return docs;
}

/** The container the peer's message names (kube-linter: `container "app"`), if any. */
const containerOf = (row: ExpectedRow): string | undefined =>
  row.tool === 'kube-linter' ? /container "([^"]+)"/.exec(row.note)?.[1] : undefined;

const PROBE_OF_CHECK: Record<string, string> = {
  'readiness-port': 'readinessProbe',
  'liveness-port': 'livenessProbe',
  'startup-port': 'startupProbe',
};

function containerSpec(doc: Evaluated, name: string): Record<string, unknown> | undefined {
  type Raw = Record<string, unknown>;
  const pod = (doc.value.spec as { template?: { spec?: { containers?: Raw[]; initContainers?: Raw[] } } } | undefined)?.template?.spec;
  return [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])].find((c) => c.name === name);
}

/** probe-port rows about a numeric port are `probe-port-undeclared` in Rollsafe (corpus README). */
function policyFor(row: ExpectedRow, doc: Evaluated): string {
  if (row.policy !== 'probe-port') return row.policy;
  const probeKind = PROBE_OF_CHECK[row.toolCheck];
  const container = containerOf(row);
  if (!probeKind || !container) throw new Error(`EXPECTED.tsv line ${row.line}: cannot tell which probe the row is about`);
  const probe = containerSpec(doc, container)?.[probeKind] as Record<string, { port?: unknown } | undefined> | undefined;
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
  if (port === undefined) throw new Error(`EXPECTED.tsv line ${row.line}: container ${container} has no ${probeKind} port`);
  return typeof port === 'number' ? 'probe-port-undeclared' : 'probe-port';
}

function compare(rows: readonly ExpectedRow[]): Compared[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    // A file may hold several objects of the same kind and name (kube-linter's `dont-fire`): the
    // k-th row naming it is about the k-th such object.
    const docs = candidates(row);
    const key = [row.file, row.tool, row.toolCheck, row.object].join('\t');
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const doc = docs.length === 1 ? docs[0]! : docs[k];
    if (!doc) throw new Error(`EXPECTED.tsv line ${row.line}: cannot tell which of ${docs.length} objects ${row.object} is`);

    const peerFlags = row.expected !== 'pass';
    if (doc.invalid) return { row, rollsafe: 'invalid', policyUsed: row.policy, agree: false, invalid: doc.invalid };
    if (!doc.findings) return { row, rollsafe: 'not-checked', policyUsed: row.policy, agree: false };
    const policyUsed = policyFor(row, doc);
    const container = containerOf(row);
    const probeKind = PROBE_OF_CHECK[row.toolCheck];
    const flagged = doc.findings.some(
      (f) =>
        f.policy === policyUsed &&
        (f.action === 'deny' || f.action === 'warn') &&
        (!container || f.path.includes(`.containers[${container}]`) || f.path.includes(`.initContainers[${container}]`)) &&
        (!probeKind || f.path.includes(`.${probeKind}.`)),
    );
    const rollsafe: RollsafeVerdict = flagged ? 'fail' : 'pass';
    return { row, rollsafe, policyUsed, agree: flagged === peerFlags };
  });
}

// ---- the comparison ---------------------------------------------------------------------------------

const lineKey = (l: { file: string; tool: string; toolCheck: string; object: string; policy: string; peer: string; rollsafe: string }) =>
  [l.file, l.tool, l.toolCheck, l.object, l.policy, l.peer, l.rollsafe].join('\t');

const category = (reason: string) => reason.split(':')[0]!.trim();

describe('peer fixtures (Polaris, kube-score, kube-linter)', () => {
  const rows = readExpected();
  const results = compare(rows);
  const table = readTable();

  it('covers the rows with a Rollsafe policy', () => {
    expect(rows.length).toBeGreaterThan(0);
    expect(results).toHaveLength(rows.length);
  });

  it('every disagreement is listed with a reason, and every listed one still disagrees', () => {
    // Match rows and table lines on all columns but the reason; identical keys pair up in order.
    const listed = new Map<string, TableLine[]>();
    for (const l of table) listed.set(lineKey(l), [...(listed.get(lineKey(l)) ?? []), l]);
    const unlisted: Compared[] = [];
    const explained: { result: Compared; reason: string }[] = [];
    for (const r of results) {
      if (r.agree) continue;
      const key = lineKey({ ...r.row, peer: r.row.expected, rollsafe: r.rollsafe });
      const match = listed.get(key)?.shift();
      if (match) explained.push({ result: r, reason: match.reason });
      else unlisted.push(r);
    }
    const stale = [...listed.values()].flat().sort((a, b) => a.line - b.line);

    const byPolicy = new Map<string, { compared: number; agree: number; disagree: number }>();
    for (const r of results) {
      const p = byPolicy.get(r.row.policy) ?? { compared: 0, agree: 0, disagree: 0 };
      p.compared++;
      if (r.agree) p.agree++;
      else p.disagree++;
      byPolicy.set(r.row.policy, p);
    }
    const byCategory = new Map<string, number>();
    for (const e of explained) byCategory.set(category(e.reason), (byCategory.get(category(e.reason)) ?? 0) + 1);
    const agree = results.filter((r) => r.agree).length;
    console.log(
      [
        `peer fixtures: ${results.length} rows compared, ${agree} agree, ${results.length - agree} disagree` +
          ` (${explained.length} listed, ${unlisted.length} unlisted; ${stale.length} stale table lines)`,
        `  documents decoded with metadata defaulted to {}: ${metadataDefaulted.size}`,
        '  per policy (compared / agree / disagree):',
        ...[...byPolicy].sort().map(([p, c]) => `    ${p.padEnd(16)} ${c.compared} / ${c.agree} / ${c.disagree}`),
        '  disagreements by reason:',
        ...[...byCategory].sort((a, b) => b[1] - a[1]).map(([c, n]) => `    ${String(n).padStart(3)}  ${c}`),
      ].join('\n'),
    );

    if (process.env.PEER_FIXTURES_VERBOSE) {
      // Per-row detail for investigating a disagreement: PEER_FIXTURES_VERBOSE=1 npx jest test/peer-fixtures
      console.log(
        results
          .map((r) => `${r.agree ? 'agree   ' : 'DISAGREE'} ${r.row.file} ${r.row.toolCheck} ${r.row.object}${containerOf(r.row) ? ` container ${containerOf(r.row)}` : ''} peer=${r.row.expected} rollsafe=${r.rollsafe} (${r.policyUsed})`)
          .join('\n'),
      );
    }
    const toAdd = unlisted.map((r) =>
      [r.row.file, r.row.tool, r.row.toolCheck, r.row.object, r.row.policy, r.row.expected, r.rollsafe, `REASON? (policy looked up: ${r.policyUsed}${r.invalid ? `; invalid: ${r.invalid}` : ''})`].join('\t'),
    );
    const toRemove = stale.map((l) => `line ${l.line}: ${lineKey(l)}`);
    expect({ unlisted: toAdd, stale: toRemove }).toEqual({ unlisted: [], stale: [] });
  });

  it('table reasons are specific', () => {
    for (const l of table) {
      expect(l.reason).toMatch(/^[^:]+: \S.{10,}/);
      expect(['pass', 'fail', 'warn']).toContain(l.peer);
      expect(['pass', 'fail', 'not-checked', 'invalid']).toContain(l.rollsafe);
    }
  });
});
