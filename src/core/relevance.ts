import { configFormatOf, languageOf } from './roles.js';

/**
 * Folders never analysed wherever they sit: dependencies, virtualenvs, VCS data and tool caches. Their
 * code is not the project's harness, and reading them would dominate the audit's time.
 */
const ALWAYS_SKIPPED_DIRS = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  '.venv',
  'venv',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.vercel',
  '.yarn',
  '.pnpm-store',
  '.parcel-cache',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
]);

/**
 * Build output names. They are also ordinary words (`src/build/` may be a module that builds things), so
 * they are skipped only at a package root: the target itself, or a folder holding a package manifest.
 */
const OUTPUT_DIRS = new Set(['dist', 'build', 'out', 'target', 'coverage']);

const MANIFESTS = new Set([
  'package.json',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'Cargo.toml',
  'go.mod',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'deno.json',
]);

export const isManifest = (name: string) => MANIFESTS.has(name);

/** Whether a folder named `name` is skipped; `atPackageRoot` says its parent is the target or a package root. */
export function isSkippedDir(name: string, atPackageRoot: boolean): boolean {
  return ALWAYS_SKIPPED_DIRS.has(name) || (atPackageRoot && OUTPUT_DIRS.has(name));
}

/** A folder holding this file is a Python virtualenv whatever its name (`env/`, `.env3/`). */
export const VIRTUALENV_MARKER = 'pyvenv.cfg';

/** Lockfiles parse as config but are machine-written and large; no detector reads them. */
const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'deno.lock',
  'bun.lock',
]);

/** Markdown that configures an agent (sub-agent and command definitions, skills) rather than documents it. */
const AGENT_MARKDOWN = /(^|\/)\.claude\/(agents|commands)\/(.+\/)?[^/]+\.md$/i;

/**
 * Whether discovery reads this file at all. Sources and configs are analysed; so are agent definition
 * files in Markdown (their front matter declares tools and permissions) and Python requirement lists
 * (framework evidence). Everything else — images, lockfiles, source maps — is not part of the analysis.
 */
export function isAnalysable(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (languageOf(rel)) return true;
  if (configFormatOf(rel)) return !LOCKFILES.has(base);
  if (base === 'SKILL.md' || AGENT_MARKDOWN.test(rel)) return true;
  return /^requirements[\w.-]*\.txt$/.test(base);
}
