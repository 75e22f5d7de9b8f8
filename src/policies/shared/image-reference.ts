// An image reference read the way the kubelet reads it before it pulls anything:
// EnsureImageExists (k8s.io/kubernetes v1.37.2, pkg/kubelet/images/image_manager.go) calls
// applyDefaultImageTag → parsers.ParseImageName → ParseNormalizedNamed of
// github.com/distribution/reference v0.6.0, and any error there fails the container with
// InvalidImageName. The verdict here is that parser's, row for row, on the cases of
// test/fixtures/image-references.tsv (written by the Go program in scripts/image-references).
//
// The grammar is distribution's regexp.go, scanned by hand rather than with its regexes: an image
// field can be megabytes, and the same patterns in a backtracking engine are not linear. Every
// scan below reads each character a bounded number of times.

/** RepositoryNameTotalLengthMax: the path after the registry, `library/` included. */
const PATH_MAX = 255;
/** `[\w][\w.-]{0,127}` (regexp.go `tag`). */
const TAG_MAX = 128;
const DOCKER_HUB = 'docker.io';
const OFFICIAL_PREFIX = 'library/';

// What go-digest accepts once the hash packages are linked (the kubelet imports crypto/sha256 and
// crypto/sha512): a known algorithm and lower-case hex of exactly its length. Fixed-length, so linear.
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const IDENTIFIER = /^[a-f0-9]{64}$/;

export type ImageReference =
  | { readonly valid: true; readonly tag?: string; readonly digest?: string }
  | {
      readonly valid: false;
      /** Which part is wrong: each has its own fix (an empty tag too: `nginx:` from an unset value). */
      readonly part: Part;
      /** A clause that follows the image in a sentence: `whose tag is empty`. */
      readonly problem: string;
    };

type Part = 'name' | 'tag' | 'emptyTag' | 'digest';

const refuse = (part: Part, problem: string): ImageReference => ({ valid: false, part, problem });

const isLowerAlnum = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
const isAlnum = (c: number): boolean => isLowerAlnum(c) || (c >= 0x41 && c <= 0x5a);
const isWord = (c: number): boolean => isAlnum(c) || c === 0x5f;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHexOrColon = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) || c === 0x3a;

/**
 * regexp.go `pathComponent`: lower-case alphanumeric runs joined by one `.`, one `_`, `__`, or any
 * number of `-`.
 */
export function isPathComponent(s: string, start = 0, end = s.length): boolean {
  let i = start;
  for (;;) {
    const runStart = i;
    while (i < end && isLowerAlnum(s.charCodeAt(i))) i++;
    if (i === runStart) return false; // empty, or starts or ends with a separator, or two in a row
    if (i === end) return true;
    const sep = s.charCodeAt(i);
    const sepStart = i;
    if (sep === 0x2d) while (i < end && s.charCodeAt(i) === 0x2d) i++;
    else if (sep === 0x2e) i++;
    else if (sep === 0x5f) i += i + 1 < end && s.charCodeAt(i + 1) === 0x5f ? 2 : 1;
    if (i === sepStart) return false; // not a separator
  }
}

/** regexp.go `domainNameComponent ("." domainNameComponent)*`: labels of alphanumerics and inner dashes. */
function isDomainName(s: string, start: number, end: number): boolean {
  let labelStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && s.charCodeAt(i) !== 0x2e) continue;
    // s[labelStart, i) is one label: alphanumerics at both ends, dashes only inside.
    if (i === labelStart || !isAlnum(s.charCodeAt(labelStart)) || !isAlnum(s.charCodeAt(i - 1))) return false;
    for (let j = labelStart + 1; j < i - 1; j++) {
      const c = s.charCodeAt(j);
      if (!isAlnum(c) && c !== 0x2d) return false;
    }
    labelStart = i + 1;
  }
  return true;
}

function isPort(s: string): boolean {
  if (s === '') return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** regexp.go `domainAndPort`: a domain name or `[IPv6]`, then an optional `:port`. */
export function isDomainAndPort(s: string): boolean {
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 2) return false;
    for (let i = 1; i < close; i++) if (!isHexOrColon(s.charCodeAt(i))) return false;
    const rest = s.slice(close + 1);
    return rest === '' || (rest.startsWith(':') && isPort(rest.slice(1)));
  }
  const colon = s.indexOf(':');
  if (colon === -1) return isDomainName(s, 0, s.length);
  return isDomainName(s, 0, colon) && isPort(s.slice(colon + 1));
}

/**
 * splitDockerDomain (normalize.go): the first component is a registry when it is `localhost`, holds
 * `.` or `:`, or has an upper-case letter (Docker Hub names are lower-case, so `MyOrg/app` is read
 * as registry `MyOrg`); otherwise the name is on Docker Hub, and a one-component name is under `library/`.
 */
