// `--output junit`: one test case per checked object, a failure per denied object, warnings in
// system-out, so CI test reports (GitLab, Jenkins, Azure) list what a pipeline refused.
import type { CheckReport, ObjectResult } from '../check.js';

const escape = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const line = (f: ObjectResult['findings'][number]) => `[${f.policy}] ${f.path}: ${f.message} (line ${f.line})`;

export function formatJunit(report: CheckReport): string {
  const byFile = new Map<string, ObjectResult[]>();
  for (const r of report.results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = report.summary;
  out.push(`<testsuites name="rollsafe" tests="${s.checked}" failures="${s.decisions.deny}" errors="0">`);
  for (const [file, results] of byFile) {
    const failures = results.filter((r) => r.decision === 'deny').length;
    out.push(`  <testsuite name="${escape(file)}" tests="${results.length}" failures="${failures}" errors="0" skipped="0">`);
    for (const r of results) {
      out.push(`    <testcase classname="${escape(`${r.kind}.${r.namespace}`)}" name="${escape(r.name)}" file="${escape(file)}">`);
      const denies = r.findings.filter((f) => f.action === 'deny');
      const others = r.findings.filter((f) => f.action !== 'deny');
      if (denies.length > 0) {
        const msg = `${denies.length} deny finding(s): ${denies.map((f) => f.policy).join(', ')}`;
        out.push(`      <failure message="${escape(msg)}" type="rollsafe.deny">${escape(denies.map(line).join('\n'))}</failure>`);
      }
      if (others.length > 0) {
        out.push(`      <system-out>${escape(others.map((f) => `${f.action}: ${line(f)}`).join('\n'))}</system-out>`);
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
