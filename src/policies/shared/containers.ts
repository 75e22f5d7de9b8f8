// Which containers a policy looks at, with the path of each in the Deployment.
import type { Container, Deployment, PodSpec } from '../../engine/objects.js';

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerAt {
  readonly container: Container;
  readonly list: ContainerList;
  /** e.g. `spec.template.spec.containers[api]` */
  readonly path: string;
  /** A native sidecar: an init container with `restartPolicy: Always` that runs beside the app. */
  readonly sidecar: boolean;
}

export const POD_PATH = 'spec.template.spec';

const at = (container: Container, list: ContainerList): ContainerAt => ({
  container,
  list,
  path: `${POD_PATH}.${list}[${container.name}]`,
  sidecar: list === 'initContainers' && container.restartPolicy === 'Always',
});

/** Containers that run for the pod's whole life: app containers and native sidecars. */
export function runningContainers(pod: PodSpec): ContainerAt[] {
  return [
    ...pod.containers.map((c) => at(c, 'containers')),
    ...pod.initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => at(c, 'initContainers')),
  ];
}

/** App and init containers (sidecars included); ephemeral debug containers are left out. */
export function podContainers(pod: PodSpec): ContainerAt[] {
  return [...pod.initContainers.map((c) => at(c, 'initContainers')), ...pod.containers.map((c) => at(c, 'containers'))];
}

/** Every container, ephemeral ones too (they can read ConfigMaps like any other). */
export function allContainers(pod: PodSpec): ContainerAt[] {
  return [...podContainers(pod), ...pod.ephemeralContainers.map((c) => at(c, 'ephemeralContainers'))];
}

export const podSpec = (d: Deployment): PodSpec => d.spec.template.spec;

/** Replicas as the API server defaults them: absent means 1. */
export const replicasOf = (d: Deployment): number => d.spec.replicas ?? 1;
