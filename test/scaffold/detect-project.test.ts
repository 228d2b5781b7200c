import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectProject } from '../../src/scaffold/detect-project.js';
import { tempDir, write } from '../helpers/ci-project.js';

const tmp = tempDir('plumbline-detect-');
afterAll(tmp.cleanup);
let n = 0;
const project = (files: Record<string, string>) => {
  const dir = join(tmp.dir, `p${++n}`);
  mkdirSync(dir, { recursive: true });
  return write(dir, files);
};
const pkg = (o: object) => `${JSON.stringify(o, null, 2)}\n`;

describe('detectProject', () => {
  it('reads the example agents', () => {
    expect(detectProject(join(process.cwd(), 'examples/well-built-ts-agent'))).toMatchObject({
      name: 'well-built-ts-agent',
      srcDir: 'src',
      testDir: 'test',
      moduleSystem: 'esm',
      tsModule: 'nodenext',
      testRunner: 'vitest',
      warnings: [],
    });
    const naive = detectProject(join(process.cwd(), 'examples/naive-ts-agent'));
    expect(naive).toMatchObject({ srcDir: 'src', testDir: 'test', testRunner: 'none' });
    expect(naive.warnings).toEqual(['generated tests use vitest; vitest is added to devDependencies']);
  });

  it('takes the source root from rootDir, else from include; the test folder from what exists', () => {
    const a = project({
      'package.json': pkg({ name: 'a', type: 'module', devDependencies: { jest: '29' } }),
      'tsconfig.json': '{ // jsonc\n "compilerOptions": { "rootDir": "./lib/", "module": "CommonJS" },\n}\n',
      'tests/a.test.ts': '',
    });
    const la = detectProject(a);
    expect(la).toMatchObject({ srcDir: 'lib', testDir: 'tests', testRunner: 'jest', tsModule: 'commonjs' });
    expect(la.warnings.join('\n')).toContain('tsconfig "module" is "commonjs"');
    expect(la.warnings.join('\n')).toContain('not jest');
    const b = project({
      'package.json': pkg({
        name: 'b',
        scripts: { test: 'node --test' },
        devDependencies: { typescript: '5' },
      }),
      'tsconfig.json': pkg({ include: ['test/**/*.ts', 'packages/core/src/**/*.ts'] }),
      'packages/core/src/x.ts': '',
    });
    expect(detectProject(b)).toMatchObject({
      srcDir: 'packages/core/src',
      testDir: 'test',
      moduleSystem: 'commonjs',
      testRunner: 'node:test',
    });
    expect(detectProject(b).warnings[0]).toContain('"type": "module"');
  });

  it('refuses a project that is not TypeScript, naming what it found', () => {
    expect(() => detectProject(join(process.cwd(), 'examples/mid-python-agent'))).toThrow(
      'mid-python-agent is not a TypeScript project (it has pyproject.toml)',
    );
    expect(() => detectProject(project({ 'package.json': pkg({ name: 'js' }), 'index.js': '' }))).toThrow(
      /not a TypeScript project \(it has no tsconfig.json and no typescript dependency\)/,
    );
    expect(() => detectProject(project({ 'tsconfig.json': '{}' }))).toThrow(/\(it has no package\.json\)/);
  });
});
