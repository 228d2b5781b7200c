import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyze } from '../src/core/analyze.js';
import { assertPlainData } from '../src/core/plain-data.js';
import type { Detector } from '../src/detectors/types.js';
import { runCli, tempProject } from './helpers/cli.js';
import { projectFromFiles } from './helpers/project.js';

const EXAMPLES = resolve(import.meta.dirname, '../examples');

describe('the two-step analysis', () => {
  const project = () =>
    projectFromFiles({
      'src/a.ts': 'export function alpha() {}\nexport function beta() {}\n',
      'src/b.ts': 'import { alpha } from "./a.js";\nalpha();\n',
      'README.md': 'function gamma() {}',
    });

  // Records every function by name in the file step; the project step reports calls of functions that are
  // defined in another file, which needs a second look at that file's tree.
  const crossFile: Detector<{ defs: string[]; calls: { name: string; line: number }[] }> = {
    id: 'cross-file',
    description: 'test detector',
    file(ctx) {
      const defs = ctx.src.root
        .findAll({ rule: { kind: 'function_declaration' } })
        .map((f) => f.field('name')?.text() ?? '');
      for (const d of ctx.src.root.findAll({ rule: { kind: 'function_declaration' } }))
        ctx.emit('test.def', ctx.src.file, d, { name: d.field('name')?.text() ?? '' });
      const calls = ctx.src.root
        .findAll({ rule: { kind: 'call_expression' } })
        .map((c) => ({ name: c.field('function')?.text() ?? '', line: c.range().start.line + 1 }));
      return { defs, calls };
    },
    project(ctx, summaries) {
      const definedIn = new Map<string, string>();
      for (const [path, s] of summaries) for (const d of s.defs) definedIn.set(d, path);
      for (const [path, s] of summaries)
        for (const call of s.calls) {
          const home = definedIn.get(call.name);
          if (!home || home === path) continue;
          const tree = ctx.reparse(home);
          const file = ctx.sourceFiles.find((f) => f.path === path);
          if (tree && file)
            ctx.emit('test.cross-call', file, call.line, {
              home,
              lines: tree.root.text().split('\n').length,
              imports: ctx.importsAt(path).map((b) => b.module),
            });
        }
    },
  };

  test('file-step facts come first, file by file, then project-step facts; summaries are keyed by path', () => {
    const facts = analyze(project(), [crossFile]).facts;
    expect(facts.map((f) => [f.kind, f.file, f.line])).toEqual([
      ['test.def', 'src/a.ts', 1],
      ['test.def', 'src/a.ts', 2],
      ['test.cross-call', 'src/b.ts', 2],
    ]);
    expect(facts[2]?.data).toEqual({ home: 'src/a.ts', lines: 3, imports: ['./a.js'] });
    expect(facts.every((f) => f.detector === 'cross-file')).toBe(true);
  });

  test('a file step that keeps a syntax node in its summary fails, naming the detector and the file', () => {
    const leaky: Detector = {
      id: 'leaky',
      description: 'test detector',
      file: (ctx) => ({ first: ctx.src.root.find({ rule: { kind: 'function_declaration' } }) }),
    };
    expect(() => analyze(project(), [leaky])).toThrow(
      /detector leaky summary of src\/a\.ts\.first: a \w+ instance/,
    );
  });

  test('a detector that fails on one file loses only that file: the audit goes on and says so', () => {
    const fragile: Detector<string[]> = {
      id: 'fragile',
      description: 'test detector',
      file(ctx) {
        if (ctx.src.file.path === 'src/b.ts') throw new Error('unexpected node\nsecond line');
        ctx.emit('test.seen', ctx.src.file, 1);
        return [ctx.src.file.path];
      },
      project(_ctx, summaries) {
        if (summaries.size === 1) throw new TypeError('cannot read x');
      },
    };
    const a = analyze(project(), [fragile]);
    expect(a.facts.map((f) => f.file)).toEqual(['src/a.ts']);
    expect(a.skipped).toEqual([
      {
        path: 'src/b.ts',
        reason: 'detector-error',
        detail: 'fragile detector failed (unexpected node); its findings here are missing — please report it',
      },
      {
        path: '.',
        reason: 'detector-error',
        detail: 'fragile detector failed (cannot read x); its findings here are missing — please report it',
      },
    ]);
  });

  test('plain data passes the check; functions and class instances do not', () => {
    expect(() =>
      assertPlainData({ a: [1, 'x', null, { b: new Set(['y']) }], m: new Map([['k', [2]]]) }, 's'),
    ).not.toThrow();
    expect(() => assertPlainData({ f: () => 1 }, 's')).toThrow(/s\.f: a function/);
    expect(() => assertPlainData([new Date()], 's')).toThrow(/s\[0\]: a Date instance/);
  });
});

describe('worker threads', () => {
  // Worker threads run the built analysis, so this goes through the CLI (npm test builds dist/ first).
  test.each(['well-built-ts-agent', 'mid-python-agent'])(
    'an audit of %s on two worker threads is identical to one on the main thread',
    (example) => {
      const args = ['audit', resolve(EXAMPLES, example), '--format', 'json'];
      const main = runCli(args, { env: { PLUMBLINE_WORKERS: '0' } });
      const workers = runCli(args, { env: { PLUMBLINE_WORKERS: '2' } });
      expect(main.stderr).toBe('');
      expect(workers.stderr).toBe('');
      expect(JSON.parse(workers.stdout).primitives).toHaveLength(12);
      expect(workers.stdout).toBe(main.stdout);
      expect(workers.code).toBe(main.code);
    },
  );
});

