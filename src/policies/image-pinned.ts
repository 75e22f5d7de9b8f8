import { z } from 'zod';
import { definePolicy } from '../engine/policy.js';
import { podContainers, podSpec } from './shared/containers.js';
import { parseImageReference } from './shared/image-reference.js';

// strings.TrimSpace's white space (Go's unicode.IsSpace), which is not String.prototype.trim's:
// Go trims U+0085 and keeps U+FEFF.
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/**
 * Where the image has white space the API server refuses in a pod, if it does. The check runs only
 * on pods (validateContainerOnlyForPod), not on a Deployment's template, so the Deployment is
 * admitted and the ReplicaSet then fails to create every pod.
 */
function surroundingSpace(image: string): 'starts' | 'ends' | undefined {
  if (GO_SPACE.test(image.charAt(0))) return 'starts';
  if (GO_SPACE.test(image.charAt(image.length - 1))) return 'ends';
  return undefined;
}

/** Longer than any image that parses (path 255, tag 128, digest 135, a long registry). */
const MAX_SHOWN = 512;

/**
 * The image as written, quoted; whole up to MAX_SHOWN code points, so a malformed digest is seen
 * in full, but a megabyte image does not become a megabyte warning.
 */
function shown(image: string): string {
  if (image.length <= MAX_SHOWN) return JSON.stringify(image);
  return JSON.stringify(`${Array.from(image.slice(0, MAX_SHOWN * 2)).slice(0, MAX_SHOWN).join('')}…`);
}

const FIXES = {
  digest: 'copy the full digest (e.g. from `crane digest` or `docker buildx imagetools inspect`)',
  tag: 'set a tag of letters, digits, `_`, `.` and `-` (at most 128, not starting with `.` or `-`)',
  emptyTag: 'set the tag, or remove the `:` (an empty tag is often an unset image.tag in a values file)',
  name: 'write the image as registry[:port]/lower-case/path[:tag], e.g. ghcr.io/org/app:1.4.2',
} as const;

export default definePolicy({
  id: 'image-pinned',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: 'Images name a version (a tag other than latest, or a digest); an image the kubelet cannot parse is denied.',
  rationale:
    'An untagged or `latest` image is whatever the registry holds when a node pulls it: pods of one ' +
    'ReplicaSet run different code, a node restart upgrades a pod silently, and a rollback does not ' +
    'roll back. A digest (`@sha256:…`) pins exactly; a version tag pins by convention. An image ' +
    'reference the kubelet cannot parse is denied, because every pod fails with InvalidImageName: an ' +
    'empty tag (`nginx:`, what `{{ .Values.image.repository }}:{{ .Values.image.tag }}` renders ' +
    'with no tag), upper case in the repository path (`docker.io/MyOrg/app`), a tag with other ' +
    'characters than letters, digits, `_`, `.` and `-` or longer than 128, an empty path component ' +
    '(`reg//app`), a repository path over 255 characters, or a digest that is not 64 lower-case hex ' +
    'digits after `sha256:`. So is an image with white space around it: the API server admits the ' +
    'Deployment but refuses each of its pods (`must not have leading or trailing whitespace`).',
  fix: 'use a version tag or a digest (image@sha256:…)',
  options: z.strictObject({}),
  check(deployment) {
    return podContainers(podSpec(deployment)).flatMap((c) => {
      const image = c.container.image;
      if (image === undefined) return [];
      const space = surroundingSpace(image);
      if (space !== undefined) {
        return [
          {
            path: `${c.path}.image`,
            value: image,
            message: `container "${c.container.name}" uses image ${shown(image)}, which ${space} with white space, so the API server refuses to create its pods ("must not have leading or trailing whitespace") and the ReplicaSet creates none`,
            fix: 'remove the white space around the image (often a trailing space or newline in a values file or template)',
            level: 'hard' as const,
          },
        ];
      }
      // The API server refuses an empty image before any webhook sees it.
      if (image === '') return [];
      const ref = parseImageReference(image);
      if (!ref.valid) {
        return [
          {
            path: `${c.path}.image`,
            value: image,
            message: `container "${c.container.name}" uses image ${shown(image)}, ${ref.problem}, so the kubelet cannot parse it and the container fails with InvalidImageName`,
            fix: FIXES[ref.part],
            // Not hygiene: no pod of the rollout can start.
            level: 'hard' as const,
          },
        ];
      }
      const { tag, digest } = ref;
      if (digest !== undefined || (tag !== undefined && tag !== 'latest')) return [];
      return [
        {
          path: `${c.path}.image`,
          value: image,
          message: `container "${c.container.name}" uses image ${shown(image)}, ${tag === undefined ? 'which has no tag (means latest)' : 'tagged latest'}`,
        },
      ];
    });
  },
});
