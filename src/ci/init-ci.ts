import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { UsageError } from '../core/errors.js';
import { git } from './git.js';

/** How a shell or workflow names the project folder relative to the repository root. */
function projectArg(gitRoot: string, project: string): string {
  const rel = relative(gitRoot, project).split(sep).join('/');
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new UsageError(`${project} is outside the repository ${gitRoot}`);
  return /^[\w./-]+$/.test(rel) ? rel : `'${rel.replace(/'/g, `'\\''`)}'`;
}

// `npx --no` runs only an installed plumbline: the npm name "plumbline" belongs to an unrelated package, so
// npx must never fetch it.
export function workflowText(project: string, installStep: string | undefined): string {
  return `# Written by \`plumbline init-ci github\`. The check fails only on regressions against
# .plumbline/baseline.json: record it with \`npx --no plumbline baseline\` and commit it.
name: plumbline

on:
  pull_request:

permissions:
  contents: read
  security-events: write

jobs:
  harness:
    name: agent harness regressions
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # plumbline ci diffs the pull request against its base branch
      - uses: actions/setup-node@v4
        with:
          node-version: 20
${installStep ? `      - run: ${installStep}\n` : '      # plumbline must be installed in this repository (a devDependency) for the next step.\n'}      - name: plumbline ci
        env:
          BASE_REF: \${{ github.base_ref }}
        run: npx --no plumbline ci ${project} --base "origin/$BASE_REF" --sarif plumbline.sarif
      - name: upload SARIF
        if: always() && hashFiles('plumbline.sarif') != ''
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: plumbline.sarif
          category: plumbline
`;
}

export function hookText(project: string): string {
  return `#!/bin/sh
# Written by \`plumbline init-ci --pre-commit\`: stops a commit whose changes make the agent harness regress
# against .plumbline/baseline.json (uncommitted changes compared with HEAD). Skip once: git commit --no-verify
cd "$(git rev-parse --show-toplevel)" || exit 1
exec npx --no plumbline ci ${project} --base HEAD
`;
}

export interface Installed {
  path: string;
  written: boolean;
}

async function gitRoot(dir: string): Promise<string | undefined> {
  const top = await git(['rev-parse', '--show-toplevel'], dir);
  return top.ok ? realpathSync(top.stdout.trim()) : undefined;
}

/** Writes `.github/workflows/plumbline.yml` at the repository root (or the folder, outside git). */
export async function installWorkflow(dir: string, o: { force?: boolean } = {}): Promise<Installed> {
  const project = realpathSync(resolve(dir));
  const root = (await gitRoot(project)) ?? project;
  const install = existsSync(join(root, 'package-lock.json'))
    ? 'npm ci'
    : existsSync(join(root, 'package.json'))
      ? 'npm install'
      : undefined;
  const path = join(root, '.github', 'workflows', 'plumbline.yml');
  const written = writeFileAtomic(path, workflowText(projectArg(root, project), install), {
    overwrite: o.force,
  });
  return { path, written };
}

/** Writes the git pre-commit hook (where git looks for hooks: core.hooksPath is honoured). */
export async function installHook(dir: string, o: { force?: boolean } = {}): Promise<Installed> {
  const project = realpathSync(resolve(dir));
  const root = await gitRoot(project);
  if (!root)
    throw new UsageError(`${dir} is not inside a git repository`, {
      hint: 'run `git init` first; a pre-commit hook lives in the repository',
    });
  const hooks = await git(['rev-parse', '--git-path', 'hooks'], root);
  if (!hooks.ok) throw new UsageError(`git could not tell where hooks live: ${hooks.stderr}`);
  const path = resolve(root, hooks.stdout.trim(), 'pre-commit');
  const written = writeFileAtomic(path, hookText(projectArg(root, project)), {
    mode: 0o755,
    overwrite: o.force,
  });
  return { path, written };
}
