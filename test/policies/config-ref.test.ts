import { clusterCases } from './cluster-cases.js';
import { policyCases } from './policy-cases.js';

// Every fixture holds the Deployment and the ConfigMap it reads, so expectations name the object.
const api = 'spec.template.spec.containers[api]';
const volumes = 'spec.template.spec.volumes';

policyCases('config-ref', {
  valid: ['keys-present', 'optional-refs', 'root-ca', 'unmounted-volume', 'subpath'],
  invalid: [
    { fixture: 'missing-key', expect: [{ object: 'api', path: `${api}.env[LOG_LEVEL]`, action: 'deny' }] },
    { fixture: 'binary-data-key', expect: [{ object: 'api', path: `${api}.env[TRUSTSTORE]`, action: 'deny' }] },
    { fixture: 'missing-configmap', expect: [{ object: 'api', path: `${api}.env[LOG_LEVEL]`, action: 'warn' }] },
    { fixture: 'envfrom-missing-configmap', expect: [{ object: 'api', path: `${api}.envFrom[1].configMapRef`, action: 'warn' }] },
    {
      fixture: 'volume-item-missing-key',
      expect: [{ object: 'api', path: `${volumes}[config].configMap.items[logging.yaml]`, action: 'deny' }],
    },
    {
      fixture: 'projected-volume',
      expect: [
        { object: 'api', path: `${volumes}[bundle].projected.sources[1].configMap.items[tls.yaml]`, action: 'deny' },
        { object: 'api', path: `${volumes}[bundle].projected.sources[2].configMap`, action: 'warn' },
      ],
    },
    {
      fixture: 'subpath-missing-key',
      expect: [
        { object: 'api', path: `${api}.volumeMounts[/etc/nginx/nginx.conf]`, action: 'deny' },
        { object: 'api', path: `${api}.volumeMounts[/etc/api/logging.yaml]`, action: 'deny' },
      ],
    },
    { fixture: 'subpath-optional-volume', expect: [{ object: 'api', path: `${api}.volumeMounts[/etc/api/extra.yaml]`, action: 'warn' }] },
    { fixture: 'root-ca-key', expect: [{ object: 'api', path: `${volumes}[ca].configMap.items[ca.pem]`, action: 'deny' }] },
  ],
});

clusterCases('config-ref', {
  valid: ['configmap-keeps-keys'],
  invalid: [
    {
      fixture: 'configmap-moves-key-to-binary',
      expect: [{ path: 'data[CA_BUNDLE]', action: 'deny', message: /^Deployment shop\/api needs a key this ConfigMap lacks: env var CA_BUNDLE of container "api" reads key "CA_BUNDLE", which ConfigMap shop\/api-config has only in binaryData/ }],
    },
    { fixture: 'configmap-drops-key', expect: [{ path: 'data[LOG_LEVEL]', action: 'deny', message: /^Deployment shop\/api needs a key this ConfigMap lacks: env var LOG_LEVEL of container "api" reads key "LOG_LEVEL", which ConfigMap shop\/api-config does not have \(keys: log_level\)/ }] },
  ],
});
