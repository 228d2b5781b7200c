import type { CiResult } from '../run-ci.js';
import { allNotes, changeLines, ranLine, touchedLine, verdict } from './summary.js';

/** The short summary `plumbline ci` prints on stdout. */
export function formatCiText(r: CiResult, color = false): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const c = r.comparison;
  const lines = [
    `plumbline ci · ${r.base ? `base ${r.base}` : 'no base (--all)'} · ${r.changes.length} changed file(s)`,
    `  ${touchedLine(r)}`,
    `  ran: ${ranLine(r)}`,
  ];
  for (const m of changeLines(c.regressions)) lines.push(`  ${paint('31', 'REGRESSION')}  ${m}`);
  for (const m of changeLines(c.newBelowThreshold, 10))
    lines.push(`  ${paint('33', 'new')}         ${m} (below --fail-on ${r.failOn})`);
  for (const m of changeLines(c.improvements, 10)) lines.push(`  ${paint('32', 'improved')}    ${m}`);
  for (const n of allNotes(r)) lines.push(`  note: ${n}`);
  lines.push(paint(c.regressions.length ? '31' : '32', verdict(r)));
  return `${lines.join('\n')}\n`;
}
