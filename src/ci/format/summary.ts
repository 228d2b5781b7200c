import type { Change } from '../regressions.js';
import type { CiResult } from '../run-ci.js';

/** What ran, in words shared by the text and Markdown outputs. */
export function ranLine(r: CiResult): string {
  const suites = (r.evals?.suites ?? []).filter((s) => s.status === 'ran').map((s) => s.id);
  const parts = [r.report ? 'audit' : 'audit skipped (no harness file changed)'];
  parts.push(suites.length ? `suites ${suites.join(', ')}` : 'no suites');
  return parts.join(' · ');
}

export function touchedLine(r: CiResult): string {
  if (r.plan.touched.length === 0) return 'harness unchanged: nothing to run, the baseline stands';
  return `harness touched: ${r.plan.touched
    .map(
      (t) =>
        `${t.area} (${t.files.slice(0, 3).join(', ')}${t.files.length > 3 ? ` +${t.files.length - 3}` : ''})`,
    )
    .join('; ')}`;
}

export const allNotes = (r: CiResult) => [...r.notes, ...r.comparison.notes];

export function verdict(r: CiResult): string {
  const n = r.comparison.regressions.length;
  return n ? `FAILED: ${n} regression${n === 1 ? '' : 's'}` : 'OK: no regressions';
}

/**
 * Lines for a list of changes, short enough to read: allowed attacks are grouped by the rule that let them
 * through (one loose rule can let hundreds of cases through), and the list stops after `limit` lines.
 * The JSON, JUnit and SARIF outputs keep every item.
 */
export function changeLines(changes: readonly Change[], limit = 25): string[] {
  const lines: string[] = [];
  const byRule = new Map<string, Change[]>();
  for (const c of changes) {
    if (c.kind === 'attack-allowed' && c.rule) {
      const key = `${c.rule}\0${c.ruleFile ?? ''}`;
      byRule.set(key, [...(byRule.get(key) ?? []), c]);
    }
  }
  const grouped = new Set<string>();
  for (const c of changes) {
    if (c.kind === 'attack-allowed' && c.rule) {
      const key = `${c.rule}\0${c.ruleFile ?? ''}`;
      if (grouped.has(key)) continue;
      grouped.add(key);
      const cases = byRule.get(key)!;
      if (cases.length > 1) {
        const names = cases.map((x) => `${x.suite}/${x.case}`);
        lines.push(
          `attack allowed by rule ${c.rule}${c.ruleFile ? ` in ${c.ruleFile}` : ''}: ${cases.length} cases (${names
            .slice(0, 3)
            .join(', ')}${names.length > 3 ? ', …' : ''})`,
        );
        continue;
      }
    }
    lines.push(c.message);
  }
  if (lines.length <= limit) return lines;
  return [
    ...lines.slice(0, limit),
    `… and ${lines.length - limit} more (every item is in the JSON and JUnit outputs)`,
  ];
}
