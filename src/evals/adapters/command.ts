import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type Adapter, type AdapterResult, checkResponse, type DecisionRequest } from '../protocol.js';
import { scrubbedEnv } from './scrubbed-env.js';

export interface CommandAdapterOptions {
  cwd: string;
  /** Per request. */
  timeoutMs?: number;
  /** Extra environment variable names to pass through (API keys only when configured). */
  passEnv?: readonly string[];
}

interface Pending {
  id: number;
  resolve: (r: AdapterResult) => void;
  timer: NodeJS.Timeout;
}

/**
 * A long-lived process speaking JSON lines: one request per line on stdin, one response per line on
 * stdout, in order (an `id` is sent and, when echoed back, used to match). A crash, a timeout or a line
 * that is not a response becomes an error result for that request; the next request starts a new process.
 */
export function commandAdapter(command: string, options: CommandAdapterOptions): Adapter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let child: ChildProcess | undefined;
  let pending: Pending[] = [];
  let nextId = 1;
  let stderrTail = '';

  const failAll = (why: string) => {
    const waiting = pending;
    pending = [];
    for (const p of waiting) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: why });
    }
  };

  const stop = (c: ChildProcess | undefined) => {
    if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };

  const start = (): ChildProcess => {
    stderrTail = '';
    const c = spawn(command, {
      cwd: options.cwd,
      shell: true,
      env: scrubbedEnv(options.passEnv),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: false,
    });
    c.stdin?.on('error', () => {}); // EPIPE after a crash is reported through 'exit'
    c.stderr?.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString()).slice(-400);
    });
    const lines = createInterface({ input: c.stdout! });
    lines.on('line', (line) => {
      if (!line.trim()) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        const p = pending.shift();
        if (p) {
          clearTimeout(p.timer);
          p.resolve({ ok: false, error: `adapter printed a line that is not JSON: ${line.slice(0, 120)}` });
        }
        return;
      }
      const echoed = (parsed as { id?: unknown } | null)?.id;
      const index = typeof echoed === 'number' ? pending.findIndex((p) => p.id === echoed) : 0;
      const p = pending.splice(Math.max(index, 0), 1)[0];
      if (!p) return;
      clearTimeout(p.timer);
      p.resolve(checkResponse(parsed));
    });
    c.on('error', (e) => {
      if (child === c) child = undefined;
      failAll(`adapter command failed to start: ${e.message}`);
    });
    c.on('exit', (code, signal) => {
      if (child === c) child = undefined;
      const tail = stderrTail.trim().split('\n').slice(-2).join(' | ');
      failAll(`adapter exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}`);
    });
    return c;
  };

  return {
    id: `command:${command}`,
    decide(request: DecisionRequest): Promise<AdapterResult> {
      if (!child) child = start();
      const c = child;
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending = pending.filter((p) => p.id !== id);
          resolve({ ok: false, error: `adapter gave no answer within ${timeoutMs} ms` });
          // Its later output could be misattributed: start afresh.
          if (child === c) child = undefined;
          stop(c);
        }, timeoutMs);
        pending.push({ id, resolve, timer });
        c.stdin?.write(`${JSON.stringify({ id, ...request })}\n`);
      });
    },
    async close() {
      const c = child;
      child = undefined;
      if (!c) return;
      c.stdin?.end();
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          stop(c);
          resolve();
        }, 500);
        c.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        if (c.exitCode !== null || c.signalCode !== null) {
          clearTimeout(t);
          resolve();
        }
      });
      failAll('adapter closed');
    },
  };
}
