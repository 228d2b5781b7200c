import type { CriterionResult, Finding, Report, Status } from '../core/report.js';
import {
  formatScore,
  groupBy,
  location,
  phaseGroups,
  plural,
  STATUS_LABEL,
  skippedByReason,
  statusCounts,
} from './summary.js';
import type { FormatOptions } from './types.js';

/**
 * Markdown for pull-request comments and GitHub job summaries. Everything that comes from the scanned
 * project (messages, paths, names) goes through `text()` or `code()` so it cannot break the table or
 * inject HTML.
 */

const EMOJI: Record<Status, string> = {
  pass: '✅',
  partial: '🟡',
  fail: '❌',
  'not-applicable': '➖',
  inconclusive: '❔',
};

/** PR comments are capped at 65,536 characters; past this many findings the rest are counted, not listed. */
const MAX_FINDINGS = 100;

export function formatMarkdown(report: Report, options: FormatOptions): string {
  const blocks = [
    title(report),
    gate(report),
    summary(report),
    primitivesTable(report),
    findings(report, options.verbose),
    options.verbose ? criteria(report) : '',
    llmReview(report),
    nextSteps(report),
    warnings(report),
    footer(report, options.verbose),
  ];
  return `${blocks.filter(Boolean).join('\n\n')}\n`;
}

