import { policyCases } from './policy-cases.js';

policyCases('probe-timing', {
  valid: ['kubernetes-defaults', 'boundary-timings', 'liveness-grace-from-failure-threshold', 'liveness-behind-startup-probe', 'zero-means-default', 'liveness-differs-by-header'],
  invalid: [
    { fixture: 'period-below-minimum', expect: [{ path: 'spec.template.spec.containers[api].readinessProbe.periodSeconds', action: 'warn' }] },
    {
      fixture: 'timeout-not-below-period',
      expect: [
        { path: 'spec.template.spec.containers[api].readinessProbe.timeoutSeconds', action: 'warn' },
        { path: 'spec.template.spec.containers[api].livenessProbe.timeoutSeconds', action: 'warn' },
      ],
    },
    { fixture: 'liveness-identical-to-readiness', expect: [{ path: 'spec.template.spec.containers[api].livenessProbe', action: 'warn' }] },
    { fixture: 'liveness-identical-once-defaulted', expect: [{ path: 'spec.template.spec.containers[api].livenessProbe', action: 'warn' }] },
    { fixture: 'liveness-restarts-too-soon', expect: [{ path: 'spec.template.spec.containers[search].livenessProbe', action: 'warn' }] },
    {
      fixture: 'native-sidecar-probed-every-second',
      expect: [
        { path: 'spec.template.spec.initContainers[proxy].readinessProbe.periodSeconds', action: 'warn' },
      ],
    },
    {
      fixture: 'period-and-timeout-both-wrong',
      expect: [
        { path: 'spec.template.spec.containers[api].readinessProbe.periodSeconds', action: 'warn' },
        { path: 'spec.template.spec.containers[api].readinessProbe.timeoutSeconds', action: 'warn' },
        { path: 'spec.template.spec.containers[api].livenessProbe.periodSeconds', action: 'warn' },
      ],
    },
  ],
});
