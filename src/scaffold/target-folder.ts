import { lstatSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../core/errors.js';

/**
 * `init` may create its folder, so the folder need not exist; but it must not be a file, and the nearest
 * existing parent must be a folder.
 */
export function checkTargetFolder(abs: string, shown: string): void {
  let cur = abs;
  for (;;) {
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(cur);
    } catch {
      try {
        lstatSync(cur);
        throw new UsageError(`${shown} is a broken symbolic link`, {
          hint: 'remove it or pick another folder',
        });
      } catch (e) {
        if (e instanceof UsageError) throw e;
      }
    }
    if (st) {
      if (st.isDirectory()) return;
      throw new UsageError(
        cur === abs
          ? `${shown} is a file, not a folder`
          : `cannot create ${shown}: ${cur} is a file, not a folder`,
        { hint: 'pass a new or existing folder for the project' },
      );
    }
    const up = dirname(cur);
    if (up === cur) return;
    cur = up;
  }
}
