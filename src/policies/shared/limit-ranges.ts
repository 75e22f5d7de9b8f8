// What the LimitRanger admission plugin writes into a container that sets no request or limit:
// each Container-type LimitRange of the namespace gives its defaults to every new pod there, so
// the pods of a Deployment without requests get them all the same.
import type { Lookup } from '../../engine/lookup.js';
import type { LimitRange } from '../../engine/objects.js';

type Item = LimitRange['spec']['limits'][number];

/**
 * The LimitRange that gives a container with no `resource` request one, if any. The API server
 * stores a LimitRange with `defaultRequest` filled from `default`, then `max`, then `min`
 * (SetDefaults_LimitRangeItem); a manifest is not defaulted yet, so all four are read.
 */
export function requestDefaultedBy(lookup: Lookup, namespace: string, resource: string): string | undefined {
  return find(lookup, namespace, (l) => [l.defaultRequest, l.default, l.max, l.min].some((m) => m[resource] !== undefined));
}

/** The LimitRange that gives a container with no `resource` limit one (`default`, filled from `max`). */
export function limitDefaultedBy(lookup: Lookup, namespace: string, resource: string): string | undefined {
  return find(lookup, namespace, (l) => l.default[resource] !== undefined || l.max[resource] !== undefined);
}

function find(lookup: Lookup, namespace: string, gives: (item: Item) => boolean): string | undefined {
  const range = lookup.listLimitRanges(namespace).find((r) => r.spec.limits.some((l) => l.type === 'Container' && gives(l)));
  return range && `LimitRange ${namespace}/${range.metadata.name ?? ''}`;
}
