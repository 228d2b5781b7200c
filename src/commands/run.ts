import yargs, { type Argv } from 'yargs';
import { UsageError } from '../core/errors.js';
import { ExitCode } from './exit-codes.js';
import { commands } from './index.js';
import { tuneForShortRun } from './short-run.js';

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
        if (c.shortRun) tuneForShortRun();
        exit = await c.handler(args as never);
      },
    });
  }
  skipEagerHelp(program);
  try {
    await program.parseAsync();
    return exit;
  } catch (err) {
    return reportError(err);
  }
}

/** What `skipEagerHelp` reaches inside yargs; not in its public types, so every step is checked. */
interface YargsInternals {
  getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } | undefined;
}

/**
 * yargs formats a command's whole help text as soon as its handler starts, in case the handler shows help
 * later. None of ours does and a failure prints its message, not the help, so that formatting (text
 * wrapping of every option, on every run) is skipped. `--help` formats its own text and is unaffected.
 * If a yargs release moves these internals, this does nothing.
 */
function skipEagerHelp(program: Argv): void {
  const usage = (program as unknown as YargsInternals).getInternalMethods?.()?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
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
