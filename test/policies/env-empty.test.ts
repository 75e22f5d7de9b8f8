import { policyCases } from './policy-cases.js';

const env = 'spec.template.spec.containers[api].env';

policyCases('env-empty', {
  valid: ['values-set', 'value-from', 'overridden-by-later-entry', 'empty-by-convention'],
  invalid: [
    { fixture: 'empty-string', expect: [{ path: `${env}[RATE_LIMIT]`, action: 'warn' }] },
    { fixture: 'no-value', expect: [{ path: `${env}[RATE_LIMIT]`, action: 'warn' }] },
    { fixture: 'empty-after-override', expect: [{ path: `${env}[RATE_LIMIT]`, action: 'warn' }] },
    {
      fixture: 'expands-to-empty',
      expect: [
        { path: `${env}[REGION_SUFFIX]`, action: 'warn' },
        { path: `${env}[QUEUE_NAME]`, action: 'warn' },
      ],
    },
    {
      fixture: 'near-conventional-names',
      expect: ['FEATURE_FLAGS', 'DB_OPTIONS', 'OPTS_FILE', 'WATCH_NAMESPACE_PREFIX', 'SELECTORS_FILE'].map((name) => ({ path: `${env}[${name}]`, action: 'warn' as const })),
    },
    { fixture: 'init-container-empty', expect: [{ path: 'spec.template.spec.initContainers[migrate].env[DB_SCHEMA]', action: 'warn' }] },
  ],
});
