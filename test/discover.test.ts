import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { discover } from '../src/core/discover.js';
import { UsageError } from '../src/core/errors.js';

const made: string[] = [];

/** Writes a project into a fresh temp folder; keys are relative POSIX paths. */
function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'plumbline-discover-'));
  made.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

afterAll(() => {
  for (const root of made) {
    chmodSync(root, 0o755);
    rmSync(root, { recursive: true, force: true });
  }
});

const paths = async (root: string, options = {}) => (await discover(root, options)).files.map((f) => f.path);

describe('target validation', () => {
  test('a missing folder is a usage error naming it, with a hint', async () => {
    const missing = join(tmpdir(), 'plumbline-no-such-folder-xyz');
    const err = await discover(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toContain(missing);
    expect((err as UsageError).hint).toMatch(/plumbline audit/);
  });

  test('a file instead of a folder is a usage error pointing at its folder', async () => {
    const root = tree({ 'agent.ts': 'export {};\n' });
    const file = join(root, 'agent.ts');
    const err = await discover(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toContain(file);
    expect((err as UsageError).message).toMatch(/not a folder/);
    expect((err as UsageError).hint).toContain(root);
  });
});

describe('what is read', () => {
  test('sources, configs and agent definitions are read, classified and sorted; the rest is not', async () => {
    const root = tree({
      'src/z.ts': 'export const z = 1;\n',
      'src/agent.py': 'print(1)\n',
      'src/a.tsx': 'export const A = () => null;\n',
      'package.json': '{"name":"x"}\n',
      'tsconfig.json': '{ // c\n}\n',
      'config/agent.yaml': 'a: 1\n',
      '.claude/agents/reviewer.md': '---\nname: reviewer\ntools: Read\n---\nReview.\n',
      '.claude/commands/ship.md': 'Ship it.\n',
      'skills/pdf/SKILL.md': '---\nname: pdf\n---\n',
      'requirements.txt': 'anthropic==0.40\n',
      'README.md': '# hi\n',
      'docs/guide.md': 'guide\n',
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
      'package-lock.json': '{}\n',
      'pnpm-lock.yaml': 'lockfileVersion: 9\n',
      'yarn.lock': '# yarn\n',
      'uv.lock': 'version = 1\n',
      'dist.js.map': '{}\n',
      'types/api.d.ts': 'export type A = 1;\n',
    });
    const project = await discover(root);
    expect(project.files.map((f) => f.path)).toEqual([
      '.claude/agents/reviewer.md',
      '.claude/commands/ship.md',
      'config/agent.yaml',
      'package.json',
      'requirements.txt',
      'skills/pdf/SKILL.md',
      'src/a.tsx',
      'src/agent.py',
      'src/z.ts',
      'tsconfig.json',
    ]);
    expect(project.skipped).toEqual([]);
    expect(project.stats.walkedFiles).toBe(19);
    expect(project.stats.readFiles).toBe(10);
    const byPath = Object.fromEntries(project.files.map((f) => [f.path, f]));
    expect(byPath['src/z.ts']).toMatchObject({
      abs: join(root, 'src', 'z.ts'),
      size: 20,
      role: 'source',
      language: 'typescript',
      text: 'export const z = 1;\n',
    });
    expect(byPath['src/a.tsx']?.language).toBe('tsx');
    expect(byPath['src/agent.py']?.language).toBe('python');
    expect(byPath['tsconfig.json']).toMatchObject({ role: 'config', configFormat: 'jsonc' });
    expect(byPath['config/agent.yaml']?.configFormat).toBe('yaml');
    expect(byPath['.claude/agents/reviewer.md']?.text).toContain('tools: Read');
    expect(project.root).toBe(root);
  });

  test('a leading BOM is removed and CRLF line endings are kept', async () => {
    const root = tree({ 'a.ts': '\uFEFFconst a = 1;\r\nconst b = 2;\r\n' });
    const [file] = (await discover(root)).files;
    expect(file?.text).toBe('const a = 1;\r\nconst b = 2;\r\n');
  });

  test('binary, oversized and invalid UTF-8 files are skipped with a reason', async () => {
    const root = tree({
      'bin.js': Buffer.concat([Buffer.from('const a = 1;'), Buffer.from([0]), Buffer.from('rest')]),
      'big.json': `{"x":"${'a'.repeat(2000)}"}`,
      'latin1.py': Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x0a]),
      'ok.ts': 'export {};\n',
    });
    const project = await discover(root, { maxFileBytes: 1000 });
    expect(project.files.map((f) => f.path)).toEqual(['ok.ts']);
    expect(project.skipped).toEqual([
      { path: 'big.json', reason: 'too-large', detail: '2008 bytes' },
      { path: 'bin.js', reason: 'binary' },
      { path: 'latin1.py', reason: 'invalid-utf8' },
    ]);
  });

  test('minified or bundled JavaScript is skipped as build output; TypeScript and written JS are kept', async () => {
    const stmt = (i: number) => `var a${i}=function(b){return b+${i}};`;
    const longLine = `${Array.from({ length: 1000 }, (_, i) => stmt(i)).join('')}\n`;
    const readable = Array.from({ length: 300 }, (_, i) => `export const value${i} = compute(${i});`).join(
      '\n',
    );
    const root = tree({
      'vendor-chunk.mjs': longLine,
      'app.js': `${readable}\n// ${'='.repeat(100)}\n`,
      'blob.cjs': `${readable}\nmodule.exports.data = "${'x'.repeat(25_000)}";\n`,
      'typed.ts': longLine,
      'small.js': stmt(1),
    });
    const project = await discover(root);
    expect(project.files.map((f) => f.path).sort()).toEqual(['app.js', 'small.js', 'typed.ts']);
    const skipped = Object.fromEntries(project.skipped.map((s) => [s.path, s]));
    expect(skipped['vendor-chunk.mjs']).toMatchObject({ reason: 'minified' });
    expect(skipped['vendor-chunk.mjs']?.detail).toMatch(/characters per line on average/);
    expect(skipped['blob.cjs']?.detail).toMatch(/a line of 250\d\d characters/);
  });

  test('a NUL byte past the first 8 KiB does not make a file binary', async () => {
    const root = tree({
      'late.ts': Buffer.concat([Buffer.from(`// ${'x'.repeat(9000)}\n`), Buffer.from([0])]),
    });
    expect(await paths(root)).toEqual(['late.ts']);
  });

  test('a FIFO named like source is reported, never opened', async () => {
    const root = tree({ 'ok.ts': 'export {};\n' });
    execFileSync('mkfifo', [join(root, 'pipe.ts')]);
    const project = await discover(root);
    expect(project.files.map((f) => f.path)).toEqual(['ok.ts']);
    expect(project.skipped).toEqual([
      { path: 'pipe.ts', reason: 'unreadable', detail: 'not a regular file' },
    ]);
  });

  // Root reads everything, so the check drops to an unprivileged effective uid (vitest runs each test file
  // in its own forked process, which makes the temporary switch safe). Elsewhere chmod alone does it.
  test('files and folders without read permission are reported as unreadable', async ({ skip }) => {
    const root = tree({
      'ok.ts': 'export {};\n',
      'secret.ts': 'export {};\n',
      'locked/inner.ts': 'export {};\n',
    });
    execFileSync('chmod', ['-R', 'a+rX', root]);
    chmodSync(join(root, 'secret.ts'), 0o000);
    chmodSync(join(root, 'locked'), 0o000);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      try {
        process.seteuid?.(65534);
      } catch {
        chmodSync(join(root, 'locked'), 0o755);
        skip('root without CAP_SETUID cannot drop privileges, and root reads every file');
      }
    }
    let project: Awaited<ReturnType<typeof discover>>;
    try {
      project = await discover(root);
    } finally {
      if (asRoot) process.seteuid?.(0);
      chmodSync(join(root, 'locked'), 0o755);
    }
    expect(project.files.map((f) => f.path)).toEqual(['ok.ts']);
    expect(project.skipped).toEqual([
      { path: 'locked', reason: 'unreadable', detail: 'EACCES' },
      { path: 'secret.ts', reason: 'unreadable', detail: 'EACCES' },
    ]);
  });
});

