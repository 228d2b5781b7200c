import type { Report } from '../../core/report.js';
import { overallScore } from '../../core/score.js';
import { SEVERITIES } from '../../rubrics/schema.js';
import { formatScore, plural, STATUS_LABEL, statusCounts } from '../summary.js';
import { type Html, html } from './escape.js';
import { severityBadge, statusPill } from './parts.js';

/** The top of the page: what was audited, the maturity reached, the overall score and the gate. */
export function header(report: Report): Html {
  const { target } = report;
  const overall = overallScore(report.primitives);
  const files = [`${target.files} files analysed`, `${target.sourceFiles} source`];
  if (report.skipped.length > 0) files.push(`${report.skipped.length} skipped`);
  const severities = SEVERITIES.map(
    (s) => [s, report.findings.filter((f) => f.severity === s).length] as const,
  ).filter(([, count]) => count > 0);
  return html`<header class="top"><div class="wrap">
<div>
  <div class="brand"><b>plumbline</b> ${report.tool.version} · agent harness audit</div>
  <h1>${target.path}</h1>
  <div class="facts">
    <span>languages <b>${target.languages.join(', ') || 'none supported'}</b></span>
    <span>frameworks <b>${target.frameworks.join(', ') || 'none known'}</b></span>
    <span>${files.join(' · ')}</span>
  </div>
  <div class="counts">
    ${statusCounts(report.primitives).map(([status, count]) => statusPill(status, `${count} ${STATUS_LABEL[status]}`))}
    ${severities.map(([s, count]) => html`<span class="pill plain">${severityBadge(s)} ${count}</span>`)}
  </div>
</div>
<div class="headline">
  <div class="stat"><div class="label">Maturity</div>
    <div class="value maturity-${report.maturity}">${report.maturity}</div>
    <div class="sub">${report.targetPhase ? `target ${report.targetPhase}` : 'no target phase'}</div></div>
  <div class="stat"><div class="label">Score</div>
    <div class="value">${formatScore(overall, '–')}<small>/10</small></div>
    <div class="sub">${plural(report.findings.length, 'finding')}</div></div>
</div>
${gate(report)}
</div></header>`;
}

function gate(report: Report): Html | '' {
  const { failed, reasons } = report.gate;
  if (!failed) return '';
  return html`<div class="gate failed">✖ Gate failed${
    reasons.length === 1
      ? html`: ${reasons[0]}`
      : html`<ul>${reasons.map((reason) => html`<li>${reason}</li>`)}</ul>`
  }</div>`;
}

/** Section links; the page reads top to bottom without them, they only save scrolling. */
export function toc(sections: ReadonlyArray<readonly [id: string, label: string]>): Html {
  return html`<nav class="toc" aria-label="Sections"><div class="wrap">${sections.map(
    ([id, label]) => html`<a href="#${id}">${label}</a>`,
  )}</div></nav>`;
}
