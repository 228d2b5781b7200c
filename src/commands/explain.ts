import type { CriterionExplanation, Explanation, PrimitiveExplanation } from '../core/explain.js';
import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { useColor } from './output.js';

interface ExplainArgs {
  id: string;
  format: 'text' | 'json';
}

/** Wraps prose to the terminal width, keeping an indent. */
function wrap(text: string, indent: string, width = 96): string {
  const out: string[] = [];
  for (const para of text.trim().split(/\n\s*\n/)) {
    let line = indent;
    for (const word of para.split(/\s+/)) {
      if (line.length + word.length + 1 > width && line.trim()) {
        out.push(line.trimEnd());
        line = indent;
      }
      line += `${word} `;
    }
    out.push(line.trimEnd(), '');
  }
  return out.join('\n').trimEnd();
}

function renderPrimitive(e: PrimitiveExplanation, bold: (s: string) => string): string {
  const lines = [
    `${bold(e.title)} (${e.id}) — ${e.phase}`,
    '',
    bold('Present means'),
    wrap(e.present, '  '),
    '',
    bold('Why it matters'),
    wrap(e.why, '  '),
    '',
  ];
  if (e.applicable) lines.push(bold('Applies when'), `  ${e.applicable}`, '');
  lines.push(bold(`Criteria (pass at score ≥ ${e.passScore}, required ones must pass)`));
  for (const c of e.criteria) {
    lines.push(`  ${c.required ? '●' : '○'} ${c.id}  [${c.severity}, weight ${c.weight}]`, `    ${c.title}`);
    lines.push(...c.passes.split('\n').map((l) => `      ${l}`));
  }
  lines.push(
    '',
    bold('Fix'),
    `  ${e.add}`,
    `  plumbline explain <criterion id> for the rationale and remediation of one criterion.`,
  );
  return lines.join('\n');
}

function renderCriterion(e: CriterionExplanation, bold: (s: string) => string): string {
  const lines = [
    `${bold(e.title)} (${e.id})`,
    `  primitive ${e.primitive.id} · ${e.primitive.phase} · severity ${e.severity} · weight ${e.weight}${e.required ? ' · required' : ''}`,
    '',
    bold('Why it matters'),
    wrap(e.rationale, '  '),
    '',
    bold('How it is judged'),
  ];
  if (e.conditions.applicable)
    lines.push('  applies when:', ...e.conditions.applicable.split('\n').map((l) => `    ${l}`));
  lines.push('  passes when:', ...e.conditions.pass.split('\n').map((l) => `    ${l}`));
  if (e.conditions.partial)
    lines.push('  partial when:', ...e.conditions.partial.split('\n').map((l) => `    ${l}`));
  lines.push('', bold('How to fix it'), wrap(e.remediation, '  '));
  if (e.add) lines.push('', `  ${e.add}`);
  return lines.join('\n');
}

export function renderExplanation(e: Explanation, color: boolean): string {
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  return `${e.kind === 'primitive' ? renderPrimitive(e, bold) : renderCriterion(e, bold)}\n`;
}

export const explainCommand = defineCommand<ExplainArgs>({
  command: 'explain <id>',
  describe: 'Explain a primitive or a criterion: why it matters, how it is judged, how to fix it',
  builder: (y) =>
    y
      .positional('id', {
        type: 'string',
        demandOption: true,
        describe: 'Primitive id (permissions) or criterion id',
      })
      .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const })
      .example('$0 explain permissions', 'The permissions primitive and its criteria')
      .example('$0 rubrics', 'List every primitive and its id') as never,
  handler: async (args) => {
    const { explain } = await import('../core/explain.js');
    const e = explain(args.id);
    process.stdout.write(
      args.format === 'json' ? `${JSON.stringify(e, null, 2)}\n` : renderExplanation(e, useColor()),
    );
    return ExitCode.Ok;
  },
});
