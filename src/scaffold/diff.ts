import { createTwoFilesPatch } from 'diff';

/**
 * A unified diff (git style headers) from what is on disk to what plumbline would write; a new file is
 * diffed against /dev/null. Empty when nothing changes.
 */
export function unifiedDiff(path: string, before: string | undefined, after: string): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a/${path}`,
    `b/${path}`,
    before ?? '',
    after,
    undefined,
    undefined,
    { context: 3 },
  );
  // The first line is the "Index:"/separator jsdiff adds; keep the ---/+++ headers and hunks.
  return patch
    .split('\n')
    .filter((line, i) => !(i === 0 && line.startsWith('=')))
    .join('\n');
}
