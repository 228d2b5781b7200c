import { PHASES, type PhaseId } from '../rubrics/ids.js';
import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { projectRoot } from './project-root.js';

interface FixArgs {
  path: string;
  phase: PhaseId;
  'dry-run': boolean;
  force: boolean;
}

export const fixCommand = defineCommand<FixArgs>({
  command: 'fix [path]',
  shortRun: true,
  describe: 'Audit a TypeScript project and add the primitives it lacks, up to a phase; then audit again',
  builder: (y) =>
    y
      .positional('path', { type: 'string', default: '.', describe: 'Project folder' })
      .option('phase', {
        choices: PHASES,
        default: 'day-one' as const,
        describe: 'Add what fails or is partial in this phase and the earlier ones',
      })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'Print the files and their diffs; write nothing',
      })
      .option('force', { type: 'boolean', default: false, describe: 'Replace files that differ' })
      .example('$0 fix .', 'Add every missing day-one primitive')
      .example('$0 fix . --phase week-one --dry-run', 'What reaching week-one would add') as never,
  handler: async (args) => {
    const root = projectRoot(args.path);
    const [
      { audit },
      { detectProject },
      { loadTemplates },
      plan,
      { scaffold },
      { formatOutcome },
      { fixTable },
    ] = await Promise.all([
      import('../core/audit.js'),
      import('../scaffold/detect-project.js'),
      import('../scaffold/templates.js'),
      import('../scaffold/plan.js'),
      import('../scaffold/scaffold.js'),
      import('../scaffold/format.js'),
      import('../scaffold/fix-table.js'),
    ]);
    const layout = detectProject(root);
    const set = loadTemplates();
    const before = await audit(root);
    const inScope = new Set<string>(plan.primitivesUpTo(args.phase));
    const lacking = before.primitives.filter(
      (p) => inScope.has(p.id) && (p.status === 'fail' || p.status === 'partial'),
    );
    const fixable = lacking.filter((p) => set.byId.has(p.id)).map((p) => p.id);
    const noTemplate = lacking.filter((p) => !set.byId.has(p.id)).map((p) => p.id);
    for (const id of noTemplate) process.stderr.write(`plumbline: warning: no template for "${id}" yet\n`);
    if (fixable.length === 0) {
      process.stdout.write(
        `nothing to add up to ${args.phase}: ${lacking.length === 0 ? 'every primitive passes or does not apply' : 'no template for what is missing'}.\n`,
      );
      return lacking.length === 0 ? ExitCode.Ok : ExitCode.CheckFailed;
    }
    for (const w of layout.warnings) process.stderr.write(`plumbline: note: ${w}\n`);
    const templates = plan.withRequirements(set, fixable);
    const outcome = scaffold({
      root,
      set,
      templates,
      layout,
      phase: args.phase,
      force: args.force,
      dryRun: args['dry-run'],
      devDependencies: plan.testDevDependencies(set),
    });
    process.stdout.write(formatOutcome(outcome, { diffs: args['dry-run'] }));
    if (!outcome.written)
      return outcome.conflicts.length > 0 && !args['dry-run'] ? ExitCode.CheckFailed : ExitCode.Ok;
    const after = await audit(root);
    const table = fixTable(before, after, [...inScope]);
    process.stdout.write(table.text);
    return table.complete ? ExitCode.Ok : ExitCode.CheckFailed;
  },
});
