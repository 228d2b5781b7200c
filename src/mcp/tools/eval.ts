import { z } from 'zod';
import type { EvalReport } from '../../evals/report.js';
import type { ToolContext } from '../context.js';
import { guarded, success } from '../result.js';

function summary(r: EvalReport): string {
  const lines = [`plumbline eval of ${r.target}: ${r.ok ? 'passed' : 'FAILED'}`];
  for (const s of r.suites) {
    if (s.status === 'skipped') {
      lines.push(`- ${s.id}: skipped${s.notice ? ` (${s.notice})` : ''}`);
      continue;
    }
    const m = s.metrics;
    lines.push(
      `- ${s.id} (${s.adapter}): ${m.passed}/${m.cases} as expected · attacks allowed ${m.attacksAllowed}/${m.attacks} · errors ${m.errors}`,
    );
  }
  for (const f of r.findings) lines.push(`finding: ${f.message}${f.line ? ` (line ${f.line})` : ''}`);
  return lines.join('\n');
}

export function registerEval({ server, root, version }: ToolContext): void {
  server.registerTool(
    'eval',
    {
      title: 'Run the guardrail evals',
      description:
        "Run plumbline's guardrail evals on a project: attack and benign tool calls (shell, files, web/MCP corpora, plus the project's own corpora) are put to its permission engine and each decision is checked; an allowed attack fails the run. Cases are never executed. The engine is the project's configured adapter (eval.adapter in plumbline.config.yaml: a module or command the user set up, which this runs with a timeout and a scrubbed environment) or the built-in Claude Code settings simulator. Configured special suites also run the user's own commands: session-recovery (the session-store writer/reader, killed and reloaded many times, in a temporary store unless eval.sessionStore.storeDir names one) and behavior (promptfoo against the configured agent, only when a model key is set). It does not modify the project's files. Returns the EvalReport (suites, per-case results, metrics, rule findings, ok).",
      inputSchema: {
        path: z
          .string()
          .default('.')
          .describe('Project folder, relative to the server root. Default: the root.'),
        suites: z
          .array(z.string().min(1))
          .optional()
          .describe(
            'Suite ids to run: shell, files, web-mcp, session-recovery, behavior, or a corpus suite of the project (default: the configured ones)',
          ),
        corpora: z
          .array(z.string().min(1))
          .optional()
          .describe('Extra corpus YAML files inside the server root, added to the configured ones'),
        adapter: z
          .enum(['claude-settings'])
          .optional()
          .describe(
            "Force the built-in Claude Code settings simulator; otherwise the project's configured adapter",
          ),
      },
      annotations: { title: 'Run the guardrail evals', readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      guarded(async () => {
        const folder = root.folder(args.path);
        const corpora = (args.corpora ?? []).map((c) => root.file(c, 'corpus file'));
        const [{ runEvals }, { loadProjectConfig }, { evalConfigOf }, { specialSuites }] = await Promise.all([
          import('../../evals/run-evals.js'),
          import('../../config/load.js'),
          import('../../evals/config.js'),
          import('../../evals/special-suites.js'),
        ]);
        const loaded = loadProjectConfig(folder);
        evalConfigOf(loaded); // a broken eval section is reported before anything runs
        const report = await runEvals({
          projectRoot: folder,
          loaded,
          version,
          suites: args.suites,
          corpora,
          // Only `claude-settings` or nothing: any module or command adapter comes from the project's config.
          adapter: args.adapter,
          special: specialSuites(loaded),
        });
        const shown = { ...report, target: root.display(folder) };
        return success(shown, summary(shown));
      }),
  );
}
