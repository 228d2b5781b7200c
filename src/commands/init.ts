import { basename, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { PHASES, type PhaseId } from '../rubrics/ids.js';
import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';

interface InitArgs {
  dir: string;
  phase: PhaseId;
  name?: string;
  'dry-run': boolean;
  force: boolean;
}

const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** A package name from a folder name: `My Agent` → `my-agent`. */
function nameFrom(folder: string): string {
  const slug = folder
    .toLowerCase()
    .replace(/[^a-z0-9-._~]+/g, '-')
    .replace(/^[-._]+|-+$/g, '');
  return slug || 'agent';
}

export const initCommand = defineCommand<InitArgs>({
  command: 'init [dir]',
  describe:
    'Create a new agent project: a tested harness of every primitive up to a phase, and the agent loop',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', default: '.', describe: 'Folder to create the project in' })
      .option('phase', {
        choices: PHASES,
        default: 'day-one' as const,
        describe: 'Include every primitive of this phase and the earlier ones',
      })
      .option('name', { type: 'string', describe: 'Package name (default: from the folder name)' })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'Print the files and their diffs; write nothing',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Write into a non-empty folder and replace files that differ',
      })
      .example('$0 init my-agent', 'A day-one harness: tools, permissions, session, workflow state')
      .example(
        '$0 init my-agent --phase month-one --dry-run',
        'See everything a full harness would add',
      ) as never,
  handler: async (args) => {
    const root = resolve(args.dir);
    const name = args.name ?? nameFrom(basename(root));
    if (!NPM_NAME.test(name))
      throw new UsageError(`--name "${name}" is not a valid npm package name`, {
        hint: 'use lowercase letters, digits and dashes, for example: --name my-agent',
      });
    const [
      { loadTemplates },
      { primitivesUpTo, withRequirements },
      { scaffold },
      { formatOutcome },
      { checkTargetFolder },
    ] = await Promise.all([
      import('../scaffold/templates.js'),
      import('../scaffold/plan.js'),
      import('../scaffold/scaffold.js'),
      import('../scaffold/format.js'),
      import('../scaffold/target-folder.js'),
    ]);
    checkTargetFolder(root, args.dir);
    const set = loadTemplates();
    if (!set.byId.has('project'))
      throw new UsageError('the project template is missing from this plumbline installation', {
        hint: 'reinstall plumbline',
      });
    const wanted = ['project', ...primitivesUpTo(args.phase), 'agent-loop'];
    const missing = wanted.filter((id) => !set.byId.has(id));
    for (const id of missing)
      process.stderr.write(`plumbline: warning: no template for "${id}" yet; the project will lack it\n`);
    const templates = withRequirements(
      set,
      wanted.filter((id) => set.byId.has(id)),
    );
    const outcome = scaffold({
      root,
      set,
      templates,
      layout: { name, srcDir: 'src', testDir: 'test' },
      phase: args.phase,
      force: args.force,
      dryRun: args['dry-run'],
      freshProject: true,
    });
    const cdPath =
      root === process.cwd() ? undefined : /^[\w./@-]+$/.test(args.dir) ? args.dir : JSON.stringify(args.dir);
    process.stdout.write(formatOutcome(outcome, { diffs: args['dry-run'], cdPath }));
    return outcome.conflicts.length > 0 && !args['dry-run'] ? ExitCode.CheckFailed : ExitCode.Ok;
  },
});
