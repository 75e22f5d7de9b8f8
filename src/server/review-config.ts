// Everything a review reads besides the request: the policy configuration and the ConfigSchemas,
// loaded from the files the settings name, at start-up and again when they change (each on its
// own: a broken config file does not hold back a good schema change). A mistake is an
// InputError naming the file (and line) and the problem.
import type { ReviewDeps } from '../admission/review.js';
import { loadSchema } from '../cli/check.js';
import { InputError } from '../cli/input-error.js';
import { loadPolicyConfig } from '../cli/load-policy-config.js';
import { readSchemaSources } from '../cli/schema-sources.js';
import type { PolicyConfig } from '../config/policy-config.js';
import type { LoadedSchema } from '../engine/lookup.js';
import { staticLookup } from './static-lookup.js';

/** Namespace of a ConfigSchema file that names none (the CLI's default too). */
const DEFAULT_NAMESPACE = 'default';

export interface ReviewConfigSources {
  readonly policyConfigFile?: string | undefined;
  readonly schemaPaths: readonly string[];
}

export interface ReviewConfig {
  readonly config: PolicyConfig;
  readonly schemas: readonly LoadedSchema[];
  /** Files of --schemas directories whose documents were passed over (other kinds: a kustomization, the CRD), for the log. */
  readonly passedOver: readonly string[];
  readonly deps: ReviewDeps;
}

export interface LoadedSchemas {
  readonly schemas: LoadedSchema[];
  readonly passedOver: string[];
}

const noStdin = (): string => {
  throw new InputError('-', undefined, 'stdin is not a schema source for the webhook; give files or directories');
};

export function loadSchemas(paths: readonly string[]): LoadedSchemas {
  const sources = readSchemaSources(paths, { allowEmptyDirectories: true, readStdin: noStdin });
  return { schemas: sources.schemas.map((doc) => loadSchema(doc, DEFAULT_NAMESPACE)), passedOver: [...new Set(sources.passedOver.map((d) => d.file))] };
}

export function reviewConfig(config: PolicyConfig, { schemas, passedOver }: Pick<ReviewConfig, 'schemas' | 'passedOver'>): ReviewConfig {
  return { config, schemas, passedOver, deps: { lookup: staticLookup(schemas), config } };
}

/** Files passed over named in a log line; the rest are counted (a large synced directory would repeat hundreds on every reload). */
const PASSED_OVER_LOGGED = 10;

/** What the log says of the schemas loaded: their count, and the files passed over when there were any. */
export const schemaLogFields = (c: Pick<ReviewConfig, 'schemas' | 'passedOver'>) => ({
  schemas: c.schemas.length,
  ...(c.passedOver.length > 0 && { schemaFilesPassedOver: c.passedOver.slice(0, PASSED_OVER_LOGGED) }),
  ...(c.passedOver.length > PASSED_OVER_LOGGED && { schemaFilesPassedOverNotListed: c.passedOver.length - PASSED_OVER_LOGGED }),
});

/** Throws InputError on the first file with a mistake. */
export function loadReviewConfig(sources: ReviewConfigSources): ReviewConfig {
  return reviewConfig(loadPolicyConfig(sources.policyConfigFile), loadSchemas(sources.schemaPaths));
}
