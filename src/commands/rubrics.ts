import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { useColor } from './output.js';

interface RubricsArgs {
  format: 'text' | 'json';
}

export const rubricsCommand = defineCommand<RubricsArgs>({
  command: 'rubrics',
  describe: 'List the twelve primitives by phase, with their criteria counts',
  builder: (y) =>
    y.option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const }) as never,
  handler: async (args) => {
    const { listRubrics } = await import('../core/explain.js');
    const listing = listRubrics();
    if (args.format === 'json') {
      process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const bold = (s: string) => (useColor() ? `\x1b[1m${s}\x1b[0m` : s);
    const lines: string[] = [];
    for (const phase of listing) {
      lines.push(bold(phase.phase));
      for (const p of phase.primitives)
        lines.push(
          `  ${p.id.padEnd(20)} ${String(p.criteria).padStart(2)} criteria (${p.required} required)  ${p.present}`,
        );
      lines.push('');
    }
    lines.push('plumbline explain <id> shows how a primitive or criterion is judged.');
    process.stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.Ok;
  },
});
