// Read manifests from files, directories (recursively) and stdin into plain documents with their
// file, position and YAML node tree (kept to point findings at a line).
import { type Dirent, existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, parse as parseYaml } from 'yaml';
import { describeFsError } from '../config/fs-error.js';
import { InputError } from './input-error.js';
import { KUBECTL_REFUSES, KUBECTL_YAML } from './kubectl-yaml.js';

export interface SourceDocument {
  readonly file: string;
  /** 0-based index of the YAML document in its file. */
  readonly index: number;
  /** 0-based index of the object in its `kind: List` document's items, for an object of a List. */
  readonly item?: number;
  /** 1-based line where the object starts. */
  readonly line: number;
  readonly value: unknown;
  /** The YAML node of the object (a `List` item's own node), for locating fields. */
  readonly node: Node | undefined;
  readonly lineCounter: LineCounter;
  /**
   * Why kubectl cannot send this document (a `.inf` it cannot turn into JSON), with its line: an
   * input error for a manifest, nothing for a document passed over as not one (a values file).
   */
  readonly refused?: { readonly line: number; readonly message: string };
}

const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * Every manifest file under the given paths, in a stable order; `-` is stdin. A directory with no
 * manifest file in it is an input error: `kubectl apply -f` refuses it too, and a CI job that
 * checks nothing must not pass. `allowEmptyDirectories` is for the webhook's watched `--schemas`
 * directories, where no schema at all (before the first is added, after the last is removed) is a
 * valid state.
 */
export function expandPaths(
  paths: readonly string[],
  {
    allowEmptyDirectories = false,
    refuseKustomize = false,
    skipped,
    reached = { files: new Set<string>(), directories: new Set<string>() },
  }: {
    allowEmptyDirectories?: boolean;
    /**
     * The files (real paths) and directories already reached, shared across calls that must not
     * return a file twice (--schemas paths, each accounted for on its own).
     */
    reached?: { readonly files: Set<string>; readonly directories: Set<string> };
    /**
     * A directory holding a kustomization that changes what it builds from (patches, a namespace,
     * name prefixes, images, generators…) is an input error, and nothing under it is searched: its
     * files are not what is applied. One that only lists `resources` (Flux's flux-system) applies
     * its files as they are, which are checked. For `schemas` (--schemas directories), one that
     * lists resources outside its directory is refused too: the schemas it applies are not all there.
     */
    refuseKustomize?: false | 'manifests' | 'schemas';
    /**
     * Where a problem found while searching a directory (a dangling link, an unreadable
     * subdirectory) goes, so the search goes on without it; without it, the problem is thrown.
     */
    skipped?: InputError[];
  } = {},
): string[] {
  const out: string[] = [];
  // Each file once, by its real path, in the order first met: a file named twice (`a.yaml
  // ./a.yaml`, a link to it, a directory and a file in it) would be its own duplicate. Each
  // directory walked once, across all the paths given.
  const { files, directories: seen } = reached;
  const add = (f: string) => {
    const key = f === '-' ? f : realOrResolved(f);
    if (files.has(key)) return;
    files.add(key);
    out.push(f);
  };
  for (const p of paths) {
    if (p === '-') {
      add(p);
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      throw new InputError(p, undefined, `cannot read: ${describeFsError(err)}`);
    }
    if (!st.isDirectory()) {
      add(p);
      continue;
    }
    const real = realpathSync(p);
    if (seen.has(real)) continue;
    seen.add(real);
    const problems = skipped?.length ?? 0;
    const found = walk(p, seen, skipped, refuseKustomize);
    // With nothing found but a problem reported, the problem says what is wrong.
    if (found.length === 0 && !allowEmptyDirectories && (skipped?.length ?? 0) === problems) throw new InputError(p, undefined, `no ${refuseKustomize === 'schemas' ? 'ConfigSchema files' : 'manifests'} found under this directory (no .yaml, .yml or .json file)`);
    found.forEach(add);
  }
  return out;
}

/** Directories starting with a dot (`.git`, a ConfigMap volume's `..data`) and node_modules are not searched. */
const skippedDir = (name: string) => name.startsWith('.') || name === 'node_modules';

