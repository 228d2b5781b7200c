import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { projectRoot } from './project-root.js';

interface AddArgs {
  primitive: string[];
  path: string;
  'dry-run': boolean;
  force: boolean;
}

export const addCommand = defineCommand<AddArgs>({
  command: 'add <primitive...>',
  describe: 'Add harness primitives (and what they require) to an existing TypeScript project',
  builder: (y) =>
    y
      .positional('primitive', {
        type: 'string',
        array: true,
        describe: 'Primitive id(s): tool-registry, permissions, session-persistence, …',
      })
      .option('path', { type: 'string', default: '.', describe: 'Project folder' })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'Print the files and their diffs; write nothing',
      })
      .option('force', { type: 'boolean', default: false, describe: 'Replace files that differ' })
      .example('$0 add permissions', 'A deny → ask → allow engine (and the tool registry it needs)')
      .example('$0 add token-budget streaming-events --dry-run', 'See the diffs first') as never,
  handler: async (args) => {
    const root = projectRoot(args.path);
    const [{ detectProject }, { loadTemplates }, plan, { scaffold }, { formatOutcome }] = await Promise.all([
      import('../scaffold/detect-project.js'),
      import('../scaffold/templates.js'),
      import('../scaffold/plan.js'),
      import('../scaffold/scaffold.js'),
      import('../scaffold/format.js'),
    ]);
    const layout = detectProject(root);
    const set = loadTemplates();
    const names = plan.checkRequested(set, args.primitive);
    for (const w of layout.warnings) process.stderr.write(`plumbline: note: ${w}\n`);
    const templates = plan.withRequirements(set, names);
    const outcome = scaffold({
      root,
      set,
      templates,
      layout,
      phase: plan.phaseOf(templates.map((t) => t.manifest.id)),
      force: args.force,
      dryRun: args['dry-run'],
      devDependencies: plan.testDevDependencies(set),
    });
    process.stdout.write(formatOutcome(outcome, { diffs: args['dry-run'] }));
    return outcome.conflicts.length > 0 && !args['dry-run'] ? ExitCode.CheckFailed : ExitCode.Ok;
  },
});
