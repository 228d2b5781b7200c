import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';
import { IgnoreRules } from './ignore-rules.js';
import { minifiedReason } from './minified.js';
import type { Project } from './project.js';
import { isAnalysable, isManifest, isSkippedDir, VIRTUALENV_MARKER } from './relevance.js';
import { configFormatOf, languageOf, roleOf } from './roles.js';
import type { ProjectFile, SkippedFile } from './types.js';

export interface DiscoverOptions {
  /** Files larger than this are skipped and listed (default 1 MiB). */
  maxFileBytes?: number;
  /** Extra gitignore-style patterns from the project config. */
  ignore?: string[];
  /**
   * Called with the paths found once the folders are walked, before any file is read (the slow part):
   * lets the caller start work that only needs to know how many files are coming.
   */
  onWalked?: (paths: readonly string[]) => void;
  /** Called with each file as soon as it is read (in walk order, before the final sort by path). */
  onRead?: (file: ProjectFile) => void;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** Counts that explain an audit's coverage (`--verbose`, benchmarks). */
export interface DiscoveryStats {
  /** Regular files seen in folders that were walked, analysable or not. */
  walkedFiles: number;
  /** Files read and handed to analysis (= files.length). */
  readFiles: number;
}

/** Bytes inspected for a NUL to call a file binary, as git does. */
const BINARY_SNIFF_BYTES = 8 * 1024;

interface Candidate {
  rel: string;
  abs: string;
  /** Real path, for telling a symlinked alias from the file itself. */
  real: string;
  viaLink: boolean;
}

interface PendingLink {
  rel: string;
  abs: string;
  parentReal: string;
  rules: IgnoreRules;
}

interface Walk {
  realRoot: string;
  candidates: Candidate[];
  skipped: SkippedFile[];
  links: PendingLink[];
  /** Real paths of folders already walked, so a symlinked alias is not walked twice. */
  visited: Set<string>;
  walkedFiles: number;
}

const errorCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);
const joinRel = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);

/**
 * Lists and reads the files of the audited folder that analysis needs. Honours `.gitignore` files (root,
 * nested and those above the target inside the same repository), `.git/info/exclude`, the user's ignore
 * patterns and built-in skips (dependencies, virtualenvs, caches, build output). Follows symlinks only
 * while they stay inside the target; never runs anything. Deterministic: files come sorted by path.
 *
 * Synchronous I/O on purpose: on 5k small files, sync reads took a third of the time of fs/promises with
 * 8–64 reads in flight (the thread pool's hand-offs cost more than page-cache reads), and a sync walk keeps
 * the alias-versus-real-path choice independent of timing.
 */
export async function discover(
  root: string,
  options: DiscoverOptions = {},
): Promise<Project & { stats: DiscoveryStats }> {
  const absRoot = resolve(root);
  const realRoot = checkTarget(root, absRoot);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;

  const walk: Walk = {
    realRoot,
    candidates: [],
    skipped: [],
    links: [],
    visited: new Set([realRoot]),
    walkedFiles: 0,
  };
  walkDir(walk, absRoot, '', realRoot, rulesAbove(realRoot, IgnoreRules.create(options.ignore ?? [])));
  // Symlinks wait until every real folder is walked, so the real path always wins over an alias.
  for (let i = 0; i < walk.links.length; i++) followLink(walk, walk.links[i]!);
  options.onWalked?.(walk.candidates.map((c) => c.rel));

  const files: ProjectFile[] = [];
  const canonical = new Set(walk.candidates.filter((c) => !c.viaLink).map((c) => c.real));
  for (const c of walk.candidates) {
    if (c.viaLink) {
      if (canonical.has(c.real)) continue;
      canonical.add(c.real);
    }
    const read = readCandidate(c, maxBytes);
    if ('reason' in read) walk.skipped.push(read);
    else {
      files.push(read);
      options.onRead?.(read);
    }
  }
  const byPath = (a: { path: string }, b: { path: string }) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  files.sort(byPath);
  walk.skipped.sort(byPath);
  return {
    root: absRoot,
    files,
    skipped: walk.skipped,
    stats: { walkedFiles: walk.walkedFiles, readFiles: files.length },
  };
}

