import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { inspectTarget, writeAll } from '../../src/scaffold/safe-write.js';
import { scaffold } from '../../src/scaffold/scaffold.js';
import { loadTemplates } from '../../src/scaffold/templates.js';
import { tempDir, write } from '../helpers/ci-project.js';
import { FIXTURE_CRITERIA, fixtureTemplates, snapshot } from './fixtures.js';

const tmp = tempDir('plumbline-safe-write-');
afterAll(tmp.cleanup);
let n = 0;
const project = (files: Record<string, string> = {}) => {
  const dir = join(tmp.dir, `p${++n}`);
  mkdirSync(dir, { recursive: true });
  return write(dir, files);
};

const refusal = (root: string, rel: string) => {
  try {
    inspectTarget(root, rel);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as UsageError).message;
  }
  throw new Error(`expected ${rel} to be refused`);
};

describe('inspectTarget', () => {
  it('refuses paths that leave the project: .., absolute, back-slashes, the root itself', () => {
    const root = project();
    expect(refusal(root, '../x.ts')).toBe('refusing to write ../x.ts: the path contains ".."');
    expect(refusal(root, 'src/../../x.ts')).toContain('contains ".."');
    expect(refusal(root, '/etc/passwd')).toContain('the path is absolute');
    expect(refusal(root, 'C:/x.ts')).toContain('the path is absolute');
    expect(refusal(root, 'src\\..\\..\\x.ts')).toContain('forward slashes');
    expect(refusal(root, './')).toContain('the project folder itself');
  });

  it('refuses a symlinked folder that points outside, and a symlink at the target', () => {
    const outside = project({ 'secret.txt': 'keep\n' });
    const root = project({ 'src/a.ts': '' });
    symlinkSync(outside, join(root, 'src/linked'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'src/file-link.ts'));
    expect(refusal(root, 'src/linked/harness/x.ts')).toMatch(
      /src\/linked is a link to .*, outside the project/,
    );
    expect(refusal(root, 'src/file-link.ts')).toContain('it is a symbolic link');
    // a link that stays inside the project is fine
    symlinkSync(join(root, 'src'), join(root, 'lib'));
    expect(inspectTarget(root, 'lib/new.ts')).toEqual({ abs: join(root, 'lib/new.ts') });
  });

  it('refuses a folder in the way, a parent that is a file and a read-only file', () => {
    const root = project({ 'src/a.ts': 'x\n', 'docs/readme/keep.md': '' });
    expect(refusal(root, 'docs/readme')).toContain('a folder with that name is in the way');
    expect(refusal(root, 'src/a.ts/b.ts')).toBe(
      'refusing to write src/a.ts/b.ts: src/a.ts is a file, not a folder',
    );
    chmodSync(join(root, 'src/a.ts'), 0o444);
    expect(refusal(root, 'src/a.ts')).toContain('the file is read-only');
  });

  it('reads the current content of an existing file', () => {
    const root = project({ 'src/a.ts': 'old\n' });
    expect(inspectTarget(root, './src//a.ts')).toMatchObject({
      current: 'old\n',
      abs: join(root, 'src/a.ts'),
    });
  });
});

describe('writeAll', () => {
  it('writes nothing when one target cannot be written (read-only folder, as an unprivileged user)', () => {
    const root = project({ 'ro/keep.txt': 'k\n' });
    chmodSync(tmp.dir, 0o777);
    chmodSync(root, 0o777);
    chmodSync(join(root, 'ro'), 0o555);
    const before = snapshot(root);
    const asRoot = process.getuid?.() === 0;
    let error: unknown;
    try {
      if (asRoot) process.seteuid?.(65534);
      writeAll([
        { rel: 'new/a.ts', abs: join(root, 'new/a.ts'), content: 'a\n' },
        { rel: 'b.ts', abs: join(root, 'b.ts'), content: 'b\n' },
        { rel: 'ro/c.ts', abs: join(root, 'ro/c.ts'), content: 'c\n' },
      ]);
    } catch (e) {
      error = e;
    } finally {
      if (asRoot) process.seteuid?.(0);
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('cannot write ro/c.ts: permission denied; nothing was written');
    expect(snapshot(root)).toEqual(before);
  });

  it('replaces existing files atomically and keeps their mode', () => {
    const root = project({ 'run.sh': 'old\n' });
    chmodSync(join(root, 'run.sh'), 0o755);
    writeAll([
      { rel: 'run.sh', abs: join(root, 'run.sh'), content: 'new\n', original: 'old\n', mode: 0o755 },
    ]);
    expect(snapshot(root)).toEqual({ 'run.sh': '755 new\n' });
  });
});

describe('scaffold is all-or-nothing', () => {
  const templates = fixtureTemplates(join(tmp.dir, 'templates'));
  const set = loadTemplates('typescript', templates, FIXTURE_CRITERIA);
  const run = (root: string, ids: string[], extra: { force?: boolean; dryRun?: boolean } = {}) =>
    scaffold({
      root,
      set,
      templates: ids.map((id) => set.byId.get(id)!),
      layout: { name: 'demo', srcDir: 'src', testDir: 'test' },
      phase: 'day-one',
      force: extra.force ?? false,
      dryRun: extra.dryRun ?? false,
    });

  it('a target whose parent is a file stops the run before anything is written', () => {
    const root = project({ 'package.json': '{}\n', 'src/harness': 'not a folder\n' });
    const before = snapshot(root);
    expect(() => run(root, ['project', 'tool-registry'])).toThrow(
      'refusing to write src/harness/tools/registry.ts: src/harness is a file, not a folder',
    );
    expect(snapshot(root)).toEqual(before);
  });

  it('a read-only file that would be replaced stops the run before anything is written', () => {
    const root = project({ 'README.md': 'mine\n' });
    chmodSync(join(root, 'README.md'), 0o444);
    const before = snapshot(root);
    expect(() => run(root, ['project', 'tool-registry'], { force: true })).toThrow(
      'README.md: the file is read-only',
    );
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(join(root, '.plumbline'))).toBe(false);
  });

  it('an unwritable folder (unprivileged user) leaves the project as it was', () => {
    const root = project({ 'package.json': '{\n  "name": "x"\n}\n' });
    mkdirSync(join(root, 'test'));
    chmodSync(root, 0o777);
    chmodSync(join(root, 'test'), 0o555);
    const before = snapshot(root);
    const asRoot = process.getuid?.() === 0;
    let error: unknown;
    try {
      if (asRoot) process.seteuid?.(65534);
      run(root, ['project', 'tool-registry']);
    } catch (e) {
      error = e;
    } finally {
      if (asRoot) process.seteuid?.(0);
    }
    expect((error as Error).message).toBe(
      'cannot write test/harness/tools/registry.test.ts: permission denied; nothing was written',
    );
    expect(snapshot(root)).toEqual(before);
    expect(readFileSync(join(root, 'package.json'), 'utf8')).toBe('{\n  "name": "x"\n}\n');
  });
});
