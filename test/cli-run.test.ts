import { describe, expect, test } from 'vitest';
import { commands } from '../dist/commands/index.js';
import { runCli, tempProject } from './helpers/cli.js';

const nameOf = (c: { command: string | string[] }) => String([c.command].flat()[0]).split(' ')[0];

describe('running commands', () => {
  test('only the commands that end within seconds are tuned for a short run', () => {
    const tuned = commands.filter((c) => c.shortRun).map(nameOf);
    expect(tuned.sort()).toEqual(['audit', 'baseline', 'ci', 'fix']);
    // Servers and loops keep V8's optimising compiler.
    for (const long of ['mcp', 'watch', 'eval']) expect(tuned).not.toContain(long);
  });

  test("a command's --help is still formatted in full", () => {
    const r = runCli(['audit', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/plumbline audit \[path\]/);
    expect(r.stdout).toMatch(/--fail-under/);
    expect(r.stdout).toMatch(/Examples:/);
  });

  test('a command that fails after it started prints its message, not the help', () => {
    const root = tempProject({
      'agent.ts': 'export const x = 1;\n',
      'plumbline.config.yaml': 'phase: someday\n',
    });
    const r = runCli(['audit', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plumbline\.config\.yaml/);
    expect(r.stderr).not.toMatch(/Options:|Positionals:/);
    expect(r.stdout).toBe('');
  });
});
