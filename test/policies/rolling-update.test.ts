import { policyCases } from './policy-cases.js';

policyCases('rolling-update', {
  valid: [
    'default-strategy',
    'max-unavailable-rounds-down',
    'single-replica-surges-first',
    'no-surge-keeps-old-pods',
    'recreate-single-replica-with-claim',
    'scaled-to-zero',
  ],
  invalid: [
    { fixture: 'recreate-many-replicas', expect: [{ path: 'spec.strategy.type', action: 'deny' }] },
    { fixture: 'recreate-many-replicas-with-claim', expect: [{ path: 'spec.strategy.type', action: 'deny' }] },
    { fixture: 'recreate-single-replica', expect: [{ path: 'spec.strategy.type', action: 'warn' }] },
    // The HPA's minReplicas (3) counts, not the replicas left out (1): a deny. Wording in the snapshot.
    { fixture: 'recreate-hpa-min-replicas', expect: [{ path: 'spec.strategy.type', action: 'deny' }] },
    { fixture: 'recreate-hpa-default-min', expect: [{ path: 'spec.strategy.type', action: 'deny' }] },
    { fixture: 'max-unavailable-all-percent', expect: [{ path: 'spec.strategy.rollingUpdate.maxUnavailable', action: 'deny' }] },
    { fixture: 'max-unavailable-all-integer', expect: [{ path: 'spec.strategy.rollingUpdate.maxUnavailable', action: 'deny' }] },
    { fixture: 'single-replica-no-surge', expect: [{ path: 'spec.strategy.rollingUpdate.maxUnavailable', action: 'warn' }] },
  ],
});
