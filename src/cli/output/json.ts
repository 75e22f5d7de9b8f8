// `--output json`: the shape in DESIGN.md ("CLI contract"). Pipelines parse it; keep it stable.
import type { CheckReport } from '../check.js';

export function formatJson(report: CheckReport): string {
  const results = report.results.map((r) => ({
    file: r.file,
    line: r.line,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    decision: r.decision,
    findings: r.findings.map((f) => ({ policy: f.policy, action: f.action, path: f.path, message: f.message, line: f.line })),
    ...(r.exempted && { exempted: r.exempted }),
  }));
  // Input errors: the file, line (when known) and what is wrong; their objects are not in results.
  // An option's mistake names the option instead of a file.
  const errors = report.errors.map((e) => (e.option ? { option: e.file, message: e.detail } : { file: e.file, ...(e.line !== undefined && { line: e.line }), message: e.detail }));
  return `${JSON.stringify({ results, errors, summary: report.summary }, null, 2)}\n`;
}
