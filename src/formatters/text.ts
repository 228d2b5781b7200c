import type { CriterionResult, Finding, PrimitiveResult, Report, Status } from '../core/report.js';
import { SEVERITIES } from '../rubrics/schema.js';
import { type Palette, palette, stripAnsi } from './colors.js';
import {
  findingsByCriterion,
  formatScore,
  location,
  type PhaseGroup,
  phaseGroups,
  plural,
  STATUS_LABEL,
  skippedByReason,
  statusCounts,
} from './summary.js';
import type { FormatOptions } from './types.js';

/** Terminal output: a scannable summary first, details only where something is missing. */

const WIDTH = 100;
const BAR_CELLS = 10;
/** Without --verbose, a criterion lists this many findings or evidence locations before "… N more". */
const SHOWN_PER_CRITERION = 3;

interface Glyphs {
  full: string;
  empty: string;
  mark: Record<Status, string>;
  dot: string;
  more: string;
  warn: string;
  item: string;
}

const UNICODE: Glyphs = {
  full: '█',
  empty: '░',
  mark: { pass: '✔', partial: '◐', fail: '✖', 'not-applicable': '–', inconclusive: '?' },
  dot: '·',
  more: '…',
  warn: '⚠',
  item: '›',
};

const ASCII: Glyphs = {
  full: '#',
  empty: '.',
  mark: { pass: '+', partial: '~', fail: 'x', 'not-applicable': '-', inconclusive: '?' },
  dot: '-',
  more: '...',
  warn: '!',
  item: '>',
};

interface Ctx {
  c: Palette;
  g: Glyphs;
  verbose: boolean;
  findings: Map<string, Finding[]>;
}

