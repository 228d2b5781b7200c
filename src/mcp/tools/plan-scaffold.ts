import { z } from 'zod';
import { PHASES, PRIMITIVES } from '../../rubrics/ids.js';
import type { ToolContext } from '../context.js';
import type { ScaffoldPlan } from '../plan-scaffold.js';
import { guarded, success } from '../result.js';

function summary(p: ScaffoldPlan): string {
  const lines = [
    `${p.dryRun ? 'plan (dry run, nothing written)' : p.written ? 'written' : 'nothing written'}: templates ${p.templates.join(', ') || 'none'}`,
    ...p.files.map((f) => `  ${f.action.padEnd(9)}  ${f.path}${f.reason ? `  (${f.reason})` : ''}`),
  ];
  if (p.packageAdded.length > 0) lines.push(`  package.json gains: ${p.packageAdded.join(', ')}`);
  for (const n of p.notes) lines.push(`note: ${n}`);
  lines.push(p.next);
  return lines.join('\n');
}

export function registerPlanScaffold({ server, root }: ToolContext): void {
  server.registerTool(
    'plan_scaffold',
    {
      title: 'Plan (and on confirmation write) harness primitives',
      description:
        "Plan the files plumbline's templates would add to an existing TypeScript agent project: either the named primitives (and the ones they require), or — with no primitives — whatever the audit finds failing or partial up to a phase. Returns every file with its action (create, update, unchanged, conflict), unified diffs and package.json additions. It is a dry run and writes nothing unless confirm is true; show the plan to the user and get their agreement first. With confirm: true it writes new files and upgrades only plumbline's own unedited earlier output (tracked in .plumbline/scaffold-lock.json), atomically; a file that exists and differs is a conflict and then nothing at all is written — it never replaces the user's edits. Add primitives phase by phase: day-one before week-one before month-one.",
      inputSchema: {
        path: z
          .string()
          .default('.')
          .describe('Project folder, relative to the server root. Default: the root.'),
        primitives: z
          .array(z.enum([...PRIMITIVES, 'agent-loop']))
          .default([])
          .describe(
            'Primitives to add, e.g. ["permissions"] (agent-loop: the loop wiring them together); empty: what the audit finds lacking up to phase',
          ),
        phase: z
          .enum(PHASES)
          .default('day-one')
          .describe('With no primitives: add what fails or is partial in this phase and the earlier ones'),
        confirm: z
          .boolean()
          .default(false)
          .describe(
            'true writes the files (only after the user agreed to the plan); false or absent: dry run',
          ),
        diffs: z.boolean().default(true).describe('Include a unified diff for each file'),
      },
      annotations: {
        title: 'Plan (and on confirmation write) harness primitives',
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    (args) =>
      guarded(async () => {
        const folder = root.folder(args.path);
        const { planScaffold } = await import('../plan-scaffold.js');
        const plan = await planScaffold({
          root: folder,
          primitives: args.primitives,
          phase: args.phase,
          confirm: args.confirm,
          diffs: args.diffs,
        });
        return success(plan, summary(plan));
      }),
  );
}
