import { expect, it } from '@jest/globals';
import { deployments } from '../../src/cluster/resources.js';

// configmap-in-place reads a stored Deployment's volumeMounts: which ConfigMap volumes are mounted,
// and which only with subPath (never updated in place). Trimming must keep them.
it('a stored Deployment keeps its containers\' volumeMounts (name, subPath, subPathExpr), nothing else of them', () => {
  const decoded = deployments.decode({
    metadata: { name: 'web', namespace: 'shop', managedFields: [{}] },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'web',
              image: 'shop/web:3.1.0',
              volumeMounts: [
                { name: 'config', mountPath: '/etc/web/app.yaml', subPath: 'app.yaml', readOnly: true },
                { name: 'bundle', mountPath: '/etc/bundle' },
              ],
            },
          ],
          initContainers: [{ name: 'init', image: 'busybox', volumeMounts: [{ name: 'config', mountPath: '/x', subPathExpr: '$(POD)' }] }],
          volumes: [{ name: 'config', configMap: { name: 'api-config' } }, { name: 'bundle', projected: { sources: [{ configMap: { name: 'api-config' } }] } }],
        },
      },
    },
  });
  if (!decoded.ok) throw new Error(decoded.reason);
  const pod = decoded.value.spec.template.spec;
  expect(pod.containers[0]?.volumeMounts).toEqual([{ name: 'config', subPath: 'app.yaml' }, { name: 'bundle' }]);
  expect(pod.initContainers[0]?.volumeMounts).toEqual([{ name: 'config', subPathExpr: '$(POD)' }]);
});
