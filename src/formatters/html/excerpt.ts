import { type Html, html } from './escape.js';

/** A finding's code excerpt: numbered lines, the finding's own line highlighted. */
export function excerptBlock(excerpt: { startLine: number; lines: readonly string[] }, line: number): Html {
  const rows = excerpt.lines.map((text, i) => {
    const number = excerpt.startLine + i;
    const hit = number === line;
    return html`<span class="ln${hit ? ' hit' : ''}" data-line="${number}"><span class="no">${number}</span>${text}</span>`;
  });
  return html`<pre class="excerpt"><code>${rows}</code></pre>`;
}
