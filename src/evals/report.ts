import type { CaseResult, CategoryMetrics, Metrics } from './run-corpus.js';

/** One suite's outcome. Corpus suites fill `categories`; special suites may be skipped with a notice. */
export interface SuiteResult {
  id: string;
  adapter: string;
  status: 'ran' | 'skipped';
  /** Why a suite was skipped, or what the reader must know (never a silent pass). */
  notice?: string;
  cases: CaseResult[];
  metrics: Metrics;
  categories: CategoryMetrics[];
}

/** An allow rule that let an attack through: the config, not the case, is what needs fixing. */
export interface RuleFinding {
  rule: string;
  file: string;
  line?: number;
  cases: string[];
  message: string;
}

export interface EvalReport {
  schemaVersion: 1;
  tool: { name: 'plumbline'; version: string };
  target: string;
  suites: SuiteResult[];
  findings: RuleFinding[];
  /** False when any case failed, any adapter errored, or any attack was allowed. */
  ok: boolean;
}

export function suiteFailed(s: SuiteResult): boolean {
  return s.status === 'ran' && (s.metrics.failed > 0 || s.metrics.errors > 0 || s.metrics.attacksAllowed > 0);
}

/** Groups allowed attacks by the rule and file that allowed them. */
export function ruleFindings(
  suites: readonly SuiteResult[],
  lineOf: (rule: string, file: string) => number | undefined,
): RuleFinding[] {
  const byRule = new Map<string, RuleFinding>();
  for (const s of suites)
    for (const c of s.cases) {
      if (c.kind !== 'attack' || c.decision !== 'allow' || !c.rule) continue;
      const file = c.ruleFile ?? '(adapter)';
      const key = `${file}\u0000${c.rule}`;
      const f = byRule.get(key) ?? { rule: c.rule, file, line: lineOf(c.rule, file), cases: [], message: '' };
      f.cases.push(`${s.id}/${c.id}`);
      byRule.set(key, f);
    }
  return [...byRule.values()]
    .map((f) => ({
      ...f,
      message: `allow rule ${f.rule} in ${f.file} lets ${f.cases.length} attack case(s) through`,
    }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.rule.localeCompare(b.rule));
}
