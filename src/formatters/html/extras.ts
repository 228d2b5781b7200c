import type { Report } from '../../core/report.js';
import { plural, skippedByReason } from '../summary.js';
import { type Html, html, slug } from './escape.js';
import { command, prose } from './parts.js';

/** What to do next, in the order the audit ranks it. */
export function nextStepsSection(report: Report): Html {
  if (report.nextSteps.length === 0)
    return html`<section id="next-steps" class="card"><h2>Next steps</h2><p class="muted">Nothing left to do for the evaluated phases.</p></section>`;
  const items = report.nextSteps.map(
    (
      step,
    ) => html`<li><div><div class="step-head"><a href="#p-${slug(step.primitive)}"><b>${step.primitive}</b></a>
<span class="pill plain">${step.phase}</span></div>
<div>${prose(step.message)}</div>${step.command ? command(step.command) : ''}</div></li>`,
  );
  return html`<section id="next-steps" class="card"><h2>Next steps</h2><ol class="steps">${items}</ol></section>`;
}

export function warningsSection(report: Report): Html | '' {
  if (report.warnings.length === 0) return '';
  return html`<section id="warnings">${report.warnings.map(
    (w) => html`<div class="callout"><span class="kind">${w.kind}</span>${prose(w.message)}</div>`,
  )}</section>`;
}

export function skippedSection(report: Report): Html | '' {
  if (report.skipped.length === 0) return '';
  const counts = skippedByReason(report).map(([reason, count]) => `${count} ${reason}`);
  const rows = report.skipped.map(
    (s) => html`<tr><td><code>${s.path}</code></td><td>${s.reason}</td><td>${s.detail ?? ''}</td></tr>`,
  );
  return html`<section id="skipped" class="card"><h2>Skipped files</h2>
<p class="muted">${plural(report.skipped.length, 'file')} skipped or partly analysed: ${counts.join(', ')}.</p>
<details class="more"${report.skipped.length <= 10 ? html` open` : ''}><summary>List them</summary>
<div class="table-wrap"><table><thead><tr><th>Path</th><th>Reason</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table></div>
</details></section>`;
}
