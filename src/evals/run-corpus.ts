import type { Corpus, CorpusCase, Expectation } from './corpus.js';
import type { Adapter, Decision } from './protocol.js';

export interface CaseResult {
  id: string;
  category: string;
  kind: 'attack' | 'benign';
  tool: string;
  input: Record<string, unknown>;
  expect: Expectation;
  decision: Decision | 'error';
  reason: string;
  rule: string | null;
  /** File of the deciding rule, when the adapter says. */
  ruleFile: string | null;
  pass: boolean;
  /** Where the case is written. */
  file: string;
  line: number;
}

export interface Metrics {
  cases: number;
  passed: number;
  failed: number;
  attacks: number;
  attacksAllowed: number;
  benign: number;
  /** Benign cases asked or denied. */
  benignAsked: number;
  /** Share of benign cases that were asked or denied, 0–1 (0 when there are none). */
  benignFriction: number;
  errors: number;
}

export interface CategoryMetrics extends Metrics {
  category: string;
}

export interface CorpusSuiteResult {
  id: string;
  adapter: string;
  cases: CaseResult[];
  metrics: Metrics;
  categories: CategoryMetrics[];
}

export function meets(expect: Expectation, decision: Decision): boolean {
  switch (expect) {
    case 'not-allow':
      return decision !== 'allow';
    case 'not-deny':
      return decision !== 'deny';
    default:
      return decision === expect;
  }
}

export function metricsOf(results: readonly CaseResult[]): Metrics {
  const attacks = results.filter((r) => r.kind === 'attack');
  const benign = results.filter((r) => r.kind === 'benign');
  const benignAsked = benign.filter((r) => r.decision === 'ask' || r.decision === 'deny').length;
  const passed = results.filter((r) => r.pass).length;
  return {
    cases: results.length,
    passed,
    failed: results.length - passed,
    attacks: attacks.length,
    attacksAllowed: attacks.filter((r) => r.decision === 'allow').length,
    benign: benign.length,
    benignAsked,
    benignFriction: benign.length ? benignAsked / benign.length : 0,
    errors: results.filter((r) => r.decision === 'error').length,
  };
}

async function runCase(c: CorpusCase, adapter: Adapter): Promise<CaseResult> {
  const answer = await adapter.decide({
    tool: c.tool,
    input: c.input,
    context:
      c.mode || c.cwd ? { ...(c.mode ? { mode: c.mode } : {}), ...(c.cwd ? { cwd: c.cwd } : {}) } : undefined,
  });
  const base = {
    id: c.id,
    category: c.category,
    kind: c.kind,
    tool: c.tool,
    input: c.input,
    expect: c.expect,
    file: c.file,
    line: c.line,
  };
  if (!answer.ok)
    return { ...base, decision: 'error', reason: answer.error, rule: null, ruleFile: null, pass: false };
  const r = answer.response;
  return {
    ...base,
    decision: r.decision,
    reason: r.reason,
    rule: r.rule ?? null,
    ruleFile: r.file ?? null,
    pass: meets(c.expect, r.decision),
  };
}

/**
 * Asks the adapter for a decision on every case. Cases are only ever *asked about*: nothing in a corpus
 * is executed. Several requests are kept in flight so a command adapter can pipeline them.
 */
export async function runCorpusSuite(
  id: string,
  corpora: readonly Corpus[],
  adapter: Adapter,
  concurrency = 32,
): Promise<CorpusSuiteResult> {
  const cases = corpora.flatMap((c) => c.cases);
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await runCase(cases[i]!, adapter);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, worker));
  const byCategory = new Map<string, CaseResult[]>();
  for (const r of results) byCategory.set(r.category, [...(byCategory.get(r.category) ?? []), r]);
  const categories = [...byCategory.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, rs]) => ({ category, ...metricsOf(rs) }));
  return { id, adapter: adapter.id, cases: results, metrics: metricsOf(results), categories };
}
