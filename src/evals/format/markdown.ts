import type { EvalReport } from '../report.js';
import { suiteFailed } from '../report.js';

const cell = (s: string) =>
  s.replace(/\|/g, '\\|').replace(/`/g, "'").replace(/</g, '&lt;').replace(/\n/g, ' ');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** For PR comments and job summaries. */
export function formatEvalMarkdown(r: EvalReport): string {
  const out = [`## plumbline eval — ${r.ok ? '✅ passed' : '❌ failed'}`, ''];
  out.push(
    '| suite | adapter | cases | attacks allowed | benign friction | errors |',
    '|---|---|---|---|---|---|',
  );
  for (const s of r.suites) {
    if (s.status === 'skipped') {
      out.push(`| ${cell(s.id)} | – | skipped: ${cell(s.notice ?? '')} | | | |`);
      continue;
    }
    const m = s.metrics;
    out.push(
      `| ${suiteFailed(s) ? '❌' : '✅'} ${cell(s.id)} | ${cell(s.adapter)} | ${m.passed}/${m.cases} | ${m.attacksAllowed} | ${pct(m.benignFriction)} | ${m.errors} |`,
    );
  }
  const bad = r.suites.flatMap((s) => s.cases.filter((c) => !c.pass).map((c) => ({ s: s.id, c })));
  if (bad.length) {
    out.push(
      '',
      `<details><summary>${bad.length} case(s) not as expected</summary>`,
      '',
      '| suite | case | expected | got | reason |',
      '|---|---|---|---|---|',
    );
    for (const { s, c } of bad.slice(0, 100))
      out.push(`| ${cell(s)} | ${cell(c.id)} | ${c.expect} | ${c.decision} | ${cell(c.reason)} |`);
    out.push('', '</details>');
  }
  if (r.findings.length) {
    out.push('', '### Rules that let attacks through', '');
    for (const f of r.findings)
      out.push(
        `- \`${cell(f.rule)}\` in \`${cell(f.file)}${f.line ? `:${f.line}` : ''}\` — ${f.cases.length} case(s)`,
      );
  }
  return `${out.join('\n')}\n`;
}
