import yargs from 'yargs';
import { UsageError } from '../core/errors.js';
import { ExitCode } from './exit-codes.js';
import { commands } from './index.js';

/** Builds the yargs program, runs one command and maps every failure to an exit code. Never throws. */
export async function run(argv: string[], version: string): Promise<number> {
  let exit: number = ExitCode.Ok;
  const program = yargs(argv)
    .scriptName('plumbline')
    .usage('$0 <command> [options]\n\nAudit, scaffold and guard the harness of an AI agent.')
    .version(version)
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .strict()
    .demandCommand(1, 'Name a command, for example: plumbline audit .')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 ok · 1 the check failed · 2 unusable arguments, config or rubric.')
    .fail((msg, err) => {
      throw err ?? new UsageError(msg ?? 'invalid arguments', { hint: 'Run plumbline --help for usage.' });
    });
  for (const c of commands) {
    program.command({
      command: c.command,
      describe: c.describe,
      builder: c.builder,
      handler: async (args) => {
        exit = await c.handler(args as never);
      },
    });
  }
  try {
    await program.parseAsync();
    return exit;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`plumbline: ${err.message}\n`);
    if (err.hint) process.stderr.write(`  hint: ${err.hint}\n`);
    return ExitCode.Usage;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`plumbline: internal error: ${e.message}\n`);
  if (process.env.PLUMBLINE_DEBUG) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write('  Set PLUMBLINE_DEBUG=1 for a stack trace, and please report it.\n');
  return ExitCode.Usage;
}
