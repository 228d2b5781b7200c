import type { EvalReport } from '../report.js';
import { formatEvalJunit } from './junit.js';
import { formatEvalMarkdown } from './markdown.js';
import { type EvalFormatOptions, formatEvalText } from './text.js';

export function formatEval(
  r: EvalReport,
  format: 'text' | 'json' | 'junit' | 'markdown',
  o: EvalFormatOptions,
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(r, null, 2)}\n`;
    case 'junit':
      return formatEvalJunit(r);
    case 'markdown':
      return formatEvalMarkdown(r);
    default:
      return formatEvalText(r, o);
  }
}
