import type { Report } from '../../core/report.js';
import { PHASES } from '../../rubrics/schema.js';
import { formatScore, type PhaseGroup, phaseGroups } from '../summary.js';
import { type Html, html, slug } from './escape.js';
import { STATUS_MARK } from './parts.js';
import { radarChart } from './radar.js';

/** The phase ladder beside the radar chart: where the project stands, at a glance. */
export function overview(report: Report): Html {
  return html`<section id="overview" class="overview">
<div class="card"><h2>Phase ladder</h2>${ladder(report)}</div>
<div class="card radar-card"><h2>Primitive scores</h2><div class="radar-box">${radarChart(report.primitives)}
<div class="legend">${phaseGroups(report).map((g) => html`<span><i class="ph-${g.id}"></i>${g.id}</span>`)}
<span><i class="gap-key"></i>no score (n/a or inconclusive)</span></div></div></div>
</section>`;
}

function ladder(report: Report): Html {
  const groups = phaseGroups(report);
  if (groups.length === 0) return html`<p class="muted">No primitives were evaluated.</p>`;
  const reached = report.maturity === 'none' ? -1 : PHASES.indexOf(report.maturity);
  const rungs = groups.map(
    (group, i) =>
      html`${i > 0 ? html`<div class="arrow" aria-hidden="true">▼</div>` : ''}${rung(group, PHASES.indexOf(group.id) <= reached, report.targetPhase === group.id)}`,
  );
  return html`<div class="ladder">${rungs}</div>`;
}

function rung(group: PhaseGroup, reached: boolean, target: boolean): Html {
  const passing = group.primitives.filter((p) => p.status === 'pass' || p.status === 'not-applicable').length;
  const width = Math.max(0, Math.min(10, group.score ?? 0)) * 10;
  const chips = group.primitives.map(
    (p) =>
      html`<a class="chip st-${p.status}" href="#p-${slug(p.id)}" data-primitive="${p.id}" title="${p.title}: ${p.status}"><span class="mark">${STATUS_MARK[p.status]}</span>${p.id}<span class="num">${formatScore(p.score, '–')}</span></a>`,
  );
  return html`<div class="rung ph-${group.id}" data-phase="${group.id}">
<div class="rung-head"><h3>${group.id}</h3>
${reached ? html`<span class="tag here">reached</span>` : ''}${target ? html`<span class="tag target">target</span>` : ''}
<span class="muted small">${group.status ?? 'not scored'} · ${passing}/${group.primitives.length} done</span>
<span class="score">${formatScore(group.score, '–')}<small>/10</small></span></div>
<div class="bar"><span style="width: ${width}%"></span></div>
<div class="chips">${chips}</div></div>`;
}
