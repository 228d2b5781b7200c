/**
 * Every string that reaches the HTML report goes through `escapeHtml`, by way of the `html` template tag:
 * interpolated values are escaped unless they are markup this module built, so forgetting to escape takes
 * effort. Attribute values are always double-quoted, and quotes are escaped too, so one helper serves text
 * and attributes alike.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** Markup that is already safe: built by `html` from constants and escaped values. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Interpolation = string | number | Html | null | undefined | false | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/** A template tag: literal parts are trusted markup, every interpolated value is escaped. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup made of constants only (the stylesheet); never pass it anything from a report. */
export const trusted = (markup: string): Html => new Html(markup);

/** An id fragment from a report value: letters, digits and dashes only, so `#p-…` links always resolve. */
export const slug = (value: string): string => value.replace(/[^A-Za-z0-9_-]+/g, '-');
