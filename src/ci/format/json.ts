import type { CiResult } from '../run-ci.js';

/** The whole outcome as JSON (schemaVersion 1): what changed, what ran, each regression and the reports. */
export function formatCiJson(r: CiResult, version: string): string {
  const out = {
    schemaVersion: 1,
    tool: { name: 'plumbline', version },
    failed: r.failed,
    failOn: r.failOn,
    base: r.base,
    baseline: {
      found: r.baseline.found,
      ...(r.baseline.plumbline ? { plumbline: r.baseline.plumbline } : {}),
    },
    changes: r.changes,
    touched: r.plan.touched,
    ran: {
      audit: !!r.report,
      suites: (r.evals?.suites ?? []).filter((s) => s.status === 'ran').map((s) => s.id),
    },
    regressions: r.comparison.regressions,
    improvements: r.comparison.improvements,
    newBelowThreshold: r.comparison.newBelowThreshold,
    notes: [...r.notes, ...r.comparison.notes],
    audit: r.report ?? null,
    evals: r.evals ?? null,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
