import { type ConfigFormat, type FileRole, type Language, NEVER_EVIDENCE_ROLES } from './types.js';

const SOURCE_EXT: Record<string, Language> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
};

const CONFIG_EXT: Record<string, ConfigFormat> = {
  '.json': 'json',
  '.jsonc': 'jsonc',
  '.json5': 'jsonc',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.toml': 'toml',
};

/** Files that are JSON with comments by convention even though they end in `.json`. */
const JSONC_NAMES =
  /(^|\/)(tsconfig[^/]*\.json|jsconfig[^/]*\.json|\.vscode\/[^/]+\.json|\.claude\/settings(\.local)?\.json|devcontainer\.json)$/;

function ext(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base.endsWith('.d.ts')) return '.d.ts';
  const i = base.lastIndexOf('.');
  return i <= 0 ? '' : base.slice(i).toLowerCase();
}

export function languageOf(path: string): Language | undefined {
  return SOURCE_EXT[ext(path)];
}

export function configFormatOf(path: string): ConfigFormat | undefined {
  const e = ext(path);
  const f = CONFIG_EXT[e];
  if (f === 'json' && JSONC_NAMES.test(path)) return 'jsonc';
  return f;
}

const segs = (path: string) => path.split('/');

/**
 * Classifies a path (relative, POSIX) by where it sits. Order matters: a fixture inside a test folder is a
 * fixture, a test inside an example is an example.
 */
export function roleOf(path: string): FileRole {
  const parts = segs(path).map((s) => s.toLowerCase());
  const dirs = parts.slice(0, -1);
  const base = parts[parts.length - 1] ?? '';
  if (dirs.some((d) => d === 'vendor' || d === 'third_party' || d === 'third-party' || d === 'site-packages'))
    return 'vendored';
  if (dirs.some((d) => d === 'fixtures' || d === '__fixtures__' || d === 'testdata' || d === 'test-data'))
    return 'fixture';
  if (
    base.endsWith('.d.ts') ||
    base.endsWith('.min.js') ||
    base.endsWith('.bundle.js') ||
    dirs.some((d) => d === 'generated' || d === '__generated__' || d === 'gen')
  )
    return 'generated';
  if (
    parts[0] === '.github' &&
    (dirs.includes('workflows') || base === 'action.yml' || base === 'action.yaml')
  )
    return 'ci';
  if (
    base === '.gitlab-ci.yml' ||
    base === 'azure-pipelines.yml' ||
    base === '.travis.yml' ||
    base === 'bitbucket-pipelines.yml' ||
    (parts[0] === '.circleci' && base.endsWith('.yml')) ||
    (parts[0] === '.buildkite' && base.endsWith('.yml'))
  )
    return 'ci';
  if (
    dirs.some(
      (d) =>
        d === 'examples' ||
        d === 'example' ||
        d === 'demo' ||
        d === 'demos' ||
        d === 'samples' ||
        d === 'cookbook',
    )
  )
    return 'example';
  if (
    dirs.some((d) => d === 'evals' || d === 'eval' || d === 'evaluations' || d === 'promptfoo') ||
    /^promptfooconfig\.(ya?ml|json|js|ts)$/.test(base)
  )
    return 'eval';
  if (
    dirs.some((d) => d === 'test' || d === 'tests' || d === '__tests__' || d === 'spec' || d === 'e2e') ||
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(base) ||
    /^test_.*\.py$/.test(base) ||
    /_test\.py$/.test(base) ||
    base === 'conftest.py'
  )
    return 'test';
  if (dirs.some((d) => d === 'docs' || d === 'doc') || /\.(md|mdx|rst|txt)$/.test(base)) return 'docs';
  if (dirs[0] === 'scripts' || dirs[0] === 'bin' || dirs[0] === 'tools') {
    // `tools/` at the root is often the agent's tool folder in agent projects, not build tooling.
    if (dirs[0] !== 'tools') return 'script';
  }
  if (languageOf(path)) return 'source';
  return 'config';
}

/** Whether the file step runs on a file: a source file of a supported language that can be evidence. */
export function isScannedSource(f: { language?: Language; role: FileRole }): boolean {
  return f.language !== undefined && !NEVER_EVIDENCE_ROLES.includes(f.role);
}

/** Whether a path (relative, POSIX), read or not yet, is a source file that analysis scans. */
export function isScannedSourcePath(path: string): boolean {
  return languageOf(path) !== undefined && !NEVER_EVIDENCE_ROLES.includes(roleOf(path));
}
