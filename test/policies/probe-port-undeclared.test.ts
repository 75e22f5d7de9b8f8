import { policyCases } from './policy-cases.js';

policyCases('probe-port-undeclared', {
  valid: ['numeric-ports-declared', 'no-ports-declared', 'named-and-exec-probes', 'probe-with-host'],
  invalid: [
    { fixture: 'port-typo', expect: [{ path: 'spec.template.spec.containers[payments].livenessProbe.httpGet.port', action: 'warn' }] },
    {
      fixture: 'grpc-and-tcp-ports-undeclared',
      expect: [
        { path: 'spec.template.spec.containers[rpc].readinessProbe.grpc.port', action: 'warn' },
        { path: 'spec.template.spec.containers[rpc].livenessProbe.tcpSocket.port', action: 'warn' },
      ],
    },
    { fixture: 'native-sidecar-port-undeclared', expect: [{ path: 'spec.template.spec.initContainers[proxy].readinessProbe.httpGet.port', action: 'warn' }] },
  ],
});
