import type { Finding } from './report.js';

/**
 * Code excerpts for findings, cut from the text discovery already read, so formatters stay pure functions
 * of the report and never open project files themselves.
 */

export interface Excerpt {
  /** 1-based number of `lines[0]`. */
  startLine: number;
  lines: string[];
}

/** Lines shown before and after the finding's line. */
export const EXCERPT_CONTEXT = 3;
/** A minified bundle or a data line must not blow up the report: longer lines end in an ellipsis. */
export const EXCERPT_MAX_CHARS = 200;

/**
 * Where a finding about something *missing* points (line 1 of the root manifest): the line says nothing
 * about the finding, so showing it would only mislead.
 */
const ANCHOR_MANIFESTS = new Set(['package.json', 'pyproject.toml']);

/** The lines around `line` of `text`, or undefined when the file has no such line. */
export function excerptAt(text: string, line: number, context = EXCERPT_CONTEXT): Excerpt | undefined {
  return excerptOfLines(linesOf(text), line, context);
}

function linesOf(text: string): string[] {
  const all = text.split(/\r?\n/);
  // A final newline leaves one empty string behind; it is not a line of the file.
  if (all.length > 1 && all[all.length - 1] === '') all.pop();
  return all;
}

function excerptOfLines(all: readonly string[], line: number, context: number): Excerpt | undefined {
  if (!Number.isInteger(line) || line < 1 || line > all.length) return undefined;
  const start = Math.max(1, line - context);
  const end = Math.min(all.length, line + context);
  return { startLine: start, lines: all.slice(start - 1, end).map(capLine) };
}

function capLine(line: string): string {
  // Cheap test first: a line of at most MAX chars in UTF-16 units has at most MAX code points.
  if (line.length <= EXCERPT_MAX_CHARS) return line;
  const chars = [...line];
  return chars.length <= EXCERPT_MAX_CHARS ? line : `${chars.slice(0, EXCERPT_MAX_CHARS - 1).join('')}…`;
}

/**
 * Findings with an excerpt of the file they point at, when that file is one of the project's and the
 * location is not the manifest anchor of a missing primitive. `anchor` is the audit's fallback location.
 */
export function withExcerpts(
  findings: readonly Finding[],
  textOf: (path: string) => string | undefined,
  anchor?: { file: string; line: number },
): Finding[] {
  // Many findings point into the same file: split each file into lines once.
  const lines = new Map<string, string[] | undefined>();
  return findings.map((finding) => {
    if (isAnchor(finding, anchor)) return finding;
    if (!lines.has(finding.file)) {
      const text = textOf(finding.file);
      lines.set(finding.file, text === undefined ? undefined : linesOf(text));
    }
    const all = lines.get(finding.file);
    const excerpt = all === undefined ? undefined : excerptOfLines(all, finding.line, EXCERPT_CONTEXT);
    return excerpt ? { ...finding, excerpt } : finding;
  });
}

function isAnchor(at: { file: string; line: number }, anchor?: { file: string; line: number }): boolean {
  if (at.line !== 1) return false;
  return ANCHOR_MANIFESTS.has(at.file) || (anchor !== undefined && anchor.file === at.file);
}
