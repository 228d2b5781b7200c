import type { Status } from '../../core/report.js';
import type { Severity } from '../../rubrics/schema.js';
import { formatScore, STATUS_LABEL } from '../summary.js';
import { type Html, html } from './escape.js';

/** Small pieces of markup shared by the report's sections. */

export const STATUS_MARK: Record<Status, string> = {
  pass: '✔',
  partial: '◐',
  fail: '✖',
  'not-applicable': '–',
  inconclusive: '?',
};

export const mark = (status: Status): Html =>
  html`<span class="mark st-${status}" title="${STATUS_LABEL[status]}">${STATUS_MARK[status]}</span>`;

export const statusPill = (status: Status, text: string = STATUS_LABEL[status]): Html =>
  html`<span class="pill st-${status}">${text}</span>`;

export const severityBadge = (severity: Severity): Html =>
  html`<span class="sev sev-${severity}">${severity}</span>`;

export const location = (at: { file: string; line: number }): Html =>
  html`<code class="loc">${at.file}:${at.line}</code>`;

export const command = (text: string): Html => html`<code class="cmd">${text}</code>`;

/** A 0–10 bar; `score` null draws an empty track. */
export function scoreBar(score: number | null, status: Status): Html {
  const width = score === null ? 0 : Math.max(0, Math.min(10, score)) * 10;
  const value = score === null ? (status === 'not-applicable' ? 'n/a' : '–') : formatScore(score);
  return html`<span class="scorebar" style="color: var(--${cssStatus(status)})"><span class="bar"><span style="width: ${width}%"></span></span>${value}</span>`;
}

const cssStatus = (status: Status): string => (status === 'not-applicable' ? 'na' : status);

/**
 * Report prose marks code with backticks (`Bash`, `tools`); those spans become <code>. Each piece is still
 * escaped by the `html` tag, so a backtick can only ever produce a code span, never markup.
 */
export function prose(text: string): Html {
  const parts = text.split(/`([^`\n]+)`/);
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}
