// Human output: grouped by object, one line per finding, coloured on a TTY.
import pc from 'picocolors';
import { printable } from '../../engine/printable.js';
import { type CheckReport, notManifestFiles, type ObjectResult } from '../check.js';

export interface TextOptions {
  readonly color: boolean;
}

export function formatText(report: CheckReport, { color }: TextOptions): string {
  const c = pc.createColors(color);
  const mark = { deny: c.red('✖ deny '), warn: c.yellow('⚠ warn '), audit: c.cyan('• audit') } as const;
  const lines: string[] = [];
  const withFindings = report.results.filter((r) => r.findings.length > 0 || (r.exempted?.length ?? 0) > 0);
  for (const r of withFindings) {
    // Names, paths and messages carry the manifest's text: a control character in them (an ESC
    // sequence in an image or a value, a line break) is written as \uXXXX, so it cannot recolour or
    // clear a terminal or a CI log, or forge a line of this report.
    lines.push(`${c.bold(printable(title(r)))}  ${c.dim(`${printable(r.file)}:${r.line}`)}`);
    // What blocks the apply first: deny, then warn, then audit (policy order within each).
    for (const f of [...r.findings].sort((a, b) => RANK[a.action] - RANK[b.action])) {
      lines.push(`  ${mark[f.action]} [${printable(f.policy)}] ${printable(`${f.path}: ${f.message}`)} ${c.dim(`(line ${f.line})`)}`);
    }
    if (r.exempted?.length) lines.push(`  ${c.dim(`↷ exempt  ${r.exempted.join(', ')} (rollsafe.dev/exempt, honoured for --as)`)}`);
    lines.push('');
  }
  const s = report.summary;
  const verdict =
    s.decisions.deny > 0 ? c.red(`${s.decisions.deny} denied`) : c.green('0 denied');
  lines.push(
    `${counts(s, verdict)}; ` +
      `${s.skipped} object(s) of other kinds skipped` +
      (s.schemas > 0 ? `; ${s.schemas} ConfigSchema(s) loaded` : '') +
      (s.excluded > 0 ? `; ${s.excluded} excluded by excludeNamespaces` : '') +
      (s.errors > 0 ? `; ${c.red(`${s.errors} input error(s)`)} (on stderr): what they name was not checked` : ''),
  );
  if (report.notManifests.length > 0) {
    lines.push(c.dim(`${report.notManifests.length} document(s) without kind or apiVersion in searched directories not read: ${notManifestFiles(report, printable)}`));
  }
  return `${lines.join('\n')}\n`;
}

/** What was checked and decided, for the last line of a report (`verdict`: the denied count, coloured or not). */
export const counts = (s: CheckReport['summary'], verdict = `${s.decisions.deny} denied`): string =>
  `${s.checked} object(s) checked in ${s.files} file(s): ${verdict}, ${s.decisions.warn} with warnings, ${s.decisions.allow} clean; ` +
  `${s.findings.deny} deny, ${s.findings.warn} warn, ${s.findings.audit} audit finding(s)`;

const RANK = { deny: 0, warn: 1, audit: 2 } as const;

const title = (r: ObjectResult) => `${r.kind} ${r.namespace}/${r.name}`;
