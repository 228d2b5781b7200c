import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfigFile } from '../src/config/load.js';
import { suiteFailed } from '../src/evals/report.js';
import { runEvals } from '../src/evals/run-evals.js';
import { APPEND_WINDOW_MS, planKill } from '../src/evals/session-recovery/kill-plan.js';
import { seededRandom } from '../src/evals/session-recovery/prng.js';
import { parseReaderOutput } from '../src/evals/session-recovery/reader-run.js';
import { runSessionRecovery, type SessionRecoveryOptions } from '../src/evals/session-recovery/suite.js';
import { specialSuites } from '../src/evals/special-suites.js';

const STORES = resolve('test/fixtures/stores');
const JSONL = {
  writer: `node ${join(STORES, 'jsonl/writer.mjs')}`,
  reader: `node ${join(STORES, 'jsonl/reader.mjs')}`,
};
const scratch = mkdtempSync(join(tmpdir(), 'plumbline-sr-test-'));
const kept: string[] = [];
afterAll(() => {
  for (const d of [...kept, scratch]) rmSync(d, { recursive: true, force: true });
});

/** Whether a process has exited (a zombie waiting for init to reap it counts as gone). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    try {
      process.kill(pid, 0);
      const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
      if (/^\d+ \(.*\) Z/.test(stat)) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function run(o: Partial<SessionRecoveryOptions> & { writer: string; reader: string }) {
  const r = await runSessionRecovery({ cwd: scratch, seed: 7, ...o });
  if (r.summary.keptDir) kept.push(r.summary.keptDir);
  return r;
}

describe('the kill schedule', () => {
  test('a seed replays the same plans, and all three kinds of kill occur', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 200 }, () => planKill(random, 30));
    };
    const plans = draw(11);
    expect(draw(11)).toEqual(plans);
    expect(draw(12)).not.toEqual(plans);
    // Before the writer has acked once, nothing is killed during resume.
    const first = seededRandom(11);
    const untried = Array.from({ length: 50 }, () => planKill(first, undefined));
    expect(untried.some((p) => p.category === 'kill-during-resume')).toBe(false);
    expect(untried.filter((p) => p.category === 'kill-after-ack').length).toBeGreaterThan(
      plans.slice(0, 50).filter((p) => p.category === 'kill-after-ack').length,
    );
    const kinds = new Set(plans.map((p) => p.category));
    expect([...kinds].sort()).toEqual(['kill-after-ack', 'kill-during-append', 'kill-during-resume']);
    for (const p of plans) {
      if (p.category === 'kill-during-append') expect(p.afterFirstAckMs).toBeLessThan(APPEND_WINDOW_MS);
      if (p.category === 'kill-during-resume') expect(p.afterSpawnMs).toBeLessThan(30);
      if (p.category === 'kill-after-ack') expect(p.ack).toBeGreaterThanOrEqual(1);
    }
    const appendDelays = plans.flatMap((p) =>
      p.category === 'kill-during-append' ? [p.afterFirstAckMs] : [],
    );
    expect(Math.min(...appendDelays)).toBeLessThan(5);
    expect(Math.max(...appendDelays)).toBeGreaterThan(35);
  });
});

describe('the reader contract', () => {
  test('ids, damage with its detail, and output that breaks the contract', () => {
    const ok = parseReaderOutput('loading…\n{"ids": ["a", 2]}\n');
    expect(ok).toEqual({ kind: 'loaded', ids: new Set(['a', '2']) });
    expect(parseReaderOutput('{"ids": [], "damaged": true, "detail": "torn tail"}')).toMatchObject({
      kind: 'loaded',
      damage: 'torn tail',
    });
    expect(parseReaderOutput('ok')).toMatchObject({
      kind: 'error',
      detail: expect.stringContaining('not JSON'),
    });
    expect(parseReaderOutput('{"records": []}')).toMatchObject({
      kind: 'error',
      detail: expect.stringContaining('"ids"'),
    });
    expect(parseReaderOutput('')).toMatchObject({
      kind: 'error',
      detail: expect.stringContaining('nothing'),
    });
  });
});

describe('SIGKILL runs against real stores', () => {
  test('an fsync-before-ack JSONL store keeps every acknowledged record over 200 kills', async () => {
    const { suite, summary } = await run({ ...JSONL, runs: 200 });
    expect(suite.metrics).toMatchObject({ cases: 200, passed: 200, failed: 0, errors: 0, attacks: 0 });
    expect(summary).toMatchObject({ runs: 200, lost: 0, loadFailures: 0, errors: 0, seed: 7 });
    expect(summary.acked).toBeGreaterThan(200);
    expect(suite.categories.map((c) => c.category)).toEqual([
      'kill-after-ack',
      'kill-during-append',
      'kill-during-resume',
    ]);
    expect(suite.categories.reduce((n, c) => n + c.cases, 0)).toBe(200);
    expect(suite.notice).toContain('seed 7');
    expect(suite.cases[199]!.reason).toContain(`all ${summary.acked} acknowledged record(s) recovered`);
    expect(suiteFailed(suite)).toBe(false);
    // A passing run leaves nothing behind.
    expect(summary.keptDir).toBeUndefined();
    expect(existsSync(summary.storeDir)).toBe(false);
  }, 90_000);

  test('a store that truncates and rewrites its file on every append is caught', async () => {
    const { suite, summary } = await run({
      writer: `node ${join(STORES, 'rewrite/writer.mjs')}`,
      reader: `node ${join(STORES, 'rewrite/reader.mjs')}`,
      runs: 40,
    });
    expect(summary.lost + summary.loadFailures).toBeGreaterThan(0);
    expect(suiteFailed(suite)).toBe(true);
    const bad = suite.cases.filter((c) => !c.pass);
    expect(bad.length).toBeGreaterThan(0);
    for (const c of bad) {
      expect(c.decision).toBe('deny');
      expect(c.reason).toMatch(
        /^(lost \d+ of \d+ acknowledged record|store did not load: reader exited with code 1)/,
      );
    }
    expect(suite.metrics.cases).toBe(40);
    // The damaged store is kept so the failure can be looked at.
    expect(existsSync(join(summary.keptDir!, 'store'))).toBe(true);
  }, 60_000);

  test('a store that acks records before writing them is caught losing them', async () => {
    const { suite, summary } = await run({
      writer: `node ${join(STORES, 'early-ack/writer.mjs')}`,
      reader: JSONL.reader,
      runs: 30,
    });
    expect(summary.lost).toBeGreaterThan(0);
    const loss = suite.cases.find((c) => !c.pass)!;
    expect(loss.decision).toBe('deny');
    expect(loss.reason).toMatch(/^lost \d+ of \d+ acknowledged record\(s\)/);
    expect(loss.input).toMatchObject({ recovered: expect.any(Number), ackedSoFar: expect.any(Number) });
    expect(suiteFailed(suite)).toBe(true);
  }, 60_000);

  test('a torn final line is dropped and reported by the reader, and the run still passes', async () => {
    const script = join(scratch, 'slow-append-writer.mjs');
    // Correct but slow: each record goes out in two writes a moment apart, so kills tear lines.
    writeFileSync(
      script,
      `import { existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
const file = process.argv[2] + '/session.jsonl';
mkdirSync(process.argv[2], { recursive: true });
if (existsSync(file)) truncateSync(file, readFileSync(file, 'utf8').lastIndexOf('\\n') + 1);
const fd = openSync(file, 'a');
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let n = 1; n <= Number(process.env.PLUMBLINE_RECORDS); n++) {
  const line = JSON.stringify({ id: process.pid + '-' + Date.now() + '-' + n, text: 'y'.repeat(100) }) + '\\n';
  writeSync(fd, line.slice(0, 40));
  Atomics.wait(pause, 0, 0, 5);
  writeSync(fd, line.slice(40));
  fsyncSync(fd);
  process.stdout.write('ack ' + JSON.parse(line).id + '\\n');
}
`,
    );
    const { suite, summary } = await run({ writer: `node ${script}`, reader: JSONL.reader, runs: 20 });
    expect(summary).toMatchObject({ lost: 0, loadFailures: 0, errors: 0 });
    expect(summary.damagedLoads).toBeGreaterThan(0);
    expect(suite.metrics.passed).toBe(20);
    const torn = suite.cases.find((c) => c.input.damage !== undefined)!;
    expect(torn.reason).toMatch(/; reader reported damage: dropped a torn final line \(\d+ bytes\)$/);
    expect(suite.notice).toContain(`${summary.damagedLoads} load(s) dropped damage`);
  }, 30_000);

  test('a reader that crashes is a load failure reported with its stderr', async () => {
    const { suite, summary } = await run({
      ...JSONL,
      reader: `node ${join(STORES, 'crashing-reader.mjs')}`,
      runs: 3,
    });
    expect(summary.loadFailures).toBe(3);
    expect(suite.cases).toHaveLength(3);
    for (const c of suite.cases) {
      expect(c).toMatchObject({ decision: 'deny', pass: false });
      expect(c.reason).toBe(
        'store did not load: reader exited with code 3: cannot open session store: index checksum mismatch',
      );
    }
  }, 30_000);

  test('a writer command that does not exist is an error, never a pass, and stops the suite', async () => {
    const { suite, summary } = await run({
      writer: 'plumbline-no-such-writer-xyz',
      reader: JSONL.reader,
      runs: 200,
    });
    expect(suite.cases).toHaveLength(1);
    expect(suite.cases[0]).toMatchObject({ decision: 'error', pass: false });
    expect(suite.cases[0]!.reason).toMatch(/^writer command could not be run: exit code 127: .*not found/);
    expect(summary.stoppedEarly).toBe('the writer command could not be run');
    expect(suite.notice).toContain('Stopped after run 1 of 200');
    expect(suite.metrics.errors).toBe(1);
    expect(suiteFailed(suite)).toBe(true);
  }, 30_000);

  test('a writer that never acks times out, errors and stops; its whole process group is killed', async () => {
    const pidFile = join(scratch, 'sleeper.pid');
    const script = join(scratch, 'hanging-writer.sh');
    writeFileSync(script, `sleep 30 &\necho $! > '${pidFile}'\nexec sleep 30\n`);
    const { suite, summary } = await run({
      writer: `sh ${script}`,
      reader: JSONL.reader,
      runs: 50,
      timeoutMs: 300,
    });
    expect(summary.stoppedEarly).toBe('the writer timed out 3 runs in a row');
    expect(suite.cases).toHaveLength(3);
    for (const c of suite.cases) {
      expect(c).toMatchObject({ decision: 'error', pass: false });
      expect(c.reason).toMatch(/^writer printed 0 ack line\(s\) within 300 ms; the run needed [1-5]$/);
    }
    // The writer's background child was in its process group and died with it.
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    expect(await gone(sleeper)).toBe(true);
  }, 30_000);

  test('a writer that reuses ids across runs breaks the contract and errors', async () => {
    const script = join(scratch, 'counter-writer.mjs');
    writeFileSync(
      script,
      `import { mkdirSync, appendFileSync } from 'node:fs';
mkdirSync(process.argv[2], { recursive: true });
for (let n = 1; n <= 3; n++) {
  appendFileSync(process.argv[2] + '/session.jsonl', JSON.stringify({ id: String(n) }) + '\\n');
  process.stdout.write('ack ' + n + '\\n');
}
`,
    );
    const { suite } = await run({ writer: `node ${script}`, reader: JSONL.reader, runs: 4, records: 3 });
    const dup = suite.cases.find((c) => c.decision === 'error');
    expect(dup?.reason).toMatch(/^writer acknowledged id "\d" a second time/);
  }, 30_000);
});

describe('configured through eval.sessionStore', () => {
  function project(config: string): string {
    const root = mkdtempSync(join(scratch, 'project-'));
    writeFileSync(join(root, 'plumbline.config.yaml'), config);
    return root;
  }

  test('plumbline eval runs it from the config, resuming the configured store', async () => {
    const root = project(
      `eval:\n  sessionStore:\n    writer: ${JSONL.writer}\n    reader: ${JSONL.reader}\n    runs: 6\n    seed: 5\n    storeDir: state/sessions\n`,
    );
    mkdirSync(join(root, 'state/sessions'), { recursive: true });
    writeFileSync(join(root, 'state/sessions/session.jsonl'), '{"id":"from-an-earlier-session"}\n{"id":"tor');
    const loaded = loadConfigFile(join(root, 'plumbline.config.yaml'));
    const report = await runEvals({
      projectRoot: root,
      loaded,
      version: 't',
      suites: ['session-recovery'],
      special: specialSuites(loaded),
    });
    const s = report.suites[0]!;
    expect(s).toMatchObject({ id: 'session-recovery', status: 'ran', adapter: `command:${JSONL.writer}` });
    expect(s.metrics).toMatchObject({ cases: 6, passed: 6 });
    expect(s.cases[0]).toMatchObject({ file: 'plumbline.config.yaml', line: 2, tool: 'session-store' });
    expect(s.notice).toContain('seed 5');
    expect(report.ok).toBe(true);
    // The configured store is the user's: resumed (torn tail cut), kept, never deleted.
    const lines = readFileSync(join(root, 'state/sessions/session.jsonl'), 'utf8').split('\n');
    expect(lines[0]).toBe('{"id":"from-an-earlier-session"}');
    expect(JSON.parse(lines[1]!).id).toMatch(/^\d+-/);
  }, 30_000);

  test('without eval.sessionStore the suite is skipped, not passed', async () => {
    const root = project('eval:\n  builtinCorpora: false\n');
    const loaded = loadConfigFile(join(root, 'plumbline.config.yaml'));
    expect(specialSuites(loaded)).toEqual({});
    const report = await runEvals({
      projectRoot: root,
      loaded,
      version: 't',
      suites: ['session-recovery'],
      special: specialSuites(loaded),
    });
    expect(report.suites[0]).toMatchObject({ status: 'skipped', cases: [] });
  });

  test.each([
    ['runs: 0', /plumbline\.config\.yaml:5:\d+: .*runs/],
    ['kills: 3', /plumbline\.config\.yaml:5:\d+: .*kills/],
    ['seed: -1', /plumbline\.config\.yaml:5:\d+: .*seed/],
  ])('a bad %s names the config file and line', (bad, message) => {
    const root = project(
      `eval:\n  sessionStore:\n    writer: node w.mjs\n    reader: node r.mjs\n    ${bad}\n`,
    );
    const loaded = loadConfigFile(join(root, 'plumbline.config.yaml'));
    expect(() => specialSuites(loaded)).toThrow(message);
  });

  test('a missing reader names the sessionStore line', () => {
    const root = project('eval:\n  sessionStore:\n    writer: node w.mjs\n');
    const loaded = loadConfigFile(join(root, 'plumbline.config.yaml'));
    expect(() => specialSuites(loaded)).toThrow(/plumbline\.config\.yaml:3:\d+: .*reader/);
  });
});
