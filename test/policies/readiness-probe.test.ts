import { policyCases } from './policy-cases.js';

policyCases('readiness-probe', {
  valid: ['every-app-container-probed', 'init-and-sidecar-containers-unprobed', 'ephemeral-container-unprobed'],
  invalid: [
    { fixture: 'no-readiness-probe', expect: [{ path: 'spec.template.spec.containers[api].readinessProbe', action: 'warn' }] },
    { fixture: 'second-container-unprobed', expect: [{ path: 'spec.template.spec.containers[exporter].readinessProbe', action: 'warn' }] },
    {
      fixture: 'app-container-unprobed-beside-probed-sidecar',
      expect: [
        { path: 'spec.template.spec.containers[web].readinessProbe', action: 'warn' },
        { path: 'spec.template.spec.containers[worker].readinessProbe', action: 'warn' },
      ],
    },
  ],
});
