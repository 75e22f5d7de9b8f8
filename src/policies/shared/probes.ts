// The probes of a container, with their paths and the port each one targets.
import type { Container, IntOrString, Probe } from '../../engine/objects.js';
import type { ContainerAt } from './containers.js';

export const PROBE_KINDS = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

export interface ProbeAt {
  readonly probe: Probe;
  readonly kind: ProbeKind;
  readonly path: string;
}

export interface ProbePort {
  readonly port: IntOrString;
  /** Path of the port field, e.g. `...readinessProbe.httpGet.port`. */
  readonly path: string;
}

export function probesOf(c: ContainerAt): ProbeAt[] {
  const out: ProbeAt[] = [];
  for (const kind of PROBE_KINDS) {
    const probe = c.container[kind];
    if (probe) out.push({ probe, kind, path: `${c.path}.${kind}` });
  }
  return out;
}

/** The port a probe connects to; exec probes have none. */
export function probePort(p: ProbeAt): ProbePort | undefined {
  if (p.probe.httpGet) return { port: p.probe.httpGet.port, path: `${p.path}.httpGet.port` };
  if (p.probe.tcpSocket) return { port: p.probe.tcpSocket.port, path: `${p.path}.tcpSocket.port` };
  if (p.probe.grpc) return { port: p.probe.grpc.port, path: `${p.path}.grpc.port` };
  return undefined;
}

export const declaredPortNumbers = (c: Container): number[] => c.ports.map((p) => p.containerPort);

/** "http (8080), metrics (9090)" or "none" */
export function describePorts(c: Container): string {
  if (c.ports.length === 0) return 'none';
  return c.ports.map((p) => (p.name ? `${p.name} (${p.containerPort})` : String(p.containerPort))).join(', ');
}
