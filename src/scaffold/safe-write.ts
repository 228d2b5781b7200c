import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  type Stats,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { UsageError } from '../core/errors.js';

/** What is at a target path now. */
export interface TargetState {
  /** Absolute path. */
  abs: string;
  /** Current content, when a regular file is there. */
  current?: string;
  /** Its permission bits, kept when the file is replaced. */
  mode?: number;
}

const lstat = (p: string): Stats | undefined => {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
};

const inside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

function refuse(rel: string, why: string, hint?: string): UsageError {
  return new UsageError(`refusing to write ${rel}: ${why}`, {
    hint: hint ?? 'nothing was written; generated files must stay inside the project folder',
  });
}

/**
 * Checks that `rel` (a rendered template target) names a file inside `root` and reads what is there.
 * Refused: absolute paths, `..` segments, back-slashes, a folder in the way, a parent that is a file, a
 * symbolic link at the target, and any existing parent whose real path (links resolved) leaves the real root.
 */
export function inspectTarget(root: string, rel: string): TargetState {
  if (rel.includes('\0')) throw refuse(JSON.stringify(rel), 'the path contains a NUL byte');
  if (rel.includes('\\')) throw refuse(rel, 'use forward slashes in target paths');
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) throw refuse(rel, 'the path is absolute');
  const segments = rel.split('/');
  if (segments.includes('..')) throw refuse(rel, 'the path contains ".."');
  if (segments.every((s) => s === '' || s === '.'))
    throw refuse(rel, 'the path names the project folder itself');
  const parts = segments.filter((s) => s !== '' && s !== '.');
  // A project folder that does not exist yet (`init new-dir`) holds nothing: every file is new.
  if (!lstat(root)) return { abs: join(root, ...parts) };
  const realRoot = realpathSync(root);
  const abs = join(realRoot, ...parts);
  if (!inside(realRoot, abs)) throw refuse(rel, 'the path leaves the project folder');

  // The nearest existing parent decides where the file really lands.
  let parent = dirname(abs);
  let st = lstat(parent);
  while (!st) {
    parent = dirname(parent);
    st = lstat(parent);
  }
  const realParent = realpathSync(parent);
  if (!inside(realRoot, realParent))
    throw refuse(rel, `${relative(realRoot, parent) || '.'} is a link to ${realParent}, outside the project`);
  if (!lstatSync(realParent).isDirectory())
    throw refuse(
      rel,
      `${relative(realRoot, parent)} is a file, not a folder`,
      'nothing was written; move that file away or change the target',
    );

  const here = lstat(abs);
  if (!here) return { abs };
  if (here.isSymbolicLink())
    throw refuse(rel, 'it is a symbolic link', 'nothing was written; plumbline never writes through links');
  if (here.isDirectory()) throw refuse(rel, 'a folder with that name is in the way', 'nothing was written');
  if (!here.isFile()) throw refuse(rel, 'it is not a regular file', 'nothing was written');
  if ((here.mode & 0o222) === 0)
    throw refuse(
      rel,
      'the file is read-only',
      'nothing was written; make it writable (chmod u+w) to let plumbline update it',
    );
  return { abs, current: readFileSync(abs, 'utf8'), mode: here.mode & 0o7777 };
}

export interface WriteOp {
  /** Project-relative POSIX path (for messages). */
  rel: string;
  abs: string;
  content: string;
  /** Content before the write; undefined for a new file. Restored if a later rename fails. */
  original?: string;
  mode?: number;
}

function writeDurably(path: string, content: string, mode?: number): void {
  const fd = openSync(path, 'wx', mode ?? 0o666);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates the missing folders above `abs`, recording each one so a rollback can remove it. */
function ensureDir(dir: string, created: string[]): void {
  const missing: string[] = [];
  let cur = dir;
  while (!lstat(cur)) {
    missing.unshift(cur);
    cur = dirname(cur);
  }
  for (const d of missing) {
    mkdirSync(d);
    created.push(d);
  }
}

function cleanup(temps: string[], created: string[]): void {
  for (const t of temps) rmSync(t, { force: true });
  for (const d of [...created].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      // not empty any more (something else wrote there) — leave it
    }
  }
}

/**
 * Writes every file or none. Stage: each content goes to a temporary file beside its target (fsynced),
 * creating folders as needed — any failure removes the temporaries and new folders and nothing changed.
 * Commit: each temporary is renamed over its target (atomic per file); if a rename fails, the files
 * already replaced get their previous content back and new ones are removed.
 */
export function writeAll(ops: readonly WriteOp[]): void {
  const created: string[] = [];
  const temps: string[] = [];
  const staged: { op: WriteOp; tmp: string }[] = [];
  try {
    for (const op of ops) {
      ensureDir(dirname(op.abs), created);
      const tmp = join(
        dirname(op.abs),
        `.${basename(op.abs)}.${randomBytes(4).toString('hex')}.plumbline-tmp`,
      );
      temps.push(tmp);
      writeDurably(tmp, op.content, op.mode);
      staged.push({ op, tmp });
    }
  } catch (e) {
    cleanup(temps, created);
    const failed = ops[staged.length];
    throw new UsageError(`cannot write ${failed?.rel ?? 'a file'}: ${describe(e)}; nothing was written`, {
      hint: 'check that the project folder and its subfolders are writable',
    });
  }
  const done: WriteOp[] = [];
  try {
    for (const { op, tmp } of staged) {
      renameSync(tmp, op.abs);
      done.push(op);
    }
  } catch (e) {
    for (const op of done.reverse()) {
      try {
        if (op.original === undefined) rmSync(op.abs, { force: true });
        else writeFileSync(op.abs, op.original);
      } catch {
        // best effort: the error below still names the failure
      }
    }
    cleanup(temps, created);
    const failed = ops[done.length];
    throw new UsageError(
      `cannot replace ${failed?.rel ?? 'a file'}: ${describe(e)}; the files already replaced were restored`,
      {
        hint: 'check that the project folder and its subfolders are writable',
      },
    );
  }
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOTDIR':
      return 'a parent path is a file, not a folder';
    default:
      return err.code ?? err.message;
  }
}
