import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { PRIMITIVES } from '../../src/rubrics/schema.js';
import { Renderer } from '../../src/scaffold/render.js';
import { EXTRA_TEMPLATE_KINDS, TemplateSchema } from '../../src/scaffold/template-schema.js';

/**
 * Renders some templates into a fresh temporary TypeScript project (strict, NodeNext, like the project
 * template) whose node_modules is plumbline's own, so the generated code can be compiled, tested and
 * audited without a network.
 */

const REPO = resolve(import.meta.dirname, '../..');
const TEMPLATES = join(REPO, 'templates/typescript');

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    skipLibCheck: true,
    types: ['node'],
    noEmit: true,
  },
  include: ['src/**/*.ts', 'test/**/*.ts'],
};
const TSCONFIG_BUILD = {
  extends: './tsconfig.json',
  compilerOptions: { noEmit: false, rootDir: 'src', outDir: 'dist' },
  include: ['src/**/*.ts'],
};

export interface RenderedProject {
  root: string;
  /** Project-relative paths of the rendered template files. */
  files: string[];
}

export function renderProject(templateIds: readonly string[], prefix = 'plumbline-tpl-'): RenderedProject {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const has = Object.fromEntries(
    [...PRIMITIVES, ...EXTRA_TEMPLATE_KINDS].map((id) => [id, templateIds.includes(id)]),
  );
  const renderer = new Renderer({
    projectName: 'rendered-agent',
    srcDir: 'src',
    testDir: 'test',
    harnessDir: 'src/harness',
    phase: 'month-one',
    has,
  });
  const files: string[] = [];
  for (const id of templateIds) {
    const dir = join(TEMPLATES, id);
    const manifest = TemplateSchema.parse(parse(readFileSync(join(dir, 'template.yaml'), 'utf8')));
    for (const f of manifest.files) {
      const to = renderer.render(f.to, `${id}/template.yaml`);
      const text = renderer.renderFile(join(dir, f.from), `${id}/${f.from}`);
      mkdirSync(dirname(join(root, to)), { recursive: true });
      writeFileSync(join(root, to), text);
      files.push(to);
    }
  }
  writeFileSync(
    join(root, 'package.json'),
    `${JSON.stringify({ name: 'rendered-agent', private: true, type: 'module' }, null, 2)}\n`,
  );
  writeFileSync(join(root, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  writeFileSync(join(root, 'tsconfig.build.json'), `${JSON.stringify(TSCONFIG_BUILD, null, 2)}\n`);
  writeFileSync(
    join(root, 'vitest.config.ts'),
    "import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({ test: { include: ['test/**/*.test.ts'], pool: 'forks' } });\n",
  );
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, files };
}

export interface CommandResult {
  status: number | null;
  output: string;
  ms: number;
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): CommandResult {
  const started = performance.now();
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, ms: performance.now() - started };
}

const TSC = join(REPO, 'node_modules/.bin/tsc');
const VITEST = join(REPO, 'node_modules/.bin/vitest');

/** `tsc -p tsconfig.json` (type-check sources and tests) or `tsc -p tsconfig.build.json` (emit dist/). */
export function tsc(root: string, config: 'tsconfig.json' | 'tsconfig.build.json'): CommandResult {
  return run(TSC, ['-p', join(root, config)], root, 120_000);
}

/** The generated project's own vitest suite. */
export function vitest(root: string): CommandResult {
  return run(VITEST, ['run', '--root', root, '--reporter', 'dot'], root, 240_000);
}
