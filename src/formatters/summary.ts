import type { Finding, PrimitiveResult, Report, Status } from '../core/report.js';
import { PHASES, type PhaseId } from '../rubrics/schema.js';

/** Views of a report that more than one formatter needs. */

export interface PhaseGroup {
  id: PhaseId;
  status?: 'complete' | 'incomplete';
  score?: number;
  primitives: PrimitiveResult[];
}

/** Primitives grouped by phase in phase order; phases without primitives are left out. */
export function phaseGroups(report: Report): PhaseGroup[] {
  return PHASES.map((id) => {
    const phase = report.phases.find((p) => p.id === id);
    return {
      id,
      status: phase?.status,
      score: phase?.score,
      primitives: report.primitives.filter((p) => p.phase === id),
    };
  }).filter((group) => group.primitives.length > 0);
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export const findingsByCriterion = (report: Report): Map<string, Finding[]> =>
  groupBy(report.findings, (f) => f.criterion);

/** `[reason, count]`, most frequent first, ties by name so the order never depends on discovery order. */
export function skippedByReason(report: Report): Array<[string, number]> {
  return [...groupBy(report.skipped, (s) => s.reason)]
    .map(([reason, files]): [string, number] => [reason, files.length])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export const STATUS_LABEL: Record<Status, string> = {
  pass: 'pass',
  partial: 'partial',
  fail: 'fail',
  'not-applicable': 'n/a',
  inconclusive: 'inconclusive',
};

/** `[status, count]` in a fixed status order, zero counts left out. */
export function statusCounts(primitives: readonly { status: Status }[]): Array<[Status, number]> {
  const order: Status[] = ['pass', 'partial', 'fail', 'not-applicable', 'inconclusive'];
  return order
    .map((status): [Status, number] => [status, primitives.filter((p) => p.status === status).length])
    .filter(([, count]) => count > 0);
}

export const formatScore = (score: number | null | undefined, none = '-'): string =>
  score === null || score === undefined ? none : score.toFixed(1);

export const location = (at: { file: string; line: number }): string => `${at.file}:${at.line}`;

export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;
