import { type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { join, sep } from 'node:path';

/** Folders whose changes never matter to the audit: dependencies, git, plumbline's own state, build output. */
export const WATCH_IGNORED = new Set([
  'node_modules',
  '.git',
  '.plumbline',
  'dist',
  '__pycache__',
  '.venv',
  'venv',
]);

export const isIgnored = (rel: string) => rel.split('/').some((seg) => WATCH_IGNORED.has(seg));

/**
 * Watches every folder under `root` except ignored ones, one non-recursive watcher per folder. Node's own
 * recursive mode on Linux walks and watches node_modules too before it returns, which takes seconds on a
 * real project; walking ourselves skips what we ignore. New folders are picked up as they appear.
 */
export function watchTree(root: string, onChange: (rel: string) => void): { close(): void } {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  /** `announce`: the folder is new, so files already in it changed before we could watch them. */
  const add = (rel: string, announce = false) => {
    if (closed || watchers.has(rel) || (rel && isIgnored(rel))) return;
    const abs = rel ? join(root, rel) : root;
    let w: FSWatcher;
    try {
      w = watch(abs, (_event, name) => {
        if (!name) return;
        const child = (rel ? `${rel}/${name}` : String(name)).split(sep).join('/');
        if (isIgnored(child)) return;
        try {
          if (statSync(join(root, child)).isDirectory()) add(child, true);
        } catch {
          // Deleted: its watcher reports an error and is dropped below.
        }
        onChange(child);
      });
    } catch {
      return; // Gone before we could watch it, or unreadable.
    }
    w.on('error', () => {
      w.close();
      watchers.delete(rel);
    });
    watchers.set(rel, w);
    let entries: import('node:fs').Dirent[] = [];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) add(child, announce);
      else if (announce && !isIgnored(child)) onChange(child);
    }
  };
  add('');
  return {
    close() {
      closed = true;
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
