// The `rollsafe` command line. Thin: parse arguments, call the engine, print, return an exit code.
// Exit codes: 0 no deny finding; 1 at least one deny finding; 2 usage or input error;
// `serve`: 0 after a graceful shutdown, 78 for an invalid setting or configuration.
import { readFileSync } from 'node:fs';
import { printable, unicodeEscape } from '../engine/printable.js';
import { Command, CommanderError, Option } from 'commander';
import { splitPaths } from '../config/settings.js';
import { type CheckReport, checkDocuments, loadSchema, notManifestFiles } from './check.js';
import { explainPolicy } from './explain.js';
import { collectInputError, emptyStdin, InputError } from './input-error.js';
import type { CliIo } from './io.js';
import { loadPolicyConfig } from './load-policy-config.js';
import { formatGithub } from './output/github.js';
import { formatJson } from './output/json.js';
import { formatJunit } from './output/junit.js';
import { formatSarif } from './output/sarif.js';
import { formatText } from './output/text.js';
import { expandPaths, readDocuments, realOrResolved } from './read-documents.js';
import { schemaCommand } from './schema-command.js';
import { noSchemaError, readSchemaSources } from './schema-sources.js';
import { runServe, SERVE_FLAGS, type ServeOptions } from './serve.js';

export const EXIT = { ok: 0, deny: 1, usage: 2 } as const;

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface CheckOptions {
  config?: string;
  schemas?: string[];
  output: 'text' | 'json' | 'sarif' | 'junit' | 'github';
  namespace: string;
  as?: string;
  asGroup: string[];
  validate: 'strict' | 'ignore';
  serverSide?: boolean;
  allowEmpty?: boolean;
}

/**
 * An error's lines for a CI log. The manifests' text is in them: a control character (CR too) is
 * written as \uXXXX, and a line that would start a workflow command (`::warning::…`, `##[…`, which
 * runners read on stderr too, after leading blanks) gets its first character escaped the same way.
 */
