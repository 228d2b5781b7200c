import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode, e.g. 0o755 for a hook. */
  mode?: number;
  /** Replace an existing file; otherwise an existing file is left alone and `false` is returned. */
  overwrite?: boolean;
}

/**
 * Writes a file whole or not at all: a temporary file in the same folder, then a rename (replace) or a hard
 * link (no-replace, which fails atomically when the target exists). Returns false when it did not write
 * because the file exists.
 */
export function writeFileAtomic(path: string, text: string, o: AtomicWriteOptions = {}): boolean {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    if (o.mode !== undefined) chmodSync(tmp, o.mode);
    if (o.overwrite) renameSync(tmp, path);
    else {
      try {
        linkSync(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e;
      }
    }
    return true;
  } finally {
    rmSync(tmp, { force: true });
  }
}
