import { z } from 'zod';
import { definePolicy } from '../engine/policy.js';
import { podContainers, podSpec } from './shared/containers.js';

// Digests the kubelet can parse: the image reference grammar (github.com/distribution/reference)
// takes the digest to go-digest, which knows sha256, sha384 and sha512 in lower-case hex of their
// exact length. Any other digest fails ParseImageName, and the kubelet gives up on the container
// with InvalidImageName (pkg/kubelet/images/image_manager.go, applyDefaultImageTag).
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;

/**
 * The tag of an image reference, or undefined; a `host:port/` registry prefix is not a tag.
 * `digest` is the text after `@`, when there is one; `validDigest` says whether the kubelet can parse it.
 */
export function imageTag(image: string): { tag?: string; digest: boolean; validDigest?: boolean } {
  const at = image.indexOf('@');
  if (at !== -1) return { digest: true, validDigest: DIGEST.test(image.slice(at + 1)) };
  const lastSlash = image.lastIndexOf('/');
  const lastPart = image.slice(lastSlash + 1);
  const colon = lastPart.lastIndexOf(':');
  return colon === -1 ? { digest: false } : { tag: lastPart.slice(colon + 1), digest: false };
}

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

export default definePolicy({
  id: 'image-pinned',
  kinds: ['Deployment'],
  defaultAction: 'warn',
  summary: 'Images name a version: a tag other than latest, or a digest.',
  rationale:
    'An untagged or `latest` image is whatever the registry holds when a node pulls it: pods of one ' +
    'ReplicaSet run different code, a node restart upgrades a pod silently, and a rollback does not ' +
    'roll back. A digest (`@sha256:…`) pins exactly; a version tag pins by convention. A digest the ' +
    'kubelet cannot parse (not 64 lower-case hex digits after `sha256:`) is denied: every pod fails ' +
    'with InvalidImageName. So is an image with white space around it: the API server admits the ' +
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
            message: `container "${c.container.name}" uses image ${JSON.stringify(image)}, which ${space} with white space, so the API server refuses to create its pods ("must not have leading or trailing whitespace") and the ReplicaSet creates none`,
            fix: 'remove the white space around the image (often a trailing space or newline in a values file or template)',
            level: 'hard' as const,
          },
        ];
      }
      const { tag, digest, validDigest } = imageTag(image);
      if (digest && !validDigest) {
        return [
          {
            path: `${c.path}.image`,
            message: `container "${c.container.name}" uses image ${JSON.stringify(image)}, whose digest is malformed (sha256: takes 64 lower-case hex digits), so the kubelet cannot parse it and the container fails with InvalidImageName`,
            fix: 'copy the full digest (e.g. from `crane digest` or `docker buildx imagetools inspect`)',
            // Not hygiene: no pod of the rollout can start.
            level: 'hard' as const,
          },
        ];
      }
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
