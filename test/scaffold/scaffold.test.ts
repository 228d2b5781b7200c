import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { LOCK_PATH, readLock, sha256 } from '../../src/scaffold/lock.js';
import { mergePackageJson } from '../../src/scaffold/package-json.js';
import { scaffold } from '../../src/scaffold/scaffold.js';
import { loadTemplates } from '../../src/scaffold/templates.js';
import { tempDir, write } from '../helpers/ci-project.js';
import { FIXTURE_CRITERIA, fixtureTemplates, snapshot } from './fixtures.js';

const tmp = tempDir('plumbline-scaffold-');
afterAll(tmp.cleanup);
let n = 0;
const project = (files: Record<string, string> = {}) => {
  const dir = join(tmp.dir, `p${++n}`);
  mkdirSync(dir, { recursive: true });
  return write(dir, files);
};

function engine(overrides: Record<string, string> = {}) {
  const set = loadTemplates(
    'typescript',
    fixtureTemplates(join(tmp.dir, `t${++n}`), overrides),
    FIXTURE_CRITERIA,
  );
  return (root: string, ids: string[], o: { force?: boolean; dryRun?: boolean; fresh?: boolean } = {}) =>
    scaffold({
      root,
      set,
      templates: ids.map((id) => set.byId.get(id)!),
      layout: { name: 'demo', srcDir: 'src', testDir: 'test' },
      phase: 'day-one',
      force: o.force ?? false,
      dryRun: o.dryRun ?? false,
      freshProject: o.fresh,
    });
}

const read = (root: string, rel: string) => readFileSync(join(root, rel), 'utf8');