/** The entries of a directory, sorted; an unreadable one (EACCES) is the user's input error, as an unreadable file is. */
function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch (err) {
    throw new InputError(dir, undefined, `cannot read: ${describeFsError(err)}`);
  }
}

/** The real path of a file (links resolved), or its absolute path when it has none. */
export function realOrResolved(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}

/** A Helm chart's Chart.yaml: a map with a name and apiVersion v1 or v2, and no kind (a HelmChart custom resource of k3s has one). */
function isHelmChart(file: string): boolean {
  try {
    const v = parseYaml(readFileSync(file, 'utf8'), { logLevel: 'error' }) as { apiVersion?: unknown; name?: unknown; kind?: unknown } | null;
    return typeof v === 'object' && v !== null && typeof v.name === 'string' && (v.apiVersion === 'v1' || v.apiVersion === 'v2') && v.kind === undefined;
  } catch {
    return false;
  }
}

/** The file names kustomize looks for in a directory (konfig.RecognizedKustomizationFileNames). */
const KUSTOMIZATION = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
/** Fields of a kustomization that apply its files as they are: anything else changes them. */
const AS_WRITTEN = new Set(['apiVersion', 'kind', 'metadata', 'resources', 'sortOptions', 'buildMetadata']);

/** A kustomization as written, or why it cannot be read as one (kustomize, not this reading, decides what it means). */
function readKustomization(file: string): { value: Record<string, unknown> | undefined } | { problem: string } {
  let value: unknown;
  try {
    value = parseYaml(readFileSync(file, 'utf8'), { logLevel: 'error' });
  } catch {
    return { problem: 'it cannot be read as YAML' };
  }
  if (value === null || value === undefined) return { value: undefined };
  if (typeof value !== 'object' || Array.isArray(value)) return { problem: 'it is not a map' };
  return { value: value as Record<string, unknown> };
}

/**
 * Why a kustomization's files are not what it applies (the fields that change them), or undefined
 * for one that only lists resources. With `outsideToo` (schemas), one that lists resources outside
 * its directory or missing is refused too.
 */
