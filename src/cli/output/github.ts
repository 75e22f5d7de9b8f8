// `--output github`: GitHub Actions workflow commands, one annotation per finding and input error
// (`::error file=/repo/k8s/web.yaml,line=13,title=rollsafe [env-loopback] Deployment shop/web::…`).
// The runner shows them on the pull request's changed lines and in the job summary, without
// code scanning (which needs GitHub Advanced Security on a private repository). The runner shows
// at most 10 of each kind per step as annotations; the rest stay log lines, so each message also
// names its file and line. The counts follow as a plain line, as in text output.
import { resolve } from 'node:path';
import type { CheckReport } from '../check.js';
import { counts } from './text.js';

const COMMAND = { deny: 'error', warn: 'warning', audit: 'notice' } as const;

/** Message text of a workflow command: `%`, CR and LF escaped (actions/toolkit escapeData). */
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A property value: also `:` and `,`, which end it (actions/toolkit escapeProperty). */
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * The file as the runner reads it: an absolute path, which it makes relative to the workspace
 * itself (a relative one is taken as relative to the workspace, wrong for a step run in a
 * subdirectory); stdin has none.
 */
const annotationPath = (file: string | undefined): string | undefined => (file === undefined || file === '-' || file === '<stdin>' ? undefined : resolve(file));

function command(kind: string, file: string | undefined, line: number | undefined, title: string, message: string): string {
  const path = annotationPath(file);
  const props = [...(path === undefined ? [] : [`file=${property(path)}`]), ...(path !== undefined && line !== undefined ? [`line=${line}`] : []), `title=${property(title)}`];
  return `::${kind} ${props.join(',')}::${data(message)}`;
}

export function formatGithub(report: CheckReport): string {
  const lines: string[] = [];
  for (const e of report.errors) lines.push(command('error', e.option ? undefined : e.file, e.line, 'rollsafe input error', `${e.message} (nothing it names was checked)`));
  for (const r of report.results) {
    for (const f of r.findings) {
      lines.push(command(COMMAND[f.action], r.file, f.line, `rollsafe [${f.policy}] ${r.kind} ${r.namespace}/${r.name}`, `${r.file}:${f.line}: ${f.path}: ${f.message}`));
    }
  }
  const s = report.summary;
  lines.push(
    `rollsafe: ${counts(s)}${s.errors > 0 ? `; ${s.errors} input error(s)` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
