import { resolve } from 'node:path';
import type { ScanPool } from '../core/analyze-pool.js';
import { UsageError } from '../core/errors.js';
import { PHASES, type PhaseId, SEVERITIES, type Severity } from '../rubrics/ids.js';
import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { useColor, writeOutput } from './output.js';

export const AUDIT_FORMATS = ['text', 'json', 'markdown', 'sarif', 'html'] as const;

interface AuditArgs {
  path: string;
  format: (typeof AUDIT_FORMATS)[number];
  output?: string;
  phase?: PhaseId;
  'fail-under'?: number;
  'fail-on'?: Severity;
  config?: string;
  rubric?: string[];
  'max-file-size'?: string;
  verbose: boolean;
  quiet: boolean;
  color?: boolean;
  ascii: boolean;
  llm: boolean;
  'llm-model'?: string;
  'llm-budget-usd': number;
}

/** `--max-file-size` in bytes; the config's size grammar, with a usage error for the flag. */
async function maxFileBytes(value: string): Promise<number> {
  const { parseSize } = await import('../config/schema.js');
  try {
    return parseSize(value);
  } catch {
    throw new UsageError(`--max-file-size: cannot read "${value}"`, {
      hint: 'Use bytes or a unit: 1048576, 512KiB, 2MiB.',
    });
  }
}

export const auditCommand = defineCommand<AuditArgs>({
  command: 'audit [path]',
  shortRun: true,
  describe: 'Audit an agent project: what its harness has and lacks, phase by phase',
  builder: (y) =>
    y
      .positional('path', { type: 'string', default: '.', describe: 'Project folder to audit' })
      .option('format', {
        alias: 'f',
        choices: AUDIT_FORMATS,
        default: 'text' as const,
        describe: 'Report format',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe: 'Write the report to a file instead of stdout',
      })
      .option('phase', {
        choices: PHASES,
        describe: 'Fail (exit 1) unless this phase and the earlier ones are complete',
      })
      .option('fail-under', {
        type: 'number',
        describe: 'Fail (exit 1) when the overall score (0–10) is below N',
      })
      .option('fail-on', {
        choices: SEVERITIES,
        describe: 'Fail (exit 1) on any finding at or above this severity',
      })
      .option('config', {
        type: 'string',
        describe: 'Project config file (default: plumbline.config.* or package.json#plumbline)',
      })
      .option('rubric', { type: 'string', array: true, describe: 'Extra rubric pack file(s)' })
      .option('max-file-size', { type: 'string', describe: 'Skip files larger than this (default 1MiB)' })
      .option('verbose', {
        alias: 'v',
        type: 'boolean',
        default: false,
        describe: 'Show every criterion and skipped file',
      })
      .option('quiet', {
        alias: 'q',
        type: 'boolean',
        default: false,
        describe: 'Print nothing; only the exit code',
      })
      .option('color', {
        type: 'boolean',
        describe: 'Force colour on or off (default: on for a terminal, off with NO_COLOR)',
      })
      .option('ascii', {
        type: 'boolean',
        default: false,
        describe: 'ASCII bars instead of block characters',
      })
      .option('llm', {
        type: 'boolean',
        default: false,
        describe:
          'Also grade criteria that need judgement with a model (needs ANTHROPIC_API_KEY; reported, never scored)',
      })
      .option('llm-model', {
        type: 'string',
        describe: 'Model for --llm (default: $PLUMBLINE_LLM_MODEL, else claude-sonnet-5-5)',
      })
      .option('llm-budget-usd', {
        type: 'number',
        default: 0.5,
        describe: 'Hard spending limit for --llm in USD; a call that could pass it is not made',
      })
      .check((a) => {
        const budget = a['llm-budget-usd'];
        if (Number.isNaN(budget) || budget < 0)
          throw new UsageError('--llm-budget-usd takes an amount in USD, 0 or more');
        const n = a['fail-under'];
        if (n !== undefined && (Number.isNaN(n) || n < 0 || n > 10))
          throw new UsageError('--fail-under takes a score from 0 to 10');
        return true;
      })
      .example('$0 audit ./my-agent', 'Audit a project and print the report')
      .example(
        '$0 audit . --format sarif --output plumbline.sarif --phase week-one',
        'SARIF for code scanning; fail below week-one',
      )
      .example('$0 audit . --format json | jq .maturity', 'Machine-readable report')
      .example(
        '$0 audit . --llm --llm-budget-usd 0.20',
        'Add model-graded criteria, spending at most $0.20',
      ) as never,
  handler: async (args) => {
    // A large project's analysis workers load beside the audit's own modules.
    const { ScanPool } = await import('../core/analyze-pool.js');
    const pool = ScanPool.forFolder(resolve(args.path));
    try {
      return await auditAndReport(args, pool);
    } finally {
      pool?.close();
    }
  },
});

async function auditAndReport(args: AuditArgs, pool: ScanPool | undefined): Promise<number> {
  const [{ audit }, { startProgress }] = await Promise.all([
    import('../core/audit.js'),
    import('./progress.js'),
  ]);
  // Loads while the audit waits for its workers, off the path to the first scanned file.
  const formatting = import('../formatters/index.js');
  const progress = startProgress(`auditing ${args.path}…`, { quiet: args.quiet });
  const report = await audit(args.path, {
    phase: args.phase,
    failUnder: args['fail-under'],
    failOn: args['fail-on'],
    configPath: args.config,
    rubricPaths: args.rubric,
    maxFileBytes: args['max-file-size'] ? await maxFileBytes(args['max-file-size']) : undefined,
    ...(args.llm ? { llm: { model: args['llm-model'], budgetUsd: args['llm-budget-usd'] } } : {}),
    pool,
  });
  progress.stop();
  const { formatters } = await formatting;
  // Said even with --quiet: the user asked for a review that did not happen.
  if (report.llm?.skipped)
    process.stderr.write(
      `plumbline: --llm skipped: ${report.llm.skipped}; the deterministic audit is unchanged\n`,
    );
  if (!args.quiet) {
    const toFile = args.output !== undefined && args.output !== '-';
    const color = args.format === 'text' && !toFile && (args.color ?? useColor());
    const text = formatters[args.format](report, { color, verbose: args.verbose, ascii: args.ascii });
    writeOutput(text, args.output);
  }
  return report.gate.failed ? ExitCode.CheckFailed : ExitCode.Ok;
}