/** Validates the target and returns its real path. */
function checkTarget(given: string, abs: string): string {
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new UsageError(`Target folder not found: ${given}`, {
        hint: 'Pass the folder of the agent project to audit, e.g. `plumbline audit ./my-agent`.',
      });
    throw new UsageError(`Cannot access target folder ${given} (${code})`, {
      hint: 'Check that the folder exists and that you may read it.',
    });
  }
  if (!isDir)
    throw new UsageError(`Target is a file, not a folder: ${given}`, {
      hint: `Pass the folder that contains it, e.g. \`plumbline audit ${dirname(given)}\`.`,
    });
  return realpathSync(abs);
}

/**
 * Ignore rules that apply from above the target: the `.gitignore` files between the enclosing repository's
 * root and the target, and the repository's `.git/info/exclude`. They are dropped if they would hide the
 * target itself: someone auditing `node_modules/pkg` on purpose wants it audited.
 */
function rulesAbove(realRoot: string, base: IgnoreRules): IgnoreRules {
  const chain: string[] = [];
  let gitRoot: string | undefined;
  for (let dir = realRoot; ; dir = dirname(dir)) {
    chain.push(dir);
    if (exists(join(dir, '.git'))) {
      gitRoot = dir;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  if (!gitRoot) return base;
  let rules = base;
  // Nearest first: each append ranks below the ones before it.
  for (const dir of chain.slice(1)) {
    const text = readText(join(dir, '.gitignore'));
    if (text !== undefined) rules = rules.withAncestorFile(toPosix(relative(dir, realRoot)), text);
  }
  const exclude = readText(join(gitRoot, '.git', 'info', 'exclude'));
  if (exclude !== undefined) rules = rules.withAncestorFile(toPosix(relative(gitRoot, realRoot)), exclude);
  return rules.hidesTarget() ? base : rules;
}

function walkDir(walk: Walk, abs: string, rel: string, real: string, inherited: IgnoreRules): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (e) {
    walk.skipped.push({ path: rel === '' ? '.' : rel, reason: 'unreadable', detail: errorCode(e) });
    return;
  }
  if (rel !== '' && entries.some((e) => e.name === VIRTUALENV_MARKER)) return;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  let rules = inherited;
  const gitignore = entries.find((e) => e.name === '.gitignore' && e.isFile());
  if (gitignore) {
    const text = readText(join(abs, '.gitignore'));
    if (text !== undefined) rules = rules.withFile(rel, text);
  }
  const atPackageRoot = rel === '' || entries.some((e) => isManifest(e.name) && e.isFile());

  for (const entry of entries) {
    const name = entry.name;
    const childRel = joinRel(rel, name);
    const childAbs = join(abs, name);
    if (entry.isDirectory()) {
      if (isSkippedDir(name, atPackageRoot) || rules.ignores(childRel, true)) continue;
      const childReal = join(real, name);
      walk.visited.add(childReal);
      walkDir(walk, childAbs, childRel, childReal, rules);
    } else if (entry.isFile()) {
      walk.walkedFiles++;
      if (!isAnalysable(childRel) || rules.ignores(childRel, false)) continue;
      walk.candidates.push({ rel: childRel, abs: childAbs, real: join(real, name), viaLink: false });
    } else if (entry.isSymbolicLink()) {
      if (isSkippedDir(name, atPackageRoot)) continue;
      walk.links.push({ rel: childRel, abs: childAbs, parentReal: real, rules });
    } else if (isAnalysable(childRel) && !rules.ignores(childRel, false)) {
      // FIFOs, sockets, devices: opening one could block or have side effects.
      walk.skipped.push({ path: childRel, reason: 'unreadable', detail: 'not a regular file' });
    }
  }
}

function followLink(walk: Walk, link: PendingLink): void {
  const target = () => {
    try {
      return `-> ${readlinkSync(link.abs)}`;
    } catch {
      return undefined;
    }
  };
  let real: string;
  try {
    real = realpathSync(link.abs);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ELOOP') walk.skipped.push({ path: link.rel, reason: 'symlink-loop', detail: target() });
    // A dangling link has nothing to read; it is not worth a warning unless it claims to be code.
    else if (isAnalysable(link.rel))
      walk.skipped.push({ path: link.rel, reason: 'unreadable', detail: `broken symlink (${code})` });
    return;
  }
  let isDir: boolean;
  try {
    isDir = statSync(real).isDirectory();
  } catch (e) {
    walk.skipped.push({ path: link.rel, reason: 'unreadable', detail: errorCode(e) });
    return;
  }
  if (!isInside(walk.realRoot, real)) {
    if (isDir || isAnalysable(link.rel))
      walk.skipped.push({ path: link.rel, reason: 'symlink-outside-target', detail: target() });
    return;
  }
  if (!isDir) {
    if (!isAnalysable(link.rel) || link.rules.ignores(link.rel, false)) return;
    walk.walkedFiles++;
    walk.candidates.push({ rel: link.rel, abs: link.abs, real, viaLink: true });
    return;
  }
  if (isInside(real, link.parentReal)) {
    walk.skipped.push({ path: link.rel, reason: 'symlink-loop', detail: target() });
    return;
  }
  // Already walked under its real path (or another alias): the same files once are enough.
  if (walk.visited.has(real)) return;
  if (link.rules.ignores(link.rel, true)) return;
  walk.visited.add(real);
  walkDir(walk, link.abs, link.rel, real, link.rules);
}

/** Whether `path` is `dir` or lies below it (both real, absolute). */
function isInside(dir: string, path: string): boolean {
  if (path === dir) return true;
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  return path.startsWith(prefix);
}

// Fatal: invalid UTF-8 is reported rather than silently replaced; the decoder drops a leading BOM.
const utf8 = new TextDecoder('utf-8', { fatal: true });

// O_NONBLOCK: a file swapped for a FIFO after the walk must not hang the audit.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

// One read buffer reused for every file: the text is copied out by the decoder anyway, and thousands of
// short-lived buffers cost more in garbage collection than the reads themselves.
let scratchBuf = Buffer.allocUnsafe(64 * 1024);
function scratch(size: number): Buffer {
  if (scratchBuf.length < size) scratchBuf = Buffer.allocUnsafe(Math.max(size, scratchBuf.length * 2));
  return scratchBuf;
}

function readCandidate(c: Candidate, maxBytes: number): ProjectFile | SkippedFile {
  let fd: number;
  try {
    fd = openSync(c.abs, OPEN_FLAGS);
  } catch (e) {
    return { path: c.rel, reason: 'unreadable', detail: errorCode(e) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { path: c.rel, reason: 'unreadable', detail: 'not a regular file' };
    if (st.size > maxBytes) return { path: c.rel, reason: 'too-large', detail: `${st.size} bytes` };
    const buf = scratch(st.size);
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buf, n, st.size - n, null);
      if (got === 0) break;
      n += got;
    }
    const bytes = buf.subarray(0, n);
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { path: c.rel, reason: 'binary' };
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return { path: c.rel, reason: 'invalid-utf8' };
    }
    const language = languageOf(c.rel);
    if (language === 'javascript') {
      const minified = minifiedReason(text);
      if (minified) return { path: c.rel, reason: 'minified', detail: minified };
    }
    return {
      path: c.rel,
      abs: c.abs,
      size: n,
      role: roleOf(c.rel),
      language,
      configFormat: configFormatOf(c.rel),
      text,
    };
  } catch (e) {
    return { path: c.rel, reason: 'unreadable', detail: errorCode(e) };
  } finally {
    closeSync(fd);
  }
}

function readText(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function exists(abs: string): boolean {
  try {
    statSync(abs);
    return true;
  } catch {
    return false;
  }
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));