export function formatText(report: Report, options: FormatOptions): string {
  const ctx: Ctx = {
    c: palette(options.color),
    g: options.ascii ? ASCII : UNICODE,
    verbose: options.verbose,
    findings: findingsByCriterion(report),
  };
  const sections = [
    header(report, ctx),
    ...phaseGroups(report).map((group) => phaseSection(group, report, ctx)),
    llmReview(report, ctx),
    warnings(report, ctx),
    nextSteps(report, ctx),
    skipped(report, ctx),
    footer(report, ctx),
  ].filter((lines) => lines.length > 0);
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function tint(status: Status, text: string, c: Palette): string {
  switch (status) {
    case 'pass':
      return c.green(text);
    case 'partial':
      return c.yellow(text);
    case 'fail':
      return c.red(text);
    default:
      return c.dim(text);
  }
}

function header(report: Report, { c, g }: Ctx): string[] {
  const { target } = report;
  const row = (label: string, value: string) => `  ${c.dim(label.padEnd(11))} ${value}`;
  const none = c.dim('none detected');
  const files = [`${target.files} analysed`, `${target.sourceFiles} source`];
  if (report.skipped.length > 0) files.push(`${report.skipped.length} skipped`);
  const maturity = report.maturity === 'none' ? c.red('none') : c.green(c.bold(report.maturity));
  const counts = statusCounts(report.primitives)
    .map(([status, count]) => tint(status, `${count} ${STATUS_LABEL[status]}`, c))
    .join(c.dim(` ${g.dot} `));
  const bySeverity = severityCounts(report.findings)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(` ${g.dot} `);
  return [
    `${c.bold('plumbline')} ${c.dim(report.tool.version)}  ${c.bold(target.path)}`,
    '',
    row('languages', target.languages.join(', ') || none),
    row('frameworks', target.frameworks.join(', ') || none),
    row('files', files.join(`, `)),
    '',
    row('maturity', report.targetPhase ? `${maturity} ${c.dim(`(target ${report.targetPhase})`)}` : maturity),
    row('primitives', counts || none),
    row(
      'findings',
      report.findings.length === 0 ? c.dim('none') : `${report.findings.length} (${bySeverity})`,
    ),
  ];
}

function severityCounts(findings: readonly Finding[]): Array<[string, number]> {
  return SEVERITIES.map((severity): [string, number] => [
    severity,
    findings.filter((f) => f.severity === severity).length,
  ]).filter(([, count]) => count > 0);
}

function phaseSection(group: PhaseGroup, report: Report, ctx: Ctx): string[] {
  const { c, g } = ctx;
  const applicable = group.primitives.filter((p) => p.status !== 'not-applicable');
  const passing = applicable.filter((p) => p.status === 'pass');
  const state =
    group.status === undefined ? '' : group.status === 'complete' ? c.green('complete') : c.red('incomplete');
  const title = [
    c.bold(group.id),
    state,
    group.score === undefined ? '' : `${formatScore(group.score)}/10`,
    c.dim(`${passing.length} of ${applicable.length} pass`),
  ]
    .filter(Boolean)
    .join(c.dim(` ${g.dot} `));
  const lines = [title];
  group.primitives.forEach((primitive, index) => {
    const details = primitiveDetails(primitive, report, ctx);
    lines.push(primitiveLine(primitive, ctx), ...details);
    if (details.length > 0 && index < group.primitives.length - 1) lines.push('');
  });
  return lines;
}

function primitiveLine(primitive: PrimitiveResult, { c, g }: Ctx): string {
  const filled = primitive.score === null ? 0 : Math.round(primitive.score);
  const bar = tint(primitive.status, g.full.repeat(filled), c) + c.dim(g.empty.repeat(BAR_CELLS - filled));
  const score = formatScore(primitive.score, g.mark['not-applicable']).padStart(4);
  const label = STATUS_LABEL[primitive.status];
  return [
    ' ',
    tint(primitive.status, g.mark[primitive.status], c),
    primitive.id.padEnd(20),
    bar,
    ` ${score}`,
    ` ${tint(primitive.status, label, c)}`,
  ].join(' ');
}

function primitiveDetails(primitive: PrimitiveResult, report: Report, ctx: Ctx): string[] {
  const lines: string[] = [];
  const quiet = primitive.status === 'pass' && !ctx.verbose;
  if (!quiet) lines.push(...wrap(primitive.reason, 6));
  if (primitive.status === 'not-applicable' && !ctx.verbose) return lines;
  // A missing primitive is explained by its reason and its next step; its quality criteria add nothing yet.
  if (primitive.status === 'fail' && !ctx.verbose) {
    // Findings about something absent point at the manifest; only real locations are worth a line.
    const located = report.findings.filter((f) => f.primitive === primitive.id && !isManifestAnchor(f));
    return [...lines, ...findingLines(located, ctx, 6, primitive.reason)];
  }
  for (const criterion of primitive.criteria) {
    if (criterion.status === 'not-applicable' && !ctx.verbose) continue;
    if (ctx.verbose || primitive.status !== 'pass' || criterion.status !== 'pass') {
      lines.push(...criterionLines(criterion, ctx));
    }
  }
  lines.push(...strayFindings(primitive, report, ctx));
  return lines;
}

function isManifestAnchor(f: Finding): boolean {
  return (
    f.line === 1 && /(^|\/)(package\.json|pyproject\.toml|requirements[^/]*\.txt|setup\.py)$/.test(f.file)
  );
}

function criterionLines(criterion: CriterionResult, ctx: Ctx): string[] {
  const { c, g, verbose } = ctx;
  const mark = tint(criterion.status, g.mark[criterion.status], c);
  const findings = ctx.findings.get(criterion.id) ?? [];
  const tag = criterion.grader === 'llm' ? ` ${c.cyan('[llm]')}` : '';
  const head = `      ${mark} ${criterion.title}${tag}`;
  const passed = criterion.status === 'pass';
  const lines: string[] = [];

  // A passing criterion is one line: its title and where it was seen. Everything else explains itself.
  lines.push(
    ...besideOrBelow(head, passed ? evidenceSummary(criterion, ctx) : severity(criterion.severity, c), 8),
  );
  if (verbose) lines.push(`        ${c.dim(criterion.id)}`);
  if (criterion.waived) {
    const until = criterion.waived.expires ? ` (until ${criterion.waived.expires})` : '';
    lines.push(...wrap(`waived: ${criterion.waived.reason}${until}`, 8, c.dim));
  }
  if (passed && !verbose) return lines;

  lines.push(...wrap(criterion.reason, 8));
  // A finding already points at its own line; repeating it as evidence is noise.
  const flagged = new Set(findings.map(location));
  const evidence = criterion.evidence.filter((at) => !flagged.has(location(at)));
  if (evidence.length > 0) {
    const shown = verbose ? evidence : evidence.slice(0, SHOWN_PER_CRITERION);
    const rest = evidence.length - shown.length;
    const items = shown.map(location);
    if (rest > 0) items.push(`${g.more} ${rest} more`);
    lines.push(...wrap(`at ${items.join(', ')}`, 8, c.dim));
  }
  lines.push(...findingLines(findings, ctx, 8, criterion.reason));
  return lines;
}

function severity(level: CriterionResult['severity'], c: Palette): string {
  if (level === 'critical' || level === 'high') return c.red(level);
  return level === 'medium' ? c.yellow(level) : c.dim(level);
}

function evidenceSummary(criterion: CriterionResult, { c, verbose }: Ctx): string {
  const [first] = criterion.evidence;
  if (!first || verbose) return '';
  const rest = criterion.evidence.length - 1;
  return c.dim(rest > 0 ? `${location(first)} +${rest}` : location(first));
}

function findingLines(
  findings: readonly Finding[],
  { c, g, verbose }: Ctx,
  indent: number,
  alreadySaid?: string,
): string[] {
  const shown = verbose ? findings : findings.slice(0, SHOWN_PER_CRITERION);
  const lines: string[] = [];
  for (const finding of shown) {
    const at = location(finding);
    // The criterion's reason is printed just above; repeating it per finding is noise.
    const message = finding.message === alreadySaid ? '' : finding.message;
    const [first = '', ...rest] = wrapPlain(message, WIDTH - indent - 2, at.length + 2);
    lines.push(`${' '.repeat(indent)}${c.dim(g.item)} ${c.cyan(at)}  ${first}`.trimEnd());
    for (const line of rest) lines.push(`${' '.repeat(indent + 2)}${line}`);
  }
  const hidden = findings.length - shown.length;
  if (hidden > 0) lines.push(`${' '.repeat(indent)}${c.dim(`${g.more} ${hidden} more (--verbose)`)}`);
  return lines;
}

/** Findings of a criterion that is not listed under its primitive (e.g. from a rubric pack). */
function strayFindings(primitive: PrimitiveResult, report: Report, ctx: Ctx): string[] {
  const listed = new Set(primitive.criteria.map((criterion) => criterion.id));
  const stray = report.findings.filter((f) => f.primitive === primitive.id && !listed.has(f.criterion));
  return stray.length === 0 ? [] : findingLines(stray, ctx, 6);
}

/** What `--llm` did: the model, calls, cache hits and cost, or why it was skipped. */
function llmReview(report: Report, { c, g }: Ctx): string[] {
  const llm = report.llm;
  if (!llm) return [];
  if (llm.skipped) return [`${c.bold('LLM review')} ${c.dim('[llm]')}  skipped: ${llm.skipped}`];
  const graded = report.primitives.flatMap((p) => p.criteria.filter((cr) => cr.grader === 'llm'));
  const counts = statusCounts(graded)
    .map(([status, count]) => tint(status, `${count} ${STATUS_LABEL[status]}`, c))
    .join(c.dim(` ${g.dot} `));
  const cost = [
    llm.model,
    plural(llm.calls, 'call'),
    plural(llm.cacheHits, 'cache hit'),
    `$${llm.costUsd.toFixed(4)} of $${llm.budgetUsd.toFixed(2)}`,
  ].join(` ${g.dot} `);
  return [
    `${c.bold('LLM review')} ${c.dim('[llm]')}  ${counts || c.dim('nothing graded')}`,
    ...wrap(`${cost}; model-graded criteria are reported, not scored`, 2, c.dim),
  ];
}

function warnings(report: Report, { c, g }: Ctx): string[] {
  if (report.warnings.length === 0) return [];
  const lines = [c.bold('Warnings')];
  for (const warning of report.warnings) {
    const [first = '', ...rest] = wrapPlain(warning.message, WIDTH - 4);
    lines.push(`  ${c.yellow(g.warn)} ${first}`, ...rest.map((line) => `    ${line}`));
  }
  return lines;
}

function nextSteps(report: Report, { c }: Ctx): string[] {
  if (report.nextSteps.length === 0) return [];
  const lines = [c.bold('Next steps')];
  const width = `${report.nextSteps.length}.`.length + 1;
  report.nextSteps.forEach((step, index) => {
    const number = `${index + 1}.`.padEnd(width);
    lines.push(`  ${number}${c.bold(step.primitive)} ${c.dim(`(${step.phase})`)}`);
    lines.push(...wrap(step.message, 2 + width));
    if (step.command) lines.push(`${' '.repeat(2 + width)}${c.cyan(`$ ${step.command}`)}`);
  });
  return lines;
}

function skipped(report: Report, { c, g, verbose }: Ctx): string[] {
  if (report.skipped.length === 0) return [];
  const counts = skippedByReason(report)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(`, `);
  const title = `${c.bold(`${plural(report.skipped.length, 'file')} skipped or partly analysed`)}: ${counts}`;
  if (!verbose) return [...besideOrBelow(title, c.dim('(--verbose lists them)'), 2)];
  const pathWidth = Math.min(48, Math.max(...report.skipped.map((s) => s.path.length)));
  const reasonWidth = Math.max(...report.skipped.map((s) => s.reason.length));
  const lines = [title];
  for (const file of report.skipped) {
    const head = `  ${g.dot} ${file.path.padEnd(pathWidth)}  ${file.reason.padEnd(reasonWidth)}`;
    lines.push(...besideOrBelow(file.detail ? head : head.trimEnd(), c.dim(file.detail ?? ''), 6));
  }
  return lines;
}

function footer(report: Report, { c, g, verbose }: Ctx): string[] {
  const lines: string[] = [];
  if (report.gate.failed) {
    const [only, ...more] = report.gate.reasons;
    if (only !== undefined && more.length === 0) {
      const [first = '', ...rest] = wrapPlain(only, WIDTH - 2, 15);
      lines.push(
        `${c.red(c.bold(`${g.mark.fail} Gate failed:`))} ${first}`,
        ...rest.map((line) => `  ${line}`),
      );
    } else {
      lines.push(c.red(c.bold(`${g.mark.fail} Gate failed`)));
      for (const reason of report.gate.reasons) lines.push(...wrap(`${g.dot} ${reason}`, 2));
    }
  }
  if (!verbose) {
    if (lines.length > 0) lines.push('');
    lines.push(c.dim('Run with --verbose to see every criterion with its evidence.'));
  }
  return lines;
}

/** Puts `tail` after `head` when the line stays within the width, else on its own line at `indent`. */
function besideOrBelow(head: string, tail: string, indent: number): string[] {
  if (!tail) return [head];
  if (visibleLength(head) + 2 + visibleLength(tail) <= WIDTH) return [`${head}  ${tail}`];
  return [head, `${' '.repeat(indent)}${tail}`];
}

function wrap(text: string, indent: number, style: (line: string) => string = (line) => line): string[] {
  return wrapPlain(text, WIDTH - indent).map((line) => `${' '.repeat(indent)}${style(line)}`);
}

/**
 * Greedy word wrap; a word longer than the width (a long path) stays whole on its own line. `taken`
 * columns of the first line are already used by a prefix.
 */
function wrapPlain(text: string, width: number, taken = 0): string[] {
  const lines: string[] = [];
  let line = '';
  let room = width - taken;
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if ((line || room < width) && line.length + (line ? 1 : 0) + word.length > room) {
      lines.push(line);
      line = word;
      room = width;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

const visibleLength = (text: string): number => stripAnsi(text).length;
