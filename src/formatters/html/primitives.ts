import type { CriterionResult, Finding, PrimitiveResult, Report } from '../../core/report.js';
import { groupBy, plural } from '../summary.js';
import { type Html, html, slug } from './escape.js';
import { excerptBlock } from './excerpt.js';
import { command, location, mark, prose, scoreBar, severityBadge, statusPill } from './parts.js';

/** Per criterion, this many findings are shown before the rest fold into "N more". */
const SHOWN_FINDINGS = 12;
/** Evidence locations listed per criterion before "+N more". */
const SHOWN_EVIDENCE = 6;

/** One collapsible section per primitive: its criteria, open ones first, each with its findings. */
export function primitiveSections(report: Report): Html {
  const byCriterion = groupBy(report.findings, (f) => f.criterion);
  const known = new Set(report.primitives.map((p) => p.id));
  const stray = report.findings.filter((f) => !known.has(f.primitive));
  return html`<section id="primitives"><h2>Primitives</h2>
${llmSummary(report)}
${report.primitives.length === 0 ? html`<div class="card empty">No primitives were evaluated.</div>` : ''}
${report.primitives.map((p) => primitiveSection(p, byCriterion, report.findings))}
${stray.length > 0 ? html`<div class="card"><h3>Other findings</h3>${findingList(stray)}</div>` : ''}
</section>`;
}

/** What `--llm` cost, or why it was skipped. */
function llmSummary(report: Report): Html | '' {
  const llm = report.llm;
  if (!llm) return '';
  if (llm.skipped)
    return html`<p class="muted llm-summary">${llmBadge} LLM review skipped: ${llm.skipped}.</p>`;
  return html`<p class="muted llm-summary">${llmBadge} LLM review by <code>${llm.model}</code>: ${plural(llm.calls, 'call')}, ${plural(llm.cacheHits, 'cache hit')}, $${llm.costUsd.toFixed(4)} of a $${llm.budgetUsd.toFixed(2)} budget. Model-graded criteria are reported, not scored.</p>`;
}

function primitiveSection(
  primitive: PrimitiveResult,
  byCriterion: Map<string, Finding[]>,
  findings: readonly Finding[],
): Html {
  const criteria = new Set(primitive.criteria.map((c) => c.id));
  const open = primitive.criteria.filter((c) => isOpen(c) || byCriterion.has(c.id));
  const settled = primitive.criteria.filter((c) => !open.includes(c));
  const orphans = findings.filter((f) => f.primitive === primitive.id && !criteria.has(f.criterion));
  const count = open.reduce((n, c) => n + (byCriterion.get(c.id)?.length ?? 0), orphans.length);
  const expanded = count > 0 || primitive.status === 'fail' || primitive.status === 'partial';
  return html`<details class="primitive" id="p-${slug(primitive.id)}" data-primitive="${primitive.id}"${expanded ? html` open` : ''}>
<summary>${statusPill(primitive.status)}
<span><span class="name">${primitive.title}<span class="id">${primitive.id} · ${primitive.phase}</span></span>
<span class="why">${count > 0 ? `${plural(count, 'finding')} · ` : ''}${prose(primitive.reason)}</span></span>
${scoreBar(primitive.score, primitive.status)}</summary>
<div class="prim-body">
${open.length > 0 ? html`<ul class="criteria">${open.map((c) => criterionItem(c, byCriterion.get(c.id) ?? []))}</ul>` : ''}
${orphans.length > 0 ? findingList(orphans) : ''}
${settled.length > 0 ? settledCriteria(settled) : ''}
</div></details>`;
}

const isOpen = (c: CriterionResult) =>
  c.status === 'fail' || c.status === 'partial' || c.status === 'inconclusive';

function settledCriteria(criteria: readonly CriterionResult[]): Html {
  const pass = criteria.filter((c) => c.status === 'pass').length;
  const na = criteria.length - pass;
  const label = [pass > 0 ? `${pass} passing` : '', na > 0 ? `${na} not applicable` : ''].filter(Boolean);
  return html`<details class="more"><summary>${label.join(' · ')}</summary>
<ul class="criteria">${criteria.map((c) => criterionItem(c, []))}</ul></details>`;
}

function criterionItem(criterion: CriterionResult, findings: readonly Finding[]): Html {
  const shown = criterion.evidence.slice(0, SHOWN_EVIDENCE);
  const more = criterion.evidence.length - shown.length;
  const waived = criterion.waived;
  return html`<li class="criterion" data-criterion="${criterion.id}">
<div class="crit-head">${mark(criterion.status)}<span class="title">${criterion.title}</span>${criterion.grader === 'llm' ? llmBadge : ''}${severityBadge(criterion.severity)}<span class="cid">${criterion.id}</span></div>
<div class="reason">${prose(criterion.reason)}</div>
${shown.length > 0 ? html`<div class="evidence">evidence ${shown.map((at) => html`${location(at)} `)}${more > 0 ? `+${more} more` : ''}</div>` : ''}
${waived ? html`<div class="waived">Waived${waived.expires ? ` until ${waived.expires}` : ''}: ${waived.reason}</div>` : ''}
${findings.length > 0 ? findingList(findings) : ''}
</li>`;
}

function findingList(findings: readonly Finding[]): Html {
  const shown = findings.slice(0, SHOWN_FINDINGS);
  const rest = findings.slice(SHOWN_FINDINGS);
  return html`${shown.map(findingCard)}${
    rest.length > 0
      ? html`<details class="more" style="margin-left: 28px"><summary>${plural(rest.length, 'more finding')}</summary>${rest.map(findingCard)}</details>`
      : ''
  }`;
}

function findingCard(finding: Finding): Html {
  return html`<div class="finding" data-finding="${finding.id}">
<div class="finding-head">${severityBadge(finding.severity)}${finding.llm ? llmBadge : ''}<span class="msg">${prose(finding.message)}</span><span class="loc">${location(finding)}</span></div>
${finding.excerpt ? excerptBlock(finding.excerpt, finding.line) : ''}
<div class="fix"><b>Fix:</b> ${prose(finding.remediation)}${finding.add ? command(addCommand(finding.add)) : ''}</div>
</div>`;
}

/** Marks what a model graded (`audit --llm`); styled like the phase pills, no CSS of its own. */
const llmBadge = html`<span class="pill plain llm" title="graded by a language model (audit --llm); reported, not scored">LLM</span>`;

/** Rubrics give `add` as the full command; a bare primitive name (older reports) gets the command around it. */
const addCommand = (add: string): string => (add.startsWith('plumbline ') ? add : `plumbline add ${add}`);
