import type { Report } from '../../core/report.js';
import { type Html, html } from './escape.js';
import { location } from './parts.js';

type Inventory = Report['inventory'];
type Tool = Inventory['tools'][number];

/** What the harness is made of: tools with their capabilities, permission sources, state stores. */
export function inventorySection(inventory: Inventory): Html {
  return html`<section id="inventory" class="card"><h2>Tool inventory</h2>
${inventory.tools.length > 0 ? toolTable(inventory.tools) : html`<p class="muted">No tool definitions were found.</p>`}
${inventory.permissionSources.length > 0 ? permissionTable(inventory.permissionSources) : ''}
${inventory.stores.length > 0 ? storeTable(inventory.stores) : ''}
</section>`;
}

function toolTable(tools: readonly Tool[]): Html {
  const rows = tools.map(
    (t) => html`<tr data-tool="${t.name}">
<td><code>${t.name}</code>${t.description ? html`<div class="desc">${t.description}</div>` : html`<div class="desc"><em>no description</em></div>`}</td>
<td class="nowrap">${t.framework}<div class="desc">${t.schema}</div></td>
<td class="params">${parameters(t)}</td>
<td>${t.capabilities.length > 0 ? t.capabilities.map(capability) : html`<span class="cap cap-none">none declared</span>`}</td>
<td>${location(t)}${t.role !== 'source' ? html`<div class="desc">${t.role}</div>` : ''}</td></tr>`,
  );
  return html`<div class="table-wrap"><table class="tools">
<thead><tr><th>Tool</th><th>Framework</th><th>Parameters</th><th>Capabilities</th><th>Defined at</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function parameters(tool: Tool): Html | string {
  if (tool.parameters.length === 0) return 'none';
  return html`${tool.parameters.map(
    (p, i) =>
      html`${i > 0 ? ', ' : ''}<span class="${p.required ? 'req' : ''}" title="${p.description ?? 'no description'}">${p.name}${p.required ? '' : '?'}${p.type ? html`: ${p.type}` : ''}</span>`,
  )}`;
}

/** Known capabilities get their own colour; any other word still shows, in the neutral style. */
const capability = (name: string): Html =>
  html`<span class="cap cap-${name.replace(/[^a-z-]/g, '')}">${name}</span>`;

function permissionTable(sources: Inventory['permissionSources']): Html {
  const rules = (list: readonly string[] | undefined) =>
    list && list.length > 0
      ? html`${list.map((r) => html`<code>${r}</code> `)}`
      : html`<span class="muted">–</span>`;
  const rows = sources.map(
    (s) => html`<tr><td>${s.kind}${s.detail ? html`<div class="desc">${s.detail}</div>` : ''}</td>
<td>${s.defaultMode ?? html`<span class="muted">–</span>`}</td>
<td>${rules(s.rules?.allow)}</td><td>${rules(s.rules?.ask)}</td><td>${rules(s.rules?.deny)}</td>
<td>${location(s)}</td></tr>`,
  );
  return html`<h3 class="sub">Permission sources</h3><div class="table-wrap"><table>
<thead><tr><th>Kind</th><th>Default mode</th><th>Allow</th><th>Ask</th><th>Deny</th><th>Where</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function storeTable(stores: Inventory['stores']): Html {
  const rows = stores.map(
    (s) =>
      html`<tr><td>${s.kind}</td><td>${s.discipline.length > 0 ? s.discipline.map((d) => html`<span class="cap">${d}</span>`) : html`<span class="muted">–</span>`}</td><td>${location(s)}</td></tr>`,
  );
  return html`<h3 class="sub">State stores</h3><div class="table-wrap"><table>
<thead><tr><th>Kind</th><th>Write discipline</th><th>Where</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}
