import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { guarded, success } from '../result.js';

export function registerExplain({ server }: ToolContext): void {
  server.registerTool(
    'explain',
    {
      title: 'Explain a primitive or criterion',
      description:
        "Explain one of the twelve harness primitives (tool-registry, permissions, session-persistence, workflow-state, token-budget, streaming-events, event-logging, verification, tool-pool, compaction, shell-security, sub-agents) or one criterion id from an audit report (e.g. permissions.gate): what it means, why it matters, exactly how the audit judges it, and how to fix it. Use it on a finding before changing code. Reads only plumbline's own rubrics.",
      inputSchema: {
        id: z
          .string()
          .min(1)
          .describe(
            'A primitive id (permissions) or a criterion id (permissions.gate), as in the audit report',
          ),
      },
      annotations: { title: 'Explain a primitive or criterion', readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      guarded(async () => {
        const [{ explain }, { renderExplanation }] = await Promise.all([
          import('../../core/explain.js'),
          import('../../commands/explain.js'),
        ]);
        const e = explain(args.id);
        return success(e, renderExplanation(e, false));
      }),
  );
}
