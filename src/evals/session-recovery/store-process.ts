import { spawn } from 'node:child_process';

export interface StoreCommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Gets stdout chunk by chunk as it arrives: a writer's acks count from the moment they are printed. */
  onStdout?: (chunk: string) => void;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  spawnError?: string;
  /** The last part of stderr, for messages. */
  stderr: string;
}

export interface StoreProcess {
  /** SIGKILLs the command and everything it started: its whole process group. Safe to call twice. */
  kill(): void;
  readonly killed: boolean;
  /** Settles once the process has exited and its output is closed. */
  readonly finished: Promise<Finished>;
}

const STDERR_TAIL = 2000;
const ORPHAN_GRACE_MS = 1000;
const live = new Set<StoreProcess>();

/** Processes still running; the suite kills them when it ends (and when plumbline exits). */
export function killAllStoreProcesses(): void {
  for (const p of live) p.kill();
}

/** The shell's codes for "not found" and "not executable": the command never ran. */
export const isUnrunnable = (f: Finished): boolean =>
  f.spawnError !== undefined || f.code === 126 || f.code === 127;

/**
 * Runs `<command> <storeDir>` through `sh` in a process group of its own, so SIGKILL reaches the real
 * writer and not only the shell in front of it. The directory is passed as `"$1"`, never spliced into the
 * command text, so no quoting of paths is needed.
 */
export function startStoreCommand(command: string, storeDir: string, o: StoreCommandOptions): StoreProcess {
  const child = spawn('/bin/sh', ['-c', `${command} "$@"`, 'sh', storeDir], {
    cwd: o.cwd,
    env: o.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let spawnError: string | undefined;
  let killed = false;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  if (o.onStdout) child.stdout.on('data', o.onStdout);
  else child.stdout.resume();
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_TAIL);
  });

  const handle: StoreProcess = {
    kill() {
      killed = true;
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the whole group is gone already.
      }
      // A descendant that left the group could hold stdout open forever; stop waiting for it.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, ORPHAN_GRACE_MS).unref();
    },
    get killed() {
      return killed;
    },
    finished: new Promise<Finished>((resolve) => {
      let settled = false;
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        live.delete(handle);
        resolve({ code, signal, stderr: stderr.trim(), ...(spawnError ? { spawnError } : {}) });
      };
      child.on('error', (e) => {
        spawnError = e.message;
        settle(null, null);
      });
      // 'close' waits for stdout to end too, so no ack printed before the kill is missed.
      child.on('close', settle);
    }),
  };
  live.add(handle);
  return handle;
}
