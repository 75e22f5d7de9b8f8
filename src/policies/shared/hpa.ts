import type { Lookup } from '../../engine/lookup.js';
import type { Deployment, HorizontalPodAutoscaler } from '../../engine/objects.js';

/** HorizontalPodAutoscalers whose scaleTargetRef is this Deployment. */
export function hpasTargeting(d: Deployment, lookup: Lookup, namespace: string): HorizontalPodAutoscaler[] {
  const name = d.metadata.name;
  if (!name) return [];
  return lookup
    .listHorizontalPodAutoscalers(namespace)
    .filter((h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === name);
}

/** Resources (cpu, memory) whose Utilization an HPA scales on: they need requests on every container. */
export function utilizationResources(h: HorizontalPodAutoscaler): string[] {
  const out = new Set<string>();
  if (h.spec.targetCPUUtilizationPercentage !== undefined) out.add('cpu');
  for (const m of h.spec.metrics) {
    if (m.type === 'Resource' && m.resource?.target?.type === 'Utilization') out.add(m.resource.name);
  }
  return [...out];
}

/** Same for ContainerResource metrics, which name one container. */
export function containerUtilizationResources(h: HorizontalPodAutoscaler): { container: string; resource: string }[] {
  return h.spec.metrics.flatMap((m) =>
    m.type === 'ContainerResource' && m.containerResource?.target?.type === 'Utilization'
      ? [{ container: m.containerResource.container, resource: m.containerResource.name }]
      : [],
  );
}
