import type { Report } from '../core/report.js';

const DONE = new Set(['pass', 'not-applicable']);

/** Before → after status of each primitive in scope, and whether all of them now pass. */
export function fixTable(
  before: Report,
  after: Report,
  scope: readonly string[],
): { text: string; complete: boolean } {
  const was = new Map(before.primitives.map((p) => [p.id, p.status]));
  const rows = after.primitives.filter((p) => scope.includes(p.id));
  const width = Math.max(...rows.map((p) => p.id.length));
  const lines = ['', 're-audit:'];
  for (const p of rows) {
    const old = was.get(p.id) ?? '?';
    lines.push(`  ${p.id.padEnd(width)}  ${old === p.status ? p.status : `${old} → ${p.status}`}`);
  }
  const complete = rows.every((p) => DONE.has(p.status));
  lines.push(
    complete
      ? `every primitive up to this phase passes (maturity: ${after.maturity}).`
      : 'some primitives still fall short: run `plumbline audit` for the criteria that fail.',
  );
  return { text: `${lines.join('\n')}\n`, complete };
}
