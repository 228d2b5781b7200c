import { describe, expect, test } from 'vitest';
import { configFormatOf, languageOf, roleOf } from '../src/core/roles.js';
import type { FileRole } from '../src/core/types.js';

describe('roleOf', () => {
  const cases: [string, FileRole][] = [
    ['src/agent.ts', 'source'],
    ['agent/loop.py', 'source'],
    // A root `tools/` folder holds the agent's tools in agent projects, not build tooling.
    ['tools/read_file.py', 'source'],
    ['scripts/release.mjs', 'script'],
    ['bin/cli.js', 'script'],
    ['src/agent.test.ts', 'test'],
    ['src/agent.spec.tsx', 'test'],
    ['test/loop.ts', 'test'],
    ['tests/test_agent.py', 'test'],
    ['agent/test_loop.py', 'test'],
    ['agent/loop_test.py', 'test'],
    ['conftest.py', 'test'],
    // A fixture inside a test folder is a fixture: it is test input, never evidence.
    ['test/fixtures/agent/tool.ts', 'fixture'],
    ['tests/fixtures/agent.py', 'fixture'],
    ['src/__fixtures__/tool.ts', 'fixture'],
    // A test inside an example is part of the example.
    ['examples/basic/agent.ts', 'example'],
    ['examples/basic/tests/agent.test.ts', 'example'],
    ['cookbook/rag/main.py', 'example'],
    ['.github/workflows/ci.yml', 'ci'],
    ['.github/actions/setup/action.yml', 'ci'],
    ['.gitlab-ci.yml', 'ci'],
    ['.github/dependabot.yml', 'config'],
    ['vendor/lib/sdk.js', 'vendored'],
    ['third_party/parser.py', 'vendored'],
    ['lib/python3.12/site-packages/anthropic/client.py', 'vendored'],
    ['src/types/api.d.ts', 'generated'],
    ['public/app.min.js', 'generated'],
    ['src/generated/client.ts', 'generated'],
    ['evals/suite.ts', 'eval'],
    ['promptfooconfig.yaml', 'eval'],
    ['docs/guide.md', 'docs'],
    ['README.md', 'docs'],
    ['.claude/agents/reviewer.md', 'docs'],
    ['package.json', 'config'],
    ['.claude/settings.json', 'config'],
  ];
  test.each(cases)('%s is %s', (path, role) => {
    expect(roleOf(path)).toBe(role);
  });

  test('folder names match whole segments, case-insensitively', () => {
    expect(roleOf('src/vendored/x.ts')).toBe('source');
    expect(roleOf('src/testing/x.ts')).toBe('source');
    expect(roleOf('Vendor/x.ts')).toBe('vendored');
    expect(roleOf('Tests/x.py')).toBe('test');
  });
});

describe('languageOf and configFormatOf', () => {
  test('source languages come from the extension; declaration files are not source', () => {
    expect(languageOf('a/b.ts')).toBe('typescript');
    expect(languageOf('a/b.mts')).toBe('typescript');
    expect(languageOf('a/b.tsx')).toBe('tsx');
    expect(languageOf('a/b.mjs')).toBe('javascript');
    expect(languageOf('a/b.jsx')).toBe('javascript');
    expect(languageOf('a/b.py')).toBe('python');
    expect(languageOf('a/b.d.ts')).toBeUndefined();
    expect(languageOf('a/b.rs')).toBeUndefined();
    expect(languageOf('Makefile')).toBeUndefined();
  });

  test('config formats, with JSONC for files that allow comments by convention', () => {
    expect(configFormatOf('package.json')).toBe('json');
    expect(configFormatOf('tsconfig.json')).toBe('jsonc');
    expect(configFormatOf('packages/a/tsconfig.build.json')).toBe('jsonc');
    expect(configFormatOf('.vscode/settings.json')).toBe('jsonc');
    expect(configFormatOf('.claude/settings.json')).toBe('jsonc');
    expect(configFormatOf('.claude/settings.local.json')).toBe('jsonc');
    expect(configFormatOf('.mcp.json')).toBe('json');
    expect(configFormatOf('a.yml')).toBe('yaml');
    expect(configFormatOf('pyproject.toml')).toBe('toml');
    expect(configFormatOf('a.ts')).toBeUndefined();
  });
});
