import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { serviceHosts } from '../../src/policies/service-ref.js';
import { rollsafe } from '../helpers/run-cli.js';
import { clusterCases } from './cluster-cases.js';
import { fixtureDir } from './policy-cases.js';

const env = 'spec.template.spec.containers[api].env';

clusterCases('service-ref', {
  valid: ['exists', 'headless-target-port', 'headless-any-port', 'knative-example', 'commented-out'],
  invalid: [
    {
      fixture: 'missing-service',
      expect: [
        { path: `${env}[AUTH_URL]`, action: 'warn', message: /^env var AUTH_URL of container "api" points at auth\.shop\.svc\.cluster\.local:8443, which names Service shop\/auth, which does not exist in the cluster; fix the host/ },
        { path: `${env}[CACHE_ADDR]`, action: 'warn', message: /names port 6380 of Service shop\/redis, which has no such port \(ports: 6379 \(redis\)\)/ },
      ],
    },
    { fixture: 'port-not-exposed', expect: [{ path: `${env}[CASSANDRA_CONTACT_POINTS]`, action: 'warn', message: /names port 9042 of Service shop\/cassandra, which has no such port \(ports: 80 \(cql\)\)/ }] },
    {
      fixture: 'scheme-default-port',
      expect: [
        { path: `${env}[AUTH_URL]`, action: 'warn', message: /^env var AUTH_URL of container "api" points at auth\.shop\.svc\.cluster\.local, which names port 80 \(the http:\/\/ default: the URL gives none\) of Service shop\/auth, which has no such port \(ports: 8080 \(http\), 8443 \(https\)\)/ },
        { path: `${env}[AUTH_TLS_URL]`, action: 'warn', message: /names port 443 \(the https:\/\/ default: the URL gives none\) of Service shop\/auth/ },
        { path: `${env}[DATABASE_URL]`, action: 'warn', message: /points at db\.shop\.svc\.cluster\.local, which names port 5432 \(the postgresql:\/\/ default: the URL gives none\) of Service shop\/db, which has no such port \(ports: 6432 \(pgbouncer\)\)/ },
      ],
    },
    { fixture: 'repeated', expect: [{ path: 'data[nginx.conf]', action: 'warn', message: /^key nginx\.conf points at loki-ruler\.logs\.svc\.cluster\.local, which names Service logs\/loki-ruler, which does not exist/ }] },
    { fixture: 'configmap', expect: [{ path: 'data[default.conf]', action: 'warn', message: /^key default\.conf points at api\.shop\.svc\.cluster\.local:9000, which names Service shop\/api/ }] },
  ],
});

it('service-ref: rollsafe check cannot know the cluster and reports nothing', async () => {
  const run = await rollsafe(['check', '-o', 'json', join(fixtureDir('service-ref'), 'valid.cli-cannot-know.yaml')]);
  const report = JSON.parse(run.stdout) as { results: { findings: { policy: string }[] }[] };
  expect(report.results.flatMap((r) => r.findings.map((f) => f.policy))).not.toContain('service-ref');
  expect(run.code).toBe(0);
});

it('service-ref: finds whole Service hosts only', () => {
  expect(serviceHosts('http://auth.shop.svc:8080/x').map((h) => [h.name, h.namespace, h.port])).toEqual([['auth', 'shop', 8080]]);
  expect(serviceHosts('redis.cache.svc.cluster.local')).toMatchObject([{ name: 'redis', namespace: 'cache', port: undefined }]);
  expect(serviceHosts('db-0.db.shop.svc.cluster.local:5432')).toEqual([]);
  expect(serviceHosts('a.b.svc.example.com')).toEqual([]);
  expect(serviceHosts('one a.b.svc:1, two c.d.svc:2')).toHaveLength(2);
  expect(serviceHosts('Auth.Shop.SVC')).toMatchObject([{ name: 'auth', namespace: 'shop' }]);
});

it('service-ref: skips commented-out lines (a comment after a setting is not recognised)', () => {
  expect(serviceHosts('# a.b.svc:1\n  // c.d.svc:2\n; e.f.svc:3\nkey: g.h.svc:4 # i.j.svc:5').map((h) => h.name)).toEqual(['g', 'i']);
});

it('service-ref: reads a URL scheme\'s default port only where a path ends the host', () => {
  const ports = (v: string) => serviceHosts(v).map((h) => [h.port, h.schemePort]);
  expect(ports('http://a.b.svc/x')).toEqual([[undefined, 80]]);
  expect(ports('WSS://u:p@a.b.svc?q')).toEqual([[undefined, 443]]);
  expect(ports('http://a.b.svc:8080/x')).toEqual([[8080, undefined]]);
  // No path: the port may follow from elsewhere (nginx `proxy_pass $backend:3100`).
  expect(ports('set $b http://a.b.svc;')).toEqual([[undefined, undefined]]);
  expect(ports('postgresql://app:secret@db.shop.svc/orders')).toEqual([[undefined, 5432]]);
  expect(ports('redis://cache.shop.svc.cluster.local/0')).toEqual([[undefined, 6379]]);
  expect(ports('amqps://mq.shop.svc/vhost')).toEqual([[undefined, 5671]]);
  // Schemes with no port of their own: gRPC clients do not read grpc://, mongodb+srv asks DNS.
  expect(ports('grpc://a.b.svc/x')).toEqual([[undefined, undefined]]);
  expect(ports('mongodb+srv://a.b.svc/x')).toEqual([[undefined, undefined]]);
  expect(ports('xpostgresql://a.b.svc/x')).toEqual([[undefined, undefined]]);
  expect(ports('a.b.svc/x')).toEqual([[undefined, undefined]]);
});

it('service-ref: a long value full of near-misses is read whole (a quadratic scan would not finish within the test timeout)', () => {
  const hosts = serviceHosts(`${'@'.repeat(200_000)}a.b.svc/ ${'x.y.svc/'.repeat(50_000)}${'a'.repeat(200_000)}`);
  expect(hosts).toHaveLength(50_001);
  expect(hosts[0]).toMatchObject({ name: 'a', namespace: 'b', scheme: undefined });
});
