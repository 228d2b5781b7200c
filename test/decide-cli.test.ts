import { describe, expect, test } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';

describe('plumbline decide', () => {
  const root = tempProject({
    '.claude/settings.json': JSON.stringify(
      { permissions: { allow: ['Bash(git status)'], deny: ['Bash(git push --force *)'] } },
      null,
      2,
    ),
  });

  test('explains a decision with the rule, file and line', () => {
    const r = runCli([
      'decide',
      root,
      '--tool',
      'Bash',
      '--input',
      '{"command":"git push --force origin main"}',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DENY {2}Bash/);
    expect(r.stdout).toContain('rule: Bash(git push --force *)  (.claude/settings.json:7)');
    const json = JSON.parse(
      runCli(['decide', root, '--tool', 'Bash', '--input', '{"command":"git status"}', '-f', 'json']).stdout,
    );
    expect(json).toEqual({
      decision: 'allow',
      reason: 'allowed by Bash(git status)',
      rule: 'Bash(git status)',
      file: '.claude/settings.json',
      line: 4,
      adapter: 'claude-settings',
    });
  });

  test('input that is not a JSON object is a usage error with a hint', () => {
    const r = runCli(['decide', root, '--tool', 'Bash', '--input', 'git status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--input is not JSON/);
    expect(r.stderr).toMatch(/hint:/);
  });
});
