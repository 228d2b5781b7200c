import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { UsageError } from '../core/errors.js';

/** Writes command output to stdout, or atomically to a file (temp file in the same folder, then rename). */
export function writeOutput(text: string, file?: string): void {
  if (!file || file === '-') {
    process.stdout.write(text);
    return;
  }
  const target = resolve(file);
  try {
    // Devices (`/dev/null`, `/dev/stdout`) cannot be replaced by a rename.
    if (target.startsWith('/dev/')) writeFileSync(target, text);
    else writeFileAtomic(target, text, { overwrite: true });
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`, {
      hint: 'Pass --output with a path inside a writable folder.',
    });
  }
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org); FORCE_COLOR forces it. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}
