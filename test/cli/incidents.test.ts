// The incidents Rollsafe exists for (DESIGN.md, first table) that need no schema and no cluster,
// run through the real binary: each is refused or warned with the policy id and a usable message.
import { describe, expect, it } from '@jest/globals';
import { spawnRollsafe } from '../helpers/spawn-cli.js';

interface JsonReport {
  results: { name: string; decision: string; findings: { policy: string; action: string; path: string; message: string }[] }[];
}

const run = spawnRollsafe(['check', '-o', 'json', 'test/fixtures/incidents']);
const report = JSON.parse(run.stdout) as JsonReport;
const findingsOf = (name: string) => report.results.find((r) => r.name === name)?.findings ?? [];
const C = 'spec.template.spec.containers';

describe('rollsafe check on the incident manifests', () => {
  it('exits 1 because some of them are denied', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
  });

  it('denies the telemetry endpoint on localhost:4318 with no listener in the pod', () => {
    const f = findingsOf('checkout').find((x) => x.policy === 'env-loopback');
    expect(f).toMatchObject({ action: 'deny', path: `${C}[checkout].env[OTEL_EXPORTER_OTLP_ENDPOINT]` });
    expect(f?.message).toContain('"localhost:4318"');
    expect(f?.message).toContain('no container of the pod declares port 4318');
  });

  it('denies Recreate and a maxUnavailable of 100% on a Deployment with several replicas', () => {
    expect(findingsOf('cors-api')).toContainEqual(
      expect.objectContaining({ policy: 'rolling-update', action: 'deny', path: 'spec.strategy.type' }),
    );
    const f = findingsOf('cors-web').find((x) => x.policy === 'rolling-update');
    expect(f).toMatchObject({ action: 'deny', path: 'spec.strategy.rollingUpdate.maxUnavailable' });
    expect(f?.message).toContain('"100%" resolves to 4 of 4 replica(s)');
  });

  it('denies a probe on an undeclared named port and warns on the rest of the probe incident', () => {
    const f = findingsOf('payments').map((x) => `${x.action} ${x.policy} ${x.path}`);
    expect(f).toEqual(
      expect.arrayContaining([
        `deny probe-port ${C}[payments].readinessProbe.httpGet.port`,
        `warn probe-port-undeclared ${C}[payments].livenessProbe.httpGet.port`,
        `warn probe-timing ${C}[payments].readinessProbe.periodSeconds`,
        `warn run-as-non-root ${C}[payments].securityContext.runAsUser`,
        `warn run-as-non-root ${C}[audit-shipper].securityContext`,
        `warn env-empty ${C}[payments].env[RATE_LIMIT]`,
        `warn readiness-probe ${C}[audit-shipper].readinessProbe`,
        `warn resources ${C}[payments].resources`,
        `warn image-pinned ${C}[payments].image`,
      ]),
    );
  });

  it('prints one line per finding in the text output, with policy id, path and fix', () => {
    const text = spawnRollsafe(['check', 'test/fixtures/incidents/telemetry-loopback.yaml']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Deployment shop/checkout  test/fixtures/incidents/telemetry-loopback.yaml:2');
    expect(text.stdout).toMatch(
      /✖ deny {2}\[env-loopback\] spec\.template\.spec\.containers\[checkout\]\.env\[OTEL_EXPORTER_OTLP_ENDPOINT\]: .*; point it at a Service .* \(line 17\)\n/,
    );
    expect(text.stdout).toContain('1 object(s) checked in 1 file(s): 1 denied');
  });
});
