#!/usr/bin/env node
// Stores the validated core rubrics as JSON next to their YAML so a cold `plumbline audit` skips YAML
// parsing (see src/rubrics/compiled.ts). Run after `tsc`; a stale or missing file only costs speed.
// Silent on success: it runs inside `npm start` and `npm test`.
import { writeFileSync } from 'node:fs';
import { compiledPathFor } from '../dist/rubrics/compiled.js';
import { compileCoreRubrics, coreRubricDir } from '../dist/rubrics/load.js';

try {
  const dir = coreRubricDir();
  const out = compiledPathFor(dir);
  writeFileSync(out, `${JSON.stringify(compileCoreRubrics(dir))}\n`);
} catch (e) {
  process.stderr.write(
    `${e instanceof Error ? e.message : String(e)}\n${e?.hint ? `hint: ${e.hint}\n` : ''}`,
  );
  process.exit(1);
}
