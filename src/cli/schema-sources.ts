// The ConfigSchemas of `--schemas` paths (check and serve). A file named on the command line must
// hold only ConfigSchemas. A directory is searched as a GitOps repository keeps one: beside the
// schemas it often holds their kustomization.yaml, a Namespace or the ConfigSchema CRD, which are
// passed over. A document that looks like a mistyped schema (a rollsafe.dev apiVersion with
// another kind, or kind ConfigSchema) is never passed over: loading it, or failing, is the only
// way its mistake is seen.
import { CONFIG_SCHEMA_API_VERSION } from '../schema/document.js';
import { InputError } from './input-error.js';
import { documentName, expandPaths, parseDocuments, readSource, realOrResolved, type SourceDocument } from './read-documents.js';

export interface SchemaSources {
  /** The ConfigSchema documents, in file order; not yet validated. */
  readonly schemas: SourceDocument[];
  /** Documents of other kinds found in searched directories, passed over. */
  readonly passedOver: SourceDocument[];
}

const isSchemaLike = (value: unknown): boolean => {
  const v = value as { kind?: unknown; apiVersion?: unknown } | null;
  return v?.kind === 'ConfigSchema' || (typeof v?.apiVersion === 'string' && v.apiVersion.split('/')[0] === 'rollsafe.dev');
};

/** What a document says it is, for the error. */
function what(value: unknown): string {
  const v = value as { kind?: unknown; apiVersion?: unknown } | null;
  const said = (x: unknown) => (typeof x === 'string' ? JSON.stringify(x) : 'none');
  return `kind ${said(v?.kind)}, apiVersion ${said(v?.apiVersion)}: a ConfigSchema is kind "ConfigSchema", apiVersion "${CONFIG_SCHEMA_API_VERSION}"`;
}

export function readSchemaSources(paths: readonly string[], opts: { allowEmptyDirectories: boolean; readStdin: () => string }): SchemaSources {
  const named = new Set(paths.map((p) => (p === '-' ? p : realOrResolved(p))));
  const schemas: SourceDocument[] = [];
  const passedOver: SourceDocument[] = [];
  for (const file of expandPaths(paths, { allowEmptyDirectories: opts.allowEmptyDirectories })) {
    const searched = !named.has(file === '-' ? file : realOrResolved(file));
    for (const doc of parseDocuments(file === '-' ? '<stdin>' : file, readSource(file, opts.readStdin))) {
      if ((doc.value as { kind?: unknown } | null)?.kind === 'ConfigSchema') schemas.push(doc);
      else if (searched && !isSchemaLike(doc.value)) passedOver.push(doc);
      else throw new InputError(doc.file, doc.line, `--schemas: ${documentName(doc)} is not a ConfigSchema (${what(doc.value)})${searched ? '' : '; name the directory instead of the file to pass over documents of other kinds'}`);
    }
  }
  return { schemas, passedOver };
}
