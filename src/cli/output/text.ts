// Human output: grouped by object, one line per finding, coloured on a TTY.
import pc from 'picocolors';
import type { CheckReport, ObjectResult } from '../check.js';

export interface TextOptions {
  readonly color: boolean;
}

export function formatText(report: CheckReport, { color }: TextOptions): string {
  const c = pc.createColors(color);
  const mark = { deny: c.red('✖ deny '), warn: c.yellow('⚠ warn '), audit: c.cyan('• audit') } as const;
  const lines: string[] = [];
  const withFindings = report.results.filter((r) => r.findings.length > 0 || (r.exempted?.length ?? 0) > 0);
  for (const r of withFindings) {
    lines.push(`${c.bold(title(r))}  ${c.dim(`${r.file}:${r.line}`)}`);
    for (const f of r.findings) {
      lines.push(`  ${mark[f.action]} [${f.policy}] ${f.path}: ${f.message} ${c.dim(`(line ${f.line})`)}`);
    }
    if (r.exempted?.length) lines.push(`  ${c.dim(`↷ exempt  ${r.exempted.join(', ')} (rollsafe.dev/exempt, honoured for --as)`)}`);
    lines.push('');
  }
  const s = report.summary;
  const verdict =
    s.decisions.deny > 0 ? c.red(`${s.decisions.deny} denied`) : c.green('0 denied');
  lines.push(
    `${s.checked} object(s) checked in ${s.files} file(s): ${verdict}, ${s.decisions.warn} with warnings, ${s.decisions.allow} clean; ` +
      `${s.findings.deny} deny, ${s.findings.warn} warn, ${s.findings.audit} audit finding(s); ` +
      `${s.skipped} object(s) of other kinds skipped` +
      (s.excluded > 0 ? `; ${s.excluded} excluded by excludeNamespaces` : ''),
  );
  return `${lines.join('\n')}\n`;
}

const title = (r: ObjectResult) => `${r.kind} ${r.namespace}/${r.name}`;
