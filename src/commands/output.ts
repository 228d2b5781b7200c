import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

/** Writes command output to stdout, or atomically to a file (temp file in the same folder, then rename). */
export function writeOutput(text: string, file?: string): void {
  if (!file || file === '-') {
    process.stdout.write(text);
    return;
  }
  const target = resolve(file);
  const dir = dirname(target);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch {
    try {
      mkdirSync(dir, { recursive: true });
    } catch {
      throw new UsageError(`cannot write ${file}: its folder ${dir} does not exist and cannot be created`, {
        hint: 'Pass --output with a path inside a writable folder.',
      });
    }
  }
  if (target === '/dev/null' || target.startsWith('/dev/')) {
    writeFileSync(target, text);
    return;
  }
  const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`, {
      hint: 'Check the path and its permissions.',
    });
  }
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org); FORCE_COLOR forces it. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}
