import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

// The published package, as a user gets it: `npm pack`, install the tarball into an empty project, run its
// bin on the bundled example. Needs a built dist/ (`npm test` builds first).
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'plumbline-pack-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false', NO_COLOR: '1' },
  });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

test('the packed tarball installs and audits its bundled example', { timeout: 180_000 }, () => {
  expect(existsSync(join(repo, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` first').toBe(
    true,
  );
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };

  const packed = JSON.parse(
    ok(run('npm', ['pack', '--json', '--pack-destination', work], repo), 'npm pack'),
  ) as {
    filename: string;
    files: { path: string }[];
  }[];
  const [info] = packed;
  expect(info).toBeDefined();
  const shipped = info!.files.map((f) => f.path);
  expect(shipped).toContain('dist/cli.js');
  expect(shipped.some((p) => p.startsWith('examples/naive-ts-agent/'))).toBe(true);
  expect(shipped.filter((p) => p.startsWith('src/') || p.startsWith('test/'))).toEqual([]);

  const app = join(work, 'app');
  const tarball = join(work, info!.filename);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "pack-check", "private": true }\n');
  // Dependencies normally come from the local npm cache; fall back to the registry when it lacks one.
  const base = ['install', '--no-audit', '--no-fund', '--no-package-lock', tarball];
  const offline = run('npm', [...base, '--offline'], app);
  if (offline.status !== 0) ok(run('npm', [...base, '--prefer-offline'], app), 'npm install');

  const bin = join(app, 'node_modules', '.bin', 'plumbline');
  expect(ok(run(bin, ['--version'], app), 'plumbline --version').trim()).toBe(pkg.version);

  const example = join(app, 'node_modules', 'plumbline', 'examples', 'naive-ts-agent');
  const audit = run(bin, ['audit', example, '--format', 'json'], app);
  // 0 = passed, 1 = the audit's check failed (expected for a naive agent); anything else is an error.
  expect([0, 1], audit.stderr).toContain(audit.status);
  const report = JSON.parse(audit.stdout) as {
    schemaVersion: number;
    tool: { version: string };
    primitives: unknown[];
  };
  expect(report.schemaVersion).toBe(1);
  expect(report.tool.version).toBe(pkg.version);
  expect(report.primitives).toHaveLength(12);
});
