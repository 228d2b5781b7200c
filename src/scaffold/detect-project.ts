import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { UsageError } from '../core/errors.js';
import { parseJsonDocument } from '../core/source-map.js';

export type ModuleSystem = 'esm' | 'commonjs';
export type TestRunner = 'vitest' | 'jest' | 'node:test' | 'none';

/** Where generated files go in an existing project, and what it already uses. */
export interface ProjectLayout {
  name: string;
  srcDir: string;
  testDir: string;
  moduleSystem: ModuleSystem;
  /** tsconfig `module`, lower-cased, when set. */
  tsModule?: string;
  testRunner: TestRunner;
  /** Things the user should know before generated code lands (it is ESM + vitest). */
  warnings: string[];
}

const TEST_DIRS = ['test', 'tests', '__tests__', 'spec'];
const NON_TS_MARKERS = ['pyproject.toml', 'setup.py', 'requirements.txt', 'go.mod', 'Cargo.toml', 'Gemfile'];
const SKIP = new Set(['node_modules', '.git', 'dist', 'build']);

type Json = Record<string, unknown>;

function readJson(root: string, name: string): Json | undefined {
  const abs = join(root, name);
  if (!existsSync(abs)) return undefined;
  const parsed = parseJsonDocument(readFileSync(abs, 'utf8'));
  if (!parsed.ok)
    throw new UsageError(`${name}:${parsed.error.line}:${parsed.error.col}: ${parsed.error.message}`, {
      file: name,
      hint: `fix ${name} first; plumbline reads it to know where generated files go`,
    });
  const v = parsed.doc.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

/** The leading folder of a tsconfig `include` glob: `src/**\/*.ts` → `src`, `./lib` → `lib`, `**\/*.ts` → `.`. */
function globRoot(pattern: string): string {
  const segments: string[] = [];
  for (const seg of posix.normalize(pattern.replace(/\\/g, '/')).split('/')) {
    if (seg === '' || seg === '.' || /[*?{[]/.test(seg) || /\.[cm]?[jt]sx?$/.test(seg)) break;
    segments.push(seg);
  }
  return segments.length ? segments.join('/') : '.';
}

function relDir(value: string): string | undefined {
  const norm = posix.normalize(value.replace(/\\/g, '/')).replace(/\/$/, '');
  if (norm.startsWith('..') || posix.isAbsolute(norm)) return undefined;
  return norm === '' ? '.' : norm;
}

function hasTsFiles(dir: string, depth = 0): boolean {
  if (depth > 3 || !existsSync(dir)) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && /\.(c|m)?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) return true;
    if (entry.isDirectory() && !SKIP.has(entry.name) && hasTsFiles(join(dir, entry.name), depth + 1))
      return true;
  }
  return false;
}

/** The source root: tsconfig `rootDir`, else the first `include` root that is not a test folder, else `src`. */
function sourceRoot(root: string, tsconfig: Json | undefined): string {
  const options = (tsconfig?.compilerOptions ?? {}) as Json;
  if (typeof options.rootDir === 'string') {
    const dir = relDir(options.rootDir);
    if (dir) return dir;
  }
  const include = Array.isArray(tsconfig?.include) ? (tsconfig.include as unknown[]) : [];
  const roots = include
    .filter((p): p is string => typeof p === 'string')
    .map(globRoot)
    .map(relDir)
    .filter((d): d is string => d !== undefined && !TEST_DIRS.includes(d.split('/')[0]!));
  const existing = roots.find((d) => d !== '.' && existsSync(join(root, d)));
  if (existing) return existing;
  if (roots[0]) return roots[0];
  return 'src';
}

function testRunnerOf(pkg: Json): TestRunner {
  const deps = { ...(pkg.dependencies as Json), ...(pkg.devDependencies as Json) };
  if ('vitest' in deps) return 'vitest';
  if ('jest' in deps || 'ts-jest' in deps) return 'jest';
  const script = String((pkg.scripts as Json | undefined)?.test ?? '');
  if (/\bnode\b.*--test\b/.test(script) || /\btsx\b.*--test\b/.test(script)) return 'node:test';
  return 'none';
}

/**
 * Reads an existing project's layout. Refuses a folder that is not a TypeScript project (templates are
 * TypeScript only), naming what it found instead.
 */
export function detectProject(root: string): ProjectLayout {
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError(`${root} is not a folder`, { hint: 'pass the folder of the project to add to' });
  const pkg = readJson(root, 'package.json');
  const tsconfig = readJson(root, 'tsconfig.json');
  const deps = pkg ? { ...(pkg.dependencies as Json), ...(pkg.devDependencies as Json) } : {};
  const isTs = tsconfig !== undefined || 'typescript' in deps;
  if (!pkg || !isTs) {
    const marker = NON_TS_MARKERS.find((m) => existsSync(join(root, m)));
    const found = marker
      ? `it has ${marker}`
      : !pkg
        ? 'it has no package.json'
        : 'it has no tsconfig.json and no typescript dependency';
    throw new UsageError(`${basename(root)} is not a TypeScript project (${found})`, {
      hint: marker
        ? 'plumbline templates generate TypeScript only; start a separate harness with `plumbline init <dir>`, or run `plumbline audit` for advice'
        : !pkg
          ? 'run `npm init -y` and add a tsconfig.json first, or start fresh with `plumbline init <dir>`'
          : 'add TypeScript (`npm install -D typescript` and a tsconfig.json) first, or start fresh with `plumbline init <dir>`',
    });
  }
  if (!tsconfig && !hasTsFiles(root))
    throw new UsageError(`${basename(root)} has typescript installed but no tsconfig.json and no .ts files`, {
      hint: 'run `npx tsc --init`, or start fresh with `plumbline init <dir>`',
    });
  const srcDir = sourceRoot(root, tsconfig);
  const testDir =
    TEST_DIRS.find((d) => existsSync(join(root, d)) && statSync(join(root, d)).isDirectory()) ?? 'test';
  const tsModule = (
    (tsconfig?.compilerOptions as Json | undefined)?.module as string | undefined
  )?.toLowerCase();
  const moduleSystem: ModuleSystem = pkg.type === 'module' ? 'esm' : 'commonjs';
  const testRunner = testRunnerOf(pkg);
  const warnings: string[] = [];
  if (moduleSystem !== 'esm')
    warnings.push(
      'generated code is ES modules with NodeNext resolution; this package.json has no "type": "module", so set it (or compile the harness separately)',
    );
  if (
    tsModule &&
    !['nodenext', 'node16', 'node18', 'node20', 'esnext', 'es2022', 'preserve'].includes(tsModule)
  )
    warnings.push(
      `tsconfig "module" is "${tsModule}"; generated imports use .js extensions and expect "NodeNext"`,
    );
  if (testRunner !== 'vitest')
    warnings.push(
      `generated tests use vitest${testRunner === 'none' ? '' : `, not ${testRunner}`}; vitest is added to devDependencies`,
    );
  return {
    name: typeof pkg.name === 'string' && pkg.name ? pkg.name : basename(root),
    srcDir,
    testDir,
    moduleSystem,
    tsModule,
    testRunner,
    warnings,
  };
}
