import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { projectRoot } from './project-root.js';

interface BaselineArgs {
  path: string;
  config?: string;
  adapter?: string;
  corpus?: string[];
  force: boolean;
  quiet: boolean;
}

export const baselineCommand = defineCommand<BaselineArgs>({
  command: 'baseline [path]',
  shortRun: true,
  describe:
    'Record the audit and eval results in .plumbline/baseline.json for plumbline ci to compare against',
  builder: (y) =>
    y
      .positional('path', { type: 'string', default: '.', describe: 'Project folder' })
      .option('config', { type: 'string', describe: 'Project config file' })
      .option('adapter', { type: 'string', describe: 'claude-settings | module:PATH | command:CMD' })
      .option('corpus', { type: 'string', array: true, describe: 'Extra corpus file(s)' })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Replace a baseline this version cannot read (the old file is kept as baseline.json.bak)',
      })
      .option('quiet', { alias: 'q', type: 'boolean', default: false })
      .example('$0 baseline .', 'Record the current state; commit .plumbline/baseline.json') as never,
  handler: async (args) => {
    const root = projectRoot(args.path);
    const [{ recordBaseline }, { packageVersion }, { formatBaselineSummary }] = await Promise.all([
      import('../ci/record-baseline.js'),
      import('./version.js'),
      import('../ci/format/baseline-summary.js'),
    ]);
    const recorded = await recordBaseline({
      root,
      version: packageVersion(),
      configPath: args.config,
      adapter: args.adapter,
      corpora: args.corpus,
      force: args.force,
    });
    if (!args.quiet) process.stdout.write(formatBaselineSummary(recorded));
    return ExitCode.Ok;
  },
});
