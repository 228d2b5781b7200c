import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isSkippedDir } from './relevance.js';
import { isScannedSourcePath } from './roles.js';

/**
 * Whether a folder holds at least `enough` source files that an audit would scan, judged by a walk that
 * looks at no more than `budget` entries (a few milliseconds). A hint for starting the analysis workers
 * before the audit's own modules have loaded, never a decision about what is analysed: it skips the folders
 * discovery always skips and hidden ones, but reads no .gitignore and no project config. Discovery decides
 * again once it has walked the folder.
 */
export function looksLarge(root: string, enough: number, budget = 5000): boolean {
  const folders = [''];
  let seen = 0;
  let sources = 0;
  for (let rel = folders.pop(); rel !== undefined; rel = folders.pop()) {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (++seen > budget) return false;
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !isSkippedDir(entry.name, true)) folders.push(path);
      } else if (entry.isFile() && isScannedSourcePath(path) && ++sources >= enough) return true;
    }
  }
  return false;
}
