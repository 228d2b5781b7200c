import type { PhaseId } from '../rubrics/ids.js';
import type { FileAction } from '../scaffold/scaffold.js';

export interface ScaffoldRequest {
  /** Absolute project folder (an existing TypeScript project). */
  root: string;
  /** Primitives to add (with what they require), as `plumbline add`; empty → what the audit lacks. */
  primitives: readonly string[];
  /** Without primitives: add what fails or is partial in this phase and the earlier ones, as `plumbline fix`. */
  phase: PhaseId;
  /** Write the files; otherwise a dry run. */
  confirm: boolean;
  /** Include unified diffs per file. */
  diffs: boolean;
}

export interface ScaffoldPlan {
  mode: 'add' | 'fix';
  dryRun: boolean;
  written: boolean;
  templates: string[];
  files: { path: string; template: string; action: FileAction; reason?: string; diff?: string }[];
  packageAdded: string[];
  /** Files that exist and differ: while there are any, nothing is written. */
  conflicts: string[];
  /** Primitives the audit found lacking that have no template (fix mode). */
  noTemplate: string[];
  notes: string[];
  /** What to do next, in one sentence. */
  next: string;
}

/**
 * The scaffold engine behind `plumbline add` / `fix`, as data: renders the plan, compares it with the disk
 * and writes only when confirmed and free of conflicts. Edited files are never replaced (there is no force
 * here; the CLI's `--force` is for a person to choose).
 */
export async function planScaffold(req: ScaffoldRequest): Promise<ScaffoldPlan> {
  const [{ detectProject }, { loadTemplates }, plan, { scaffold }] = await Promise.all([
    import('../scaffold/detect-project.js'),
    import('../scaffold/templates.js'),
    import('../scaffold/plan.js'),
    import('../scaffold/scaffold.js'),
  ]);
  const layout = detectProject(req.root);
  const set = loadTemplates();
  const mode = req.primitives.length > 0 ? 'add' : 'fix';
  let ids: string[];
  let noTemplate: string[] = [];
  let phase: PhaseId;
  if (mode === 'add') {
    ids = plan.checkRequested(set, req.primitives);
    phase = plan.phaseOf(ids);
  } else {
    const { audit } = await import('../core/audit.js');
    const report = await audit(req.root);
    const inScope = new Set<string>(plan.primitivesUpTo(req.phase));
    const lacking = report.primitives
      .filter((p) => inScope.has(p.id) && (p.status === 'fail' || p.status === 'partial'))
      .map((p) => p.id);
    ids = lacking.filter((id) => set.byId.has(id));
    noTemplate = lacking.filter((id) => !set.byId.has(id));
    phase = req.phase;
  }
  const base = { mode, noTemplate, notes: layout.warnings } as const;
  if (ids.length === 0)
    return {
      ...base,
      dryRun: !req.confirm,
      written: false,
      templates: [],
      files: [],
      packageAdded: [],
      conflicts: [],
      next: `nothing to add up to ${phase}: ${noTemplate.length === 0 ? 'every primitive passes or does not apply' : `no template for ${noTemplate.join(', ')}`}.`,
    };

  const outcome = scaffold({
    root: req.root,
    set,
    templates: plan.withRequirements(set, ids),
    layout,
    phase,
    force: false,
    dryRun: !req.confirm,
    devDependencies: plan.testDevDependencies(set),
  });
  const conflicts = outcome.conflicts.map((f) => f.path);
  const next =
    conflicts.length > 0
      ? `nothing can be written while ${conflicts.length} file(s) differ from what plumbline would write (${conflicts.join(', ')}): move the user's changes aside, or ask the user to run \`plumbline add --force\`.`
      : !req.confirm
        ? 'dry run, nothing written: show the user this plan, and call plan_scaffold again with confirm: true once they agree.'
        : outcome.written
          ? 'written: run `npm install && npm test` in the project, then audit it again.'
          : 'everything was already up to date; nothing written.';
  return {
    ...base,
    dryRun: outcome.dryRun,
    written: outcome.written,
    templates: outcome.templates,
    files: outcome.files.map((f) => ({
      path: f.path,
      template: f.template,
      action: f.action,
      ...(f.reason ? { reason: f.reason } : {}),
      ...(req.diffs && f.diff ? { diff: f.diff } : {}),
    })),
    packageAdded: outcome.packageAdded,
    conflicts,
    next,
  };
}
