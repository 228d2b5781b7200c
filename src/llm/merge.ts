import { withExcerpts } from '../core/excerpt.js';
import type { Report } from '../core/report.js';
import { SEVERITIES, type Severity } from '../rubrics/ids.js';
import type { LlmReview } from './review.js';

/**
 * Adds an LLM review to a finished report, additively: each grade joins its primitive's `criteria` (marked
 * `grader: 'llm'`), its findings (marked `llm: true`) follow the deterministic ones, and `report.llm` says
 * what the review cost. Scores, statuses, phases and next steps stay as the deterministic audit left them;
 * only `--fail-on` can catch an LLM finding, so `--llm` changes the exit code only when asked to.
 */
export function mergeLlmReview(
  report: Report,
  review: LlmReview,
  options: {
    failOn?: Severity;
    textOf: (path: string) => string | undefined;
    anchor: { file: string; line: number };
  },
): Report {
  const primitives = report.primitives.map((p) => {
    const extra = review.criteria.filter((c) => c.primitive === p.id).map((c) => c.result);
    return extra.length > 0 ? { ...p, criteria: [...p.criteria, ...extra] } : p;
  });
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const llmFindings = withExcerpts(review.findings, options.textOf, options.anchor).sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.id.localeCompare(b.id),
  );
  const gate = { ...report.gate, reasons: [...report.gate.reasons] };
  if (options.failOn !== undefined) {
    const limit = rank(options.failOn);
    const hits = llmFindings.filter((f) => rank(f.severity) <= limit).length;
    if (hits > 0) {
      gate.failed = true;
      gate.reasons.push(
        `${hits} LLM finding${hits === 1 ? '' : 's'} at severity ${options.failOn} or above (--llm)`,
      );
    }
  }
  return {
    ...report,
    primitives,
    findings: [...report.findings, ...llmFindings],
    gate,
    llm: review.summary,
  };
}
