import { SEVERITIES, type Severity } from '../rubrics/ids.js';
import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { useColor, writeOutput } from './output.js';
import { projectRoot } from './project-root.js';

interface CiArgs {
  path: string;
  base?: string;
  all: boolean;
  'fail-on'?: Severity;
  config?: string;
  adapter?: string;
  corpus?: string[];
  sarif?: string;
  junit?: string;
  json?: string;
  markdown?: string;
  quiet: boolean;
}

export const ciCommand = defineCommand<CiArgs>({
  command: 'ci [path]',
  shortRun: true,
  describe:
    'Guard a change: re-check the harness areas it touches and fail only on regressions from the baseline',
  builder: (y) =>
    y
      .positional('path', { type: 'string', default: '.', describe: 'Project folder' })
      .option('base', {
        type: 'string',
        describe: 'Git revision to compare with (default: origin/$GITHUB_BASE_REF when set)',
      })
      .option('all', {
        type: 'boolean',
        default: false,
        describe: 'Run the audit and every suite, whatever changed',
      })
      .option('fail-on', {
        choices: SEVERITIES,
        describe: 'Fail on a new finding at or above this severity (default: the config, else high)',
      })
      .option('config', { type: 'string', describe: 'Project config file' })
      .option('adapter', { type: 'string', describe: 'claude-settings | module:PATH | command:CMD' })
      .option('corpus', { type: 'string', array: true, describe: 'Extra corpus file(s)' })
      .option('sarif', {
        type: 'string',
        describe: 'Write SARIF 2.1.0 (audit findings, allowed attacks) here',
      })
      .option('junit', { type: 'string', describe: 'Write JUnit XML here' })
      .option('json', { type: 'string', describe: 'Write the full outcome as JSON here' })
      .option('markdown', {
        type: 'string',
        describe: 'Write the Markdown summary here (also appended to $GITHUB_STEP_SUMMARY when set)',
      })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on stdout' })
      .example('$0 ci . --base origin/main', 'Check what this branch changed against the baseline')
      .example('$0 ci . --base HEAD', 'Check uncommitted changes (a pre-commit hook)')
      .example(
        '$0 ci . --all --sarif plumbline.sarif --junit plumbline.xml',
        'Everything, with reports',
      ) as never,
  handler: async (args) => {
    const root = projectRoot(args.path);
    const [{ runCi }, { packageVersion }] = await Promise.all([
      import('../ci/run-ci.js'),
      import('./version.js'),
    ]);
    const version = packageVersion();
    const result = await runCi({
      root,
      base: args.base,
      all: args.all,
      failOn: args['fail-on'],
      configPath: args.config,
      adapter: args.adapter,
      corpora: args.corpus,
      version,
    });
    const { writeCiOutputs } = await import('../ci/outputs.js');
    await writeCiOutputs(result, version, {
      sarif: args.sarif,
      junit: args.junit,
      json: args.json,
      markdown: args.markdown,
      write: writeOutput,
    });
    if (!args.quiet) {
      const { formatCiText } = await import('../ci/format/text.js');
      process.stdout.write(formatCiText(result, useColor()));
    }
    return result.failed ? ExitCode.CheckFailed : ExitCode.Ok;
  },
});
