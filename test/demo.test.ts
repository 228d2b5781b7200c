import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';

describe('plumbline demo', () => {
  test('tells the whole story on a copy of the naive example and leaves nothing behind', () => {
    const r = runCli(['demo']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/maturity: none\n/);
    expect(r.stdout).toMatch(/plumbline add tool-registry permissions session-persistence workflow-state/);
    expect(r.stdout).toMatch(/maturity: none → day-one/);
    expect(r.stdout).toMatch(/permissions +✖ fail → ✔ pass/);
    expect(r.stdout).toMatch(/shell +471 cases · attacks allowed 0\/273/);
    expect(r.stdout).toMatch(/guardrails hold/);
    const dir = /in (\/\S+)\n/.exec(r.stdout)?.[1];
    expect(dir && existsSync(dir)).toBe(false);
  }, 120_000);

  test('--dir keeps the work; a non-empty folder is refused', () => {
    const busy = tempProject({ 'notes.txt': 'mine' });
    const refused = runCli(['demo', '--dir', busy]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not empty/);
    expect(readdirSync(busy)).toEqual(['notes.txt']);
  });
});
