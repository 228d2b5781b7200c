import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

/** The folder a command works on; a missing path or a file is a usage error. */
export function projectRoot(path: string): string {
  const abs = resolve(path);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new UsageError(`${path} does not exist`, {
      hint: 'Pass the folder of the agent project, for example: plumbline eval .',
    });
  }
  if (!isDir)
    throw new UsageError(`${path} is a file, not a folder`, {
      hint: 'Pass the project folder that contains it.',
    });
  return abs;
}
