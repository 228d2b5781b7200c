import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/core/audit.js';
import type { Report } from '../../src/core/report.js';
import { REPO, renderHarness } from './render-harness.js';

/**
 * The tool-registry, permissions and shell-security templates, rendered together into a fresh project:
 * plumbline's own audit must recognise all three primitives as implemented (status pass), the project
 * must type-check under strict TypeScript, and the tests generated with it must pass there.
 */
const IDS = ['tool-registry', 'permissions', 'shell-security'];
let project: string;
let report: Report;

beforeAll(async () => {
  project = renderHarness(IDS, 'plumbline-harness-');
  report = await audit(project);
}, 120_000);
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('harness templates: tool-registry, permissions, shell-security', () => {
  it.each(IDS)('%s comes out pass in the audit', (id) => {
    const primitive = report.primitives.find((p) => p.id === id);
    const short = primitive?.criteria.filter((c) => c.status !== 'pass' && c.status !== 'not-applicable');
    expect(primitive?.status, `${id}: ${JSON.stringify(short?.map((c) => [c.id, c.status, c.reason]))}`).toBe(
      'pass',
    );
  });

  it('records the tools, with capabilities, in the inventory', () => {
    const tools = report.inventory.tools
      .filter((t) => t.role === 'source')
      .map((t) => t.name)
      .sort();
    expect(tools).toEqual(['bash', 'list_files', 'read_file', 'search', 'write_file']);
  });

  it('type-checks sources and generated tests with strict TypeScript', () => {
    execFileSync(join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', join(project, 'tsconfig.json')], {
      stdio: 'pipe',
      timeout: 240_000,
    });
  }, 300_000);

  it('passes its own generated tests under vitest', () => {
    const out = execFileSync(
      process.execPath,
      [
        join(REPO, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--root',
        project,
        '--dir',
        join(project, 'test'),
      ],
      { cwd: project, stdio: 'pipe', timeout: 240_000, env: { ...process.env, CI: 'true', NO_COLOR: '1' } },
    )
      .toString()
      .replace(/\x1b\[[0-9;]*m/g, '');
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/failed/);
  }, 300_000);
});