export function logLines(message: string): string {
  return message
    .split('\n')
    .map((line) => printable(line).replace(/^(\s*)(:|#)(?=:|#\[)/, (_, blank: string, c: string) => `${blank}${unicodeEscape(c)}`))
    .join('\n');
}

/** A namespace name: a DNS-1123 label, as the API server requires. */
const NAMESPACE = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The ConfigSchemas of --schemas; a path that held not one is an input error (the wrong directory, a failed render piped in). */
function loadSchemaPaths(paths: readonly string[], namespace: string, io: CliIo) {
  const { schemas, empty } = readSchemaSources(paths, { allowEmptyDirectories: false, readStdin: io.readStdin });
  const [first] = empty;
  if (first) throw noSchemaError(first);
  return schemas.map((doc) => loadSchema(doc, namespace));
}

/** `rollsafe check`: read and check; an InputError thrown here stops the run before any object is checked. */
function checkPaths(paths: readonly string[], opts: CheckOptions, io: CliIo): CheckReport {
  if (opts.asGroup.length > 0 && opts.as === undefined) throw new InputError('--as-group', undefined, 'needs --as (the user the groups belong to)', true);
  if (!NAMESPACE.test(opts.namespace)) throw new InputError('--namespace', undefined, `${JSON.stringify(opts.namespace)} is not a namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters`, true);
  if (paths.includes('-') && (opts.schemas ?? []).includes('-')) throw new InputError('--schemas -', undefined, 'stdin can be read once: give - to --schemas or as a PATH, not both (write one of them to a file)', true);
  const config = loadPolicyConfig(opts.config);
  // --schemas configure the run: a bad one stops it. A bad manifest file is reported, and the others are still checked.
  const schemas = loadSchemaPaths(opts.schemas ?? [], opts.namespace, io);
  const readErrors: InputError[] = [];
  const inputs = expandPaths(paths, { skipped: readErrors, refuseKustomize: 'manifests' }).map((f) => ({ f, docs: collectInputError(readErrors, () => readDocuments(f, io.readStdin)) ?? [] }));
  // Nothing at all to read: `helm template … | rollsafe check -` after helm failed, in a shell
  // without pipefail (sh -c, GitLab's default, Argo CD plugins), or a render written to an empty
  // file. Passing would turn a broken render green.
  if (!opts.allowEmpty && readErrors.length === 0 && inputs.every((i) => i.docs.length === 0)) {
    const stdin = paths.includes('-');
    readErrors.push(new InputError(stdin ? '<stdin>' : paths.join(', '), undefined, stdin
      ? emptyStdin('Kubernetes object', 'if an empty render is right, add --allow-empty')
      : 'no Kubernetes object in the input: its files hold no document, or only empty Lists (if an empty render is right, add --allow-empty)'));
  }
  const requester = opts.as === undefined ? undefined : { username: opts.as, groups: opts.asGroup };
  // Files found in a directory, not named: documents there that are not manifests are passed over.
  const named = new Set(paths.map((p) => (p === '-' ? p : realOrResolved(p))));
  const searched = new Set(inputs.map((i) => i.f).filter((f) => !named.has(f === '-' ? f : realOrResolved(f))));
  const report = checkDocuments(inputs.flatMap((i) => i.docs), inputs.length, config, opts.namespace, { schemas, requester, searched, readErrors, unknownFields: opts.validate, serverSide: opts.serverSide === true });
  // Directories with documents but not one manifest among them: a CI job pointed at the wrong
  // directory (a chart's values, the dashboards) must not pass, as with no YAML file at all.
  if (report.summary.objects === 0 && report.notManifests.length > 0 && report.errors.length === 0) {
    throw new InputError(paths.join(', '), undefined, `no Kubernetes manifest found: ${report.notManifests.length} document(s) without kind or apiVersion passed over (${notManifestFiles(report)})`);
  }
  return report;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('rollsafe')
    .description('Rollout-safety checks for Kubernetes Deployments and ConfigMaps')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run rollsafe --help for usage)');

  program
    .command('check')
    .description('check manifests (files, directories, - for stdin); exit 1 if anything would be denied')
    .argument('<path...>', 'YAML or JSON files, directories (searched recursively), or - for stdin')
    .option('-c, --config <file>', 'policy configuration file (YAML)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'sarif', 'junit', 'github']).default('text'))
    .option('-n, --namespace <ns>', 'namespace of objects whose manifest has none', 'default')
    // One path per -s (repeat it, or separate with commas): a variadic option would take the
    // manifests after it too (`check -s schemas/ k8s/` left no PATH).
    .option('-s, --schemas <path>', 'more ConfigSchema files or directories (repeat -s, or separate with commas)', (v: string, all: string[]) => [...all, ...splitPaths(v)], [] as string[])
    .option('--as <user>', 'check as this user applies the manifests: rollsafe.dev/exempt is honoured as the webhook honours it for them')
    .option('--as-group <group>', 'a group of the --as user (repeat it)', (v: string, all: string[]) => [...all, v], [] as string[])
    .addOption(
      new Option('--validate <mode>', 'unknown fields: strict (an input error, as kubectl apply refuses them) or ignore (as kubectl apply --validate=ignore, which drops them)')
        .choices(['strict', 'ignore'])
        .default('strict'),
    )
    .option('--server-side', 'the manifests are applied server-side (kubectl apply --server-side, Argo CD with ServerSideApply=true, Flux, Helm 4): refuse what server-side apply refuses (two env entries of one name, two ports of one number), not an object too large for the copy client-side kubectl apply keeps in an annotation')
    .option('--allow-empty', 'pass when the input holds no document at all (a chart render with everything disabled); without it, that is an input error, as a failed render piped in looks the same')
    .action((paths: string[], opts: CheckOptions) => {
      let report: CheckReport;
      try {
        report = checkPaths(paths, opts, io);
      } catch (err) {
        // A run stopped before anything was checked (a path that does not exist, an empty
        // directory, a bad --config): a machine format still gets a document that says so, or a
        // CI step uploading it (SARIF to code scanning, a JUnit report) fails on an empty file and
        // hides the cause. Text goes to stderr as before.
        if (!(err instanceof InputError) || opts.output === 'text') throw err;
        report = checkDocuments([], 0, loadPolicyConfig(undefined), opts.namespace, { readErrors: [err] });
      }
      const render = {
        text: () => formatText(report, { color: io.color }),
        json: () => formatJson(report),
        sarif: () => formatSarif(report, VERSION),
        junit: () => formatJunit(report),
        github: () => formatGithub(report),
      }[opts.output];
      io.stdout(render());
      for (const note of report.notes) io.stderr(`rollsafe: warning: ${logLines(note)}\n`);
      // With --output github they are annotations already.
      if (opts.output !== 'github') for (const err of report.errors) io.stderr(`rollsafe: error: ${logLines(err.message)}\n`);
      // An input error outranks a deny: what it hides was not checked at all.
      code = report.errors.length > 0 ? EXIT.usage : report.summary.decisions.deny > 0 ? EXIT.deny : EXIT.ok;
    });

  program
    .command('explain')
    .description('explain a policy: the failure it prevents and how to fix a finding')
    .argument('<policy-id>', 'a policy id, e.g. readiness-probe')
    .action((id: string) => io.stdout(explainPolicy(id)));

  program.addCommand(
    schemaCommand(io, (c) => {
      code = c;
    }),
  );

  const serve = program
    .command('serve')
    .description('run the admission webhook (HTTPS; settings also from ROLLSAFE_* environment variables)')
    .action(async (opts: ServeOptions) => {
      code = await runServe(opts, { stderr: io.stderr, env: process.env });
    });
  for (const { flag, help } of Object.values(SERVE_FLAGS)) serve.option(flag, help);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; every other commander error is a usage error
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof InputError) {
      io.stderr(`rollsafe: error: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
  return code;
}