describe('ignores', () => {
  test('built-in folders are skipped; build output only at a package root', async () => {
    const root = tree({
      'src/agent.ts': '',
      'src/build/plan.ts': '',
      'src/dist/x.ts': '',
      'node_modules/sdk/index.js': '',
      'packages/a/node_modules/b/index.js': '',
      'vendor/lib.py': '',
      '.venv/lib/site.py': '',
      'venv/lib/site.py': '',
      'env3/pyvenv.cfg': 'home = /usr\n',
      'env3/lib/site.py': '',
      '__pycache__/x.py': '',
      '.git/hooks/pre-commit.py': '',
      '.next/server.js': '',
      '.pytest_cache/x.json': '{}',
      'dist/cli.js': '',
      'build/lib/x.py': '',
      'coverage/coverage-final.json': '{}',
      'target/x.json': '{}',
      'out/index.js': '',
      'packages/a/package.json': '{}',
      'packages/a/dist/index.js': '',
      'packages/a/src/index.ts': '',
      'py/svc/pyproject.toml': '',
      'py/svc/build/lib/svc.py': '',
    });
    expect(await paths(root)).toEqual([
      'packages/a/package.json',
      'packages/a/src/index.ts',
      'py/svc/pyproject.toml',
      'src/agent.ts',
      'src/build/plan.ts',
      'src/dist/x.ts',
    ]);
  });

  test('root and nested .gitignore files follow git precedence, negations included', async () => {
    const root = tree({
      '.gitignore': '*.gen.ts\nlogs/\nsecret*\n!secret-ok.ts\n/top-only.ts\n',
      'a.gen.ts': '',
      'keep.ts': '',
      'top-only.ts': '',
      'logs/run.ts': '',
      'secret.ts': '',
      'secret-ok.ts': '',
      'pkg/top-only.ts': '',
      'pkg/.gitignore': '!special.gen.ts\nlocal/\n',
      'pkg/special.gen.ts': '',
      'pkg/other.gen.ts': '',
      'pkg/local/x.ts': '',
      'local/x.ts': '',
    });
    expect(await paths(root)).toEqual([
      'keep.ts',
      'local/x.ts',
      'pkg/special.gen.ts',
      'pkg/top-only.ts',
      'secret-ok.ts',
    ]);
  });

  test('.git/info/exclude applies, and a .gitignore outranks it', async () => {
    const root = tree({
      '.git/info/exclude': 'scratch/\n*.local.ts\n',
      '.gitignore': '!keep.local.ts\n',
      'scratch/a.ts': '',
      'a.local.ts': '',
      'keep.local.ts': '',
      'b.ts': '',
    });
    expect(await paths(root)).toEqual(['b.ts', 'keep.local.ts']);
  });

  test('ignore files above the target in the same repository apply, unless they hide the target', async () => {
    const repo = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '*.tmp.ts\nignored-app/\n',
      'apps/.gitignore': 'generated/\n',
      'apps/web/a.ts': '',
      'apps/web/b.tmp.ts': '',
      'apps/web/generated/c.ts': '',
      'ignored-app/d.ts': '',
      'ignored-app/e.tmp.ts': '',
    });
    expect(await paths(join(repo, 'apps', 'web'))).toEqual(['a.ts']);
    // The user asked for this folder explicitly: rules that would drop all of it are set aside.
    expect(await paths(join(repo, 'ignored-app'))).toEqual(['d.ts', 'e.tmp.ts']);
  });

  test('user patterns apply and cannot be undone by a project .gitignore', async () => {
    const root = tree({
      '.gitignore': '!legacy/\n!legacy/**\n',
      'legacy/a.ts': '',
      'b.ts': '',
      'c.spec.ts': '',
    });
    expect(await paths(root, { ignore: ['legacy/', '*.spec.ts'] })).toEqual(['b.ts']);
  });
});

