import type { Report } from '../core/report.js';
import type { EvalReport } from '../evals/report.js';

/** How a report is rendered. The CLI decides `color` (TTY, NO_COLOR, FORCE_COLOR); formatters never look. */
export interface FormatOptions {
  color: boolean;
  verbose: boolean;
  /** Plain ASCII glyphs (`#`/`.` bars, `+`/`x` marks) for terminals and logs without Unicode. */
  ascii?: boolean;
  /** Eval results to show beside the audit (`--format html`); formats that cannot show them ignore it. */
  evals?: EvalReport;
}

/** A pure function from a report to the text of one output format. */
export type Formatter = (report: Report, options: FormatOptions) => string;
