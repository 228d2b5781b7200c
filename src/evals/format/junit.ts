import type { EvalReport } from '../report.js';

const esc = (s: string) =>
  s
    .replace(
      /[<>&"']/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F]/g, '');

/** JUnit XML: a testsuite per suite, a testcase per case; errors are <error>, wrong decisions <failure>. */
export function formatEvalJunit(r: EvalReport): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = r.suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = r.suites.reduce(
    (n, s) => n + s.cases.filter((c) => !c.pass && c.decision !== 'error').length,
    0,
  );
  const errors = r.suites.reduce((n, s) => n + s.metrics.errors, 0);
  lines.push(`<testsuites name="plumbline eval" tests="${total}" failures="${failures}" errors="${errors}">`);
  for (const s of r.suites) {
    const f = s.cases.filter((c) => !c.pass && c.decision !== 'error').length;
    const skippedCount = s.status === 'skipped' ? 1 : 0;
    lines.push(
      `  <testsuite name="${esc(s.id)}" tests="${s.cases.length + skippedCount}" failures="${f}" errors="${s.metrics.errors}" skipped="${skippedCount}">`,
    );
    if (s.status === 'skipped')
      lines.push(
        `    <testcase classname="${esc(s.id)}" name="${esc(s.id)}"><skipped message="${esc(s.notice ?? '')}"/></testcase>`,
      );
    for (const c of s.cases) {
      const name = `${esc(c.category)}/${esc(c.id)}`;
      const open = `    <testcase classname="${esc(s.id)}" name="${name}" file="${esc(c.file)}" line="${c.line}"`;
      if (c.pass) lines.push(`${open}/>`);
      else if (c.decision === 'error') lines.push(`${open}><error message="${esc(c.reason)}"/></testcase>`);
      else
        lines.push(
          `${open}><failure message="expected ${c.expect}, got ${c.decision}">${esc(`${c.tool} ${JSON.stringify(c.input)}\n${c.reason}${c.rule ? `\nrule: ${c.rule}${c.ruleFile ? ` (${c.ruleFile})` : ''}` : ''}`)}</failure></testcase>`,
        );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
