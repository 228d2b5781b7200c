// Audit benchmark: generates synthetic agent repositories, times `plumbline audit` on each against a floor
// (a bare walk-and-read of the same files) and reports wall time and the child's peak RSS.
//
//   npm run bench                         # sizes 1000, 5000, 20000
//   BENCH_SIZES=1000,5000 npm run bench   # choose sizes
//   BENCH_RUNS=3 npm run bench            # runs per size (default 5, 3 for 20k and above)
//   BENCH_KEEP=1 npm run bench            # keep the generated repositories
//
// The last line printed is one JSON object with every number, for CI logs and comparisons.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateRepo } from './bench-generate.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_CLI points at another build of the CLI (e.g. to compare two versions).
const cli = resolve(process.env.BENCH_CLI ?? join(repo, 'dist', 'cli.js'));
const floorScript = join(repo, 'scripts', 'bench-floor.mjs');

const sizes = (process.env.BENCH_SIZES ?? '1000,5000,20000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const runsFor = (size) => Number(process.env.BENCH_RUNS) || (size >= 20000 ? 3 : 5);

if (!existsSync(cli)) {
  console.error(`bench: ${cli} is missing; run \`npm run bench\` (it builds first) or \`npm run build\`.`);
  process.exit(2);
}
if (sizes.length === 0) {
  console.error('bench: BENCH_SIZES holds no positive integers, e.g. BENCH_SIZES=1000,5000');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'plumbline-bench-'));

// Peak RSS of the child itself. GNU time reports it directly; elsewhere a preload module records the
// child's own `maxRSS` when it exits.
const gnuTime =
  existsSync('/usr/bin/time') &&
  spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' }).status === 0;
const rssFile = join(work, 'rss.txt');
const preload = join(work, 'rss-preload.mjs');
writeFileSync(
  preload,
  `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
);

/** Runs `node args…` once; returns wall milliseconds, peak RSS in MiB, exit status and output. */
function measure(args) {
  const nodeArgs = gnuTime ? args : ['--import', pathToFileURL(preload).href, ...args];
  const [cmd, cmdArgs] = gnuTime
    ? ['/usr/bin/time', ['-v', process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const start = process.hrtime.bigint();
  const child = spawnSync(cmd, cmdArgs, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let rssKiB;
  if (gnuTime) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr);
    rssKiB = m ? Number(m[1]) : Number.NaN;
  } else {
    rssKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
  }
  // GNU time exits with the child's status, so `status` is the command's either way.
  return { ms, rssMiB: rssKiB / 1024, status: child.status, stdout: child.stdout, stderr: child.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function fail(what, run) {
  console.error(`bench: ${what} exited ${run.status}\n${run.stderr.slice(-4000)}`);
  cleanup();
  process.exit(1);
}

function cleanup() {
  if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  else console.error(`bench: kept ${work}`);
}

/** Times `args` `runs` times after one warm-up; `ok(status)` says which exit codes are success. */
function series(what, args, runs, ok = (s) => s === 0) {
  const warm = measure(args);
  if (!ok(warm.status)) fail(what, warm);
  const all = [];
  for (let i = 0; i < runs; i++) {
    const r = measure(args);
    if (!ok(r.status)) fail(what, r);
    all.push(r);
  }
  return {
    medianMs: median(all.map((r) => r.ms)),
    peakRssMiB: Math.max(...all.map((r) => r.rssMiB)),
    last: warm,
  };
}

const version = series('plumbline --version', [cli, '--version'], 10);
const results = [];
for (const size of sizes) {
  const dir = join(work, `repo-${size}`);
  const gen = generateRepo(dir, size);
  const runs = runsFor(size);
  // Exit 1 only means the audit's check failed (the synthetic repo is far from complete); 2+ is an error.
  const reportFile = join(work, `report-${size}.json`);
  const first = measure([cli, 'audit', dir, '--format', 'json', '--output', reportFile]);
  if (first.status !== 0 && first.status !== 1) fail(`audit of ${size} files`, first);
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const audit = series(
    `audit of ${size} files`,
    [cli, 'audit', dir, '--format', 'json', '--output', '/dev/null'],
    runs,
    (s) => s === 0 || s === 1,
  );
  const floor = series(`floor walk of ${size} files`, [floorScript, dir], runs);
  const floorFiles = JSON.parse(floor.last.stdout).files;
  results.push({
    size,
    files: report.target?.files ?? gen.analysed,
    floorFiles,
    runs,
    medianMs: Math.round(audit.medianMs),
    peakRssMiB: Math.round(audit.peakRssMiB),
    floorMs: Math.round(floor.medianMs),
    floorRssMiB: Math.round(floor.peakRssMiB),
    msPer1kFiles: Math.round((audit.medianMs / gen.analysed) * 1000),
  });
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
}

const header = ['size', 'files', 'median ms', 'peak RSS MB', 'floor ms', 'floor RSS MB', 'ms/1k files'];
const rows = results.map((r) => [
  r.size,
  r.files,
  r.medianMs,
  r.peakRssMiB,
  r.floorMs,
  r.floorRssMiB,
  r.msPer1kFiles,
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
console.log(
  `plumbline bench — node ${process.version}, ${availableParallelism()} cores, RSS via ${gnuTime ? 'GNU time' : 'maxRSS preload'}`,
);
console.log(
  `--version: median ${Math.round(version.medianMs)} ms over 10 runs, peak RSS ${Math.round(version.peakRssMiB)} MB`,
);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(
  JSON.stringify({
    bench: 'plumbline-audit',
    node: process.version,
    cores: availableParallelism(),
    versionMs: Math.round(version.medianMs),
    versionRssMiB: Math.round(version.peakRssMiB),
    results,
  }),
);
cleanup();
