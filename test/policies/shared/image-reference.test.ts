// parseImageReference against the kubelet. test/fixtures/image-references.tsv holds the kubelet's
// verdict on 770 references (hand-written edge cases, every image of shared/corpus/real-world, and
// deterministic mutations), written by a Go program that runs the kubelet's own parse
// (applyDefaultImageTag of k8s.io/kubernetes v1.37.2 over github.com/distribution/reference
// v0.6.0). Regenerate it, offline from the Go module cache, with:
//
//   npx tsx scripts/image-references/candidates.ts | (cd scripts/image-references && GOFLAGS=-mod=mod GOPROXY=off go run .) > test/fixtures/image-references.tsv
//
// Each row: the reference as a JSON string, `accept` or `refuse`, then the kubelet's image (with
// `:latest` added) or its error. This test needs no Go.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseImageReference } from '../../../src/policies/shared/image-reference.js';
import { FIXTURES } from '../../helpers/fixtures.js';

interface Row {
  readonly image: string;
  readonly verdict: 'accept' | 'refuse';
  readonly kubelet: string;
}

const rows: Row[] = readFileSync(`${FIXTURES}image-references.tsv`, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => {
    const [image, verdict, kubelet] = l.split('\t') as [string, 'accept' | 'refuse', string];
    return { image: JSON.parse(image) as string, verdict, kubelet: JSON.parse(kubelet) as string };
  });

const verdict = (image: string) => (parseImageReference(image).valid ? 'accept' : 'refuse');

describe('parseImageReference', () => {
  it('reads the fixture: hundreds of rows, both verdicts', () => {
    expect(rows.length).toBeGreaterThan(300);
    expect(rows.filter((r) => r.verdict === 'refuse').length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.verdict === 'accept').length).toBeGreaterThan(100);
  });

  it('gives the kubelet’s verdict on every row of image-references.tsv', () => {
    const disagreements = rows.filter((r) => verdict(r.image) !== r.verdict).map((r) => `${JSON.stringify(r.image)}: kubelet ${r.verdict} (${r.kubelet})`);
    expect(disagreements).toEqual([]);
  });

  it.each([
    ['nginx:', 'whose tag is empty'],
    [':1.0', 'which has no repository name'],
    ['docker.io/MyOrg/app:1', 'whose path component "MyOrg" has upper-case letters (repository names must be lower-case)'],
    ['library/MyApp', 'whose path component "MyApp" has upper-case letters (repository names must be lower-case)'],
    [`app:${'a'.repeat(129)}`, 'whose tag is 129 characters long (at most 128)'],
    ['app:v1+build', 'whose tag has "+" (a tag holds only letters, digits, "_", "." and "-")'],
    ['app:.x', 'whose tag starts with "." (a tag starts with a letter, a digit or "_")'],
    ['reg//app', 'whose name has an empty component ("//")'],
    ['reg.io/app/', 'whose name ends with "/"'],
    ['reg:abc/app', 'whose registry "reg:abc" is not a host name or [IPv6 address] with an optional numeric port'],
    ['my..app', 'whose path component "my..app" is not lower-case letters and digits joined by ".", "_", "__" or dashes'],
    ['a'.repeat(248), 'whose repository path is 256 characters long counting the "library/" Docker Hub adds (at most 255)'],
    [`app@sha256:${'a'.repeat(63)}`, 'whose digest is malformed (sha256: takes 64 lower-case hex digits)'],
    ['a'.repeat(64), 'which is a bare image ID (64 hex digits), not a repository name'],
  ])('says what is wrong with %j', (image, problem) => {
    expect(parseImageReference(image)).toMatchObject({ valid: false, problem });
  });

  it('returns the tag and the digest of a valid reference', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(parseImageReference(`app:1.0@${digest}`)).toEqual({ valid: true, tag: '1.0', digest });
    expect(parseImageReference('registry:5000/app')).toEqual({ valid: true });
    expect(parseImageReference('[::1]:5000/app:2')).toEqual({ valid: true, tag: '2' });
  });

  // The image field is attacker-controlled and the API server takes megabytes: every scan is linear.
  it.each([
    ['a long path component', 'a'.repeat(1 << 20), 'whose repository path is 1048584 characters long'],
    ['alternating separators', 'a.'.repeat(1 << 19), `whose path component "${'a.'.repeat(32)}…" is not`],
    ['a run of dashes', `a${'-'.repeat(1 << 20)}`, `whose path component "a${'-'.repeat(63)}…" is not`],
    ['many components', 'a/'.repeat(1 << 19) + 'a', 'whose repository path is 1048577 characters long'],
    ['a long tag', `app:${'a'.repeat(1 << 20)}`, 'whose tag is 1048576 characters long'],
    ['a long registry', `${'a.'.repeat(1 << 19)}io/app:1`, undefined],
    ['a long IPv6 registry', `[${':'.repeat(1 << 20)}]/app`, undefined],
    ['a long digest', `app@sha256:${'a'.repeat(1 << 20)}`, 'whose digest is malformed'],
    ['many @', '@'.repeat(1 << 20), 'which has more than one "@"'],
    ['many colons', ':'.repeat(1 << 20), 'which has no repository name'],
    ['a long registry that does not parse', `${'a'.repeat(1 << 20)}:x/app`, `whose registry "${'a'.repeat(64)}…" is not`],
  ])('answers a 1 MB image with %s, in a message of bounded length', (_name, image, problem) => {
    // Not timed (tests do not time things): a scan that is not linear takes hours on 1 MB and
    // fails by jest's timeout; measured once outside jest, 5-23 ms each. The kubelet has no bound
    // on a registry's length, so the two long registries parse.
    const ref = parseImageReference(image);
    if (problem === undefined) expect(ref.valid).toBe(true);
    else {
      expect(ref.valid ? '' : ref.problem).toContain(problem);
      expect(ref.valid ? 0 : ref.problem.length).toBeLessThan(200);
    }
  });
});
