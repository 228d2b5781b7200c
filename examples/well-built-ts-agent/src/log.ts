import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Structured logs: one JSON object per line, for operators and log pipelines. Every record carries the
 * session, run, turn and tool-call ids (null where they do not apply), attribute names follow the
 * OpenTelemetry GenAI conventions (`gen_ai.operation.name`, `gen_ai.tool.name`, …), and secrets are
 * redacted before anything is written.
 */

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LogContext {
  sessionId: string;
  runId?: string;
  turn?: number;
  toolUseId?: string;
}

export type Attributes = Record<string, unknown>;

export interface Logger {
  debug(event: string, attributes?: Attributes): void;
  info(event: string, attributes?: Attributes): void;
  warn(event: string, attributes?: Attributes): void;
  error(event: string, attributes?: Attributes): void;
  /** A logger whose records also carry these ids. */
  child(context: Partial<LogContext>): Logger;
}

export interface Sink {
  write(line: string): void;
}

/** Appends to a file, one synchronous write per record so lines stay whole and ordered. */
export function fileSink(path: string): Sink {
  mkdirSync(dirname(path), { recursive: true });
  return { write: (line) => appendFileSync(path, line, { mode: 0o600 }) };
}

export const stderrSink: Sink = { write: (line) => process.stderr.write(line) };

export function createLogger(sink: Sink, context: LogContext): Logger {
  const write = (level: Level, event: string, attributes: Attributes = {}) => {
    sink.write(
      `${JSON.stringify({
        time: new Date().toISOString(),
        level,
        event,
        sessionId: context.sessionId,
        runId: context.runId ?? null,
        turn: context.turn ?? null,
        toolUseId: context.toolUseId ?? null,
        ...(redact(attributes) as Attributes),
      })}\n`,
    );
  };
  return {
    debug: (event, attributes) => write('debug', event, attributes),
    info: (event, attributes) => write('info', event, attributes),
    warn: (event, attributes) => write('warn', event, attributes),
    error: (event, attributes) => write('error', event, attributes),
    child: (more) => createLogger(sink, { ...context, ...more }),
  };
}

const SECRET_KEY = /(^|[._-])(api[._-]?key|authorization|cookie|password|passwd|secret|token|access[._-]?token|private[._-]?key)$/i;
const SECRET_VALUE = /\b(sk-ant-[\w-]{8,}|sk-[\w-]{20,}|ghp_\w{20,}|github_pat_\w{20,}|xox[abp]-[\w-]{10,}|AKIA[0-9A-Z]{16})/g;

/** Replaces values under secret-looking keys, and key-shaped strings anywhere, with "[redacted]". */
export function redact(value: unknown, key = ''): unknown {
  if (key && SECRET_KEY.test(key)) return '[redacted]';
  if (typeof value === 'string') return value.replace(SECRET_VALUE, '[redacted]');
  if (Array.isArray(value)) return value.map((item) => redact(item));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  return value;
}
