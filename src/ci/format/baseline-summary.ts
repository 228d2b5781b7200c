import { displayPath } from '../../core/display-path.js';
import type { Recorded } from '../record-baseline.js';

/** What `plumbline baseline` prints: what it wrote and what moved since the previous baseline. */
export function formatBaselineSummary(r: Recorded): string {
  const b = r.baseline;
  const cases = Object.values(b.evals).reduce((n, s) => n + Object.keys(s.cases).length, 0);
  const counts = `${Object.keys(b.audit.primitives).length} primitives, ${b.audit.findings.length} findings, ${
    Object.keys(b.evals).length
  } suites / ${cases} eval cases`;
  const where = displayPath(r.path);
  const lines = [
    r.written
      ? `plumbline baseline: wrote ${where} (${counts})`
      : `plumbline baseline: ${where} is up to date (${counts}); not rewritten`,
  ];
  if (!r.previous) lines.push('  first baseline for this project (or the previous one was replaced)');
  else {
    const c = r.changes;
    const moved = [
      ...c.regressions.map((x) => `  - ${x.message}`),
      ...c.newBelowThreshold.map((x) => `  - ${x.message}`),
      ...c.improvements.map((x) => `  + ${x.message}`),
    ];
    lines.push(
      moved.length ? '  changed since the previous baseline:' : '  no change since the previous baseline',
    );
    lines.push(...moved.map((m) => `  ${m}`));
  }
  for (const n of [...r.notes, ...r.changes.notes]) lines.push(`  note: ${n}`);
  if (r.attacksAllowed.length)
    lines.push(
      `  warning: ${r.attacksAllowed.length} attack case(s) are allowed (${r.attacksAllowed
        .slice(0, 3)
        .map((a) => `${a.suite}/${a.case}`)
        .join(
          ', ',
        )}${r.attacksAllowed.length > 3 ? ', …' : ''}); plumbline ci fails on them until they are fixed`,
    );
  lines.push(r.written ? '  commit the file so plumbline ci compares against it' : '');
  return `${lines.filter((l) => l !== '').join('\n')}\n`;
}
