import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { EvalConfig } from '../evals/config.js';
import type { EvalReport } from '../evals/report.js';

/**
 * The adapter the project's evals would use, or undefined when it has no eval setup: the flag, the
 * config's `eval.adapter`, or the Claude Code settings simulator when `.claude/` exists.
 */
export function evalAdapterOf(root: string, config: EvalConfig, flag?: string): string | undefined {
  return flag ?? config.adapter ?? (existsSync(join(root, '.claude')) ? 'claude-settings' : undefined);
}

export interface ProjectEvalOptions {
  root: string;
  loaded: LoadedConfig;
  version: string;
  adapter?: string;
  corpora?: readonly string[];
  /** Picks the suites to run out of the configured ones; all of them when absent. */
  select?: (configured: readonly string[], special: readonly string[]) => string[];
}

/** The suites `plumbline eval` would run by default, in its order. */
export async function configuredSuites(
  o: ProjectEvalOptions,
): Promise<{ suites: string[]; special: string[] }> {
  const [{ evalConfigOf }, { loadCorpora, SPECIAL_SUITES }] = await Promise.all([
    import('../evals/config.js'),
    import('../evals/suites.js'),
  ]);
  const config = evalConfigOf(o.loaded);
  const corpora = loadCorpora({
    projectRoot: o.root,
    configDir: o.loaded.path ? dirname(o.loaded.path) : o.root,
    config,
    extra: o.corpora ?? [],
  });
  const special = [...SPECIAL_SUITES];
  const suites = config.suites ?? [
    ...corpora.keys(),
    ...special.filter((s) => (s === 'session-recovery' ? config.sessionStore : config.behavior)),
  ];
  return { suites, special };
}

/** Runs the project's evals (all configured suites, or a selection); undefined when none is selected. */
export async function runProjectEvals(o: ProjectEvalOptions): Promise<EvalReport | undefined> {
  const { suites, special } = await configuredSuites(o);
  const selected = o.select ? o.select(suites, special) : suites;
  if (selected.length === 0) return undefined;
  const [{ runEvals }, { specialSuites }] = await Promise.all([
    import('../evals/run-evals.js'),
    import('../evals/special-suites.js'),
  ]);
  return runEvals({
    projectRoot: o.root,
    loaded: o.loaded,
    version: o.version,
    suites: selected,
    corpora: o.corpora,
    adapter: o.adapter,
    special: specialSuites(o.loaded),
  });
}
