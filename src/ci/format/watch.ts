import type { WatchUpdate } from '../watch.js';
import { changeLines } from './summary.js';

const score = (n: number | null) => (n === null ? '–' : n.toFixed(1));

/** One block of `plumbline watch` output per run. */
export function formatWatchUpdate(u: WatchUpdate, now: Date = new Date()): string {
  const time = now.toTimeString().slice(0, 8);
  const r = u.report;
  const lines: string[] = [];
  const ran = `audit${u.evals ? ` + ${u.evals.suites.filter((s) => s.status === 'ran').length} suite(s)` : ''}`;
  if (!u.changes) {
    lines.push(
      `[${time}] ${ran} in ${u.ms} ms: ${r.primitives.map((p) => `${p.id} ${score(p.score)}`).join(', ')}; ${r.findings.length} finding(s)`,
    );
  } else {
    const shown =
      u.changed.slice(0, 3).join(', ') + (u.changed.length > 3 ? ` +${u.changed.length - 3}` : '');
    lines.push(`[${time}] ${shown} changed → ${ran} in ${u.ms} ms`);
    const c = u.changes;
    const moved = [
      ...changeLines([...c.regressions, ...c.newBelowThreshold], 20).map((m) => `  - ${m}`),
      ...changeLines(c.improvements, 20).map((m) => `  + ${m}`),
      ...c.notes.map((n) => `  · ${n}`),
    ];
    lines.push(...(moved.length ? moved : ['  no change in scores, findings or eval cases']));
  }
  const byRule = new Map<string, string[]>();
  for (const a of u.attacksAllowed) {
    const by = a.rule ? ` by ${a.rule}` : '';
    byRule.set(by, [...(byRule.get(by) ?? []), `${a.suite}/${a.case}`]);
  }
  for (const [by, cases] of byRule)
    lines.push(
      `  ! attack allowed${by}: ${cases.slice(0, 3).join(', ')}${cases.length > 3 ? ` +${cases.length - 3} more` : ''}`,
    );
  return `${lines.join('\n')}\n`;
}
