// The ConfigSchemas of `--schemas` paths (check and serve). Schemas are often kept with other
// documents: a directory with its kustomization.yaml, a Namespace or the ConfigSchema CRD, or a
// render of it (`kubectl kustomize DIR > schemas.yaml`, piped to `check -s -`). Documents of other
// kinds are passed over, wherever they are. Never passed over: a document that looks like a
// mistyped schema (a rollsafe apiVersion with another kind, or a kind spelled like ConfigSchema):
// loading it, or failing, is the only way its mistake is seen. A path that holds no ConfigSchema
// at all is reported by the caller (an input error in check). A kustomization that changes its
// files, or applies schemas from outside its directory, is refused: what it applies is not what is there.
import { CONFIG_SCHEMA_API_VERSION } from '../schema/document.js';
import { emptyStdin, InputError } from './input-error.js';
import { isConfigSchema } from './check.js';
import { documentName, expandPaths, readDocuments, type SourceDocument } from './read-documents.js';

export interface SchemaSources {
  /** The ConfigSchema documents, in file order; not yet validated. */
  readonly schemas: SourceDocument[];
  /** Documents of other kinds, passed over. */
  readonly passedOver: SourceDocument[];
  /** The paths given that held no ConfigSchema (files read through another path are not counted), with what each passed over. */
  readonly empty: { readonly path: string; readonly passedOver: SourceDocument[] }[];
}

/** A kind spelled like ConfigSchema (any case, a dash, a plural, a List of them). */
const SCHEMA_KIND = /^config-?schemas?(list)?$/i;

const isSchemaLike = (value: unknown): boolean => {
  const v = value as { kind?: unknown; apiVersion?: unknown } | null;
  return (typeof v?.kind === 'string' && SCHEMA_KIND.test(v.kind)) || (typeof v?.apiVersion === 'string' && /rollsafe/i.test(v.apiVersion.split('/')[0] ?? ''));
};

/** What a document says it is, for the error. */
function what(value: unknown): string {
  const v = value as { kind?: unknown; apiVersion?: unknown } | null;
  const said = (x: unknown) => (typeof x === 'string' ? JSON.stringify(x) : 'none');
  return `kind ${said(v?.kind)}, apiVersion ${said(v?.apiVersion)}: a ConfigSchema is kind "ConfigSchema", apiVersion "${CONFIG_SCHEMA_API_VERSION}"`;
}

export function readSchemaSources(paths: readonly string[], opts: { allowEmptyDirectories: boolean; readStdin: () => string }): SchemaSources {
  // Each file once, whichever path reached it first (a directory and a file in it, a link).
  const reached = { files: new Set<string>(), directories: new Set<string>() };
  const schemas: SourceDocument[] = [];
  const passedOver: SourceDocument[] = [];
  const empty: SchemaSources['empty'][number][] = [];
  for (const path of paths) {
    let found = 0;
    const over: SourceDocument[] = [];
    const files = expandPaths([path], { allowEmptyDirectories: opts.allowEmptyDirectories, refuseKustomize: 'schemas', reached });
    for (const file of files) {
      for (const doc of readDocuments(file, opts.readStdin)) {
        if (isConfigSchema(doc)) {
          schemas.push(doc);
          found++;
        } else if (!isSchemaLike(doc.value)) {
          over.push(doc);
        } else {
          throw new InputError(doc.file, doc.line, `--schemas: ${documentName(doc)} is not a ConfigSchema (${what(doc.value)})`);
        }
      }
    }
    passedOver.push(...over);
    if (files.length > 0 && found === 0) empty.push({ path, passedOver: over });
  }
  return { schemas, passedOver, empty };
}

/** Why a --schemas path that held no ConfigSchema is an input error in `check` (the wrong directory, a failed render piped in). */
export function noSchemaError({ path, passedOver }: SchemaSources['empty'][number]): InputError {
  if (path === '-') {
    return new InputError('--schemas -', undefined, emptyStdin('ConfigSchema'), true);
  }
  const files = [...new Set(passedOver.map((d) => d.file))];
  const over = passedOver.length === 0 ? 'no document in it' : `${passedOver.length} document(s) of other kinds passed over (${files.slice(0, 3).join(', ')}${files.length > 3 ? `, and ${files.length - 3} more file(s)` : ''})`;
  return new InputError(`--schemas ${path}`, undefined, `no ConfigSchema found: ${over}`, true);
}
