import type { EvalReport } from '../report.js';
import { suiteFailed } from '../report.js';

export interface EvalFormatOptions {
  color: boolean;
  verbose: boolean;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Human report: one block per suite, a per-category table, failing cases, rule findings. */
export function formatEvalText(r: EvalReport, o: EvalFormatOptions): string {
  const paint = (code: string, s: string) => (o.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const out: string[] = [];
  for (const s of r.suites) {
    if (s.status === 'skipped') {
      out.push(`${paint('2', '○')} ${s.id}: skipped — ${s.notice ?? ''}`, '');
      continue;
    }
    const failed = suiteFailed(s);
    const m = s.metrics;
    out.push(
      `${failed ? paint('31', '✖') : paint('32', '✔')} ${s.id} (${s.adapter}): ${m.passed}/${m.cases} cases as expected · attacks allowed ${m.attacksAllowed}/${m.attacks} · benign friction ${pct(m.benignFriction)} (${m.benignAsked}/${m.benign}) · errors ${m.errors}`,
    );
    if (s.notice) out.push(`  ${s.notice}`);
    if (s.categories.length > 1 || o.verbose) {
      const w = Math.max(8, ...s.categories.map((c) => c.category.length));
      out.push(`  ${'category'.padEnd(w)}  cases  attacks allowed  benign asked  errors`);
      for (const c of s.categories)
        out.push(
          `  ${c.category.padEnd(w)}  ${String(c.cases).padStart(5)}  ${`${c.attacksAllowed}/${c.attacks}`.padStart(15)}  ${(c.benign ? `${c.benignAsked}/${c.benign}` : '-').padStart(12)}  ${String(c.errors).padStart(6)}`,
        );
    }
    const bad = s.cases.filter((c) => !c.pass);
    const shown = o.verbose ? bad : bad.slice(0, 15);
    for (const c of shown) {
      const what = typeof c.input.command === 'string' ? c.input.command : JSON.stringify(c.input);
      out.push(
        `  ${paint('31', '✖')} ${c.id} [${c.category}] expected ${c.expect}, got ${c.decision}: ${c.tool} ${what.length > 70 ? `${what.slice(0, 67)}...` : what}`,
        `      ${c.reason}${c.rule ? ` (rule ${c.rule}${c.ruleFile ? ` in ${c.ruleFile}` : ''})` : ''} — ${c.file}:${c.line}`,
      );
    }
    if (bad.length > shown.length) out.push(`  … ${bad.length - shown.length} more (use --verbose)`);
    out.push('');
  }
  if (r.findings.length) {
    out.push(paint('1', 'Rules that let attacks through'));
    for (const f of r.findings)
      out.push(
        `  ${f.file}${f.line ? `:${f.line}` : ''}  ${f.rule}  (${f.cases.length} case(s): ${f.cases.slice(0, 3).join(', ')}${f.cases.length > 3 ? ', …' : ''})`,
      );
    out.push('');
  }
  out.push(r.ok ? paint('32', 'Evals passed.') : paint('31', 'Evals failed.'));
  return `${out.join('\n')}\n`;
}