/** Escapes Markdown and HTML in project-supplied text for use in a paragraph, list item or table cell. */
export function text(value: string): string {
  return value
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]|#~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A code span holding `value` literally, whatever backticks or pipes it contains. */
export function code(value: string): string {
  const flat = value.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function title(report: Report): string {
  const target = report.targetPhase ? ` (target ${report.targetPhase})` : '';
  return `## plumbline: maturity **${report.maturity}**${target}`;
}

function gate(report: Report): string {
  if (!report.gate.failed) return '';
  const reasons = report.gate.reasons.map(text);
  if (reasons.length <= 1) return `> ❌ **Gate failed**${reasons[0] ? `: ${reasons[0]}` : ''}`;
  return ['> ❌ **Gate failed**', '>', ...reasons.map((reason) => `> - ${reason}`)].join('\n');
}

function summary(report: Report): string {
  const { target } = report;
  const files = [`${target.files} files analysed (${target.sourceFiles} source)`];
  if (report.skipped.length > 0) files.push(`${report.skipped.length} skipped`);
  const facts = [
    code(target.path),
    target.languages.map(text).join(', ') || 'no supported language',
    target.frameworks.map(text).join(', ') || 'no known framework',
    files.join(', '),
  ];
  const counts = statusCounts(report.primitives).map(
    ([status, count]) => `${EMOJI[status]} ${count} ${STATUS_LABEL[status]}`,
  );
  const phases = phaseGroups(report)
    .filter((group) => group.status !== undefined)
    .map((group) => `**${group.id}** ${group.status} (${formatScore(group.score)}/10)`);
  return [facts.join(' · '), counts.join(' · '), phases.join(' · ')].filter(Boolean).join('  \n');
}

function primitivesTable(report: Report): string {
  const rows = report.primitives.map((p) =>
    row([
      p.phase,
      text(p.id),
      `${EMOJI[p.status]} ${STATUS_LABEL[p.status]}`,
      formatScore(p.score, '–'),
      text(p.reason),
    ]),
  );
  return [
    '| Phase | Primitive | Status | Score | Reason |',
    '| --- | --- | --- | ---: | --- |',
    ...rows,
  ].join('\n');
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

function findings(report: Report, verbose: boolean): string {
  if (report.findings.length === 0) return '';
  const shown = verbose ? report.findings : report.findings.slice(0, MAX_FINDINGS);
  const groups = groupBy(shown, (f) => f.primitive);
  const body: string[] = [];
  // Primitives in report order, so findings read in phase order like the table above them.
  const order = [...new Set([...report.primitives.map((p) => p.id), ...groups.keys()])];
  for (const primitive of order) {
    const items = groups.get(primitive);
    if (!items) continue;
    body.push(`#### ${text(primitive)}`, '', ...items.map(findingItem), '');
  }
  const hidden = report.findings.length - shown.length;
  if (hidden > 0)
    body.push(`…and ${plural(hidden, 'more finding')}; the JSON or SARIF report lists all.`, '');
  return [
    '<details>',
    `<summary>${plural(report.findings.length, 'finding')}</summary>`,
    '',
    ...body,
    '</details>',
  ].join('\n');
}

function findingItem(finding: Finding): string {
  const llm = finding.llm ? ' 🤖 (LLM)' : '';
  return `- **${finding.severity}**${llm} ${text(finding.message)} — ${code(location(finding))}`;
}

function criteria(report: Report): string {
  const body: string[] = [];
  for (const primitive of report.primitives) {
    if (primitive.criteria.length === 0) continue;
    body.push(`#### ${text(primitive.id)}`, '', ...primitive.criteria.map(criterionItem), '');
  }
  if (body.length === 0) return '';
  return ['<details>', '<summary>All criteria</summary>', '', ...body, '</details>'].join('\n');
}

function criterionItem(criterion: CriterionResult): string {
  const evidence = criterion.evidence.map((at) => code(location(at))).join(', ');
  const until = criterion.waived?.expires ? ` until ${text(criterion.waived.expires)}` : '';
  const waived = criterion.waived ? ` _(waived${until}: ${text(criterion.waived.reason)})_` : '';
  // The trailing backslash is a hard line break, so the reason starts a line of its own in the list item.
  const llm = criterion.grader === 'llm' ? ' 🤖 (LLM)' : '';
  const head = `- ${EMOJI[criterion.status]} ${text(criterion.title)} (${code(criterion.id)})${llm}${waived}\\`;
  return `${head}\n  ${text(criterion.reason)}${evidence ? ` ${evidence}` : ''}`;
}

/** The model-graded criteria (always listed: the user asked for them) and what grading them cost. */
function llmReview(report: Report): string {
  const llm = report.llm;
  if (!llm) return '';
  if (llm.skipped) return `### 🤖 LLM review\n\nSkipped: ${text(llm.skipped)}.`;
  const items = report.primitives.flatMap((p) =>
    p.criteria
      .filter((c) => c.grader === 'llm')
      .map((c) => `- ${EMOJI[c.status]} ${text(c.title)} (${code(c.id)}) 🤖 (LLM)\\\n  ${text(c.reason)}`),
  );
  const cost = `${code(llm.model)} · ${plural(llm.calls, 'call')} · ${plural(llm.cacheHits, 'cache hit')} · $${llm.costUsd.toFixed(4)} of $${llm.budgetUsd.toFixed(2)} budget. Model-graded criteria are reported, not scored.`;
  return ['### 🤖 LLM review', '', ...items, '', cost].join('\n');
}

function nextSteps(report: Report): string {
  if (report.nextSteps.length === 0) return '';
  const items = report.nextSteps.map((step, index) => {
    const command = step.command ? ` — ${code(step.command)}` : '';
    return `${index + 1}. **${text(step.primitive)}** (${step.phase}): ${text(step.message)}${command}`;
  });
  return ['### Next steps', '', ...items].join('\n');
}

function warnings(report: Report): string {
  if (report.warnings.length === 0) return '';
  return ['### Warnings', '', ...report.warnings.map((w) => `- ⚠️ ${text(w.message)}`)].join('\n');
}

function footer(report: Report, verbose: boolean): string {
  const lines: string[] = [];
  if (report.skipped.length > 0) {
    const counts = skippedByReason(report)
      .map(([reason, count]) => `${count} ${reason}`)
      .join(', ');
    lines.push(`${plural(report.skipped.length, 'file')} skipped or partly analysed: ${counts}.`);
    if (verbose) {
      lines.push(
        '',
        ...report.skipped.map((s) => `- ${code(s.path)} ${s.reason}${s.detail ? `: ${text(s.detail)}` : ''}`),
      );
    }
  }
  lines.push('', `<sub>plumbline ${text(report.tool.version)}</sub>`);
  return lines.join('\n').trim();
}
