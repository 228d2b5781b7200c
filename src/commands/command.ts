import type { Argv } from 'yargs';

/** One CLI command. Handlers return the exit code; they import heavy modules lazily. */
export interface Command<A = Record<string, unknown>> {
  command: string | string[];
  describe: string;
  builder: (y: Argv) => Argv<A>;
  handler: (args: A) => Promise<number>;
  /** The command ends within seconds (an audit): V8 is tuned for that before the handler runs. */
  shortRun?: boolean;
}

/** Erases a command's argument type so commands with different arguments share one list. */
export function defineCommand<A>(c: Command<A>): Command<unknown> {
  return c as unknown as Command<unknown>;
}
