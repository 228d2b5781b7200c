import { posix } from 'node:path';
import { isInside } from './paths.js';

/** Folders whose contents Claude Code never auto-approves writing (§1.7). */
const PROTECTED_DIRS = [
  '.git',
  '.config/git',
  '.vscode',
  '.idea',
  '.husky',
  '.cargo',
  '.devcontainer',
  '.yarn',
  '.mvn',
  '.claude',
];
const PROTECTED_DIR_EXCEPTIONS = ['.claude/worktrees'];

/** Files Claude Code never auto-approves writing (§1.7). */
const PROTECTED_FILES = new Set([
  '.gitconfig',
  '.gitmodules',
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_aliases',
  '.bash_logout',
  '.zshrc',
  '.zprofile',
  '.zshenv',
  '.zlogin',
  '.zlogout',
  '.profile',
  '.envrc',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pnp.cjs',
  '.pnp.loader.mjs',
  '.pnpmfile.cjs',
  'bunfig.toml',
  '.bunfig.toml',
  '.bazelrc',
  '.bazelversion',
  '.bazeliskrc',
  '.pre-commit-config.yaml',
  'lefthook.yml',
  'lefthook.yaml',
  '.lefthook.yml',
  '.lefthook.yaml',
  'gradle-wrapper.properties',
  'maven-wrapper.properties',
  '.devcontainer.json',
  '.ripgreprc',
  'pyrightconfig.json',
  '.mcp.json',
  '.claude.json',
]);

export function isProtectedPath(absPath: string): boolean {
  const segments = absPath.split('/');
  if (PROTECTED_FILES.has(segments[segments.length - 1] ?? '')) return true;
  const rel = segments.join('/');
  for (const dir of PROTECTED_DIRS) {
    const needle = `/${dir}/`;
    const idx = `${rel}/`.indexOf(needle);
    if (idx < 0) continue;
    const after = `${rel}/`.slice(idx + 1);
    if (PROTECTED_DIR_EXCEPTIONS.some((ex) => after.startsWith(`${ex}/`))) continue;
    return true;
  }
  return false;
}

/** `rm`/`rmdir` targets that always need a person (§1.7): `/`, its children, home, cwd and its parents. */
export function isCriticalRemoval(absTarget: string, cwd: string, home: string, rawTarget: string): boolean {
  if (absTarget === '/') return true;
  if (posix.dirname(absTarget) === '/') return true;
  if (absTarget === home) return true;
  if (isInside(cwd, absTarget)) return true; // cwd itself or one of its parents
  // A glob or trailing slash directly under a variable: rm -rf "$DIR"/*
  if (/^\$\{?\w+\}?\/(\*|$)/.test(rawTarget)) return true;
  return false;
}
