import { z } from 'zod';
import type { LoadedConfig } from '../config/load.js';
import { inFile, issuesError, validateLocated } from '../core/zod-errors.js';

/** The `eval` section of plumbline.config: how a project's harness is asked for decisions, and what runs. */
export const EvalConfigSchema = z
  .object({
    /** `claude-settings`, `module:PATH` (exports decide) or `command:CMD` (JSON lines). */
    adapter: z
      .string()
      .regex(/^(claude-settings|module:.+|command:.+)$/, 'use claude-settings, module:PATH or command:CMD')
      .optional(),
    /** Suites `plumbline eval` runs when no --suite is given. */
    suites: z.array(z.string().min(1)).optional(),
    /** Extra corpus files, relative to the config. */
    corpora: z.array(z.string().min(1)).optional(),
    /** Set false to run only your own corpora. */
    builtinCorpora: z.boolean().optional(),
    /** Per-request timeout of module and command adapters, in milliseconds. */
    timeoutMs: z.number().int().positive().optional(),
    /** Environment variables passed to adapter processes (none by default: API keys stay out). */
    passEnv: z.array(z.string().min(1)).optional(),
    claudeSettings: z
      .object({
        userFile: z.string().optional(),
        managedFile: z.string().optional(),
        untrusted: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** Session-recovery suite: writer and reader speaking the store contract (docs/session-recovery.md). */
    sessionStore: z
      .object({
        /** `<writer> <store-dir>` appends records and prints `ack <id>` once each is durable. */
        writer: z.string().min(1),
        /** `<reader> <store-dir>` prints `{"ids": [...]}` of what it loads; exits non-zero when it cannot. */
        reader: z.string().min(1),
        /** Kill-and-reload cycles on one store (default 200). */
        runs: z.number().int().positive().optional(),
        /** `PLUMBLINE_RECORDS`: a writer stops by itself after this many records (default 1000). */
        records: z.number().int().positive().optional(),
        /** Per writer and reader process, in milliseconds (default 10000). */
        timeoutMs: z.number().int().positive().optional(),
        /** Replays a kill schedule printed in an earlier result. */
        seed: z.number().int().min(0).max(4294967295).optional(),
        /** The store under test, relative to the config; a fresh temporary directory when absent. */
        storeDir: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** Behavioural suites through promptfoo. */
    behavior: z
      .object({
        /** The agent under test: reads the task on stdin, prints its transcript as JSON lines. */
        agent: z.string().min(1),
        /** promptfoo configs, relative to the config (default: plumbline's adversarial suite). */
        configs: z.array(z.string().min(1)).min(1).optional(),
        /** Variables that prove a model is reachable; none set → the suite is skipped, never passed. */
        keyEnv: z.array(z.string().min(1)).optional(),
        timeoutMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /** Extra globs mapping files to harness areas for `plumbline ci` (area → globs). */
    areas: z.record(z.string(), z.array(z.string().min(1))).optional(),
  })
  .strict();

export type EvalConfig = z.infer<typeof EvalConfigSchema>;

/** Validates the `eval` section; problems point at the config file's line and column. */
export function evalConfigOf(loaded: LoadedConfig): EvalConfig {
  const raw = loaded.config.eval;
  if (raw === undefined || raw === null) return {};
  const doc = {
    value: raw,
    positionOf: (p: readonly PropertyKey[], key?: boolean) => loaded.positionOf(['eval', ...p], key),
  };
  const checked = validateLocated(EvalConfigSchema, doc);
  if (!checked.ok) throw issuesError(inFile(loaded.display ?? 'plumbline config', checked.issues));
  return checked.value;
}
