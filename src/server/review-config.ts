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
  readonly deps: ReviewDeps;
}

const noStdin = (): string => {
  throw new InputError('-', undefined, 'stdin is not a schema source for the webhook; give files or directories');
};

export function loadSchemas(paths: readonly string[]): LoadedSchema[] {
  return readSchemaSources(paths, { allowEmptyDirectories: true, readStdin: noStdin }).schemas.map((doc) => loadSchema(doc, DEFAULT_NAMESPACE));
}

export function reviewConfig(config: PolicyConfig, schemas: readonly LoadedSchema[]): ReviewConfig {
  return { config, schemas, deps: { lookup: staticLookup(schemas), config } };
}

/** Throws InputError on the first file with a mistake. */
export function loadReviewConfig(sources: ReviewConfigSources): ReviewConfig {
  return reviewConfig(loadPolicyConfig(sources.policyConfigFile), loadSchemas(sources.schemaPaths));
}
