// One example per key type, shown by `rollsafe schema explain`. test/cli/schema-command.test.ts
// checks that each spec is a valid key declaration and that each value passes it.
import type { z } from 'zod';
import type { KeySpec } from './document.js';

export interface TypeExample {
  readonly key: string;
  readonly spec: z.input<typeof KeySpec>;
  /** a value the spec accepts */
  readonly value: string;
}

export const TYPE_EXAMPLES: { readonly [T in KeySpec['type']]: TypeExample & { readonly spec: { type: T } } } = {
  string: { key: 'REGION', spec: { type: 'string', pattern: '^[a-z]+-[a-z]+-[0-9]$' }, value: 'eu-west-1' },
  integer: { key: 'POOL_SIZE', spec: { type: 'integer', minimum: 1, maximum: 500, required: true }, value: '25' },
  number: { key: 'SAMPLE_RATIO', spec: { type: 'number', minimum: 0, maximum: 1 }, value: '0.25' },
  boolean: { key: 'FEATURE_X', spec: { type: 'boolean' }, value: 'true' },
  duration: { key: 'TIMEOUT', spec: { type: 'duration', minimum: '100ms', maximum: '30s' }, value: '5s' },
  quantity: { key: 'CACHE_SIZE', spec: { type: 'quantity', maximum: '2Gi' }, value: '512Mi' },
  port: { key: 'METRICS_PORT', spec: { type: 'port' }, value: '9090' },
  url: { key: 'AUTH_URL', spec: { type: 'url', schemes: ['https'], hosts: ['auth.shop.svc.cluster.local'] }, value: 'https://auth.shop.svc.cluster.local/oauth' },
  endpoint: { key: 'OTEL_EXPORTER_OTLP_ENDPOINT', spec: { type: 'endpoint', allowLoopback: false }, value: 'otel-collector.observability:4318' },
  enum: { key: 'LOG_LEVEL', spec: { type: 'enum', values: ['debug', 'info', 'warn', 'error'] }, value: 'info' },
  list: {
    key: 'CORS_ORIGINS',
    spec: { type: 'list', format: 'csv', items: { type: 'url', schemes: ['https'] }, minItems: 1 },
    value: 'https://shop.example.com,https://admin.example.com',
  },
  json: { key: 'FEATURES_JSON', spec: { type: 'json', schema: { type: 'object', additionalProperties: { type: 'boolean' } } }, value: '{"checkout": true}' },
  yaml: {
    key: 'app.yaml',
    spec: { type: 'yaml', schema: { type: 'object', required: ['server'], properties: { server: { type: 'object' } } } },
    value: 'server:\n  port: 8080\n',
  },
};
