// The configuration incidents Rollsafe exists for (DESIGN.md, first table), written as the
// ConfigSchema of DESIGN.md plus what reached the cluster: `rollsafe check` denies each with the
// key named; the corrected configuration passes. Run through the real binary.
import { describe, expect, it } from '@jest/globals';
import { spawnRollsafe } from '../helpers/spawn-cli.js';

interface Report {
  results: { kind: string; name: string; decision: string; findings: { policy: string; action: string; path: string; message: string }[] }[];
}

const dir = 'test/fixtures/schema-incidents';
const run = (file: string) => spawnRollsafe(['check', '-o', 'json', `${dir}/schema.yaml`, `${dir}/${file}`]);
const schemaFindings = (r: Report, kind: string) =>
  r.results.find((x) => x.kind === kind)?.findings.filter((f) => f.policy === 'config-schema') ?? [];

describe('ConfigSchema incidents', () => {
  const broken = run('broken.yaml');
  const report = JSON.parse(broken.stdout) as Report;
  const cm = schemaFindings(report, 'ConfigMap');
  const dep = schemaFindings(report, 'Deployment');
  const C = 'spec.template.spec.containers[api]';

  it('denies the broken configuration (exit 1)', () => {
    expect(broken.stderr).toBe('');
    expect(broken.code).toBe(1);
  });

  it('pool size: "25connections" is not an integer, and an empty required RATE_LIMIT', () => {
    expect(dep).toContainEqual(expect.objectContaining({ action: 'deny', path: `${C}.env[POOL_SIZE]` }));
    expect(dep.find((f) => f.path === `${C}.env[POOL_SIZE]`)?.message).toMatch(/^env var POOL_SIZE of container "api": "25connections" is not an integer .*\(ConfigSchema shop\/api-config\); set it to an integer from 1 to 500$/);
    expect(dep.find((f) => f.path === `${C}.env[RATE_LIMIT]`)?.message).toBe(
      'env var RATE_LIMIT of container "api" is empty, but ConfigSchema shop/api-config requires a value; set it to an integer of at least 1',
    );
  });

  it('CORS format: a YAML list where a comma-separated list is declared, in the ConfigMap and where the Deployment reads it', () => {
    const f = cm.find((x) => x.path === 'data[CORS_ORIGINS]');
    expect(f?.action).toBe('deny');
    expect(f?.message).toContain('looks like a YAML sequence (yaml); this key is declared as comma-separated (csv)');
    // The fix gives the same items as the key wants them.
    expect(f?.message).toMatch(/; set it to a list, comma-separated, each a URL \(https\): "https:\/\/shop\.example\.com,https:\/\/admin\.example\.com"$/);
    expect(dep.some((x) => x.message.startsWith('env var CORS_ORIGINS of container "api" (from ConfigMap shop/api-config key CORS_ORIGINS)'))).toBe(true);
  });

  it('auth address: a host outside the allow-list', () => {
    expect(cm.find((x) => x.path === 'data[AUTH_URL]')?.message).toContain(
      'has host auth.staging.svc.cluster.local, which is not one of the allowed hosts (auth.shop.svc.cluster.local)',
    );
  });

  it('telemetry endpoint: loopback refused by the schema, in one line (env-loopback yields to it there)', () => {
    expect(dep.find((x) => x.path === `${C}.env[OTEL_EXPORTER_OTLP_ENDPOINT]`)?.message).toContain('"localhost:4318" points at loopback');
    const all = report.results.find((x) => x.kind === 'Deployment')?.findings ?? [];
    expect(all.filter((f) => f.path === `${C}.env[OTEL_EXPORTER_OTLP_ENDPOINT]`).map((f) => `${f.policy} ${f.action}`)).toEqual(['config-schema deny']);
    // The same for the empty RATE_LIMIT: env-empty's warning yields to the schema's denial.
    expect(all.filter((f) => f.path === `${C}.env[RATE_LIMIT]`).map((f) => `${f.policy} ${f.action}`)).toEqual(['config-schema deny']);
  });

  it('also catches a duration with no unit and an enum in the wrong case', () => {
    expect(dep.find((x) => x.path === `${C}.env[TIMEOUT]`)?.message).toContain('"90" has no unit after 90');
    expect(cm.find((x) => x.path === 'data[LOG_LEVEL]')?.message).toContain('(did you mean "info"?)');
  });

  it('accepts the corrected configuration with no finding at all (exit 0)', () => {
    const fixed = run('fixed.yaml');
    const r = JSON.parse(fixed.stdout) as Report;
    expect(fixed.code).toBe(0);
    expect(r.results.map((x) => [x.kind, x.decision, x.findings.map((f) => f.policy)])).toEqual([
      ['ConfigMap', 'allow', []],
      ['Deployment', 'allow', []],
    ]);
  });
});
