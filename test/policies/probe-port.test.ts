import { policyCases } from './policy-cases.js';

policyCases('probe-port', {
  valid: ['named-port-declared', 'exec-and-numeric'],
  invalid: [
    { fixture: 'named-port-missing', expect: [{ path: 'spec.template.spec.containers[api].readinessProbe.httpGet.port', action: 'deny' }] },
    { fixture: 'port-on-other-container', expect: [{ path: 'spec.template.spec.containers[api].livenessProbe.tcpSocket.port', action: 'deny' }] },
    { fixture: 'named-udp-port', expect: [{ path: 'spec.template.spec.containers[syslog].readinessProbe.tcpSocket.port', action: 'warn' }] },
  ],
});
