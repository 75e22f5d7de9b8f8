// `--output github`: GitHub Actions workflow commands, one annotation per finding and input error
// (`::error file=k8s/web.yaml,line=13,title=rollsafe [env-loopback] Deployment shop/web::…`).
// The runner shows them on the pull request's changed lines and in the job summary, without
// code scanning (which needs GitHub Advanced Security on a private repository). The counts follow
// as a plain line, as in text output.
import { isAbsolute, relative, sep } from 'node:path';
import type { CheckReport } from '../check.js';

const COMMAND = { deny: 'error', warn: 'warning', audit: 'notice' } as const;

/** Message text of a workflow command: `%`, CR and LF escaped (actions/toolkit escapeData). */
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A property value: also `:` and `,`, which end it (actions/toolkit escapeProperty). */
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** The file as the runner matches it against the repository: relative to the working directory, with `/`. */
export function annotationPath(file: string, cwd = process.cwd()): string | undefined {
  if (file === '-' || file === '<stdin>') return undefined;
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file.split(sep).join('/');
  return rel.split(sep).join('/');
}

function command(kind: string, file: string, line: number | undefined, title: string, message: string): string {
  const path = annotationPath(file);
  const props = [...(path === undefined ? [] : [`file=${property(path)}`]), ...(path !== undefined && line !== undefined ? [`line=${line}`] : []), `title=${property(title)}`];
  return `::${kind} ${props.join(',')}::${data(message)}`;
}

export function formatGithub(report: CheckReport): string {
  const lines: string[] = [];
  for (const e of report.errors) lines.push(command('error', e.file, e.line, 'rollsafe input error', `${e.detail} (nothing it names was checked)`));
  for (const r of report.results) {
    for (const f of r.findings) {
      lines.push(command(COMMAND[f.action], r.file, f.line, `rollsafe [${f.policy}] ${r.kind} ${r.namespace}/${r.name}`, `${f.path}: ${f.message}`));
    }
  }
  const s = report.summary;
  lines.push(
    `rollsafe: ${s.checked} object(s) checked in ${s.files} file(s): ${s.decisions.deny} denied, ${s.decisions.warn} with warnings, ${s.decisions.allow} clean; ` +
      `${s.findings.deny} deny, ${s.findings.warn} warn, ${s.findings.audit} audit finding(s)${s.errors > 0 ? `; ${s.errors} input error(s)` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
