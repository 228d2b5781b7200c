import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installHook, installWorkflow } from '../src/ci/init-ci.js';
import { UsageError } from '../src/core/errors.js';
import { cli, gitIn, gitRepo, tempDir, write } from './helpers/ci-project.js';

const tmp = tempDir('plumbline-init-ci-');
afterAll(tmp.cleanup);
let n = 0;
const repo = (files: Record<string, string> = { 'package.json': '{}\n', 'package-lock.json': '{}\n' }) =>
  gitRepo(join(tmp.dir, `r-${++n}`), files);

/** A GitHub expression or shell expansion, spelled without tripping template-string lint rules. */
const $ = (inner: string) => `$${inner}`;

type Step = {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
};

describe('plumbline init-ci github', () => {
  it('writes a pull-request workflow that diffs against the base branch and uploads SARIF', async () => {
    const root = repo();
    const r = await cli(['init-ci', 'github', '--path', root]);
    expect(r.code).toBe(0);
    const path = join(root, '.github/workflows/plumbline.yml');
    expect(r.out).toContain('.github/workflows/plumbline.yml');
    const wf = parse(readFileSync(path, 'utf8'));
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions['security-events']).toBe('write');
    const steps = wf.jobs.harness.steps as Step[];
    expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(steps[1]).toMatchObject({ uses: 'actions/setup-node@v4', with: { 'node-version': 20 } });
    expect(steps[2]?.run).toBe('npm ci');
    const ci = steps.find((s) => s.run?.includes('plumbline ci'))!;
    expect(ci.run).toBe('npx --no plumbline ci . --base "origin/$BASE_REF" --sarif plumbline.sarif');
    expect(ci.env).toEqual({ BASE_REF: $('{{ github.base_ref }}') });
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.with?.sarif_file).toBe('plumbline.sarif');
    expect(upload.if).toContain('always()');
  });

  it('never overwrites without --force', async () => {
    const root = repo();
    const path = join(root, '.github/workflows/plumbline.yml');
    write(root, { '.github/workflows/plumbline.yml': 'name: mine\n' });
    const r = await cli(['init-ci', 'github', '--path', root]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('already exists; left unchanged');
    expect(r.err).toContain('--force');
    expect(readFileSync(path, 'utf8')).toBe('name: mine\n');
    const forced = await cli(['init-ci', 'github', '--path', root, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('plumbline ci');
  });

  it('puts the workflow at the repository root and names a sub-folder project', async () => {
    const root = repo({ 'agent/package.json': '{}\n' });
    const w = await installWorkflow(join(root, 'agent'));
    expect(w).toEqual({ path: join(root, '.github/workflows/plumbline.yml'), written: true });
    const text = readFileSync(w.path, 'utf8');
    expect(text).toContain('npx --no plumbline ci agent --base');
    expect(text).toContain('# plumbline must be installed');
  });
});

describe('plumbline init-ci --pre-commit', () => {
  it('writes an executable hook that checks uncommitted changes against HEAD, once', async () => {
    const root = repo();
    const r = await cli(['init-ci', '--pre-commit', '--path', root]);
    expect(r.code).toBe(0);
    const hook = join(root, '.git/hooks/pre-commit');
    expect(r.out).toContain('.git/hooks/pre-commit');
    expect(r.out).not.toContain('plumbline.yml');
    expect(statSync(hook).mode & 0o777).toBe(0o755);
    const text = readFileSync(hook, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toContain('exec npx --no plumbline ci . --base HEAD');
    write(root, { '.git/hooks/pre-commit': '#!/bin/sh\necho mine\n' });
    const again = await installHook(root);
    expect(again.written).toBe(false);
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\necho mine\n');
    expect((await installHook(root, { force: true })).written).toBe(true);
    expect(readFileSync(hook, 'utf8')).toContain('plumbline ci');
  });

  it('follows core.hooksPath, and refuses a folder outside git', async () => {
    const root = repo();
    gitIn(root, 'config', 'core.hooksPath', '.githooks');
    expect((await installHook(root)).path).toBe(join(root, '.githooks/pre-commit'));
    const plain = write(join(tmp.dir, 'plain'), { 'a.ts': '' });
    await expect(installHook(plain)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8'));
  it('is a composite action with the documented inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(['path', 'base', 'fail-on', 'sarif', 'all']);
    expect(action.inputs['fail-on'].default).toBe('high');
  });

  it('runs plumbline from its own checkout, never by npm name, and keeps inputs out of the script', () => {
    const steps = action.runs.steps as (Step & { 'working-directory'?: string; shell?: string })[];
    const install = steps.find((s) => s.run?.includes('npm ci'))!;
    expect(install['working-directory']).toBe($('{{ github.action_path }}'));
    expect(install.run).toContain('npm run build');
    const ci = steps.find((s) => s.run?.includes('PLUMBLINE_CLI'))!;
    expect(ci.env?.PLUMBLINE_CLI).toBe($('{{ github.action_path }}/dist/cli.js'));
    expect(ci.run).toContain(`node "$PLUMBLINE_CLI" "${$('{args[@]}')}"`);
    const scripts = steps.map((s) => s.run ?? '').join('\n');
    expect(scripts).not.toMatch(/npx\s+plumbline/);
    expect(scripts).not.toContain($('{{'));
    for (const s of steps.filter((x) => x.run)) expect(s.shell).toBe('bash');
  });
});
