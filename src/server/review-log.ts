// The one info line per review (STYLE.md §7): who asked for what, and what Rollsafe answered.
// Never the object and never the user's groups; audit findings are listed because logging them
// is what the audit action means. Every finding goes to debug.
import type { ReviewSummary } from '../admission/review.js';

export interface ReviewLine
  extends Pick<ReviewSummary, 'uid' | 'kind' | 'namespace' | 'name' | 'operation' | 'username' | 'decision' | 'exempted' | 'preexisting' | 'skipped'> {
  readonly findings: { deny: number; warn: number; audit: number };
  readonly audit?: readonly { policy: string; path: string; message: string }[];
  readonly durationMs: number;
}

export function reviewLine(s: ReviewSummary, seconds: number): ReviewLine {
  const count = (action: string) => s.findings.filter((f) => f.action === action).length;
  const audit = s.findings.filter((f) => f.action === 'audit').map(({ policy, path, message }) => ({ policy, path, message }));
  return {
    uid: s.uid,
    kind: s.kind,
    namespace: s.namespace,
    name: s.name,
    operation: s.operation,
    username: s.username,
    decision: s.decision,
    findings: { deny: count('deny'), warn: count('warn'), audit: count('audit') },
    exempted: s.exempted,
    preexisting: s.preexisting,
    ...(s.skipped !== undefined && { skipped: s.skipped }),
    ...(audit.length > 0 && { audit }),
    durationMs: Math.round(seconds * 1e6) / 1e3,
  };
}
