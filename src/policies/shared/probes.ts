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
  /**
   * `httpGet.host` or `tcpSocket.host` when set: the kubelet then connects to that host, not to the
   * pod (pkg/kubelet/prober/prober.go); a named port is still resolved against the container.
   */
  readonly host?: string;
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
  const withHost = (host: string | undefined) => (host ? { host } : {});
  if (p.probe.httpGet) return { port: p.probe.httpGet.port, path: `${p.path}.httpGet.port`, ...withHost(p.probe.httpGet.host) };
  if (p.probe.tcpSocket) return { port: p.probe.tcpSocket.port, path: `${p.path}.tcpSocket.port`, ...withHost(p.probe.tcpSocket.host) };
  if (p.probe.grpc) return { port: p.probe.grpc.port, path: `${p.path}.grpc.port` };
  return undefined;
}

export const declaredPortNumbers = (c: Container): number[] => c.ports.map((p) => p.containerPort);

/** "http (8080), metrics (9090)" or "none" */
export function describePorts(c: Container): string {
  if (c.ports.length === 0) return 'none';
  return c.ports.map((p) => (p.name ? `${p.name} (${p.containerPort})` : String(p.containerPort))).join(', ');
}
