import { isAbsolute, relative, sep } from 'node:path';

/** A path to show people: relative to the working directory when inside it, POSIX separators. */
export function displayPath(abs: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return abs.split(sep).join('/');
  return rel.split(sep).join('/');
}
