import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { useColor } from './output.js';

interface DemoArgs {
  keep: boolean;
  dir?: string;
}

export const demoCommand = defineCommand<DemoArgs>({
  command: 'demo',
  describe:
    'The whole story on a copy of the naive example: audit, scaffold day-one, re-audit, guardrail evals',
  builder: (y) =>
    y
      .option('dir', {
        type: 'string',
        describe: 'Work in this (new or empty) folder instead of a temporary one',
      })
      .option('keep', { type: 'boolean', default: false, describe: 'Keep the temporary folder afterwards' })
      .example('$0 demo', 'Offline, no API key; takes a few seconds') as never,
  handler: async (args) => {
    const { runDemo } = await import('../demo/run-demo.js');
    const outcome = await runDemo({
      dir: args.dir,
      keep: args.keep,
      color: useColor(),
      write: (s) => process.stdout.write(s),
    });
    return outcome.ok ? ExitCode.Ok : ExitCode.CheckFailed;
  },
});
