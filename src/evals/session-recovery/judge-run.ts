import type { CaseResult } from '../run-corpus.js';
import { acksNeeded, describePlan, type KillPlan } from './kill-plan.js';
import type { ReaderOutcome } from './reader-run.js';
import { isUnrunnable } from './store-process.js';
import type { WriterRun } from './writer-run.js';

/** One kill-and-reload cycle as the suite saw it, before judging. */
export interface RunRecord {
  /** 1-based. */
  run: number;
  plan: KillPlan;
  writer: WriterRun;
  /** An id this writer acked that an earlier ack already used. */
  duplicateId?: string;
  /** How many acked ids (over all runs) the store must hold after this run. */
  ackedSoFar: number;
  reader: ReaderOutcome;
}

export interface RunVerdict {
  result: CaseResult;
  /** Acked ids missing from a store that loaded. */
  missing: string[];
  loadFailed: boolean;
}

const SHOWN_IDS = 5;

function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, SHOWN_IDS).join(', ');
  return ids.length > SHOWN_IDS ? `${shown}, … (${ids.length - SHOWN_IDS} more)` : shown;
}

function tail(stderr: string): string {
  return stderr ? `: ${stderr.split('\n').slice(-3).join(' | ')}` : '';
}

/** Why the writer's side of the run is a harness error (the run proves nothing), if it is. */
function writerError(r: RunRecord, timeoutMs: number): string | undefined {
  const f = r.writer.finished;
  if (isUnrunnable(f) && r.writer.acked.length === 0)
    return `writer command could not be run: ${f.spawnError ?? `exit code ${f.code}${tail(f.stderr)}`}`;
  if (r.duplicateId !== undefined)
    return `writer acknowledged id "${r.duplicateId}" a second time (ids must be unique across runs)`;
  if (r.writer.timedOut) {
    const { length } = r.writer.acked;
    return `writer printed ${length} ack line(s) within ${timeoutMs} ms; the run needed ${acksNeeded(r.plan)}`;
  }
  return undefined;
}

/** Why the writer failed on its own before the kill (it must resume whatever an earlier kill left). */
function writerCrash(r: RunRecord): string | undefined {
  const f = r.writer.finished;
  // The writer may have died on its own just before a kill was sent: only a SIGKILL counts as ours.
  if (f.code === 0 || (f.signal === 'SIGKILL' && r.writer.killedAtMs !== undefined)) return undefined;
  const how = f.signal ? `was killed by ${f.signal}` : `exited with code ${f.code}`;
  return `writer ${how} before the kill${tail(f.stderr)}`;
}

/**
 * Judges one run: it passes when the store loads and holds every record acknowledged so far, in this run
 * or any earlier one. `knownLost` (ids already reported missing) lets the reason say what is new.
 */
export function judgeRun(
  r: RunRecord,
  acked: readonly string[],
  knownLost: ReadonlySet<string>,
  o: { timeoutMs: number; file: string; line: number },
): RunVerdict {
  const w = r.writer;
  const input: Record<string, unknown> = {
    run: r.run,
    kill: w.killedAtMs === undefined ? 'none: the writer ended by itself' : describePlan(r.plan),
    ackedInRun: w.acked.length,
    ackedSoFar: r.ackedSoFar,
  };
  if (w.firstAckMs !== undefined) input.firstAckMs = Math.round(w.firstAckMs * 10) / 10;
  const verdict = (decision: CaseResult['decision'], reason: string, missing: string[] = []): RunVerdict => ({
    result: {
      id: `run-${String(r.run).padStart(3, '0')}`,
      category: r.plan.category,
      kind: 'benign',
      tool: 'session-store',
      input,
      expect: 'allow',
      decision,
      reason,
      rule: null,
      ruleFile: null,
      pass: decision === 'allow',
      file: o.file,
      line: o.line,
    },
    missing,
    loadFailed: r.reader.kind === 'load-failure',
  });

  const loaded = r.reader;
  const writerWrong = writerError(r, o.timeoutMs);
  if (writerWrong) return verdict('error', writerWrong);
  if (loaded.kind === 'error') return verdict('error', loaded.detail);
  if (loaded.kind === 'load-failure') return verdict('deny', `store did not load: ${loaded.detail}`);

  input.recovered = loaded.ids.size;
  if (loaded.damage) input.damage = loaded.damage;
  const damage = loaded.damage ? `; reader reported damage: ${loaded.damage}` : '';
  const missing = acked.slice(0, r.ackedSoFar).filter((id) => !loaded.ids.has(id));
  if (missing.length) {
    const fresh = missing.filter((id) => !knownLost.has(id));
    const earlier = missing.filter((id) => knownLost.has(id));
    const which = earlier.length ? ` (${fresh.length} newly, ${earlier.length} lost earlier)` : '';
    const ids = listIds([...fresh, ...earlier]);
    return verdict(
      'deny',
      `lost ${missing.length} of ${r.ackedSoFar} acknowledged record(s)${which}: ${ids}${damage}`,
      missing,
    );
  }
  const crash = writerCrash(r);
  if (crash) return verdict('deny', `${crash}${damage}`);
  return verdict(
    'allow',
    `all ${r.ackedSoFar} acknowledged record(s) recovered (${w.acked.length} acked in this run)${damage}`,
  );
}
