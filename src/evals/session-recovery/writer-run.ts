import { performance } from 'node:perf_hooks';
import { acksNeeded, type KillPlan } from './kill-plan.js';
import { type Finished, startStoreCommand } from './store-process.js';

export interface WriterRunOptions {
  command: string;
  storeDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  plan: KillPlan;
  /** The writer is killed this long after spawn whatever the plan says. */
  timeoutMs: number;
}

export interface WriterRun {
  /** Ids from complete `ack <id>` lines, in order, including lines read after the kill. */
  acked: string[];
  /** Milliseconds from spawn to the first ack. */
  firstAckMs?: number;
  /** Milliseconds from spawn to the SIGKILL; undefined when the writer ended by itself. */
  killedAtMs?: number;
  /** The plan could not be carried out in time (no ack, or too few). */
  timedOut: boolean;
  finished: Finished;
}

const ACK = /^ack (\S+)\s*$/;

/** Starts the writer and SIGKILLs it at the moment the plan names; every ack it printed counts. */
export async function runWriter(o: WriterRunOptions): Promise<WriterRun> {
  const acked: string[] = [];
  let firstAckMs: number | undefined;
  let killedAtMs: number | undefined;
  let timedOut = false;
  let pending = '';
  const timers: NodeJS.Timeout[] = [];
  const start = performance.now();

  const kill = () => {
    if (killedAtMs !== undefined) return;
    killedAtMs = performance.now() - start;
    proc.kill();
  };
  const killAfter = (ms: number) => {
    // Timers round up to a millisecond; a sub-millisecond kill happens now instead.
    if (ms < 1) kill();
    else timers.push(setTimeout(kill, ms));
  };

  const onAck = (id: string) => {
    acked.push(id);
    if (acked.length === 1) {
      firstAckMs = performance.now() - start;
      if (o.plan.category === 'kill-during-append') killAfter(o.plan.afterFirstAckMs);
    }
    if (o.plan.category === 'kill-after-ack' && acked.length === o.plan.ack) kill();
  };

  const proc = startStoreCommand(o.command, o.storeDir, {
    cwd: o.cwd,
    env: o.env,
    onStdout(chunk) {
      const lines = (pending + chunk).split('\n');
      // Only newline-terminated lines are acks: a fragment cut by the kill claims nothing.
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = ACK.exec(line);
        if (m) onAck(m[1]!);
      }
    },
  });
  if (o.plan.category === 'kill-during-resume') killAfter(o.plan.afterSpawnMs);
  timers.push(
    setTimeout(() => {
      timedOut = acked.length < acksNeeded(o.plan);
      kill();
    }, o.timeoutMs),
  );

  const finished = await proc.finished;
  for (const t of timers) clearTimeout(t);
  return { acked, firstAckMs, killedAtMs, timedOut, finished };
}
