import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { useColor, writeOutput } from './output.js';
import { projectRoot } from './project-root.js';

const FORMATS = ['text', 'json', 'junit', 'markdown'] as const;

interface EvalArgs {
  path: string;
  suite?: string[];
  corpus?: string[];
  adapter?: string;
  config?: string;
  format: (typeof FORMATS)[number];
  output?: string;
  verbose: boolean;
  quiet: boolean;
}

export const evalCommand = defineCommand<EvalArgs>({
  command: 'eval [path]',
  describe:
    'Run the guardrail evals: ask the permission engine about attack and benign cases (never runs them)',
  builder: (y) =>
    y
      .positional('path', { type: 'string', default: '.', describe: 'Project folder' })
      .option('suite', {
        type: 'string',
        array: true,
        describe: 'Suite(s) to run (default: the configured ones)',
      })
      .option('corpus', {
        type: 'string',
        array: true,
        describe: 'Extra corpus file(s), added to the configured ones',
      })
      .option('adapter', {
        type: 'string',
        describe: 'claude-settings | module:PATH | command:CMD (default: from the config)',
      })
      .option('config', { type: 'string', describe: 'Project config file' })
      .option('format', { alias: 'f', choices: FORMATS, default: 'text' as const })
      .option('output', { alias: 'o', type: 'string', describe: 'Write the results to a file' })
      .option('verbose', { alias: 'v', type: 'boolean', default: false })
      .option('quiet', { alias: 'q', type: 'boolean', default: false })
      .example('$0 eval .', 'All configured suites, deterministic')
      .example('$0 eval . --suite shell --format junit -o evals.xml', 'One suite as JUnit XML')
      .example(
        '$0 eval . --suite session-recovery',
        'SIGKILL the session-store writer 200 times; every acked record must survive',
      )
      .example(
        '$0 eval . --adapter "command:python3 harness/decide.py"',
        "Evaluate a Python harness's own engine",
      ) as never,
  handler: async (args) => {
    const root = projectRoot(args.path);
    const [{ runEvals }, { loadConfigFile, loadProjectConfig }, { specialSuites }, version] =
      await Promise.all([
        import('../evals/run-evals.js'),
        import('../config/load.js'),
        import('../evals/special-suites.js'),
        import('./version.js').then((m) => m.packageVersion()),
      ]);
    const loaded = args.config ? loadConfigFile(args.config) : loadProjectConfig(root);
    const report = await runEvals({
      projectRoot: args.path,
      loaded,
      version,
      suites: args.suite,
      corpora: args.corpus,
      adapter: args.adapter,
      special: specialSuites(loaded),
    });
    if (!args.quiet) {
      const toFile = args.output !== undefined && args.output !== '-';
      const { formatEval } = await import('../evals/format/index.js');
      writeOutput(
        formatEval(report, args.format, {
          color: !toFile && args.format === 'text' && useColor(),
          verbose: args.verbose,
        }),
        args.output,
      );
    }
    return report.ok ? ExitCode.Ok : ExitCode.CheckFailed;
  },
});
