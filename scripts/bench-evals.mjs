// Eval-side throughput (issue 3): the Claude Code settings simulator, the JSON-lines command adapter
// against a trivial adapter, and `plumbline ci` on an unchanged harness. Medians over several rounds.
// Run after `npm run build` (npm run bench does both).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => import(join(ROOT, 'dist', p));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ROUNDS = Number(process.env.BENCH_RUNS ?? 5);

const { ClaudeSettingsSimulator } = await dist('evals/adapters/claude-settings.js');
const { commandAdapter } = await dist('evals/adapters/command.js');
const { loadCorpus } = await dist('evals/corpus.js');

// Every built-in corpus case, as requests.
const corpora = ['shell-attacks', 'shell-benign', 'file-access', 'web-mcp'].map((f) =>
  loadCorpus(join(ROOT, 'evals/corpora', `${f}.yaml`), f),
);
const requests = corpora.flatMap((c) =>
  c.cases.map((k) => ({ tool: k.tool, input: k.input, context: k.mode ? { mode: k.mode } : undefined })),
);

// 1. Simulator: the hardened settings the corpus test uses.
const project = mkdtempSync(join(tmpdir(), 'plumbline-bench-evals-'));
mkdirSync(join(project, '.claude'));
cpSync(join(ROOT, 'test/fixtures/corpora/hardened-settings.json'), join(project, '.claude/settings.json'));
const sim = new ClaudeSettingsSimulator(project);
const simRates = [];
for (let r = 0; r < ROUNDS; r++) {
  const n = requests.length * 10;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sim.explain(requests[i % requests.length]);
  simRates.push(n / ((performance.now() - t0) / 1000));
}

// 2. Command adapter: a trivial adapter process answering every line.
const trivial = join(project, 'trivial-adapter.mjs');
writeFileSync(
  trivial,
  "import { createInterface } from 'node:readline';\ncreateInterface({ input: process.stdin }).on('line', (l) => process.stdout.write(JSON.stringify({ id: JSON.parse(l).id, decision: 'ask', reason: 'trivial' }) + '\\n'));\n",
);
const cmdRates = [];
for (let r = 0; r < ROUNDS; r++) {
  const adapter = commandAdapter(`node ${trivial}`, { cwd: project });
  await adapter.decide(requests[0]); // process start is not throughput
  const n = 5000;
  const t0 = performance.now();
  const inFlight = 32;
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) {
        next++;
        const a = await adapter.decide(requests[next % requests.length]);
        if (!a.ok) throw new Error(a.error);
      }
    }),
  );
  cmdRates.push(n / ((performance.now() - t0) / 1000));
  await adapter.close();
}

// 3. `plumbline ci` on an unchanged harness, per example (a git repo with a baseline, nothing changed).
const ciTimes = {};
for (const example of ['naive-ts-agent', 'mid-python-agent', 'well-built-ts-agent']) {
  const repo = join(project, example);
  cpSync(join(ROOT, 'examples', example), repo, { recursive: true });
  const git = (...a) => execFileSync('git', a, { cwd: repo, stdio: 'ignore' });
  git('init', '-q');
  git('-c', 'user.email=b@x', '-c', 'user.name=b', 'add', '-A');
  git('-c', 'user.email=b@x', '-c', 'user.name=b', 'commit', '-qm', 'base');
  spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'baseline', repo], { stdio: 'ignore' });
  git('-c', 'user.email=b@x', '-c', 'user.name=b', 'add', '-A');
  git('-c', 'user.email=b@x', '-c', 'user.name=b', 'commit', '-qm', 'baseline');
  const times = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const run = spawnSync(process.execPath, [
      join(ROOT, 'dist/cli.js'),
      'ci',
      repo,
      '--base',
      'HEAD',
      '--quiet',
    ]);
    times.push(performance.now() - t0);
    if (run.status !== 0) throw new Error(`ci on ${example} exited ${run.status}: ${run.stderr}`);
  }
  ciTimes[example] = Math.round(median(times));
}
rmSync(project, { recursive: true, force: true });

const result = {
  simulatorDecisionsPerSec: Math.round(median(simRates)),
  commandAdapterDecisionsPerSec: Math.round(median(cmdRates)),
  ciUnchangedMs: ciTimes,
  cases: requests.length,
};
console.log('plumbline eval bench — medians over', ROUNDS, 'rounds');
console.log(
  `claude-settings simulator  ${result.simulatorDecisionsPerSec.toLocaleString('en')} decisions/s (${requests.length} corpus requests, hardened settings)`,
);
console.log(
  `command adapter (trivial)  ${result.commandAdapterDecisionsPerSec.toLocaleString('en')} decisions/s (one process, 32 in flight)`,
);
for (const [k, v] of Object.entries(ciTimes))
  console.log(`plumbline ci, unchanged    ${String(v).padStart(5)} ms  ${k}`);
console.log(JSON.stringify({ bench: 'plumbline-evals', ...result }));
