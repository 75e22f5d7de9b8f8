import { policyCases } from './policy-cases.js';

const api = 'spec.template.spec.containers[api]';

policyCases('resources', {
  valid: ['all-set', 'hpa-utilization-with-requests', 'limits-imply-requests', 'classic-init-container-unchecked', 'limit-range-defaults-requests', 'pod-level-resources'],
  invalid: [
    {
      fixture: 'missing-requests-and-limits',
      expect: [
        { path: `${api}.resources`, action: 'warn' },
        { path: 'spec.template.spec.containers[proxy].resources', action: 'warn' },
      ],
    },
    {
      fixture: 'hpa-cpu-utilization-without-request',
      expect: [
        { path: `${api}.resources`, action: 'warn' },
        { path: `${api}.resources.requests.cpu`, action: 'deny' },
      ],
    },
    {
      fixture: 'hpa-v1-target-cpu-without-request',
      expect: [
        { path: `${api}.resources`, action: 'warn' },
        { path: `${api}.resources.requests.cpu`, action: 'deny' },
      ],
    },
    {
      fixture: 'hpa-default-metric-without-request',
      expect: [
        { path: `${api}.resources`, action: 'warn' },
        { path: `${api}.resources.requests.cpu`, action: 'deny' },
      ],
    },
    {
      fixture: 'limit-range-elsewhere',
      expect: [
        { path: `${api}.resources`, action: 'warn' },
        { path: `${api}.resources.requests.cpu`, action: 'deny' },
      ],
    },
    { fixture: 'hpa-average-value-warns-only', expect: [{ path: `${api}.resources`, action: 'warn' }] },
    {
      fixture: 'hpa-container-resource-without-request',
      expect: [
        { path: `${api}.resources`, action: 'warn' },
        { path: 'spec.template.spec.containers[proxy].resources', action: 'warn' },
        { path: `${api}.resources.requests.cpu`, action: 'deny' },
      ],
    },
    {
      fixture: 'pod-level-resources-hpa-resource-missing',
      expect: [
        { path: `${api}.resources`, action: 'warn' },
        { path: 'spec.template.spec.resources.requests.cpu', action: 'deny' },
      ],
    },
    {
      fixture: 'native-sidecar-without-request',
      expect: [
        { path: 'spec.template.spec.initContainers[log-shipper].resources', action: 'warn' },
        { path: 'spec.template.spec.initContainers[log-shipper].resources.requests.cpu', action: 'deny' },
      ],
    },
  ],
});
