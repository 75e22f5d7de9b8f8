import { policyCases } from './policy-cases.js';

const api = 'spec.template.spec.containers[api].image';

policyCases('image-pinned', {
  valid: ['version-tag', 'digest', 'registry-port-with-tag', 'reference-forms'],
  invalid: [
    { fixture: 'no-tag', expect: [{ path: api, action: 'warn' }] },
    { fixture: 'latest-tag', expect: [{ path: api, action: 'warn' }] },
    { fixture: 'registry-port-no-tag', expect: [{ path: api, action: 'warn' }] },
    {
      fixture: 'digest-malformed',
      expect: [
        { path: api, action: 'deny' },
        { path: 'spec.template.spec.containers[proxy].image', action: 'deny' },
      ],
    },
    {
      fixture: 'image-whitespace',
      expect: [
        { path: api, action: 'deny' },
        { path: 'spec.template.spec.containers[proxy].image', action: 'deny' },
      ],
    },
    {
      fixture: 'image-unparsable',
      expect: [
        { path: 'spec.template.spec.initContainers[migrate].image', action: 'deny' },
        { path: api, action: 'deny' },
        { path: 'spec.template.spec.containers[proxy].image', action: 'deny' },
        { path: 'spec.template.spec.containers[cache].image', action: 'deny' },
        { path: 'spec.template.spec.containers[worker].image', action: 'deny' },
      ],
    },
    { fixture: 'init-container-untagged', expect: [{ path: 'spec.template.spec.initContainers[wait-for-db].image', action: 'warn' }] },
  ],
});
