// Load fixture files into decoded objects and run the engine on them, as the CLI does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isConfigSchema, loadSchema } from '../../src/cli/check.js';
import { documentLookup } from '../../src/cli/document-lookup.js';
import type { LoadedSchema } from '../../src/engine/lookup.js';
import { expandPaths, parseDocuments } from '../../src/cli/read-documents.js';
import { defaultSettings, evaluateObject, type PolicySettings } from '../../src/engine/evaluate.js';
import type { Finding } from '../../src/engine/finding.js';
import { KNOWN_KINDS, KnownObject } from '../../src/engine/objects.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/**
 * Every document of a known kind under `dir`, as parsed (nulls and all), for tests that decode
 * the corpus; files the CLI reports as invalid YAML hold no objects to decode.
 */
export function knownKindDocuments(dir: string): unknown[] {
  return expandPaths([dir])
    .flatMap((file) => {
      try {
        return parseDocuments(file, readFileSync(file, 'utf8')).map((d) => d.value);
      } catch {
        return [];
      }
    })
    .filter((d) => KNOWN_KINDS.includes((d as { kind?: string } | null)?.kind ?? ''));
}

/** Deep-freeze, so a policy that mutates its input throws in tests. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function loadSchemas(file: string): LoadedSchema[] {
  return parseDocuments(file, readFileSync(file, 'utf8'))
    .filter(isConfigSchema)
    .map((d) => deepFreeze(loadSchema(d, 'default')));
}

export function loadObjects(file: string): KnownObject[] {
  return parseDocuments(file, readFileSync(file, 'utf8')).flatMap((d) => {
    const parsed = KnownObject.safeParse(d.value);
    return parsed.success ? [deepFreeze(parsed.data)] : [];
  });
}

export interface ObjectFindings {
  kind: string;
  name: string;
  findings: Finding[];
}

/** The engine's findings for every checked object of a file, other documents as the lookup. */
export function evaluateFile(file: string, settings: PolicySettings = defaultSettings): ObjectFindings[] {
  const objects = loadObjects(file);
  const lookup = documentLookup(objects, 'default', loadSchemas(file));
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'ConfigMap')
    .map((o) => ({
      kind: o.kind,
      name: o.metadata.name ?? '',
      findings: evaluateObject(o, { lookup, defaultNamespace: 'default', settingsFor: () => settings }),
    }));
}
