import { isUnrunnable, startStoreCommand } from './store-process.js';

export interface ReaderRunOptions {
  command: string;
  storeDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** What loading the store gave: the four ways it can end are judged differently. */
export type ReaderOutcome =
  /** The store loaded; `damage` is the reader's own account of what it had to drop. */
  | { kind: 'loaded'; ids: Set<string>; damage?: string }
  /** The reader ran and said the store cannot be loaded: the store's fault. */
  | { kind: 'load-failure'; detail: string }
  /** The reader could not be run, hung, or broke the output contract: the harness's fault. */
  | { kind: 'error'; detail: string; unrunnable: boolean };

const MAX_STDOUT = 64 * 1024 * 1024;

function exitText(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return stderr ? `${how}: ${stderr.split('\n').slice(-3).join(' | ')}` : `${how} (nothing on stderr)`;
}

/** Parses the reader's answer: its last non-empty stdout line, `{"ids": [...], "damaged"?, "detail"?}`. */
export function parseReaderOutput(stdout: string): ReaderOutcome {
  const last = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop();
  const bad = (why: string): ReaderOutcome => ({
    kind: 'error',
    unrunnable: false,
    detail: `reader broke the contract: ${why} (expected one line {"ids": [...]})`,
  });
  if (last === undefined) return bad('it printed nothing');
  let value: unknown;
  try {
    value = JSON.parse(last);
  } catch {
    return bad(`its last line is not JSON: ${last.slice(0, 120)}`);
  }
  const answer = value as { ids?: unknown; damaged?: unknown; detail?: unknown } | null;
  if (typeof answer !== 'object' || answer === null || !Array.isArray(answer.ids))
    return bad('no "ids" array');
  if (!answer.ids.every((id) => typeof id === 'string' || typeof id === 'number'))
    return bad('"ids" holds something other than strings');
  const ids = new Set(answer.ids.map(String));
  if (answer.damaged !== true) return { kind: 'loaded', ids };
  return {
    kind: 'loaded',
    ids,
    damage: typeof answer.detail === 'string' && answer.detail ? answer.detail : 'damaged (no detail given)',
  };
}

/** Runs the reader on a (copy of the) store and says whether it loaded and which records it recovered. */
export async function runReader(o: ReaderRunOptions): Promise<ReaderOutcome> {
  let stdout = '';
  let overflow = false;
  const proc = startStoreCommand(o.command, o.storeDir, {
    cwd: o.cwd,
    env: o.env,
    onStdout(chunk) {
      if (stdout.length + chunk.length > MAX_STDOUT) {
        overflow = true;
        proc.kill();
      } else stdout += chunk;
    },
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill();
  }, o.timeoutMs);
  const f = await proc.finished;
  clearTimeout(timer);

  if (isUnrunnable(f))
    return {
      kind: 'error',
      unrunnable: true,
      detail: `reader command could not be run: ${f.spawnError ?? exitText(f.code, f.signal, f.stderr)}`,
    };
  if (timedOut)
    return { kind: 'error', unrunnable: false, detail: `reader gave no answer within ${o.timeoutMs} ms` };
  if (overflow) return { kind: 'error', unrunnable: false, detail: 'reader printed more than 64 MB' };
  if (f.code !== 0) return { kind: 'load-failure', detail: `reader ${exitText(f.code, f.signal, f.stderr)}` };
  return parseReaderOutput(stdout);
}