describe('symlinks', () => {
  test('links out of the target are reported and not followed', async () => {
    const outside = tree({ 'secret.ts': 'export const key = 1;\n', 'lib/x.ts': '' });
    const root = tree({ 'a.ts': '' });
    symlinkSync(join(outside, 'secret.ts'), join(root, 'leak.ts'));
    symlinkSync(join(outside, 'lib'), join(root, 'lib'));
    symlinkSync(join(outside, 'secret.ts'), join(root, 'notes.bin'));
    const project = await discover(root);
    expect(project.files.map((f) => f.path)).toEqual(['a.ts']);
    expect(project.skipped).toEqual([
      { path: 'leak.ts', reason: 'symlink-outside-target', detail: `-> ${join(outside, 'secret.ts')}` },
      { path: 'lib', reason: 'symlink-outside-target', detail: `-> ${join(outside, 'lib')}` },
    ]);
  });

  test('loops are detected and the walk ends', async () => {
    const root = tree({ 'src/a.ts': '', 'src/deep/b.ts': '' });
    symlinkSync('..', join(root, 'src', 'deep', 'up'));
    symlinkSync('self.ts', join(root, 'self.ts'));
    const project = await discover(root);
    expect(project.files.map((f) => f.path)).toEqual(['src/a.ts', 'src/deep/b.ts']);
    expect(project.skipped).toEqual([
      { path: 'self.ts', reason: 'symlink-loop', detail: '-> self.ts' },
      { path: 'src/deep/up', reason: 'symlink-loop', detail: '-> ..' },
    ]);
  });

  test('links inside the target are followed once: an alias never duplicates a file', async () => {
    const root = tree({ '.gitignore': 'hidden/\n', 'lib/tool.ts': 'export {};\n', 'hidden/h.ts': '' });
    symlinkSync('lib', join(root, 'a-alias'));
    symlinkSync('lib/tool.ts', join(root, 'tool-link.ts'));
    symlinkSync('hidden', join(root, 'shown'));
    const project = await discover(root);
    // `hidden/` is ignored under its own name, so the link is the only way in and is walked.
    expect(project.files.map((f) => f.path)).toEqual(['lib/tool.ts', 'shown/h.ts']);
    expect(project.skipped).toEqual([]);
  });

  test('a dangling link named like source is reported as unreadable', async () => {
    const root = tree({ 'a.ts': '' });
    symlinkSync('missing.ts', join(root, 'gone.ts'));
    symlinkSync('missing.png', join(root, 'gone.png'));
    const project = await discover(root);
    expect(project.skipped).toEqual([
      { path: 'gone.ts', reason: 'unreadable', detail: 'broken symlink (ENOENT)' },
    ]);
  });
});
