// Writes src/kube/api-types.ts from the OpenAPI v3 documents Kubernetes commits with its source
// (api/openapi-spec/v3 of the k8s.io/kubernetes module, the version the test API server is built
// from), found in the Go module cache: `npx tsx scripts/kube-types/gen.ts`. Needs Go and that
// module (`npm run tools` downloads it); the generated file is committed, so nothing else does.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTypeTable, DOCUMENTS, renderTypeTable } from './build.js';

const VERSION = 'v1.37.2';
const go = process.env.GO ?? 'go';
const modCache = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
const dir = join(modCache, 'k8s.io', `kubernetes@${VERSION}`, 'api', 'openapi-spec', 'v3');
const documents = DOCUMENTS.map((d) => JSON.parse(readFileSync(join(dir, `${d.replaceAll('/', '__')}_openapi.json`), 'utf8')) as unknown);
const table = buildTypeTable(documents);
const out = fileURLToPath(new URL('../../src/kube/api-types.ts', import.meta.url));
writeFileSync(out, renderTypeTable(table, `k8s.io/kubernetes ${VERSION} api/openapi-spec/v3 (${DOCUMENTS.join(', ')})`));
console.log(`${out}: ${Object.keys(table.roots).length} kinds, ${Object.keys(table.types).length} object types`);
