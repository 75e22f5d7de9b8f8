import { z } from 'zod';
import { definePolicy } from '../engine/policy.js';
import { podContainers, podSpec } from './shared/containers.js';

/** The tag of an image reference, or undefined; a `host:port/` registry prefix is not a tag. */
export function imageTag(image: string): { tag?: string; digest: boolean } {
  const at = image.indexOf('@');
  if (at !== -1) return { digest: true };
  const lastSlash = image.lastIndexOf('/');
  const lastPart = image.slice(lastSlash + 1);
  const colon = lastPart.lastIndexOf(':');
  return colon === -1 ? { digest: false } : { tag: lastPart.slice(colon + 1), digest: false };
}

export default definePolicy({
  id: 'image-pinned',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: 'Images name a version: a tag other than latest, or a digest.',
  rationale:
    'An untagged or `latest` image is whatever the registry holds when a node pulls it: pods of one ' +
    'ReplicaSet run different code, a node restart upgrades a pod silently, and a rollback does not ' +
    'roll back. A digest (`@sha256:…`) pins exactly; a version tag pins by convention.',
  fix: 'use a version tag or a digest (image@sha256:…)',
  options: z.strictObject({}),
  check(deployment) {
    return podContainers(podSpec(deployment)).flatMap((c) => {
      const image = c.container.image;
      if (image === undefined) return [];
      const { tag, digest } = imageTag(image);
      if (digest || (tag !== undefined && tag !== 'latest')) return [];
      return [
        {
          path: `${c.path}.image`,
          message: `container "${c.container.name}" uses image ${JSON.stringify(image)}, ${tag === undefined ? 'which has no tag (means latest)' : 'tagged latest'}`,
        },
      ];
    });
  },
});
