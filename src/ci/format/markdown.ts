import type { Change } from '../regressions.js';
import type { CiResult } from '../run-ci.js';
import { allNotes, changeLines, ranLine, touchedLine, verdict } from './summary.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const score = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toFixed(1));

/** The Markdown summary (GitHub job summary, PR comment). */
export function formatCiMarkdown(r: CiResult): string {
  const c = r.comparison;
  const out = [
    `## plumbline ci: ${c.regressions.length ? '❌' : '✅'} ${verdict(r)}`,
    '',
    `${r.base ? `Base \`${r.base}\`` : 'No base (`--all`)'} · ${r.changes.length} changed file(s) · ${ranLine(r)}`,
    '',
    touchedLine(r),
    '',
  ];
  const list = (title: string, items: Change[]) => {
    if (!items.length) return;
    out.push(`### ${title}`, '', ...changeLines(items, 50).map((m) => `- ${cell(m)}`), '');
  };
  list('Regressions', c.regressions);
  list(`New findings below \`${r.failOn}\``, c.newBelowThreshold);
  list('Improvements', c.improvements);
  const snapshot = r.report?.primitives;
  if (snapshot) {
    const before = r.baselineAudit?.primitives ?? {};
    out.push('### Primitives', '', '| primitive | status | baseline | now |', '| --- | --- | ---: | ---: |');
    for (const p of snapshot)
      out.push(`| ${cell(p.id)} | ${p.status} | ${score(before[p.id]?.score)} | ${score(p.score)} |`);
    out.push('');
  }
  const notes = allNotes(r);
  if (notes.length) out.push('### Notes', '', ...notes.map((n) => `- ${cell(n)}`), '');
  return `${out.join('\n')}\n`;
}
