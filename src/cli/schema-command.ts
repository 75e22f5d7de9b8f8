// `rollsafe schema check FILE...` and `rollsafe schema explain [TYPE]`: the ConfigSchema language
// on its own, for the people who write schemas. `check` reports every invalid document (not just
// the first) and exits 2 if there is one; `explain` is the type reference, from document.ts.
import { Command } from 'commander';
import type { z } from 'zod';
import type { LoadedSchema } from '../engine/lookup.js';
import type { ConfigSchemaSpec, SchemaSelector } from '../schema/document.js';
import { isConfigSchema, loadSchema } from './check.js';
import { InputError } from './input-error.js';
import type { CliIo } from './io.js';
import { documentName, expandPaths, readDocuments } from './read-documents.js';
import { explainKeyTypes } from './schema-explain.js';

const EXIT_INVALID = 2;

export function schemaCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const schema = new Command('schema').description('check ConfigSchema documents, or explain the key types they declare');

  schema
    .command('check')
    .description('validate ConfigSchema documents (files, directories, - for stdin); exit 2 if one is invalid')
    .argument('<path...>', 'YAML or JSON files, directories (searched recursively), or - for stdin')
    .option('-n, --namespace <ns>', 'namespace of schemas whose manifest has none', 'default')
    .action((paths: string[], opts: { namespace: string }) => {
      const { loaded, problems } = checkSchemaFiles(paths, opts.namespace, io.readStdin);
      for (const { file, schema: s } of loaded) io.stdout(`ok  ${file}  ${s.namespace}/${s.name}  ${describeSchema(s.spec)}\n`);
      for (const p of problems) io.stderr(`rollsafe: error: ${p}\n`);
      if (problems.length > 0) setExitCode(EXIT_INVALID);
    });

  schema
    .command('explain')
    .description('list the key types of a ConfigSchema with their options and an example')
    .argument('[type]', 'one key type, e.g. duration')
    .action((type: string | undefined) => io.stdout(explainKeyTypes(type)));

  return schema;
}

interface SchemaFilesResult {
  readonly loaded: { file: string; schema: LoadedSchema }[];
  /** One message per unreadable file or invalid document, naming file, line and document. */
  readonly problems: string[];
}

export function checkSchemaFiles(paths: readonly string[], namespace: string, readStdin: () => string): SchemaFilesResult {
  const loaded: SchemaFilesResult['loaded'] = [];
  const problems: string[] = [];
  const attempt = (f: () => void) => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(err.message);
    }
  };
  const files: string[] = [];
  for (const p of paths) attempt(() => files.push(...expandPaths([p])));
  for (const path of files) {
    const file = path === '-' ? '<stdin>' : path;
    attempt(() => {
      const docs = readDocuments(path, readStdin);
      if (docs.length === 0) throw new InputError(file, undefined, 'holds no document; expected ConfigSchema documents');
      for (const doc of docs) {
        attempt(() => {
          if (!isConfigSchema(doc)) {
            const kind = (doc.value as { kind?: unknown } | null)?.kind;
            const what = typeof kind === 'string' ? `a ${kind}` : 'not a Kubernetes object (no kind)';
            throw new InputError(file, doc.line, `${documentName(doc)} is ${what}, not a ConfigSchema; schema check takes ConfigSchema documents only (rollsafe check takes the other manifests)`);
          }
          loaded.push({ file, schema: loadSchema(doc, namespace) });
        });
      }
    });
  }
  return { loaded, problems };
}

/** `9 keys (targets: ConfigMap api-config; Deployments app=api, containers api)` */
export function describeSchema(spec: ConfigSchemaSpec): string {
  const count = Object.keys(spec.keys).length;
  const targets = [
    ...(spec.targets.configMaps?.length ? [`ConfigMap${spec.targets.configMaps.length > 1 ? 's' : ''} ${spec.targets.configMaps.join(', ')}`] : []),
    ...(spec.targets.workloads ?? []).map(
      (w) => `Deployments ${selectorText(w.selector)}${w.containers?.length ? `, container${w.containers.length > 1 ? 's' : ''} ${w.containers.join(', ')}` : ''}`,
    ),
  ];
  return `${count} key${count === 1 ? '' : 's'} (targets: ${targets.join('; ')})`;
}

/** A label selector as kubectl writes one: `app=api,tier in (web,api),!legacy`. */
function selectorText(selector: z.infer<typeof SchemaSelector>): string {
  const parts = [
    ...Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector.matchExpressions ?? []).map((e) =>
      e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`,
    ),
  ];
  return parts.length > 0 ? parts.join(',') : '(any labels)';
}
