// The Deployment `npm run bench` reviews: one real-world Deployment (4 containers, probes, env,
// resources) from shared/corpus, and the corpus's other apps/v1 Deployments for the mixed load.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expandPaths, parseDocuments } from '../src/cli/read-documents.js';

export const SOURCE = { file: 'opentelemetry-demo/opentelemetry-demo.yaml', name: 'grafana' };
export const CORPUS_DIR = fileURLToPath(new URL('../../shared/corpus/real-world/', import.meta.url));

export type Deployment = { kind: string; metadata: { name: string; namespace?: string }; spec: { template: { spec: { containers: { image: string }[] } } } };

const deploymentsIn = (file: string): Deployment[] =>
  parseDocuments(file, readFileSync(file, 'utf8'))
    .map((d) => d.value as Deployment)
    .filter((v) => v?.kind === 'Deployment' && (v as { apiVersion?: unknown }).apiVersion === 'apps/v1');

/** The bench's Deployment, as its chart renders it. */
export function benchDeployment(): Deployment {
  const deployment = deploymentsIn(`${CORPUS_DIR}${SOURCE.file}`).find((v) => v.metadata.name === SOURCE.name);
  if (!deployment) throw new Error(`${SOURCE.file}: no Deployment ${SOURCE.name}`);
  return deployment;
}

/** Every apps/v1 Deployment of the real-world corpus. */
export const corpusDeployments = (): Deployment[] => expandPaths([CORPUS_DIR]).flatMap(deploymentsIn);

/** The Deployment before a rollout: each image at the tag `previous`. */
export function previousTags<D extends Deployment>(deployment: D): D {
  const old = structuredClone(deployment);
  for (const c of old.spec.template.spec.containers) c.image = c.image.replace(/:[^:/]+$/, ':previous');
  return old;
}
