// What the LimitRanger admission plugin writes into a container that sets no request or limit:
// each Container-type LimitRange of the namespace gives its defaults to every new pod there, so
// the pods of a Deployment without requests get them all the same.
import type { LimitRange } from '../../engine/objects.js';

type Item = LimitRange['spec']['limits'][number];

const containerItems = (ranges: readonly LimitRange[]): Item[] => ranges.flatMap((r) => r.spec.limits.filter((l) => l.type === 'Container'));

/**
 * Does a LimitRange give a container with no `resource` request one? The API server stores a
 * LimitRange with `defaultRequest` filled from `default`, then `max`, then `min`
 * (SetDefaults_LimitRangeItem); a manifest is not defaulted yet, so all four are read.
 */
export const givesRequest = (ranges: readonly LimitRange[], resource: string): boolean =>
  containerItems(ranges).some((l) => [l.defaultRequest, l.default, l.max, l.min].some((m) => m[resource] !== undefined));

/** Does a LimitRange give a container with no `resource` limit one (`default`, filled from `max`)? */
export const givesLimit = (ranges: readonly LimitRange[], resource: string): boolean =>
  containerItems(ranges).some((l) => l.default[resource] !== undefined || l.max[resource] !== undefined);
