// Reload the policy configuration and the ConfigSchemas when their files change, each on its
// own. A change that does not load is refused with an error line naming the file and the
// problem, counted as a failed reload, and the last good one stays in force.
import type { Logger } from 'pino';
import { InputError } from '../cli/input-error.js';
import { loadPolicyConfig } from '../cli/load-policy-config.js';
import { expandPaths } from '../cli/read-documents.js';
import type { Metrics } from './metrics.js';
import { loadSchemas, type ReviewConfig, reviewConfig, type ReviewConfigSources, schemaLogFields } from './review-config.js';
import { fingerprintFiles, type Watcher, watchForChanges } from './watch.js';

export interface ConfigReloadOptions {
  readonly sources: ReviewConfigSources;
  /** The configuration in force. */
  readonly current: () => ReviewConfig;
  /** Called with each new configuration that loaded. */
  readonly apply: (next: ReviewConfig) => void;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly intervalMs?: number;
  readonly debounceMs?: number;
}

/** Schema files now (a directory may have gained or lost files); a path gone counts as itself. */
const schemaFiles = (paths: readonly string[]): string[] =>
  paths.flatMap((p) => {
    try {
      return expandPaths([p], { allowEmptyDirectories: true });
    } catch {
      return [p];
    }
  });

export function watchReviewConfig(o: ConfigReloadOptions): Watcher {
  const log = o.logger.child({ component: 'config' });
  const reload = (what: string, load: () => ReviewConfig) => () => {
    try {
      const next = load();
      o.apply(next);
      o.metrics.configReloads.inc({ result: 'success' });
      log.info({ policyConfig: o.sources.policyConfigFile ?? 'defaults', ...schemaLogFields(next) }, `${what} reloaded`);
    } catch (err) {
      o.metrics.configReloads.inc({ result: 'failure' });
      const where = err instanceof InputError ? { file: err.file, line: err.line } : {};
      log.error({ ...where, problem: (err as Error).message }, `${what} change refused; the last good one stays in force`);
    }
  };

  const watchers: Watcher[] = [];
  const file = o.sources.policyConfigFile;
  if (file !== undefined) {
    watchers.push(
      watchForChanges({
        paths: [file],
        intervalMs: o.intervalMs,
        debounceMs: o.debounceMs,
        fingerprint: () => fingerprintFiles([file]),
        onChange: reload('policy configuration', () => reviewConfig(loadPolicyConfig(file), o.current())),
      }),
    );
  }
  const paths = o.sources.schemaPaths;
  if (paths.length > 0) {
    watchers.push(
      watchForChanges({
        paths,
        intervalMs: o.intervalMs,
        debounceMs: o.debounceMs,
        fingerprint: () => fingerprintFiles(schemaFiles(paths)),
        onChange: reload('ConfigSchemas', () => reviewConfig(o.current().config, loadSchemas(paths))),
      }),
    );
  }
  return { close: () => watchers.forEach((w) => w.close()) };
}
