// GET /healthz: the process runs (the kubelet restarts it otherwise). GET /readyz: reviews can
// be answered (config and schemas loaded, not shutting down); the endpoints controller sends
// reviews only to ready pods. Neither is logged: probes every few seconds are noise.
import type { FastifyPluginAsync } from 'fastify';
import type { Readiness } from '../readiness.js';

export interface HealthOptions {
  readonly readiness: Readiness;
}

export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, { readiness }) => {
  app.get('/healthz', { logLevel: 'silent' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'silent' }, async (_request, reply) => {
    if (readiness.ready) return { status: 'ready' };
    return reply.code(503).send({ status: 'not ready', reasons: readiness.reasons() });
  });
};