describe('the early worker pool', () => {
  // The pool loads dist/core/analyze-worker.js, so this uses the built modules (npm test builds first).
  const dist = (m: string) => import(resolve(import.meta.dirname, '../dist/core', m));

  test('starts only for a project with enough source files, unless PLUMBLINE_WORKERS says otherwise', async () => {
    const { earlyPool } = await dist('analyze-pool.js');
    const saved = process.env.PLUMBLINE_WORKERS;
    delete process.env.PLUMBLINE_WORKERS;
    try {
      const few = Array.from({ length: 40 }, (_, i) => `src/m${i}.ts`);
      // Docs, fixtures and configs do not count: they are never scanned.
      const notSource = Array.from({ length: 600 }, (_, i) => `test/fixtures/f${i}.ts`).concat(
        Array.from({ length: 600 }, (_, i) => `config/c${i}.yaml`),
      );
      expect(earlyPool([...few, ...notSource])).toBeUndefined();
      const many = Array.from({ length: 600 }, (_, i) => `src/m${i}.ts`);
      const pool = earlyPool(many);
      expect(pool?.size).toBeGreaterThan(0);
      pool?.close();
      process.env.PLUMBLINE_WORKERS = '0';
      expect(earlyPool(many)).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.PLUMBLINE_WORKERS;
      else process.env.PLUMBLINE_WORKERS = saved;
    }
  });

  test('a folder that looks large gets its workers before the walk; the walk keeps or closes them', async () => {
    const { earlyPool, ScanPool } = await dist('analyze-pool.js');
    const saved = process.env.PLUMBLINE_WORKERS;
    delete process.env.PLUMBLINE_WORKERS;
    const files: Record<string, string> = {};
    for (let i = 0; i < 520; i++) files[`src/m${i}.ts`] = `export const m${i} = ${i};\n`;
    try {
      const started = ScanPool.forFolder(tempProject(files));
      expect(started?.size).toBeGreaterThan(0);
      // The walk of the real project (its config may ignore most of it) decides: too few, so closed.
      expect(earlyPool(['src/a.ts', 'src/b.ts'], started)).toBeUndefined();
      expect(started?.isClosed).toBe(true);
      const kept = ScanPool.forFolder(tempProject(files));
      const many = Array.from({ length: 600 }, (_, i) => `src/m${i}.ts`);
      expect(earlyPool(many, kept)).toBe(kept);
      expect(kept?.isClosed).toBe(false);
      kept?.close();
      expect(ScanPool.forFolder(tempProject({ 'src/a.ts': 'export {};\n' }))).toBeUndefined();
      expect(ScanPool.forFolder('/nonexistent/agent')).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.PLUMBLINE_WORKERS;
      else process.env.PLUMBLINE_WORKERS = saved;
    }
  });

  test('the quick count skips dependencies, hidden folders and files that are never scanned', async () => {
    const { looksLarge } = await dist('source-count-hint.js');
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      files[`node_modules/dep/m${i}.js`] = '';
      files[`.cache/m${i}.ts`] = '';
      files[`test/fixtures/f${i}.ts`] = '';
      files[`docs/p${i}.md`] = '';
    }
    for (let i = 0; i < 10; i++) files[`src/m${i}.py`] = '';
    const root = tempProject(files);
    expect(looksLarge(root, 10)).toBe(true);
    expect(looksLarge(root, 11)).toBe(false);
    // The walk looks at a bounded number of entries, whatever the folder holds.
    expect(looksLarge(root, 10, 12)).toBe(false);
  });

  test('a pool started for a project that turns out small is closed, and the result is the same', async () => {
    const [{ analyze: analyzeBuilt, analyzeAsync }, { ScanPool }, { discover }] = await Promise.all([
      dist('analyze.js'),
      dist('analyze-pool.js'),
      dist('discover.js'),
    ]);
    const project = await discover(resolve(EXAMPLES, 'naive-ts-agent'));
    const pool = ScanPool.start(2);
    expect(pool.isClosed).toBe(false);
    const viaPool = await analyzeAsync(project, undefined, pool);
    expect(pool.isClosed).toBe(true);
    expect(JSON.stringify(viaPool)).toBe(JSON.stringify(analyzeBuilt(project)));
  });

  test('files fed to the pool while discovery reads are scanned once, and the result is the same', async () => {
    const [{ analyze: analyzeBuilt, analyzeAsync }, { ScanPool }, { discover }, { isScannedSource }] =
      await Promise.all([dist('analyze.js'), dist('analyze-pool.js'), dist('discover.js'), dist('roles.js')]);
    const saved = process.env.PLUMBLINE_WORKERS;
    process.env.PLUMBLINE_WORKERS = '2';
    try {
      // A generated repository large enough for full batches to go out while it is read.
      const { generateRepo } = await import(resolve(import.meta.dirname, '../scripts/bench-generate.mjs'));
      const repo = mkdtempSync(join(tmpdir(), 'plumbline-feed-'));
      generateRepo(repo, 300);
      const pool = ScanPool.start(2);
      let fed = 0;
      const project = await discover(repo, {
        // Every other source file is fed early; scan() must send only the rest.
        onRead: (file: { language?: string }) => {
          if (isScannedSource(file) && fed++ % 2 === 0) pool.feed(file);
        },
      });
      expect(fed).toBeGreaterThan(200);
      const viaPool = await analyzeAsync(project, undefined, pool);
      expect(pool.isClosed).toBe(true);
      expect(JSON.stringify(viaPool)).toBe(JSON.stringify(analyzeBuilt(project)));
      rmSync(repo, { recursive: true, force: true });
    } finally {
      if (saved === undefined) delete process.env.PLUMBLINE_WORKERS;
      else process.env.PLUMBLINE_WORKERS = saved;
    }
  });
});
