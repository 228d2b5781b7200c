import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UsageError } from '../core/errors.js';
import { git } from './git.js';

export type ChangeKind = 'added' | 'modified' | 'deleted';

export interface ChangedFile {
  /** POSIX path relative to the audited folder. */
  path: string;
  kind: ChangeKind;
}

export interface ChangeSet {
  base: string;
  gitRoot: string;
  files: ChangedFile[];
}

const KIND: Record<string, ChangeKind> = { A: 'added', D: 'deleted' };

/** `git diff --name-status -z` output: status, NUL, path, NUL … (renames are off, so one path each). */
function parseNameStatus(out: string): { path: string; kind: ChangeKind }[] {
  const parts = out.split('\0');
  const files: { path: string; kind: ChangeKind }[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i]!;
    const path = parts[i + 1]!;
    if (status && path) files.push({ path, kind: KIND[status[0]!] ?? 'modified' });
  }
  return files;
}

export async function gitRootOf(dir: string): Promise<string> {
  const top = await git(['rev-parse', '--show-toplevel'], dir);
  if (!top.ok)
    throw new UsageError(`${dir} is not inside a git repository`, {
      hint: /not installed/.test(top.stderr)
        ? 'install git; plumbline ci reads the changed files from git'
        : 'plumbline ci compares git revisions: run it in a clone (actions/checkout), or pass --all to check everything',
    });
  return realpathSync(top.stdout.trim());
}

async function missingBase(base: string, gitRoot: string): Promise<UsageError> {
  const shallow = await git(['rev-parse', '--is-shallow-repository'], gitRoot);
  const branch = base.replace(/^origin\//, '');
  if (shallow.ok && shallow.stdout.trim() === 'true')
    return new UsageError(`the base ref "${base}" is not in this shallow clone`, {
      hint: `fetch the history: use actions/checkout with "fetch-depth: 0", or run "git fetch --unshallow origin ${branch}"`,
    });
  return new UsageError(`the base ref "${base}" does not exist in this repository`, {
    hint: `check --base, or fetch it first: "git fetch origin ${branch}" (in GitHub Actions, actions/checkout with "fetch-depth: 0")`,
  });
}

/**
 * Files changed between `base` and the working tree: committed since the merge base (`base...HEAD`),
 * staged and unstaged edits (`HEAD`), and untracked files that are not ignored. Paths outside `root` are
 * dropped; the rest are made relative to it.
 */
export async function changedFiles(root: string, base: string): Promise<ChangeSet> {
  if (base.startsWith('-'))
    throw new UsageError(`--base "${base}" looks like an option, not a git revision`, {
      hint: 'pass a branch, tag or commit, for example --base origin/main',
    });
  const gitRoot = await gitRootOf(root);
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], gitRoot);
  if (!head.ok)
    throw new UsageError('the repository has no commits yet', {
      hint: 'commit once, then compare against that commit (--base HEAD), or pass --all',
    });
  const resolved = await git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`], gitRoot);
  if (!resolved.ok) throw await missingBase(base, gitRoot);

  const [committed, working, untracked] = await Promise.all([
    git(['diff', '--name-status', '-z', '--no-renames', `${base}...HEAD`, '--'], gitRoot),
    git(['diff', '--name-status', '-z', '--no-renames', 'HEAD', '--'], gitRoot),
    git(['ls-files', '--others', '--exclude-standard', '-z'], gitRoot),
  ]);
  if (!committed.ok) {
    const noMergeBase = /no merge base/i.test(committed.stderr);
    throw new UsageError(
      noMergeBase
        ? `"${base}" and HEAD have no common ancestor in this clone`
        : `git could not compare "${base}" with HEAD: ${committed.stderr.split('\n')[0]}`,
      { hint: 'fetch the full history (actions/checkout with "fetch-depth: 0", or "git fetch --unshallow")' },
    );
  }
  if (!working.ok || !untracked.ok)
    throw new UsageError(
      `git could not list working-tree changes: ${(working.stderr || untracked.stderr).split('\n')[0]}`,
    );

  // Later sources win: a file committed as added and then edited is still added; deleted in the tree wins.
  const byPath = new Map<string, ChangeKind>();
  for (const f of parseNameStatus(committed.stdout)) byPath.set(f.path, f.kind);
  for (const f of parseNameStatus(working.stdout)) {
    const before = byPath.get(f.path);
    byPath.set(f.path, before === 'added' && f.kind === 'modified' ? 'added' : f.kind);
  }
  for (const p of untracked.stdout.split('\0')) if (p) byPath.set(p, 'added');

  const rootReal = realpathSync(root);
  const files: ChangedFile[] = [];
  for (const [p, kind] of byPath) {
    const rel = relative(rootReal, join(gitRoot, p));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    files.push({ path: rel.split(sep).join('/'), kind });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { base, gitRoot, files };
}
