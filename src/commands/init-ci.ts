import { displayPath } from '../core/display-path.js';
import { UsageError } from '../core/errors.js';
import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { projectRoot } from './project-root.js';

interface InitCiArgs {
  provider?: 'github';
  path: string;
  'pre-commit': boolean;
  force: boolean;
}

export const initCiCommand = defineCommand<InitCiArgs>({
  command: 'init-ci [provider]',
  describe: 'Write a CI workflow (github) and/or a git pre-commit hook that run plumbline ci',
  builder: (y) =>
    y
      .positional('provider', { choices: ['github'] as const, describe: 'CI to write a workflow for' })
      .option('path', { type: 'string', default: '.', describe: 'Project folder (inside the repository)' })
      .option('pre-commit', { type: 'boolean', default: false, describe: 'Write .git/hooks/pre-commit' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace files that already exist' })
      .example('$0 init-ci github', 'Write .github/workflows/plumbline.yml')
      .example('$0 init-ci --pre-commit', 'Check every commit locally') as never,
  handler: async (args) => {
    const root = projectRoot(args.path);
    const { installHook, installWorkflow } = await import('../ci/init-ci.js');
    const wanted = [
      ...(args.provider || !args['pre-commit'] ? [() => installWorkflow(root, { force: args.force })] : []),
      ...(args['pre-commit'] ? [() => installHook(root, { force: args.force })] : []),
    ];
    const kept: string[] = [];
    for (const install of wanted) {
      const { path, written } = await install();
      if (written) process.stdout.write(`wrote ${displayPath(path)}\n`);
      else kept.push(displayPath(path));
    }
    if (kept.length)
      throw new UsageError(
        `${kept.join(' and ')} already exist${kept.length === 1 ? 's' : ''}; left unchanged`,
        {
          hint: 'compare it with what plumbline would write, or pass --force to replace it',
        },
      );
    return ExitCode.Ok;
  },
});
