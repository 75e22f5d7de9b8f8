import { policyCases } from './policy-cases.js';

policyCases('replicas', {
  valid: ['two-or-more-replicas', 'scaled-to-zero', 'hpa-targets-deployment'],
  invalid: [
    { fixture: 'replicas-not-set', expect: [{ path: 'spec.replicas', action: 'warn' }] },
    { fixture: 'single-replica', expect: [{ path: 'spec.replicas', action: 'warn' }] },
    { fixture: 'hpa-targets-other-deployment', expect: [{ path: 'spec.replicas', action: 'warn' }] },
    { fixture: 'hpa-covers-only-its-target', expect: [{ object: 'worker', path: 'spec.replicas', action: 'warn' }] },
  ],
});
