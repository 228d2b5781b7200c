import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { presence } from '../../src/scaffold/plan.js';
import { Renderer } from '../../src/scaffold/render.js';
import { TemplateSchema } from '../../src/scaffold/template-schema.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const LINKED_PACKAGES = ['zod', '@anthropic-ai', '@types', 'vitest', 'typescript'];
const TEMPLATES = join(REPO, 'templates', 'typescript');

/**
 * Renders the named templates into a fresh temporary project with the scaffold engine's Handlebars
 * renderer (strict), plus a minimal package.json and tsconfig pair, and node_modules entries linked to
 * plumbline's (so tsc, vitest, zod and the Anthropic SDK resolve without an install). Returns the project folder.
 */
export function renderHarness(ids: readonly string[], prefix = 'plumbline-harness-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const renderer = new Renderer({
    projectName: 'demo-agent',
    srcDir: 'src',
    testDir: 'test',
    harnessDir: 'src/harness',
    phase: 'month-one',
    has: presence(ids),
  });
  for (const id of ids) {
    const dir = join(TEMPLATES, id);
    const manifest = TemplateSchema.parse(parse(readFileSync(join(dir, 'template.yaml'), 'utf8')));
    for (const [i, file] of manifest.files.entries()) {
      const to = renderer.render(file.to, `${id}/template.yaml files[${i}].to`);
      const out = join(root, to);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, renderer.renderFile(join(dir, file.from), `${id}/${file.from}`));
    }
  }
  writeFileSync(
    join(root, 'package.json'),
    `${JSON.stringify({ name: 'demo-agent', private: true, type: 'module', dependencies: { '@anthropic-ai/sdk': '^1.12.0', zod: '^4.1.0' } }, null, 2)}\n`,
  );
  const compilerOptions = {
    target: 'ES2023',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    skipLibCheck: true,
    types: ['node'],
  };
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, noEmit: true },
      include: ['src/**/*.ts', 'test/**/*.ts'],
    }),
  );
  writeFileSync(
    join(root, 'tsconfig.build.json'),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, rootDir: 'src', outDir: 'dist' },
      include: ['src/**/*.ts'],
    }),
  );
  // A real node_modules folder linking only the packages the generated code and its tests use: a
  // symlink for the whole folder would resolve outside the project, which the path checks rightly see.
  mkdirSync(join(root, 'node_modules'));
  for (const pkg of LINKED_PACKAGES)
    symlinkSync(join(REPO, 'node_modules', pkg), join(root, 'node_modules', pkg), 'dir');
  return root;
}