function transformedBy(dir: string, value: Record<string, unknown> | undefined, outsideToo: boolean): string | undefined {
  if (value === undefined) return undefined;
  const fields = Object.keys(value).filter((k) => !AS_WRITTEN.has(k));
  if (fields.length > 0) return `it sets ${fields.join(', ')}`;
  if (!outsideToo) return undefined;
  const listed = Array.isArray(value.resources) ? (value.resources as unknown[]) : [];
  const exists = (r: string) => existsSync(resolve(dir, r));
  // A base elsewhere (`../base`, an absolute path) or remote: a URL, or `github.com/org/repo//path`
  // (a host name first), which is not on disk.
  const remote = (r: string) => !exists(r) && (r.includes('://') || /^[^./][^/]*\.[a-z]{2,}\//i.test(r));
  const outside = listed.filter((r) => {
    if (typeof r !== 'string') return true;
    const target = resolve(dir, r);
    return !(target === dir || target.startsWith(dir + sep)) || remote(r);
  });
  if (outside.length > 0) return `it lists resources outside this directory (${outside.slice(0, 3).map((r) => String(r)).join(', ')})`;
  const missing = listed.filter((r): r is string => typeof r === 'string' && !exists(r));
  return missing.length === 0 ? undefined : `it lists ${missing.slice(0, 3).join(', ')}, which does not exist`;
}

/**
 * The manifest files under `dir`. Symbolic links are followed, to files and to directories (a
 * GitOps repository sharing `base/` through a link); `seen` holds the real path of every
 * directory walked, so a link back up the tree or to a directory already walked is not walked
 * again. A link that points nowhere is an input error: what it was meant to share is unchecked.
 */
function walk(dir: string, seen: Set<string>, skipped: InputError[] | undefined, refuseKustomize: false | 'manifests' | 'schemas'): string[] {
  const fail = (err: InputError): string[] => {
    if (!skipped) throw err;
    skipped.push(err);
    return [];
  };
  let entries: Dirent[];
  try {
    entries = entriesOf(dir);
  } catch (err) {
    if (err instanceof InputError) return fail(err);
    throw err;
  }
  /** A directory of sources, not of what is applied: refused with its render as the fix (`more`: the other way out, for manifests). */
  const refuse = (why: string, render: string, more = ', or name a file to check it as it is'): string[] =>
    fail(
      new InputError(
        dir,
        undefined,
        refuseKustomize === 'schemas'
          ? `${why}, so no ConfigSchema under it was loaded; give its render instead (${render} > schemas.yaml, then --schemas schemas.yaml; check also reads it on stdin, --schemas -)`
          : `${why}, so nothing under it was checked; check its render instead (${render} | rollsafe check -)${more}`,
      ),
    );
  // A Helm chart: its templates are Go templates, not YAML, and what helm applies is their render.
  // Read as manifests, each template was an `invalid YAML` error of the parser's own words.
  if (refuseKustomize && entries.some((e) => e.name === 'Chart.yaml' && !e.isDirectory()) && isHelmChart(join(dir, 'Chart.yaml'))) {
    return refuse('a Helm chart (Chart.yaml): its templates are what helm renders, not what is applied', `helm template my-release ${dir} [-f VALUES] [--include-crds]`, ", and name the repository's other directories to check them without it");
  }
  const kustomization = refuseKustomize ? entries.find((e) => KUSTOMIZATION.has(e.name)) : undefined;
  const written = kustomization && readKustomization(join(dir, kustomization.name));
  const transformed = written && ('problem' in written ? written.problem : transformedBy(dir, written.value, refuseKustomize === 'schemas'));
  if (kustomization && transformed) {
    return refuse(`a kustomize directory (${kustomization.name}: ${transformed}): its files are what kustomize builds from, not what is applied`, `kubectl kustomize ${dir}`);
  }
  const files = entries.flatMap((e) => {
    const full = join(dir, e.name);
    let isDirectory = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      // A ConfigMap or Secret volume: each key is a symlink (key -> ..data/key); `..data` and the
      // `..<timestamp>` directory behind it start with dots and are skipped as directories.
      let st;
      try {
        st = statSync(full);
      } catch (err) {
        // An editor's lock file (`.#app.yaml`) is a dangling link by design.
        if (e.name.startsWith('.')) return [];
        const code = (err as NodeJS.ErrnoException).code ?? String(err);
        return fail(new InputError(full, undefined, `cannot read: dangling symbolic link to ${readlinkSync(full)} (${code})`));
      }
      isDirectory = st.isDirectory();
      isFile = st.isFile();
    }
    if (isDirectory) {
      if (skippedDir(e.name)) return [];
      const real = realpathSync(full);
      if (seen.has(real)) return [];
      seen.add(real);
      return walk(full, seen, skipped, refuseKustomize);
    }
    return isFile && MANIFEST.test(e.name) ? [full] : [];
  });
  // Schemas under a kustomization that lists its resources: loaded only when they are exactly
  // what it applies (kubectl kustomize would leave out a file it does not list).
  const unlike = kustomization && written && 'value' in written && refuseKustomize === 'schemas' ? notAsListed(dir, written.value, files) : undefined;
  if (kustomization && unlike) return refuse(`a kustomize directory (${kustomization.name}: ${unlike})`, `kubectl kustomize ${dir}`);
  return files;
}

/**
 * Why the files found under a kustomization's directory are not what its `resources` apply, or
 * undefined when they are: a file it does not list (nor a directory holding it), or a resource in
 * a directory the search skips (`.hidden/`).
 */
function notAsListed(dir: string, value: Record<string, unknown> | undefined, files: readonly string[]): string | undefined {
  const resources = value?.resources;
  const listed = (Array.isArray(resources) ? (resources as unknown[]) : []).filter((r): r is string => typeof r === 'string').map((r) => resolve(dir, r));
  const hidden = listed.filter((r) => relative(dir, r).split(sep).some(skippedDir));
  if (hidden.length > 0) return `it lists ${hidden.slice(0, 3).map((r) => relative(dir, r)).join(', ')}, in a directory rollsafe does not search`;
  const reached = (f: string) => listed.some((r) => f === r || f.startsWith(r + sep)) || KUSTOMIZATION.has(basename(f));
  const unlisted = files.filter((f) => !reached(resolve(f)));
  return unlisted.length === 0 ? undefined : `it does not list ${unlisted.slice(0, 3).map((f) => relative(dir, f)).join(', ')}, which kustomize would not apply`;
}

