// POST /validate: an admission.k8s.io/v1 AdmissionReview in, one with the same uid out. The
// handler is thin (decode, engine and response live in src/admission); what is here is HTTP:
// a body that is not a JSON AdmissionReview gets a 4xx with a JSON error and a warn line, never
// a 5xx and never a crash.
import type { TLSSocket } from 'node:tls';
import { errorCodes, type FastifyError, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import { reviewAdmission, type ReviewDeps } from '../../admission/review.js';
import { parseJsonBody, TooManyJsonValues } from '../json-body.js';
import { type Metrics, recordReview } from '../metrics.js';
import { reviewLine } from '../review-log.js';
import { turnBatched } from '../turn-batch.js';

/**
 * 7 MiB, as controller-runtime's webhooks (maxRequestSize): the API server accepts objects of up
 * to 3 MiB, and a review carries the object and, on UPDATE, the old one too, re-encoded by Go's
 * encoding/json (`<`, `>`, `&` as 6-byte escapes). At 3 MiB, the UPDATE of a large ConfigMap
 * (HTML, dashboards) was refused with a 413, and failurePolicy Fail then refused the change.
 */
export const BODY_LIMIT = 7 * 1024 * 1024;

export interface ValidateOptions {
  /** The configuration in force now (it is swapped on reload). */
  readonly reviewDeps: () => ReviewDeps;
  readonly metrics: Metrics;
  /** --client-ca given: only clients with a verified certificate may ask for reviews. */
  readonly requireClientCertificate: boolean;
  /** Bytes of bodies received at once (--max-bodies-mib); a review that would pass it gets 503. */
  readonly maxBodyBytes: number;
}

/** What each refusal says, instead of fastify's generic texts. */
function refusal(err: FastifyError, contentType: string | undefined): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `content-type must be application/json (got ${contentType === undefined ? 'none' : JSON.stringify(contentType)})`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `body over ${BODY_LIMIT} bytes (7 MiB: a review carries the object and, on UPDATE, the old object, each up to the 3 MiB the API server accepts)`;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'empty body: expected an admission.k8s.io/v1 AdmissionReview';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'body is not valid JSON: expected an admission.k8s.io/v1 AdmissionReview';
    default:
      return err.message;
  }
}

export const validatePlugin: FastifyPluginAsync<ValidateOptions> = async (app, opts) => {
  // JSON only: fastify would also parse text/plain into a string.
  app.removeContentTypeParser('text/plain');
  // The body stays text here: it is parsed in the review's batch (below), where JSON.parse's own
  // tables are warm too. An empty body is refused at once, as fastify's JSON parser does.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
    done(null, text);
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    // The body stream failed because the client went away (the API server's timeout, a cut
    // connection): not a refusal, and no one is left to answer. Counting it as a decode error
    // made an alert on rollsafe_decode_errors_total fire for timeouts.
    if (err.code === 'ECONNRESET') {
      request.log.warn({ code: err.code, error: err.message }, 'the client closed the connection before the request was complete; nothing answered');
      return reply.code(400).send({ error: 'connection closed before the request was complete' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      opts.metrics.decodeErrors.inc();
      const error = refusal(err, request.headers['content-type']);
      request.log.warn({ status, code: err.code, error }, 'refused a request to /validate');
      return reply.code(status).send({ error });
    }
    // Request lines carry no reqId (no child logger per request, app.ts): this one names it.
    request.log.error({ err, reqId: request.id }, 'review failed: a bug in rollsafe');
    // The API server puts this body in the error `kubectl apply` prints: the message of an
    // unexpected error may quote what the review held (a value), so it stays in the log, found
    // by the request id.
    return reply.code(500).send({ error: `internal error in rollsafe (request ${request.id}); its log line with this reqId has the details` });
  });

  // Bodies being received (and parsed) now, counted by what each may hold: its Content-Length,
  // or BODY_LIMIT when it has none (chunked). The API server always sends a Content-Length.
  let bodyBytes = 0;
  const bodyBudget = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    // Before the body is read: a client the CA did not sign cannot make the server hold one.
    if (opts.requireClientCertificate) {
      const socket = request.raw.socket as TLSSocket;
      if (!socket.authorized) {
        request.log.warn({ problem: String(socket.authorizationError ?? 'no client certificate') }, 'refused a client without a verified certificate');
        void reply.code(401).header('connection', 'close').send({ error: 'a client certificate signed by the configured client CA is required' });
        return;
      }
    }
    const length = Number(request.headers['content-length'] ?? BODY_LIMIT);
    // Over the limit (fastify answers 413 without reading it) or not a number (400): nothing is held.
    if (!(length <= BODY_LIMIT)) return done();
    // One body at a time is always let in, whatever the budget.
    if (bodyBytes > 0 && bodyBytes + length > opts.maxBodyBytes) {
      opts.metrics.shed.inc({ reason: 'body_bytes' });
      request.log.warn({ status: 503, contentLength: length, bodyBytesInFlight: bodyBytes, maxBodyBytes: opts.maxBodyBytes }, 'refused a review: the bodies being received would pass --max-bodies-mib');
      void reply
        .code(503)
        .header('retry-after', '1')
        .header('connection', 'close')
        .send({ error: `busy: ${Math.ceil(bodyBytes / 1048576)} MiB of review bodies already being received (--max-bodies-mib ${Math.round(opts.maxBodyBytes / 1048576)}); retry` });
      return;
    }
    bodyBytes += length;
    reply.raw.once('close', () => {
      bodyBytes -= length;
    });
    done();
  };

  // The bodies of one event-loop turn are parsed, reviewed, counted and logged together
  // (turn-batch.ts); each review is timed alone, after its parse. A body that is not JSON, or
  // holds too many values to parse safely (json-body.ts), fails its own request with the error
  // fastify's parser gives, and the error handler above answers it. The configuration is read
  // when the review runs, so a reload applies from the next batch.
  const review = turnBatched((text: string) => {
    let body: unknown;
    try {
      body = parseJsonBody(text);
    } catch (err) {
      throw err instanceof TooManyJsonValues ? err : new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
    }
    const started = process.hrtime.bigint();
    const outcome = reviewAdmission(body, opts.reviewDeps());
    if (!outcome.ok) return outcome;
    // Counted and logged in the batch too, where the metrics' and the logger's code is warm.
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    recordReview(opts.metrics, outcome.summary, seconds);
    app.log.info(reviewLine(outcome.summary, seconds), 'review');
    app.log.debug({ uid: outcome.summary.uid, findings: outcome.summary.findings }, 'review findings');
    return outcome;
  });

  app.post('/validate', { bodyLimit: BODY_LIMIT, onRequest: bodyBudget }, async (request, reply) => {
    // No body at all (and so no content-type to parse it by): as empty as an empty one.
    if (typeof request.body !== 'string') throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
    const outcome = await review(request.body);
    if (!outcome.ok) {
      opts.metrics.decodeErrors.inc();
      request.log.warn({ status: 400, ...(outcome.uid !== undefined && { uid: outcome.uid }), error: outcome.error }, 'refused a request to /validate');
      return reply.code(400).send({ error: outcome.error, ...(outcome.uid !== undefined && { uid: outcome.uid }) });
    }
    return outcome.response;
  });
};
