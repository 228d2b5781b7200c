import { z } from 'zod';
import type { Report } from '../../core/report.js';
import { PHASES, SEVERITIES } from '../../rubrics/ids.js';
import type { ToolContext } from '../context.js';
import { guarded, success } from '../result.js';

const DEFAULT_MAX_FINDINGS = 50;

/** Keeps the report within a client's output budget: the most severe findings first (already sorted). */
function capFindings(report: Report, max: number): Report {
  if (report.findings.length <= max) return report;
  return {
    ...report,
    findings: report.findings.slice(0, max),
    warnings: [
      ...report.warnings,
      {
        kind: 'findings-truncated',
        message: `Only the ${max} most severe of ${report.findings.length} findings are included; call audit with a larger maxFindings, or run \`plumbline audit --format json\`, for all of them.`,
      },
    ],
  };
}

function summary(r: Report): string {
  const lines = [
    `plumbline ${r.tool.version} audit of ${r.target.path}: maturity ${r.maturity}`,
    ...r.phases.map((p) => {
      const prims = r.primitives.filter((x) => x.phase === p.id);
      return `${p.id} ${p.status} ${p.score}/10 — ${prims.map((x) => `${x.id} ${x.status}`).join(', ')}`;
    }),
    `${r.findings.length} finding(s) in this result; gate ${r.gate.failed ? `FAILED: ${r.gate.reasons.join('; ')}` : 'passed'}`,
  ];
  for (const w of r.warnings) lines.push(`warning (${w.kind}): ${w.message}`);
  const next = r.nextSteps.slice(0, 3);
  if (next.length > 0)
    lines.push('next:', ...next.map((s) => `  - ${s.message}${s.command ? ` (${s.command})` : ''}`));
  return lines.join('\n');
}

export function registerAudit({ server, root }: ToolContext): void {
  server.registerTool(
    'audit',
    {
      title: 'Audit an agent harness',
      description:
        "Audit the harness of an AI-agent project (tool registry, permissions, session and workflow state, budgets, events, logging, verification, tool pools, compaction, shell security, sub-agents). Returns plumbline's JSON report (schemaVersion 1): maturity, phases, each primitive's status and score with criteria and file:line evidence, findings with remediation, ordered nextSteps and warnings such as premature-complexity. Reads files only; never executes project code. Fix the earliest incomplete phase first.",
      inputSchema: {
        path: z
          .string()
          .default('.')
          .describe(
            'Project folder, relative to the server root (or absolute inside it). Default: the root.',
          ),
        phase: z
          .enum(PHASES)
          .optional()
          .describe('Target phase: gate.failed is true unless this phase and the earlier ones are complete'),
        failUnder: z
          .number()
          .min(0)
          .max(10)
          .optional()
          .describe('gate.failed when the mean primitive score (0-10) is below this'),
        failOn: z
          .enum(SEVERITIES)
          .optional()
          .describe('gate.failed on any finding at or above this severity'),
        maxFindings: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .default(DEFAULT_MAX_FINDINGS)
          .describe('Most severe findings to include (a warning says when some were left out)'),
      },
      annotations: { title: 'Audit an agent harness', readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      guarded(async () => {
        const folder = root.folder(args.path);
        const { audit } = await import('../../core/audit.js');
        const report = await audit(folder, {
          cwd: root.real,
          phase: args.phase,
          failUnder: args.failUnder,
          failOn: args.failOn,
        });
        const capped = capFindings(report, args.maxFindings);
        return success(capped, summary(capped));
      }),
  );
}