function splitDockerDomain(name: string): { domain: string; remainder: string; official: boolean } {
  const slash = name.indexOf('/');
  let domain = DOCKER_HUB;
  let remainder = name;
  if (slash !== -1) {
    const first = name.slice(0, slash);
    const rest = name.slice(slash + 1);
    if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) [domain, remainder] = [first, rest];
    if (first === 'index.docker.io') [domain, remainder] = [DOCKER_HUB, rest];
  }
  const official = domain === DOCKER_HUB && !remainder.includes('/');
  return { domain, remainder: official ? OFFICIAL_PREFIX + remainder : remainder, official };
}

/** The first `/`-separated component of path that is not a path component, if any. */
function firstBadComponent(path: string): string | undefined {
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 0x2f) continue;
    if (!isPathComponent(path, start, i)) return path.slice(start, i);
    start = i + 1;
  }
  return undefined;
}

/** Why a non-empty tag does not parse, if it does not. */
function tagProblem(tag: string): string | undefined {
  if (tag.length > TAG_MAX) return `whose tag is ${tag.length} characters long (at most ${TAG_MAX})`;
  const first = tag.charCodeAt(0);
  if (!isWord(first)) return `whose tag starts with ${JSON.stringify(tag[0])} (a tag starts with a letter, a digit or "_")`;
  for (const ch of tag) {
    const c = ch.charCodeAt(0);
    if (!isWord(c) && c !== 0x2e && c !== 0x2d) return `whose tag has ${JSON.stringify(ch)} (a tag holds only letters, digits, "_", "." and "-")`;
  }
  return undefined;
}

/** The longest path component or registry a message quotes whole. */
const COMPONENT_SHOWN = 64;
const cut = (s: string) => (s.length > COMPONENT_SHOWN ? `${s.slice(0, COMPONENT_SHOWN)}…` : s);

/** Why the name as written (registry and path, before `:tag` and `@digest`) does not parse, if it does not. */
function nameProblem(written: string, domain: string, remainderName: string): string | undefined {
  if (written === '') return 'which has no repository name';
  if (written.startsWith('/')) return 'whose name starts with "/"';
  if (written.endsWith('/')) return 'whose name ends with "/"';
  if (written.includes('//')) return 'whose name has an empty component ("//")';
  const found = firstBadComponent(remainderName);
  if (found !== undefined) {
    // Quoted in the message: a component of a megabyte image is cut (the image itself is shown cut too).
    const bad = cut(found);
    if (isPathComponent(found.toLowerCase()))
      return `whose path component ${JSON.stringify(bad)} has upper-case letters (repository names must be lower-case)`;
    return `whose path component ${JSON.stringify(bad)} is not lower-case letters and digits joined by ".", "_", "__" or dashes`;
  }
  // The path is fine, so the registry is what does not parse. distribution also reads a first
  // component that is a valid path component as a path (`my_reg.local/app`), even after
  // splitDockerDomain called it a registry.
  if (isDomainAndPort(domain) || isPathComponent(domain)) return undefined;
  return `whose registry ${JSON.stringify(cut(domain))} is not a host name or [IPv6 address] with an optional numeric port`;
}

/**
 * The kubelet's verdict on an image reference: valid with its tag and digest, or why it is not.
 * ParseNormalizedNamed's checks, in an order that names the part a person would fix first; the
 * verdict does not depend on the order.
 */
export function parseImageReference(image: string): ImageReference {
  if (IDENTIFIER.test(image)) return refuse('name', 'which is a bare image ID (64 hex digits), not a repository name');
  const at = image.indexOf('@');
  if (at !== -1 && image.indexOf('@', at + 1) !== -1) return refuse('name', 'which has more than one "@"');
  const nameAndTag = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? undefined : image.slice(at + 1);
  // A tag follows the last `/`: a `:` before it can only be a registry port.
  const colon = nameAndTag.indexOf(':', nameAndTag.lastIndexOf('/') + 1);
  const written = colon === -1 ? nameAndTag : nameAndTag.slice(0, colon);
  const tag = colon === -1 ? undefined : nameAndTag.slice(colon + 1);

  const { domain, remainder, official } = splitDockerDomain(written);
  const problem = nameProblem(written, domain, remainder);
  if (problem !== undefined) return refuse('name', problem);
  if (tag === '') return refuse('emptyTag', 'whose tag is empty');
  const tagIssue = tag === undefined ? undefined : tagProblem(tag);
  if (tagIssue !== undefined) return refuse('tag', tagIssue);
  if (digest !== undefined && !DIGEST.test(digest)) return refuse('digest', 'whose digest is malformed (sha256: takes 64 lower-case hex digits)');

  // distribution counts the path without the registry, but with the `library/` it added; a
  // registry that is only a valid path component (see nameProblem) counts as path.
  const path = isDomainAndPort(domain) ? remainder : `${domain}/${remainder}`;
  if (path.length > PATH_MAX) {
    const counted = official ? ` counting the "${OFFICIAL_PREFIX}" Docker Hub adds` : '';
    return refuse('name', `whose repository path is ${path.length} characters long${counted} (at most ${PATH_MAX})`);
  }
  return { valid: true, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}
