import { clusterCases } from './cluster-cases.js';
import { policyCases } from './policy-cases.js';

const api = 'spec.template.spec.containers[api]';

policyCases('config-schema', {
  valid: ['env-matches-schema', 'other-workload', 'mounted-file'],
  invalid: [
    {
      fixture: 'mounted-file-bad',
      // Its wording is pinned with the others (snapshot): `file app.yaml of ConfigMap shop/api-config, mounted in container "api": …`.
      expect: [{ path: `${api}.volumeMounts[cfg]`, action: 'deny' }],
    },
    {
      fixture: 'pool-size',
      expect: [
        { path: `${api}.env[POOL_SIZE]`, action: 'deny' },
        { path: `${api}.env[RATE_LIMIT]`, action: 'deny' },
        { path: `${api}.env[DB_PASSWORD]`, action: 'deny' },
      ],
    },
    {
      fixture: 'unverifiable-and-missing',
      expect: [
        { path: `${api}.env[API_TOKEN]`, action: 'warn' },
        { path: `${api}.env`, action: 'deny' },
      ],
    },
    {
      fixture: 'service-variable',
      expect: [
        { path: `${api}.env[AUTH_URL]`, action: 'warn' },
        { path: `${api}.env[CACHE_PORT]`, action: 'deny' },
      ],
    },
    { fixture: 'optional-envfrom-unseen', expect: [{ path: `${api}.envFrom[0]`, action: 'warn' }] },
    {
      fixture: 'envfrom-secret-after',
      expect: [
        { path: `${api}.envFrom[0]`, action: 'deny' },
        { path: `${api}.envFrom[1]`, action: 'warn' },
      ],
    },
    {
      fixture: 'configmap-data',
      expect: [
        { path: 'data[CORS_ORIGINS]', action: 'deny' },
        { path: 'data[FEATURE_X]', action: 'deny' },
        { path: 'binaryData[cert.pem]', action: 'warn' },
        { path: 'data[FEATURE_Y]', action: 'deny' },
      ],
    },
    {
      fixture: 'yaml-1-1-readings',
      expect: [
        { path: 'data[app.yaml]', action: 'deny' },
        { path: 'data[carriers.yaml]', action: 'deny' },
      ],
    },
    {
      fixture: 'two-schemas',
      expect: [
        { path: `${api}.env[LOG_LEVEL]`, action: 'deny' },
        { path: `${api}.env[OTEL_EXPORTER_OTLP_ENDPOINT]`, action: 'deny' },
      ],
    },
  ],
});

clusterCases('config-schema', {
  valid: ['configmap-fits-consumer'],
  invalid: [
    {
      fixture: 'optional-envfrom-missing',
      expect: [{ path: 'data[POOL_SIZE]', action: 'deny', message: /^Deployment shop\/api reads it: env var POOL_SIZE of container "api" is not set, but ConfigSchema shop\/api-env requires it/ }],
    },
    {
      fixture: 'configmap-breaks-consumer',
      expect: [{ path: 'data[POOL_SIZE]', action: 'deny', message: /^Deployment shop\/api reads it: env var POOL_SIZE of container "api" \(from ConfigMap shop\/api-config key POOL_SIZE\): "25connections" .*ConfigSchema shop\/api/ }],
    },
  ],
});
