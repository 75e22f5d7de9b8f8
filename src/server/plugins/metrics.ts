// GET /metrics in the Prometheus text format, from the app's own registry. Not logged.
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export interface MetricsOptions {
  readonly registry: Registry;
}

export const metricsPlugin: FastifyPluginAsync<MetricsOptions> = async (app, { registry }) => {
  app.get('/metrics', { logLevel: 'silent' }, async (_request, reply) => {
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
};