/** The documents of a path given on the command line (`-`: stdin, named `<stdin>` in errors). */
export const readDocuments = (path: string, readStdin: () => string): SourceDocument[] => parseDocuments(path === '-' ? '<stdin>' : path, readSource(path, readStdin));

export function readSource(file: string, readStdin: () => string): string {
  if (file === '-') return readStdin();
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, undefined, `cannot read: ${describeFsError(err)}`);
  }
}

/** An unquoted `{{` opening a line, a value or a list item: template actions, not text inside a string (`"{{ $labels }}"`, `${{ github.sha }}`). */
const TEMPLATE_ACTION = /^\s*(?:-\s+)?(?:[^\s:#"'][^:#]*:\s+)?\{\{-?\s*[-.$/a-zA-Z(]/m;

/** For YAML that does not parse: a Helm template (`{{ … }}`) is checked through its render. */
const templateHint = (text: string): string =>
  TEMPLATE_ACTION.test(text) ? '; the file holds Helm template syntax ({{ … }}): check its render instead (helm template my-release CHART | rollsafe check -)' : '';

/** Parse a multi-document YAML (or JSON) text; `List` objects are expanded into their items. */
export function parseDocuments(file: string, text: string): SourceDocument[] {
  const lineCounter = new LineCounter();
  // Read as kubectl, Helm and Argo CD read manifests (sigs.k8s.io/yaml, go-yaml v2): YAML 1.1
  // scalars (`yes` is true, `0755` is 493; kubectl-yaml.ts), merge keys applied (without them a
  // container written `- <<: *base` lacked the probe and resources it merges), and a key written
  // twice in one map is not an error: the last one wins, as kubectl 1.37 keeps it (verified: with
  // `name: a` then `name: b`, kubectl apply creates b; go-yaml v2's "key already set in map" is
  // only in its strict mode, which kubectl does not use).
  // logLevel error: the parser's warnings (a map used as a key, as an unquoted `{{ … }}` is read)
  // went to stderr as Node process warnings, beside the input error that says what is wrong.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error', ...KUBECTL_YAML });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: SourceDocument[] = [];
  list.forEach((doc, index) => {
    const error = doc.errors.find((e) => !e.message.startsWith(KUBECTL_REFUSES));
    if (error) {
      // An unterminated construct is reported at the end of the text; point at the last line.
      const line = Math.min(lineCounter.linePos(error.pos[0]).line, lastLine(text));
      throw new InputError(file, line, `invalid YAML (document ${index + 1}): ${error.message.split('\n')[0]}${templateHint(text)}`);
    }
    const refusal = doc.errors[0];
    const refused = refusal && {
      line: lineCounter.linePos(refusal.pos[0]).line,
      message: `kubectl cannot send document ${index + 1}: ${refusal.message.slice(KUBECTL_REFUSES.length).trim()}`,
    };
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      // e.g. an alias to an anchor of another document (anchors are per document)
      const line = doc.contents ? lineCounter.linePos(doc.contents.range[0]).line : 1;
      throw new InputError(file, line, `invalid YAML (document ${index + 1}): ${(err as Error).message}${templateHint(text)}`);
    }
    if (value === null || value === undefined) return;
    const root = (doc.contents as Node | null) ?? undefined;
    const lineOf = (node: Node | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
    if (isList(value)) {
      // Each item at its own line: a finding or an error names the item, not the List.
      const items = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'items')?.value : undefined;
      value.items.forEach((item, i) => {
        const node = isSeq(items) ? ((items.items[i] as Node | undefined) ?? undefined) : undefined;
        out.push({ file, index, item: i, line: node ? lineOf(node) : lineOf(root), value: item, node, lineCounter, ...(refused && { refused }) });
      });
    } else {
      out.push({ file, index, line: lineOf(root), value, node: root, lineCounter, ...(refused && { refused }) });
    }
  });
  return out;
}

/** How a message names a document: `document 2`, or `document 1, items[2]` for an object of a List. */
export const documentName = (doc: Pick<SourceDocument, 'index' | 'item'>): string => `document ${doc.index + 1}${doc.item === undefined ? '' : `, items[${doc.item}]`}`;

function isList(v: unknown): v is { items: unknown[] } {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items);
}

function lastLine(text: string): number {
  return text.replace(/\s+$/, '').split('\n').length;
}
