import { constants, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scrubbedEnv } from '../adapters/scrubbed-env.js';
import type { SuiteResult } from '../report.js';
import { type CaseResult, metricsOf } from '../run-corpus.js';
import { judgeRun, type RunRecord } from './judge-run.js';
import { planKill } from './kill-plan.js';
import { newSeed, seededRandom } from './prng.js';
import { type ReaderOutcome, runReader } from './reader-run.js';
import { isUnrunnable, killAllStoreProcesses } from './store-process.js';
import { runWriter } from './writer-run.js';

export interface SessionRecoveryOptions {
  /** `<writer> <store-dir>`: appends, prints `ack <id>` once a record is durable. */
  writer: string;
  /** `<reader> <store-dir>`: loads, prints `{"ids": [...]}`, exits non-zero when it cannot. */
  reader: string;
  /** Working directory of both commands. */
  cwd: string;
  runs?: number;
  /** `PLUMBLINE_RECORDS`: a writer stops by itself after this many records. */
  records?: number;
  /** Per process: how long a writer may take to the ack its kill waits for, and a reader to answer. */
  timeoutMs?: number;
  seed?: number;
  /** The store under test (absolute); a fresh temporary directory when absent. */
  storeDir?: string;
  passEnv?: readonly string[];
  /** Where the suite is configured; every run's case points there. */
  source?: { file: string; line: number };
  /** Readers loading snapshots while the next writer runs. */
  readerConcurrency?: number;
}

export interface SessionRecoverySummary {
  seed: number;
  plannedRuns: number;
  runs: number;
  /** Records acknowledged over all runs. */
  acked: number;
  /** Distinct acknowledged records missing from a store that loaded. */
  lost: number;
  loadFailures: number;
  /** Loads where the reader reported damage it dropped (a torn tail). */
  damagedLoads: number;
  errors: number;
  storeDir: string;
  /** Kept for inspection when a run failed: the store (when temporary) and failing runs' snapshots. */
  keptDir?: string;
  stoppedEarly?: string;
  elapsedMs: number;
  runsPerSecond: number;
  medianFirstAckMs?: number;
}

const DEFAULTS = { runs: 200, records: 1000, timeoutMs: 10_000 };
const KEPT_SNAPSHOTS = 5;
const GIVE_UP_AFTER = 3;

