// Candidate image references for test/fixtures/image-references.tsv, one per line on stdout:
// hand-written edge cases, every image of ../shared/corpus/real-world, and deterministic mutations
// of a few of them (a character changed, inserted, removed, a part doubled). main.go in this folder
// prints the kubelet's verdict on each; see test/policies/shared/image-reference.test.ts for the command.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const HEX64 = 'a'.repeat(64);
const SHA256 = `sha256:${'0123456789abcdef'.repeat(4)}`;

const handWritten = [
  // Empty tag: what `{{ .Values.image.repository }}:{{ .Values.image.tag }}` renders with no tag.
  'nginx:', 'ghcr.io/org/app:', 'registry:5000/app:', 'nginx:@' + SHA256,
  // Upper case.
  'docker.io/MyOrg/app:1', 'library/MyApp', 'MyApp', 'MyOrg/app', 'MyOrg/app:1', 'My_Org/app', 'MYREG/app',
  'ghcr.io/Org/app:1', 'GHCR.IO/org/app:1', 'localhost/App', 'app:V1.0-RC1', 'Localhost/app', 'index.docker.io/Org/app',
  // Tags.
  'app:1.0', 'app:_x', 'app:.x', 'app:-x', 'app:v1+build', 'app:1:2', 'app:v1/x', 'app:ü', 'app:a b', 'app:\tx',
  `app:${'a'.repeat(128)}`, `app:${'a'.repeat(129)}`, `app:_${'-'.repeat(127)}`,
  // No name.
  ':1.0', '@' + SHA256, ':', '@', '/', '//', '/app', 'app/', 'reg//app', 'reg.io/app/', 'reg.io//app', 'a/b/c/d/e',
  // Digests, with and without tag.
  'app@' + SHA256, 'app:1.0@' + SHA256, `app@sha256:${'A'.repeat(64)}`, `app@sha256:${'a'.repeat(63)}`,
  `app@sha256:${'a'.repeat(65)}`, `app@sha384:${'a'.repeat(96)}`, `app@sha512:${'a'.repeat(128)}`, `app@sha1:${'a'.repeat(40)}`,
  `app@md5:${'a'.repeat(32)}`, `app@SHA256:${HEX64}`, `app@sha256+b64:${HEX64}`, 'app@', `app@@${SHA256}`, `app@${SHA256}@${SHA256}`,
  `app:1.0@sha256:${'a'.repeat(63)}`, `app:@${SHA256}`, `reg:5000/app@${SHA256}`,
  // Registries.
  'registry:5000/app', 'registry:5000/app:1', 'registry:5000', 'localhost/app', 'localhost:5000/app', 'localhost',
  'localhost:5000', '[::1]:5000/app', '[::1]/app', '[::1]:5000/app:1', '[fe80::1%eth0]/app', '[]/app', '[::1]:/app',
  '[::1]:abc/app', '[g::1]/app', '[::1]x/app', '127.0.0.1/app', '127.0.0.1:5000/app:1', 'reg:abc/app', 'reg:/app',
  'reg:5000:6000/app', '-reg.io/app', 'reg-.io/app', 'reg..io/app', 'reg.io./app', 'a_b.com/app', 'a__b.com/app',
  'my_reg.local/app', 'reg_X.io/app', 'index.docker.io/nginx', 'index.docker.io/library/nginx:1', 'docker.io/nginx',
  'docker.io/library/nginx:1', 'registry-1.docker.io/library/nginx', 'example.com', 'example.com:443/app',
  // Path components and separators.
  'a.b/c', 'my-app', 'my--app', 'my---app', 'my_app', 'my__app', 'my___app', 'my..app', 'my.-app', 'my._app', '-app',
  'app-', '_app', 'app_', '.app', 'app.', 'org/-app', 'org/app.', 'a', '0', 'org/a_b__c-d.e', 'org/a b',
  // Identifiers.
  HEX64, `${HEX64}:1`, 'A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), `sha256:${HEX64}`, `org/${HEX64}`,
  // White space and odd characters (the API server lets whitespace through in a Deployment's template).
  ' nginx', 'nginx ', 'nginx :1', 'nginx\t', 'ng\u200binx', 'ngïnx', 'nginx:1.0\u200b', 'app#1', 'app?x', 'app%20',
  // Lengths: the path counts without the registry, with the library/ that Docker Hub names get.
  'a'.repeat(247), 'a'.repeat(248), `org/${'a'.repeat(251)}`, `org/${'a'.repeat(252)}`,
  `reg.io/${'a'.repeat(255)}`, `reg.io/${'a'.repeat(256)}`, `localhost/${'a'.repeat(255)}`, `localhost/${'a'.repeat(256)}`,
  `${'a'.repeat(60)}.com/${'a'.repeat(255)}:1`, `my_reg/${'a'.repeat(248)}`, `my_reg/${'a'.repeat(249)}`,
  `a_b.com/${'a'.repeat(247)}`, `a_b.com/${'a'.repeat(248)}`, `${'a.'.repeat(200)}io/app`,
];

/** Every `image` string in the YAML documents under dir (containers, init containers, any kind). */
function corpusImages(dir: string): string[] {
  const images: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'image' && typeof v === 'string') images.push(v);
        else visit(v);
      }
    }
  };
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(entry)) for (const doc of parseAllDocuments(readFileSync(p, 'utf8'))) visit(doc.toJS());
    }
  };
  walk(dir);
  return images;
}

/** mulberry32: the same mutations on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['/', ':', '@', '.', '_', '-', 'A', 'a', '0', ' ', '[', ']', '+', '__', '--', '//', '::'];

function mutations(bases: readonly string[], count: number): string[] {
  const next = random(20260801);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const out: string[] = [];
  while (out.length < count) {
    const s = pick(bases);
    const i = Math.floor(next() * (s.length + 1));
    switch (Math.floor(next() * 4)) {
      case 0: out.push(s.slice(0, i) + pick(ALPHABET) + s.slice(i)); break; // insert
      case 1: out.push(s.slice(0, i) + s.slice(i + 1)); break; // delete
      case 2: out.push(s.slice(0, i) + pick(ALPHABET) + s.slice(i + 1)); break; // replace
      default: out.push(s.slice(0, i) + s.slice(i).toUpperCase()); // upper-case the rest
    }
  }
  return out;
}

const corpus = corpusImages(new URL('../../../shared/corpus/real-world', import.meta.url).pathname);
const bases = [...new Set([...corpus, 'registry:5000/app:1', `app:1.0@${SHA256}`, '[::1]:5000/org/app:1', 'localhost/app'])];
const all = [...new Set([...handWritten, ...corpus, ...mutations(bases, 300)])].filter((s) => !s.includes('\n'));
process.stdout.write(`${all.join('\n')}\n`);
