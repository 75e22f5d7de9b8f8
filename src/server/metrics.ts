// Prometheus metrics of the webhook, in a registry per app (no global state: tests build many).
// Label values come from fixed sets only: the kind of an unknown request would otherwise let any
// client that reaches the port create series without bound.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ReviewSummary } from '../admission/review.js';

const KINDS = new Set(['Deployment', 'ConfigMap', 'ConfigSchema']);

export interface Metrics {
  readonly registry: Registry;
  readonly reviews: Counter<'kind' | 'operation' | 'decision'>;
  readonly findings: Counter<'policy' | 'action'>;
  readonly exemptions: Counter<'policy'>;
  readonly duration: Histogram;
  readonly decodeErrors: Counter;
  /** Requests and connections turned away to keep memory bounded (max connections, MiB of bodies). */
  readonly shed: Counter<'reason'>;
  readonly configReloads: Counter<'result'>;
  /** Reloads of the serving certificate (its files changed), by result. */
  readonly tlsReloads: Counter<'result'>;
  /** When the certificate in use expires (unix seconds): an alert on it catches a renewal that stopped. */
  readonly tlsExpiry: Gauge;
  /** Connections the server holds open now (accepted, not yet closed): what --max-connections bounds. */
  readonly openConnections: Gauge;
  /** Log lines dropped because stdout took nothing while LOG_BUFFER_MAX_BYTES waited (logger.ts). */
  readonly logLinesDropped: Counter;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: Metrics = {
    registry,
    reviews: new Counter({ name: 'rollsafe_reviews_total', help: 'AdmissionReviews answered, by kind, operation and decision', labelNames: ['kind', 'operation', 'decision'], registers }),
    findings: new Counter({ name: 'rollsafe_findings_total', help: 'Findings in answered reviews, by policy and action', labelNames: ['policy', 'action'], registers }),
    exemptions: new Counter({ name: 'rollsafe_exemptions_total', help: 'Policies skipped through the rollsafe.dev/exempt annotation', labelNames: ['policy'], registers }),
    duration: new Histogram({
      name: 'rollsafe_review_duration_seconds',
      help: 'Time to decode, evaluate and answer one AdmissionReview',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    decodeErrors: new Counter({ name: 'rollsafe_decode_errors_total', help: 'Requests to /validate refused with a 4xx: not JSON, too large, wrong media type, not an admission.k8s.io/v1 AdmissionReview', registers }),
    shed: new Counter({ name: 'rollsafe_shed_total', help: 'Turned away to bound memory: connections over --max-connections (reason=connections, closed at accept), requests to /validate whose body would pass --max-bodies-mib (reason=body_bytes, 503)', labelNames: ['reason'], registers }),
    configReloads: new Counter({ name: 'rollsafe_config_reloads_total', help: 'Reloads of the policy configuration and ConfigSchemas, by result', labelNames: ['result'], registers }),
    tlsReloads: new Counter({ name: 'rollsafe_tls_reloads_total', help: 'Reloads of the serving certificate after its files changed, by result (a failure keeps the previous certificate)', labelNames: ['result'], registers }),
    tlsExpiry: new Gauge({ name: 'rollsafe_tls_certificate_expiry_timestamp_seconds', help: 'When the serving certificate in use expires, in seconds since the epoch', registers }),
    logLinesDropped: new Counter({ name: 'rollsafe_log_lines_dropped_total', help: 'Log lines dropped, not held, because stdout took nothing while 8 MiB of lines waited (a stalled log collector)', registers }),
    openConnections: new Gauge({ name: 'rollsafe_open_connections', help: 'Connections the server holds open now, idle ones included (bounded by --max-connections; a client may count more: connections the kernel queued or the server closed at accept)', registers }),
  };
  // Both series exist from the start, so an alert on failures works before the first one.
  for (const result of ['success', 'failure']) {
    metrics.configReloads.inc({ result }, 0);
    metrics.tlsReloads.inc({ result }, 0);
  }
  return metrics;
}

export function recordReview(metrics: Metrics, summary: ReviewSummary, seconds: number): void {
  metrics.reviews.inc({ kind: KINDS.has(summary.kind) ? summary.kind : 'other', operation: summary.operation, decision: summary.decision });
  for (const f of summary.findings) metrics.findings.inc({ policy: f.policy, action: f.action });
  for (const policy of summary.exempted) metrics.exemptions.inc({ policy });
  metrics.duration.observe(seconds);
}
