import type { Report } from '../../core/report.js';
import { formatSarif, relativeUri, SRCROOT } from '../../formatters/sarif.js';
import type { BaselineFinding } from '../baseline.js';
import type { CiResult } from '../run-ci.js';

/** A report made of the baseline's findings only, for the SARIF formatter when the audit did not run. */
function carriedReport(findings: readonly BaselineFinding[], version: string): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'plumbline', version },
    target: { path: '.', languages: [], frameworks: [], files: 0, sourceFiles: 0 },
    maturity: 'none',
    phases: [],
    primitives: [],
    findings: findings.map((f) => ({
      id: f.criterion,
      criterion: f.criterion,
      primitive: f.criterion.split('.')[0] ?? f.criterion,
      severity: f.severity,
      // The baseline keeps no lines (they would churn its diff); the file is where to look.
      message: `${f.criterion}: recorded in the baseline, unchanged (the audit did not run: no harness file changed)`,
      file: f.file,
      line: 1,
      fingerprint: f.fingerprint,
      remediation: `Run "plumbline explain ${f.criterion}" for how to fix it.`,
    })),
    nextSteps: [],
    warnings: [],
    inventory: { tools: [], permissionSources: [], stores: [] },
    skipped: [],
    gate: { failed: false, reasons: [] },
  };
}

interface SarifLog {
  runs: {
    tool: { driver: { rules: unknown[] } };
    results: { partialFingerprints?: Record<string, string>; baselineState?: string }[];
  }[];
}

/**
 * SARIF 2.1.0 of the audit (or, when it did not run, of the baseline's findings, so code scanning keeps
 * their alerts open), each result marked `baselineState` new/unchanged, plus one result per allow rule that
 * let an attack case through.
 */
export function formatCiSarif(r: CiResult, version: string): string {
  const report = r.report ?? carriedReport(r.baselineAudit?.findings ?? [], version);
  const log = JSON.parse(formatSarif(report)) as SarifLog;
  const run = log.runs[0]!;
  const known = r.baselineAudit ? new Set(r.baselineAudit.findings.map((f) => f.fingerprint)) : undefined;
  if (known)
    for (const result of run.results) {
      const fp = result.partialFingerprints?.['plumbline/v1'];
      result.baselineState = fp && known.has(fp) ? 'unchanged' : 'new';
    }
  const ruleFindings = (r.evals?.findings ?? []).filter((f) => f.file !== '(adapter)');
  if (ruleFindings.length) {
    const ruleIndex = run.tool.driver.rules.length;
    run.tool.driver.rules.push({
      id: 'eval.attack-allowed',
      name: 'EvalAttackAllowed',
      shortDescription: { text: 'An allow rule lets attack cases of the guardrail evals through' },
      fullDescription: { text: 'A permission rule allows tool calls that the eval corpora mark as attacks.' },
      help: {
        text: 'Narrow or remove the rule; run "plumbline decide" on a case to see the decision path.',
        markdown: 'Narrow or remove the rule; run `plumbline decide` on a case to see the decision path.',
      },
      defaultConfiguration: { level: 'error' },
      properties: { primitive: 'permissions', tags: ['plumbline', 'agent-harness', 'permissions', 'evals'] },
    });
    for (const f of ruleFindings)
      run.results.push({
        ruleId: 'eval.attack-allowed',
        ruleIndex,
        level: 'error',
        message: { text: `${f.message}: ${f.cases.join(', ')}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: relativeUri(f.file), uriBaseId: SRCROOT },
              region: { startLine: f.line ?? 1 },
            },
          },
        ],
        partialFingerprints: { 'plumbline/v1': `eval.attack-allowed:${f.file}:${f.rule}` },
        properties: { primitive: 'permissions', severity: 'critical', cases: f.cases },
      } as never);
  }
  return `${JSON.stringify(log, null, 2)}\n`;
}