function median(xs: readonly number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** At most `n` tasks at once. */
function limiter(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** A copy of the store as the kill left it, so the reader can load it while the next writer runs. */
function snapshot(storeDir: string, to: string): ReaderOutcome | undefined {
  mkdirSync(join(to, '..'), { recursive: true });
  if (!existsSync(storeDir)) return undefined;
  try {
    cpSync(storeDir, to, { recursive: true, mode: constants.COPYFILE_FICLONE, verbatimSymlinks: true });
    return undefined;
  } catch (e) {
    return {
      kind: 'error',
      unrunnable: false,
      detail: `could not copy the store for the reader: ${String(e)}`,
    };
  }
}

function allRecovered(r: ReaderOutcome, acked: readonly string[], count: number): boolean {
  if (r.kind !== 'loaded') return false;
  for (let i = 0; i < count; i++) if (!r.ids.has(acked[i]!)) return false;
  return true;
}

function notice(s: SessionRecoverySummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const firstAck =
    s.medianFirstAckMs === undefined ? '' : `, first ack after ${Math.round(s.medianFirstAckMs)} ms median`;
  const parts = [
    `seed ${s.seed}`,
    `${s.runs} SIGKILL run(s) on one store`,
    `${n(s.acked)} record(s) acknowledged`,
    `${n(s.lost)} lost`,
    `${s.loadFailures} load failure(s)`,
    `${s.damagedLoads} load(s) dropped damage`,
    `${(s.elapsedMs / 1000).toFixed(1)} s (${s.runsPerSecond.toFixed(1)} runs/s${firstAck})`,
  ];
  const tail = [
    s.stoppedEarly ? `Stopped after run ${s.runs} of ${s.plannedRuns}: ${s.stoppedEarly}.` : '',
    s.keptDir ? `Store and failing snapshots kept in ${s.keptDir}.` : '',
    `Set eval.sessionStore.seed: ${s.seed} to replay this kill schedule (timing still varies).`,
  ];
  return [`${parts.join(' · ')}.`, ...tail].filter(Boolean).join(' ');
}

/**
 * Kills a writer with SIGKILL at seeded random moments, `runs` times over ONE store, so every run after
 * the first must resume whatever the previous kill left, and checks after each kill that the store loads
 * and still holds every record the writer acknowledged so far. Each run is one case.
 */
export async function runSessionRecovery(
  o: SessionRecoveryOptions,
): Promise<{ suite: SuiteResult; summary: SessionRecoverySummary }> {
  const runs = o.runs ?? DEFAULTS.runs;
  const timeoutMs = o.timeoutMs ?? DEFAULTS.timeoutMs;
  const seed = o.seed ?? newSeed();
  const random = seededRandom(seed);
  const work = mkdtempSync(join(tmpdir(), 'plumbline-session-recovery-'));
  const storeDir = o.storeDir ?? join(work, 'store');
  const env = { ...scrubbedEnv(o.passEnv), PLUMBLINE_RECORDS: String(o.records ?? DEFAULTS.records) };
  const readSlot = limiter(Math.max(1, o.readerConcurrency ?? 1));
  const acked: string[] = [];
  const seen = new Set<string>();
  const firstAcks: number[] = [];
  const pending: Promise<RunRecord>[] = [];
  let kept = 0;
  // Runs that prove nothing (timeouts, broken output) stop the suite rather than repeat 200 times.
  let writerTimeouts = 0;
  let readerErrors = 0;
  let stoppedEarly: string | undefined;
  let resumeWindowMs: number | undefined;
  const started = performance.now();
  const onExit = () => killAllStoreProcesses();
  process.on('exit', onExit);
  let keep = false;

  try {
    for (let run = 1; run <= runs && stoppedEarly === undefined; run++) {
      const plan = planKill(random, resumeWindowMs);
      const writer = await runWriter({ command: o.writer, storeDir, cwd: o.cwd, env, plan, timeoutMs });
      if (writer.firstAckMs !== undefined) {
        resumeWindowMs = writer.firstAckMs;
        firstAcks.push(writer.firstAckMs);
      }
      let duplicateId: string | undefined;
      for (const id of writer.acked) {
        if (seen.has(id)) duplicateId ??= id;
        seen.add(id);
        acked.push(id);
      }
      const ackedSoFar = acked.length;
      const snap = join(work, 'snapshots', `run-${run}`, basename(storeDir));
      const copyFailed = snapshot(storeDir, snap);
      pending.push(
        readSlot(async () => {
          const reader =
            copyFailed ??
            (await runReader({ command: o.reader, storeDir: snap, cwd: o.cwd, env, timeoutMs }));
          readerErrors = reader.kind === 'error' ? readerErrors + 1 : 0;
          if (reader.kind === 'error' && reader.unrunnable)
            stoppedEarly ??= 'the reader command could not be run';
          if (readerErrors >= GIVE_UP_AFTER)
            stoppedEarly ??= `the reader failed ${GIVE_UP_AFTER} runs in a row`;
          if (allRecovered(reader, acked, ackedSoFar) || ++kept > KEPT_SNAPSHOTS)
            rmSync(join(snap, '..'), { recursive: true, force: true });
          return { run, plan, writer, duplicateId, ackedSoFar, reader };
        }),
      );
      writerTimeouts = writer.timedOut ? writerTimeouts + 1 : 0;
      if (!writer.acked.length && isUnrunnable(writer.finished))
        stoppedEarly ??= 'the writer command could not be run';
      if (writerTimeouts >= GIVE_UP_AFTER)
        stoppedEarly ??= `the writer timed out ${GIVE_UP_AFTER} runs in a row`;
    }
    const records = await Promise.all(pending);
    const elapsedMs = performance.now() - started;
    const { file, line } = o.source ?? { file: '(session-recovery options)', line: 1 };
    const lost = new Set<string>();
    const cases: CaseResult[] = [];
    let loadFailures = 0;
    let damagedLoads = 0;
    for (const r of records) {
      const v = judgeRun(r, acked, lost, { timeoutMs, file, line });
      for (const id of v.missing) lost.add(id);
      if (v.loadFailed) loadFailures++;
      if (r.reader.kind === 'loaded' && r.reader.damage) damagedLoads++;
      cases.push(v.result);
    }
    const metrics = metricsOf(cases);
    keep = metrics.failed > 0;
    const summary: SessionRecoverySummary = {
      seed,
      plannedRuns: runs,
      runs: records.length,
      acked: acked.length,
      lost: lost.size,
      loadFailures,
      damagedLoads,
      errors: metrics.errors,
      storeDir,
      ...(keep ? { keptDir: work } : {}),
      ...(stoppedEarly ? { stoppedEarly } : {}),
      elapsedMs,
      runsPerSecond: records.length / (elapsedMs / 1000),
      medianFirstAckMs: median(firstAcks),
    };
    const byCategory = new Map<string, CaseResult[]>();
    for (const c of cases) byCategory.set(c.category, [...(byCategory.get(c.category) ?? []), c]);
    const suite: SuiteResult = {
      id: 'session-recovery',
      adapter: `command:${o.writer}`,
      status: 'ran',
      notice: notice(summary),
      cases,
      metrics,
      categories: [...byCategory.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([category, rs]) => ({ category, ...metricsOf(rs) })),
    };
    return { suite, summary };
  } finally {
    killAllStoreProcesses();
    process.off('exit', onExit);
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}
