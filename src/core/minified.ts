/**
 * Minified or bundled JavaScript: a build's output, not code anyone wrote or reviews. Its structure says
 * nothing about the project's own harness (a bundle of an SDK contains that SDK's loop, tools and stores),
 * and it is the slowest kind of file to parse, so discovery lists it as skipped instead of analysing it.
 */

/** Below this size a long line is a long line, not a bundle. */
const MIN_BYTES = 4 * 1024;
/** Hand-written code averages well under 60 characters a line; minifiers produce hundreds or thousands. */
const MAX_MEAN_LINE = 200;
/** One line this long is a minified chunk or an inlined blob even in an otherwise readable file. */
const MAX_LINE = 20_000;

/** Why `text` looks minified, or undefined when it reads like written code. */
export function minifiedReason(text: string): string | undefined {
  if (text.length < MIN_BYTES) return undefined;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    longest = Math.max(longest, nl - start);
    start = nl + 1;
    lines++;
  }
  longest = Math.max(longest, text.length - start);
  const mean = Math.round(text.length / lines);
  if (mean > MAX_MEAN_LINE) return `minified or bundled code (${mean} characters per line on average)`;
  if (longest > MAX_LINE) return `minified or bundled code (a line of ${longest} characters)`;
  return undefined;
}
