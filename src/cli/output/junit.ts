// `--output junit`: one test case per checked object, a failure per denied object, warnings in
// system-out, so CI test reports (GitLab, Jenkins, Azure) list what a pipeline refused. An object
// in a namespace of `excludeNamespaces` is a skipped test case.
import { unicodeEscape } from '../../engine/printable.js';
import type { CheckReport, ExcludedObject, ObjectResult } from '../check.js';
import type { InputError } from '../input-error.js';

const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const escape = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 cannot carry most control characters, U+FFFE, U+FFFF or an unpaired surrogate, even
    // as a character reference: one makes the whole report unreadable to GitLab and Jenkins. They
    // are written as a visible \uXXXX escape instead (a value's ESC shows as \u001b, not dropped).
    .replace(NOT_XML, unicodeEscape);

const line = (f: ObjectResult['findings'][number]) => `[${f.policy}] ${f.path}: ${f.message} (line ${f.line})`;

type Entry = ObjectResult | (ExcludedObject & { readonly decision?: undefined }) | { readonly inputError: InputError; readonly file: string; readonly line: number };

export function formatJunit(report: CheckReport): string {
  const byFile = new Map<string, Entry[]>();
  // An option's mistake is in no file: its suite is the command line.
  const errors = report.errors.map((e) => ({ inputError: e, file: e.option ? '(command line)' : e.file, line: e.line ?? 0 }));
  for (const r of [...report.results, ...report.excluded, ...errors]) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = report.summary;
  out.push(`<testsuites name="rollsafe" tests="${s.checked + s.excluded + s.errors}" failures="${s.decisions.deny}" errors="${s.errors}">`);
  for (const [file, entries] of byFile) {
    entries.sort((a, b) => a.line - b.line);
    const failures = entries.filter((r) => 'decision' in r && r.decision === 'deny').length;
    const inputErrors = entries.filter((r) => 'inputError' in r).length;
    const skipped = entries.filter((r) => !('inputError' in r) && r.decision === undefined).length;
    out.push(`  <testsuite name="${escape(file)}" tests="${entries.length}" failures="${failures}" errors="${inputErrors}" skipped="${skipped}">`);
    for (const r of entries) {
      if ('inputError' in r) {
        // Not a test of an object: the file or document could not be read, so nothing in it was checked.
        const where = r.inputError.line === undefined ? '' : ` (line ${r.inputError.line})`;
        const option = r.inputError.option;
        out.push(`    <testcase classname="rollsafe.input" name="${escape(`input error${where}`)}"${option ? '' : ` file="${escape(file)}"`}>`);
        out.push(`      <error message="${escape(option ? r.inputError.message : r.inputError.detail)}" type="rollsafe.input-error">${escape(r.inputError.message)}</error>`);
        out.push('    </testcase>');
        continue;
      }
      out.push(`    <testcase classname="${escape(`${r.kind}.${r.namespace}`)}" name="${escape(r.name)}" file="${escape(file)}">`);
      if (r.decision === undefined) {
        out.push(`      <skipped message="${escape(`namespace ${r.namespace} is in excludeNamespaces`)}"/>`);
        out.push('    </testcase>');
        continue;
      }
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
