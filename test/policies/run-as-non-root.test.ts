import { policyCases } from './policy-cases.js';

const containers = 'spec.template.spec.containers';

policyCases('run-as-non-root', {
  valid: ['pod-run-as-non-root', 'pod-run-as-user'],
  invalid: [
    { fixture: 'no-security-context', expect: [{ path: `${containers}[api].securityContext`, action: 'warn' }] },
    { fixture: 'container-overrides-non-root', expect: [{ path: `${containers}[debug-tools].securityContext`, action: 'warn' }] },
    { fixture: 'run-as-user-zero', expect: [{ path: `${containers}[api].securityContext.runAsUser`, action: 'warn' }] },
    { fixture: 'pod-run-as-user-zero', expect: [{ path: 'spec.template.spec.securityContext.runAsUser', action: 'warn' }] },
    // The kubelet refuses to start this container: a certain start-up failure denies (DESIGN.md, why these defaults).
    { fixture: 'non-root-with-user-zero', expect: [{ path: `${containers}[api].securityContext.runAsUser`, action: 'deny' }] },
    { fixture: 'init-container-unset', expect: [{ path: 'spec.template.spec.initContainers[migrate].securityContext', action: 'warn' }] },
  ],
});
