import type { EvalReport, SuiteResult } from '../../evals/report.js';
import { suiteFailed } from '../../evals/report.js';
import { plural } from '../summary.js';
import { type Html, html } from './escape.js';
import { location } from './parts.js';

/** Failing cases listed before the rest are only counted; the eval's own JSON report has all of them. */
const SHOWN_CASES = 100;

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Eval results when the caller ran them (`plumbline ci`), else a note saying the report has none. */
export function evalSection(evals: EvalReport | undefined): Html {
  if (!evals)
    return html`<section id="evals" class="card"><h2>Eval results</h2>
<div class="empty" data-evals="none"><strong>No eval results in this report.</strong>
<code>plumbline audit</code> does not run evals; <code>plumbline eval</code> or <code>plumbline ci</code> does.</div></section>`;
  const failing = evals.suites.flatMap((s) =>
    s.cases.filter((c) => !c.pass).map((c) => ({ suite: s.id, c })),
  );
  const shown = failing.slice(0, SHOWN_CASES);
  return html`<section id="evals" class="card" data-evals="${evals.ok ? 'passed' : 'failed'}">
<h2>Eval results ${evals.ok ? html`<span class="pill st-pass">passed</span>` : html`<span class="pill st-fail">failed</span>`}</h2>
<div class="suites">${evals.suites.map(suiteCard)}</div>
${
  failing.length > 0
    ? html`<h3 class="sub">${plural(failing.length, 'case')} not as expected</h3>
<div class="table-wrap"><table class="cases"><thead><tr><th>Suite</th><th>Case</th><th>Kind</th><th>Tool</th><th>Expected</th><th>Got</th><th>Reason</th><th>Case file</th></tr></thead>
<tbody>${shown.map(
        ({
          suite,
          c,
        }) => html`<tr data-case="${c.id}"><td>${suite}</td><td><code>${c.id}</code><div class="desc">${c.category}</div></td>
<td>${c.kind}</td><td><code>${c.tool}</code></td><td>${c.expect}</td><td><span class="pill st-fail">${c.decision}</span></td>
<td>${c.reason}${c.rule ? html`<div class="desc">rule <code>${c.rule}</code>${c.ruleFile ? ` in ${c.ruleFile}` : ''}</div>` : ''}</td>
<td>${location(c)}</td></tr>`,
      )}</tbody></table></div>
${failing.length > shown.length ? html`<p class="muted small">…and ${failing.length - shown.length} more; the eval JSON report lists all.</p>` : ''}`
    : ''
}
${
  evals.findings.length > 0
    ? html`<h3 class="sub">Rules that let attacks through</h3><ul>${evals.findings.map(
        (f) =>
          html`<li><code>${f.rule}</code> in ${f.line ? location({ file: f.file, line: f.line }) : html`<code>${f.file}</code>`} — ${plural(f.cases.length, 'attack case')}</li>`,
      )}</ul>`
    : ''
}
</section>`;
}

function suiteCard(suite: SuiteResult): Html {
  if (suite.status === 'skipped')
    return html`<div class="suite" data-suite="${suite.id}"><h3>${suite.id} <span class="pill st-not-applicable">skipped</span></h3>
<p class="muted small">${suite.notice ?? 'skipped'}</p></div>`;
  const m = suite.metrics;
  const failed = suiteFailed(suite);
  return html`<div class="suite" data-suite="${suite.id}"><h3>${suite.id} ${failed ? html`<span class="pill st-fail">failed</span>` : html`<span class="pill st-pass">passed</span>`}</h3>
<div class="muted small">adapter ${suite.adapter}</div>
<div class="metrics">
<div><b class="${m.failed > 0 ? 'bad' : ''}">${m.passed}/${m.cases}</b>cases as expected</div>
<div><b class="${m.attacksAllowed > 0 ? 'bad' : ''}">${m.attacksAllowed}/${m.attacks}</b>attacks allowed</div>
<div><b>${percent(m.benignFriction)}</b>benign friction</div>
<div><b class="${m.errors > 0 ? 'bad' : ''}">${m.errors}</b>errors</div>
</div>
${suite.notice ? html`<p class="muted small">${suite.notice}</p>` : ''}</div>`;
}
