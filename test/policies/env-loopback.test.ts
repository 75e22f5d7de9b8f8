import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { rollsafe } from '../helpers/run-cli.js';
import { fixtureDir, policyCases } from './policy-cases.js';

const env = 'spec.template.spec.containers[api].env';

policyCases('env-loopback', {
  valid: ['served-by-declared-port', 'bind-addresses', 'bare-host', 'host-network'],
  invalid: [
    { fixture: 'otel-endpoint-localhost', expect: [{ path: `${env}[OTEL_EXPORTER_OTLP_ENDPOINT]`, action: 'deny' }] },
    { fixture: 'sidecar-may-listen', expect: [{ path: `${env}[OTEL_EXPORTER_OTLP_ENDPOINT]`, action: 'warn' }] },
    { fixture: 'ipv6-loopback', expect: [{ path: `${env}[OTEL_EXPORTER_OTLP_ENDPOINT]`, action: 'deny' }] },
    { fixture: 'expanded-host', expect: [{ path: `${env}[OTEL_EXPORTER_OTLP_ENDPOINT]`, action: 'deny' }] },
    { fixture: 'url-with-credentials', expect: [{ path: `${env}[DATABASE_URL]`, action: 'deny' }] },
    { fixture: 'secret-expanded-into-url', expect: [{ path: `${env}[TRACES_URL]`, action: 'deny' }] },
    {
      fixture: 'jdbc-url',
      expect: [
        { path: `${env}[SPRING_DATASOURCE_URL]`, action: 'deny' },
        { path: `${env}[FLYWAY_URL]`, action: 'deny' },
      ],
    },
  ],
});

describe('env-loopback output', () => {
  const file = (name: string) => join(fixtureDir('env-loopback'), `invalid.${name}.yaml`);
  const formats = ['text', 'json', 'sarif', 'junit'];

  it.each(formats)('never prints the password of a URL in %s output', async (format) => {
    const run = await rollsafe(['check', '-o', format, file('url-with-credentials')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/app:(<|&lt;)masked(>|&gt;)@localhost:5432/); // junit escapes it as XML
    expect(run.stdout + run.stderr).not.toContain('hunter2');
  });

  it.each(formats)('never prints a secret-looking variable expanded into an endpoint in %s output', async (format) => {
    const run = await rollsafe(['check', '-o', format, file('secret-expanded-into-url')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/token=(<|&lt;)masked(>|&gt;)/);
    expect(run.stdout + run.stderr).not.toContain('s3cr3t-otlp-token');
  });
});
