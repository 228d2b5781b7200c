// Dumps the full analysis (facts, inventory, frameworks, skipped files) of several projects, one JSON file
// per project, so a detector refactor can be checked for byte-identical output:
//
//   npm run build && node scripts/analysis-snapshot.mjs /tmp/before            # on the old commit
//   npm run build && node scripts/analysis-snapshot.mjs /tmp/after             # on the new one
//   diff -r /tmp/before /tmp/after && echo identical
//
// Projects: the bundled examples and labelled fixtures, plus any folders given after the output folder
// (unpacked npm packages, a repository from `node scripts/bench-generate.mjs DIR 1000`).
// --workers analyses as the audit does (worker threads on large projects); the default is the main thread,
// which also checks that every summary is plain data. --detector ID runs one detector only.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const workers = args.includes('--workers');
if (workers) args.splice(args.indexOf('--workers'), 1);
const only = flag('--detector');
const [out, ...extra] = args;
if (!out) {
  console.error(
    'usage: node scripts/analysis-snapshot.mjs OUT_DIR [--workers] [--detector ID] [PROJECT_DIR...]',
  );
  process.exit(2);
}

const { discover } = await import(join(repo, 'dist/core/discover.js'));
const { analyze, analyzeAsync } = await import(join(repo, 'dist/core/analyze.js'));
const { detectors } = await import(join(repo, 'dist/detectors/index.js'));
const subset = only ? detectors.filter((d) => d.id === only) : undefined;
if (only && subset.length !== 1) {
  console.error(`no detector ${only}; known: ${detectors.map((d) => d.id).join(', ')}`);
  process.exit(2);
}

const subfolders = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(dir, d.name));
const projects = [
  ...subfolders(join(repo, 'examples')),
  ...subfolders(join(repo, 'test/fixtures/agents')),
  ...extra.map((d) => resolve(d)),
];

mkdirSync(out, { recursive: true });
for (const dir of projects) {
  const start = performance.now();
  const project = await discover(dir);
  const analysis = subset
    ? analyze(project, subset)
    : workers
      ? await analyzeAsync(project)
      : analyze(project);
  const name = `${basename(dirname(dir))}_${basename(dir)}.json`;
  writeFileSync(join(out, name), `${JSON.stringify(analysis, null, 1)}\n`);
  console.log(`${name}  ${Math.round(performance.now() - start)} ms  ${analysis.facts.length} facts`);
}
