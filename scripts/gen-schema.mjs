#!/usr/bin/env node
// Writes schema/report.schema.json from the built report schema (dist/), so run `npm run build` first.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'formatters', 'json-schema.js');

let reportJsonSchema;
try {
  ({ reportJsonSchema } = await import('../dist/formatters/json-schema.js'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.error(`gen-schema: ${relative(process.cwd(), built)} is missing; run \`npm run build\` first.`);
  process.exit(2);
}

const out = join(root, 'schema', 'report.schema.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
console.log(`gen-schema: wrote ${relative(process.cwd(), out) || out}`);
