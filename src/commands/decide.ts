import { UsageError } from '../core/errors.js';
import { PERMISSION_MODES, type PermissionMode } from '../evals/modes.js';
import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { useColor } from './output.js';
import { projectRoot } from './project-root.js';

interface DecideArgs {
  path: string;
  tool: string;
  input: string;
  mode?: PermissionMode;
  cwd?: string;
  adapter?: string;
  config?: string;
  format: 'text' | 'json';
}

function parseInput(raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new UsageError(`--input is not JSON: ${(e as Error).message}`, {
      hint: `Quote it for the shell, for example: --input '{"command":"git status"}'`,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError('--input must be a JSON object', {
      hint: `For example: --input '{"file_path":"src/a.ts"}'`,
    });
  return value as Record<string, unknown>;
}

export const decideCommand = defineCommand<DecideArgs>({
  command: 'decide [path]',
  describe: 'Ask the permission engine for one decision and explain it (nothing is executed)',
  builder: (y) =>
    y
      .positional('path', { type: 'string', default: '.', describe: 'Project folder' })
      .option('tool', {
        type: 'string',
        demandOption: true,
        describe: 'Tool name: Bash, Read, Edit, WebFetch, mcp__server__tool …',
      })
      .option('input', { type: 'string', demandOption: true, describe: 'Tool input as JSON' })
      .option('mode', { choices: PERMISSION_MODES, describe: 'Permission mode of the request' })
      .option('cwd', { type: 'string', describe: 'Working directory of the request (default: the project)' })
      .option('adapter', { type: 'string', describe: 'claude-settings | module:PATH | command:CMD' })
      .option('config', { type: 'string', describe: 'Project config file' })
      .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const })
      .example(
        `$0 decide --tool Bash --input '{"command":"git push --force"}' .`,
        'One decision, explained',
      ) as never,
  handler: async (args) => {
    const root = projectRoot(args.path);
    const input = parseInput(args.input);
    const [{ loadConfigFile, loadProjectConfig }, { evalConfigOf }, { adapterSpecFor }, { decideOnce }] =
      await Promise.all([
        import('../config/load.js'),
        import('../evals/config.js'),
        import('../evals/adapters/index.js'),
        import('../evals/decide-once.js'),
      ]);
    const config = evalConfigOf(args.config ? loadConfigFile(args.config) : loadProjectConfig(root));
    const request = {
      tool: args.tool,
      input,
      context: { ...(args.mode ? { mode: args.mode } : {}), ...(args.cwd ? { cwd: args.cwd } : {}) },
    };
    const d = await decideOnce(root, config, adapterSpecFor(args.adapter, config, root), request);
    if (args.format === 'json') {
      const { trace: _trace, ...out } = d;
      process.stdout.write(`${JSON.stringify(out)}\n`);
    } else {
      const color = useColor();
      const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
      const word =
        d.decision === 'allow'
          ? paint('32', 'ALLOW')
          : d.decision === 'deny'
            ? paint('31', 'DENY')
            : paint('33', 'ASK');
      const lines = [`${word}  ${args.tool} ${args.input}`, `  why:  ${d.reason}`];
      if (d.rule)
        lines.push(`  rule: ${d.rule}${d.file ? `  (${d.file}${d.line ? `:${d.line}` : ''})` : ''}`);
      lines.push(`  via:  ${d.adapter}`);
      for (const step of d.trace ?? []) lines.push(`  · ${step}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return ExitCode.Ok;
  },
});
