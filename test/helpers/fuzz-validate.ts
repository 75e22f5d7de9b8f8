// Send one generated payload through /validate and check the answer is what the API server can use: a well-formed AdmissionReview with
// the request's uid, or a 4xx JSON error. Never a 5xx.
import { Writable } from 'node:stream';
import type { RollsafeApp } from '../../src/server/app.js';
import { buildApp } from '../../src/server/app.js';
import { defaultPolicyConfig } from '../../src/config/policy-config.js';
import { emptyLookup } from '../../src/engine/lookup.js';
import { createLogger } from '../../src/server/logger.js';
import { createMetrics } from '../../src/server/metrics.js';
import { Readiness } from '../../src/server/readiness.js';
import { selfSignedMaterial } from '../../src/server/tls.js';

export async function fuzzApp(): Promise<RollsafeApp> {
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const app = buildApp({
    logger: createLogger('fatal', sink),
    requestTimeoutMs: 4000,
    maxConnections: 1000,
    maxBodyBytes: 32 * 1024 * 1024,
    tls: await selfSignedMaterial('fuzz'),
    reviewDeps: () => ({ lookup: emptyLookup, config: defaultPolicyConfig }),
    metrics: createMetrics(),
    readiness: new Readiness(),
  });
  await app.ready();
  return app;
}

export interface Sent {
  readonly statusCode: number;
  readonly body: string;
}

/** fastify inject: the whole HTTP pipeline without a socket (used by `npm run fuzz`). */
export const injectInto = (app: RollsafeApp) => async (payload: string): Promise<Sent> => {
  const res = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload });
  return { statusCode: res.statusCode, body: res.body };
};

const AUDIT_KEY = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** undefined when the answer is acceptable, else what is wrong with it. */
export async function sendAndJudge(send: (payload: string) => Promise<Sent>, payload: string): Promise<string | undefined> {
  const res = await send(payload);
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return `HTTP ${res.statusCode} with a body that is not JSON: ${res.body.slice(0, 200)}`;
  }
  if (res.statusCode >= 500) return `HTTP ${res.statusCode}: ${res.body.slice(0, 300)}`;
  if (res.statusCode >= 400) return typeof (body as { error?: unknown }).error === 'string' ? undefined : `HTTP ${res.statusCode} without an error field`;
  const answer = body as { apiVersion?: unknown; kind?: unknown; response?: { uid?: unknown; allowed?: unknown; auditAnnotations?: Record<string, unknown> } };
  let sentUid: unknown;
  try {
    sentUid = (JSON.parse(payload) as { request?: { uid?: unknown } }).request?.uid;
  } catch {
    return 'a payload that is not JSON was answered 200';
  }
  if (answer.apiVersion !== 'admission.k8s.io/v1' || answer.kind !== 'AdmissionReview') return 'answer is not an AdmissionReview v1';
  if (answer.response?.uid !== sentUid) return `uid ${String(answer.response?.uid)} differs from the request's ${String(sentUid)}`;
  if (typeof answer.response?.allowed !== 'boolean') return 'answer has no allowed boolean';
  // The API server files each key as `<webhook name>/<key>` and drops it unless that is a qualified name.
  const badKey = Object.keys(answer.response.auditAnnotations ?? {}).find((k) => !AUDIT_KEY.test(k));
  if (badKey !== undefined) return `audit annotation key ${JSON.stringify(badKey)} is not a bare qualified name`;
  return undefined;
}
