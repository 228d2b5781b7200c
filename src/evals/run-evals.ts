import { dirname, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { UsageError } from '../core/errors.js';
import { ClaudeSettingsSimulator } from './adapters/claude-settings.js';
import { adapterSpecFor, createAdapter } from './adapters/index.js';
import { evalConfigOf } from './config.js';
import { type EvalReport, ruleFindings, type SuiteResult, suiteFailed } from './report.js';
import { metricsOf, runCorpusSuite } from './run-corpus.js';
import { loadCorpora, SPECIAL_SUITES } from './suites.js';

export interface RunEvalsOptions {
  projectRoot: string;
  loaded: LoadedConfig;
  version: string;
  suites?: readonly string[];
  corpora?: readonly string[];
  adapter?: string;
  /** Runs a special suite (session-recovery, behavior); absent ones are reported as skipped. */
  special?: Partial<
    Record<(typeof SPECIAL_SUITES)[number], (root: string, explicit: boolean) => Promise<SuiteResult>>
  >;
}

function skipped(id: string, notice: string): SuiteResult {
  return { id, adapter: '-', status: 'skipped', notice, cases: [], metrics: metricsOf([]), categories: [] };
}

/** Runs the selected suites against the project's permission engine. Pure of output: returns a report. */
export async function runEvals(o: RunEvalsOptions): Promise<EvalReport> {
  const root = resolve(o.projectRoot);
  const config = evalConfigOf(o.loaded);
  const corpora = loadCorpora({
    projectRoot: root,
    configDir: o.loaded.path ? dirname(o.loaded.path) : root,
    config,
    extra: o.corpora ?? [],
  });
  const known = [...corpora.keys(), ...SPECIAL_SUITES];
  const wanted = o.suites?.length
    ? [...o.suites]
    : (config.suites ?? [
        ...corpora.keys(),
        ...SPECIAL_SUITES.filter((s) => (s === 'session-recovery' ? config.sessionStore : config.behavior)),
      ]);
  for (const s of wanted)
    if (!known.includes(s))
      throw new UsageError(`unknown suite "${s}"`, { hint: `Known suites: ${known.join(', ')}.` });

  const results: SuiteResult[] = [];
  const corpusSuites = wanted.filter((s) => corpora.has(s));
  if (corpusSuites.length) {
    const spec = adapterSpecFor(o.adapter, config, root);
    const adapter = await createAdapter(spec, root, config);
    try {
      for (const id of corpusSuites) {
        const r = await runCorpusSuite(id, corpora.get(id)!, adapter);
        results.push({ ...r, status: 'ran' });
      }
    } finally {
      await adapter.close();
    }
  }
  for (const id of wanted.filter((s) => (SPECIAL_SUITES as readonly string[]).includes(s))) {
    const runner = o.special?.[id as (typeof SPECIAL_SUITES)[number]];
    results.push(
      runner
        ? await runner(root, Boolean(o.suites?.includes(id)))
        : skipped(id, `the ${id} suite is not configured for this project`),
    );
  }

  // Rule lines come from the simulator when it decided; other adapters name their own files.
  let sim: ClaudeSettingsSimulator | undefined;
  const lineOf = (rule: string, file: string) => {
    sim ??= (() => {
      try {
        return new ClaudeSettingsSimulator(root, config.claudeSettings ?? {});
      } catch {
        return undefined;
      }
    })();
    return sim?.settings.rules.find((r) => r.raw === rule && r.source.file === file)?.source.line;
  };
  const findings = ruleFindings(results, lineOf);
  return {
    schemaVersion: 1,
    tool: { name: 'plumbline', version: o.version },
    target: o.projectRoot,
    suites: results,
    findings,
    ok: !results.some(suiteFailed),
  };
}
