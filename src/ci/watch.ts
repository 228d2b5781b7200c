import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditOptions } from '../core/audit.js';
import type { Report } from '../core/report.js';
import type { EvalReport } from '../evals/report.js';
import { planChecks } from './areas.js';
import { type AuditSnapshot, auditSnapshot, type EvalSnapshot, evalSnapshot } from './baseline.js';
import { evalAdapterOf, runProjectEvals } from './project-evals.js';
import { type AllowedAttack, allowedAttacks, type Comparison, compareWithBaseline } from './regressions.js';
import { watchTree } from './watch-tree.js';

export interface WatchUpdate {
  /** Files that changed since the last run (empty for the first run). */
  changed: string[];
  report: Report;
  /** Present when corpus suites ran in this round. */
  evals?: EvalReport;
  attacksAllowed: AllowedAttack[];
  /** What moved since the previous run; absent for the first run. */
  changes?: Comparison;
  ms: number;
}

export interface WatchOptions {
  version: string;
  onUpdate: (u: WatchUpdate) => void;
  /** A run that failed (a broken config mid-edit, say); watching goes on. */
  onError?: (e: unknown) => void;
  /** Called once the watchers are in place (the first run is done). */
  onReady?: () => void;
  signal: AbortSignal;
  debounceMs?: number;
  configPath?: string;
  adapter?: string;
  corpora?: readonly string[];
  auditOptions?: Omit<AuditOptions, 'configPath'>;
}

interface State {
  audit: AuditSnapshot;
  evals: EvalSnapshot;
}

/**
 * Audits the project, then re-audits on every change (debounced), re-running the corpus suites when a
 * permission area changed, and reports what moved since the previous run. Resolves when `signal` aborts.
 */
export async function watchProject(root: string, o: WatchOptions): Promise<void> {
  const [{ audit }, { loadConfigFile, loadProjectConfig }, { evalConfigOf }] = await Promise.all([
    import('../core/audit.js'),
    import('../config/load.js'),
    import('../evals/config.js'),
  ]);
  let state: State | undefined;

  const round = async (changed: string[]) => {
    const started = Date.now();
    const loaded = o.configPath ? loadConfigFile(o.configPath) : loadProjectConfig(root);
    const evalConfig = evalConfigOf(loaded);
    const report = await audit(root, { ...o.auditOptions, configPath: o.configPath, cwd: root });
    const plan = planChecks({
      changes: changed.map((path) => ({ path, kind: existsSync(join(root, path)) ? 'modified' : 'deleted' })),
      baseline: state?.audit,
      configAreas: evalConfig.areas,
    });
    const runSuites = !state || plan.allSuites || plan.groups.has('corpus') || plan.suites.size > 0;
    const adapter = evalAdapterOf(root, evalConfig, o.adapter);
    const evals =
      adapter && runSuites
        ? await runProjectEvals({
            root,
            loaded,
            version: o.version,
            adapter: o.adapter,
            corpora: o.corpora,
            // Watching is for the fast loop: corpus suites only, never a model or a store writer.
            select: (configured, special) => configured.filter((s) => !special.includes(s)),
          })
        : undefined;
    const next: State = {
      audit: auditSnapshot(report),
      evals: evals ? evalSnapshot(evals) : (state?.evals ?? {}),
    };
    const attacks = evals ? allowedAttacks(evals) : [];
    const changes = state
      ? compareWithBaseline(
          { schemaVersion: 1, plumbline: o.version, audit: state.audit, evals: state.evals },
          { audit: next.audit, evals: evals ? next.evals : undefined, attacksAllowed: attacks },
          'info',
        )
      : undefined;
    // Allowed attacks are shown as the current state on every run (see `attacksAllowed`), not as a change.
    if (changes) changes.regressions = changes.regressions.filter((x) => x.kind !== 'attack-allowed');
    state = next;
    o.onUpdate({ changed, report, evals, attacksAllowed: attacks, changes, ms: Date.now() - started });
  };

  const guarded = async (changed: string[]) => {
    try {
      await round(changed);
    } catch (e) {
      o.onError?.(e);
    }
  };

  if (o.signal.aborted) return;
  // The first run's errors are the caller's (a bad path or config); later ones are reported and survived.
  await round([]);
  if (o.signal.aborted) return;

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const flush = () => {
    timer = undefined;
    if (running || pending.size === 0 || o.signal.aborted) return;
    const changed = [...pending].sort();
    pending.clear();
    running = guarded(changed).finally(() => {
      running = undefined;
      // Changes that arrived during the run get their own round.
      if (pending.size) flush();
    });
  };
  const tree = watchTree(root, (rel) => {
    pending.add(rel);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, o.debounceMs ?? 200);
  });
  o.onReady?.();
  await new Promise<void>((resolve) => o.signal.addEventListener('abort', () => resolve(), { once: true }));
  if (timer) clearTimeout(timer);
  tree.close();
  await running;
}
