// AdmissionReview bodies as the API server sends them, for tests.
export interface ReviewOptions {
  operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  oldObject?: unknown;
  username?: string;
  groups?: string[];
  uid?: string;
  dryRun?: boolean;
}

const KINDS: Record<string, { group: string; version: string }> = {
  Deployment: { group: 'apps', version: 'v1' },
  ConfigMap: { group: '', version: 'v1' },
  ConfigSchema: { group: 'rollsafe.dev', version: 'v1alpha1' },
  Secret: { group: '', version: 'v1' },
};

export function review(object: { kind: string; metadata: { name?: string; namespace?: string } }, o: ReviewOptions = {}) {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: o.uid ?? '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { ...(KINDS[object.kind] ?? { group: '', version: 'v1' }), kind: object.kind },
      resource: { group: '', version: 'v1', resource: `${object.kind.toLowerCase()}s` },
      namespace: object.metadata.namespace ?? 'shop',
      name: object.metadata.name,
      operation: o.operation ?? 'CREATE',
      userInfo: { username: o.username ?? 'dev@example.com', groups: o.groups ?? ['system:authenticated'] },
      object: o.operation === 'DELETE' ? null : object,
      oldObject: o.oldObject ?? null,
      dryRun: o.dryRun ?? false,
    },
  };
}

/** A Deployment that passes every policy; `patch` changes its container. */
export function deployment(container: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop', ...meta },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 10001 },
          containers: [
            {
              name: 'api',
              image: 'shop/api:1.4.2',
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              ...container,
            },
          ],
        },
      },
    },
  };
}
