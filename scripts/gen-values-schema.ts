// Writes charts/rollsafe/values.schema.json (see scripts/values-schema.ts).
// Run with `npx tsx scripts/gen-values-schema.ts`; test/chart/values-schema.test.ts checks it is current.
import { writeFileSync } from 'node:fs';
import { VALUES_SCHEMA_FILE, valuesSchemaJson } from './values-schema.js';

writeFileSync(new URL(`../${VALUES_SCHEMA_FILE}`, import.meta.url), valuesSchemaJson());
console.log(`wrote ${VALUES_SCHEMA_FILE}`);