describe('scaffold', () => {
  it('renders into a new folder, merges dependencies into package.json and records a lock', () => {
    const run = engine();
    const root = join(tmp.dir, 'fresh', 'agent');
    const out = run(root, ['project', 'tool-registry', 'permissions'], { fresh: true });
    expect(out.written).toBe(true);
    expect(out.files.map((f) => [f.path, f.action])).toEqual([
      ['package.json', 'create'],
      ['README.md', 'create'],
      ['src/harness/tools/registry.ts', 'create'],
      ['test/harness/tools/registry.test.ts', 'create'],
      ['src/harness/permissions/engine.ts', 'create'],
    ]);
    expect(JSON.parse(read(root, 'package.json'))).toEqual({
      name: 'demo',
      type: 'module',
      dependencies: { zod: '^4.1.0' },
      devDependencies: { '@types/node': '^20.19.0', vitest: '^4.1.0' },
    });
    expect(read(root, 'README.md')).toBe('# demo\nwith permissions\nwith tools\n');
    expect(read(root, 'test/harness/tools/registry.test.ts')).toContain(
      "from '../../../src/harness/tools/registry.js'",
    );
    const lock = readLock(root);
    expect(Object.keys(lock.files).sort()).toEqual([
      'README.md',
      'src/harness/permissions/engine.ts',
      'src/harness/tools/registry.ts',
      'test/harness/tools/registry.test.ts',
    ]);
    expect(lock.files['src/harness/tools/registry.ts']).toEqual({
      template: 'tool-registry',
      templateVersion: 1,
      sha256: sha256(read(root, 'src/harness/tools/registry.ts')),
    });
  });

  it('a dry run writes nothing and shows unified diffs', () => {
    const run = engine();
    const root = project({ 'package.json': '{\n    "name": "x"\n}\n', 'README.md': '# mine\n' });
    const before = snapshot(root);
    const out = run(root, ['project', 'tool-registry'], { dryRun: true });
    expect(snapshot(root)).toEqual(before);
    expect(out.written).toBe(false);
    const readme = out.files.find((f) => f.path === 'README.md')!;
    expect(readme.action).toBe('conflict');
    expect(readme.diff).toContain('--- a/README.md\n+++ b/README.md\n');
    expect(readme.diff).toContain('-# mine\n+# demo\n');
    const created = out.files.find((f) => f.path === 'src/harness/tools/registry.ts')!;
    expect(created.diff).toContain('--- /dev/null\n+++ b/src/harness/tools/registry.ts\n');
    expect(created.diff).toContain("+export const tools = ['read_file'];");
  });

  it('never overwrites a different file without --force: conflicts stop the whole run', () => {
    const run = engine();
    const root = project({ 'README.md': '# mine\n' });
    const before = snapshot(root);
    const out = run(root, ['project', 'tool-registry']);
    expect(out.written).toBe(false);
    expect(out.conflicts.map((c) => [c.path, c.reason])).toEqual([
      ['README.md', 'a different file is already there'],
    ]);
    expect(snapshot(root)).toEqual(before);
    const forced = run(root, ['project', 'tool-registry'], { force: true });
    expect(forced.files.find((f) => f.path === 'README.md')?.action).toBe('overwrite');
    expect(read(root, 'README.md')).toBe('# demo\nwith tools\n');
  });

  it('init refuses a non-empty folder holding files it would write, unless forced', () => {
    const run = engine();
    const root = project({ 'notes.txt': 'x\n' });
    expect(run(root, ['project'], { fresh: true }).written).toBe(true);
    const other = project({ 'README.md': '# demo\nwith tools\n' });
    expect(() => run(other, ['project', 'tool-registry'], { fresh: true })).toThrow(
      /is not empty and already has 1 of the files/,
    );
  });

  it('upgrades unedited files when a template version changes, and reports edited ones as conflicts', () => {
    const templatesDir = join(tmp.dir, 'upgrade-templates');
    fixtureTemplates(templatesDir);
    const load = () => loadTemplates('typescript', templatesDir, new Set([...FIXTURE_CRITERIA, `v${++n}`]));
    const go = (root: string, force = false) => {
      const set = load();
      return scaffold({
        root,
        set,
        templates: [set.byId.get('tool-registry')!],
        layout: { name: 'demo', srcDir: 'src', testDir: 'test' },
        phase: 'day-one',
        force,
        dryRun: false,
      });
    };
    const root = project();
    go(root);
    writeFileSync(join(root, 'test/harness/tools/registry.test.ts'), '// my edit\n');
    write(templatesDir, {
      'typescript/tool-registry/template.yaml': readFileSync(
        join(templatesDir, 'typescript/tool-registry/template.yaml'),
        'utf8',
      ).replace('version: 1', 'version: 2'),
      'typescript/tool-registry/registry.ts.hbs': "export const tools = ['read_file', 'search'];\n",
      'typescript/tool-registry/registry.test.ts.hbs': '// v2 test\n',
    });
    const out = go(root);
    expect(out.files.map((f) => [f.path, f.action, f.reason])).toEqual([
      [
        'src/harness/tools/registry.ts',
        'update',
        'tool-registry v1 → tool-registry v2; the file was not edited since',
      ],
      ['test/harness/tools/registry.test.ts', 'conflict', 'edited since plumbline wrote it'],
    ]);
    expect(out.written).toBe(false);
    expect(read(root, 'src/harness/tools/registry.ts')).toBe("export const tools = ['read_file'];\n");
    const forced = go(root, true);
    expect(forced.written).toBe(true);
    expect(read(root, 'src/harness/tools/registry.ts')).toContain("'search'");
    expect(read(root, 'test/harness/tools/registry.test.ts')).toBe('// v2 test\n');
    expect(readLock(root).files['src/harness/tools/registry.ts']?.templateVersion).toBe(2);
  });

  it('a corrupted lock is a usage error naming the file, and nothing is written', () => {
    const run = engine();
    for (const bad of ['{ "version": 1, "files": ', '{"version": 1, "files": {"a.ts": {"template": "x"}}}']) {
      const root = project({ [LOCK_PATH]: bad });
      const before = snapshot(root);
      let error: unknown;
      try {
        run(root, ['tool-registry']);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toMatch(
        /^\.plumbline\/scaffold-lock\.json is unreadable: \.plumbline\/scaffold-lock\.json:1:\d+: /,
      );
      expect((error as UsageError).hint).toContain('nothing was written');
      expect(snapshot(root)).toEqual(before);
    }
  });
});

describe('mergePackageJson', () => {
  it('adds only missing dependencies, keeps versions, indentation, key order and sorted sections', () => {
    const text =
      '{\n\t"name": "x",\n\t"dependencies": {\n\t\t"@anthropic-ai/sdk": "^0.30.0",\n\t\t"yaml": "2.0.0"\n\t},\n\t"devDependencies": {\n\t\t"zod": "3.22.0"\n\t},\n\t"license": "MIT"\n}\n';
    const out = mergePackageJson(text, {
      dependencies: { zod: '^4.1.0', '@anthropic-ai/sdk': '^1.12.0', ajv: '^8.0.0' },
      devDependencies: { vitest: '^4.1.0' },
      scripts: { test: 'vitest run' },
    });
    expect(out.added).toEqual(['dependencies.ajv@^8.0.0', 'devDependencies.vitest@^4.1.0', 'scripts.test']);
    expect(out.text).toBe(
      '{\n\t"name": "x",\n\t"dependencies": {\n\t\t"@anthropic-ai/sdk": "^0.30.0",\n\t\t"ajv": "^8.0.0",\n\t\t"yaml": "2.0.0"\n\t},\n\t"devDependencies": {\n\t\t"vitest": "^4.1.0",\n\t\t"zod": "3.22.0"\n\t},\n\t"license": "MIT",\n\t"scripts": {\n\t\t"test": "vitest run"\n\t}\n}\n',
    );
  });

  it('leaves the text untouched when nothing is missing, and keeps an existing script', () => {
    const text = '{"name":"x","scripts":{"test":"jest"},"devDependencies":{"vitest":"1.0.0"}}';
    expect(
      mergePackageJson(text, { devDependencies: { vitest: '^4.1.0' }, scripts: { test: 'vitest run' } }),
    ).toEqual({
      text,
      added: [],
    });
  });

  it('names package.json and the position of a syntax error', () => {
    expect(() => mergePackageJson('{\n  "name": "x",,\n}', {})).toThrow(/^package\.json:2:\d+: /);
  });
});
