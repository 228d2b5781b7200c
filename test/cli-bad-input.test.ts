import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';

const AGENT = `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
export async function main() {
  const r = await client.messages.create({ model: 'claude-x', max_tokens: 100, messages: [] });
  return r;
}
`;

function auditJson(root: string, extra: string[] = []) {
  const r = runCli(['audit', root, '--format', 'json', ...extra]);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}

const skippedOf = (report: { skipped: { path: string; reason: string }[] }) =>
  Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));

describe('arguments the audit cannot use exit 2 with a message, never a stack trace', () => {
  test('a missing path', () => {
    const r = runCli(['audit', '/nonexistent/agent']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/nonexistent\/agent/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a file instead of a folder', () => {
    const root = tempProject({ 'agent.ts': AGENT });
    const r = runCli(['audit', join(root, 'agent.ts')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/agent\.ts/);
    expect(r.stderr).toMatch(/folder|directory/);
  });

  test('an unknown option, a bad threshold and a bad format', () => {
    expect(runCli(['audit', '.', '--fail-under', '11']).code).toBe(2);
    expect(runCli(['audit', '.', '--format', 'xml']).code).toBe(2);
    const r = runCli(['audit', '.', '--bogus-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bogus-flag/);
  });

  test('a malformed project config names file:line:col', () => {
    const root = tempProject({
      'agent.ts': AGENT,
      'plumbline.config.yaml': 'phase: week-one\ncriteria:\n  permissions.gate: {wieght: 2}\n',
    });
    const r = runCli(['audit', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plumbline\.config\.yaml:3:\d+/);
  });
});

describe('bad files inside the project: the audit completes and lists what it skipped', () => {
  test('invalid UTF-8, binary, huge and unreadable files, syntax errors, BOM and CRLF', () => {
    const root = tempProject({
      'src/agent.ts': `\uFEFF${AGENT.replace(/\n/g, '\r\n')}`,
      'src/latin1.ts': Buffer.from([
        0x63, 0x6f, 0x6e, 0x73, 0x74, 0x20, 0x78, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x3b, 0x0a,
      ]),
      'src/blob.ts': Buffer.from([0x00, 0x01, 0x02, 0x03]),
      'src/huge.ts': `export const big = "${'x'.repeat(2 * 1024 * 1024)}";\n`,
      'src/broken.ts': 'export function (((( {\n  const = ;\n',
      'src/secret.ts': 'export const hidden = 1;\n',
    });
    chmodSync(join(root, 'src/secret.ts'), 0o000);
    const { code, report } = auditJson(root);
    expect([0, 1]).toContain(code);
    const skipped = skippedOf(report);
    expect(skipped['src/latin1.ts']).toBe('invalid-utf8');
    expect(skipped['src/blob.ts']).toBe('binary');
    expect(skipped['src/huge.ts']).toBe('too-large');
    expect(skipped['src/broken.ts']).toBe('syntax-errors');
    // The BOM+CRLF file was read and analysed: the Anthropic SDK import in it is found.
    expect(report.target.frameworks).toContain('anthropic-sdk');
    // Root can read a mode-000 file; anyone else gets it listed as unreadable.
    if (process.getuid?.() !== 0) expect(skipped['src/secret.ts']).toBe('unreadable');
  });

  test('the size limit is configurable', () => {
    const root = tempProject({
      'src/agent.ts': AGENT,
      'src/big.ts': `export const s = "${'y'.repeat(3000)}";\n`,
    });
    expect(skippedOf(auditJson(root, ['--max-file-size', '2KiB']).report)['src/big.ts']).toBe('too-large');
    expect(skippedOf(auditJson(root).report)['src/big.ts']).toBeUndefined();
  });

  test('malformed JSON, YAML and TOML settings are listed, not fatal', () => {
    const root = tempProject({
      'src/agent.ts': AGENT,
      '.claude/settings.json': '{ "permissions": { "allow": ["Bash(ls)", }',
      'config/agent.yaml': 'tools:\n  - name: x\n   bad: indent\n',
      'pyproject.toml': '[project\nname = "x"\n',
    });
    const { code, report } = auditJson(root);
    expect([0, 1]).toContain(code);
    const skipped = skippedOf(report);
    expect(skipped['.claude/settings.json']).toBe('parse-error');
    expect(skipped['config/agent.yaml']).toBe('parse-error');
    expect(skipped['pyproject.toml']).toBe('parse-error');
    const detail = report.skipped.find((s: { path: string }) => s.path === '.claude/settings.json').detail;
    expect(detail).toMatch(/^\d+:\d+ /);
  });

  test('symlink loops and links out of the project are not followed', () => {
    const root = tempProject({ 'src/agent.ts': AGENT });
    mkdirSync(join(root, 'loop'));
    symlinkSync(join(root, 'loop'), join(root, 'loop', 'again'));
    symlinkSync('/etc', join(root, 'etc-link'));
    const { code, report } = auditJson(root);
    expect([0, 1]).toContain(code);
    const skipped = skippedOf(report);
    expect(skipped['etc-link']).toBe('symlink-outside-target');
    expect(Object.entries(skipped).some(([p, why]) => p.startsWith('loop') && why === 'symlink-loop')).toBe(
      true,
    );
  });

  test('a project with nothing to analyse is inconclusive, not a crash', () => {
    const root = tempProject({ 'README.md': '# notes\nThis agent has permissions and budgets.\n' });
    const { code, report } = auditJson(root);
    expect(code).toBe(0);
    expect(report.primitives.every((p: { status: string }) => p.status === 'inconclusive')).toBe(true);
  });
});

describe('exit codes are identical in every format', () => {
  test('--phase day-one fails the naive example in text, json, markdown and sarif', () => {
    const codes = ['text', 'json', 'markdown', 'sarif'].map(
      (f) => runCli(['audit', 'examples/naive-ts-agent', '--format', f, '--phase', 'day-one']).code,
    );
    expect(codes).toEqual([1, 1, 1, 1]);
    expect(runCli(['audit', 'examples/naive-ts-agent', '--format', 'sarif']).code).toBe(0);
  });

  test('--version is instant and plain', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
