import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// `plumbline mcp` as a client sees it: the built CLI (`npm test` builds dist/ first), spawned over stdio by
// the official SDK's client.
const REPO = resolve(import.meta.dirname, '..');
const CLI = join(REPO, 'dist', 'cli.js');
const NAIVE = join(REPO, 'examples', 'naive-ts-agent');

const work = mkdtempSync(join(tmpdir(), 'plumbline-mcp-'));
const home = join(work, 'home');
const root = join(work, 'root');

const protocolErrors: Error[] = [];

type Result = Awaited<ReturnType<Client['callTool']>> & {
  structuredContent?: Record<string, unknown>;
  content: { type: string; text?: string }[];
};

async function connect(cwd: string, args: string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    cwd,
    // A private HOME: the Claude Code settings simulator also reads the user's settings.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      NO_COLOR: '1',
      ...(process.env.PLUMBLINE_TEMPLATES_DIR
        ? { PLUMBLINE_TEMPLATES_DIR: process.env.PLUMBLINE_TEMPLATES_DIR }
        : {}),
    },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'plumbline-test', version: '0.0.0' });
  // Lines on stdout that are not protocol messages surface here (the SDK skips them and reports them).
  client.onerror = (e) => protocolErrors.push(e);
  await client.connect(transport);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as Result;

const textOf = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');

/** Every file under a folder with a hash of its content, and every folder: what "nothing written" means. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      const rel = relative(dir, abs);
      if (e.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(abs);
      } else out[rel] = createHash('sha256').update(readFileSync(abs)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

let client: Client;

beforeAll(async () => {
  expect(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first').toBe(true);
  mkdirSync(home, { recursive: true });
  mkdirSync(root, { recursive: true });
  cpSync(NAIVE, join(root, 'naive'), { recursive: true });
  cpSync(NAIVE, join(root, 'scaffold-dry'), { recursive: true });
  cpSync(NAIVE, join(root, 'scaffold-real'), { recursive: true });
  mkdirSync(join(root, 'perms', '.claude'), { recursive: true });
  writeFileSync(
    join(root, 'perms', '.claude', 'settings.json'),
    `${JSON.stringify({ permissions: { allow: ['Bash(git status)'], deny: ['Bash(rm:*)'] } }, null, 2)}\n`,
  );
  writeFileSync(join(work, 'outside.txt'), 'not for the server\n');
  mkdirSync(join(root, 'own-engine'));
  writeFileSync(join(root, 'own-engine', 'plumbline.config.yaml'), 'eval:\n  adapter: module:./decide.mjs\n');
  writeFileSync(
    join(root, 'own-engine', 'decide.mjs'),
    [
      'export function decide(r) {',
      "  console.log('chatty adapter');",
      "  return { decision: 'ask', reason: 'asked about ' + r.tool };",
      '}',
      '',
    ].join('\n'),
  );
  client = await connect(root);
});

afterAll(async () => {
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('plumbline mcp over stdio', () => {
  test('lists the five tools with schemas and honest annotations', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(['audit', 'decide', 'eval', 'explain', 'plan_scaffold']);
    for (const t of tools) {
      expect(t.description?.length ?? 0, t.name).toBeGreaterThan(80);
      expect(t.inputSchema.type).toBe('object');
      expect(t.annotations?.openWorldHint, t.name).toBe(false);
    }
    for (const name of ['audit', 'explain', 'eval', 'decide'])
      expect(byName.get(name)?.annotations?.readOnlyHint, name).toBe(true);
    const scaffold = byName.get('plan_scaffold')!;
    expect(scaffold.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(Object.keys(scaffold.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['path', 'primitives', 'phase', 'confirm']),
    );
    expect(scaffold.inputSchema.properties?.confirm).toMatchObject({ type: 'boolean', default: false });
    expect(byName.get('decide')?.inputSchema.required).toEqual(expect.arrayContaining(['tool', 'input']));
    expect(byName.get('explain')?.inputSchema.required).toEqual(['id']);
    expect(byName.get('eval')?.description).toMatch(/configured adapter/);
  });

  test('audit returns the JSON report as structured content and a short summary', async () => {
    const r = await call(client, 'audit', { path: 'naive' });
    expect(r.isError).toBeFalsy();
    const report = r.structuredContent as {
      schemaVersion: number;
      target: { path: string };
      maturity: string;
      primitives: { id: string; status: string }[];
      findings: { criterion: string }[];
    };
    expect(report.schemaVersion).toBe(1);
    expect(report.target.path).toBe('naive');
    expect(report.maturity).toBe('none');
    expect(report.primitives).toHaveLength(12);
    expect(report.primitives.find((p) => p.id === 'permissions')?.status).toBe('fail');
    expect(report.findings.map((f) => f.criterion)).toContain('permissions.gate');
    expect(textOf(r)).toMatch(/maturity none/);
    expect(textOf(r)).toMatch(/plumbline add permissions/);
  });

  test('audit caps findings and says so', async () => {
    const r = await call(client, 'audit', { path: 'naive', maxFindings: 3 });
    const report = r.structuredContent as { findings: unknown[]; warnings: { kind: string }[] };
    expect(report.findings).toHaveLength(3);
    expect(report.warnings.map((w) => w.kind)).toContain('findings-truncated');
  });

  test('explain describes a primitive', async () => {
    const r = await call(client, 'explain', { id: 'permissions' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ kind: 'primitive', id: 'permissions', phase: 'day-one' });
    expect((r.structuredContent!.criteria as unknown[]).length).toBeGreaterThan(2);
    expect(textOf(r)).toMatch(/Permissions \(permissions\) — day-one/);
  });

  test('decide answers from the project’s Claude Code settings, with the deciding rule', async () => {
    const denied = await call(client, 'decide', {
      path: 'perms',
      tool: 'Bash',
      input: { command: 'rm -rf build' },
    });
    expect(denied.isError).toBeFalsy();
    expect(denied.structuredContent).toMatchObject({
      decision: 'deny',
      rule: 'Bash(rm:*)',
      file: '.claude/settings.json',
      line: 7,
      adapter: 'claude-settings',
    });
    expect(textOf(denied)).toMatch(/^DENY by Bash\(rm:\*\)/);
    const allowed = await call(client, 'decide', {
      path: 'perms',
      tool: 'Bash',
      input: { command: 'git status' },
    });
    expect(allowed.structuredContent).toMatchObject({ decision: 'allow', rule: 'Bash(git status)' });
  });

  test('decide uses the adapter the project configured, and its stdout noise does not break the protocol', async () => {
    const r = await call(client, 'decide', {
      path: 'own-engine',
      tool: 'WebFetch',
      input: { url: 'https://a.example' },
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      decision: 'ask',
      reason: 'asked about WebFetch',
      adapter: 'module:./decide.mjs',
    });
    expect((await call(client, 'explain', { id: 'permissions' })).isError).toBeFalsy();
    expect(protocolErrors).toEqual([]);
  });

  test('eval runs the built-in suites against the settings simulator', async () => {
    const r = await call(client, 'eval', { path: 'perms', suites: ['shell'] });
    expect(r.isError).toBeFalsy();
    const report = r.structuredContent as {
      target: string;
      suites: { id: string; adapter: string; status: string; metrics: { cases: number } }[];
      ok: boolean;
    };
    expect(report.target).toBe('perms');
    expect(report.suites).toHaveLength(1);
    expect(report.suites[0]).toMatchObject({ id: 'shell', adapter: 'claude-settings', status: 'ran' });
    expect(report.suites[0]!.metrics.cases).toBeGreaterThan(10);
    expect(typeof report.ok).toBe('boolean');
  });

  test('plan_scaffold without confirmation writes nothing', async () => {
    const dir = join(root, 'scaffold-dry');
    const before = snapshot(dir);
    const r = await call(client, 'plan_scaffold', {
      path: 'scaffold-dry',
      primitives: ['session-persistence'],
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const plan = r.structuredContent as {
      dryRun: boolean;
      written: boolean;
      templates: string[];
      files: { path: string; action: string; diff?: string }[];
    };
    expect(plan).toMatchObject({ dryRun: true, written: false });
    expect(plan.templates).toEqual(['session-persistence']);
    const created = plan.files.filter((f) => f.action === 'create');
    expect(created.length).toBeGreaterThan(0);
    expect(created[0]!.diff).toMatch(/^--- /m);
    expect(snapshot(dir)).toEqual(before);

    // Without primitives it plans what the audit finds lacking up to the phase, as `plumbline fix`.
    const fix = await call(client, 'plan_scaffold', { path: 'scaffold-dry', phase: 'day-one', diffs: false });
    expect(fix.isError, textOf(fix)).toBeFalsy();
    expect(fix.structuredContent).toMatchObject({ mode: 'fix', dryRun: true, written: false });
    expect(fix.structuredContent?.templates).toContain('session-persistence');
    expect(fix.structuredContent?.templates).not.toContain('compaction');
    expect((fix.structuredContent!.files as { diff?: string }[]).some((f) => f.diff)).toBe(false);
    expect(snapshot(dir)).toEqual(before);
  });

  test('plan_scaffold with confirm: true writes the plan, and again changes nothing', async () => {
    const dir = join(root, 'scaffold-real');
    const r = await call(client, 'plan_scaffold', {
      path: 'scaffold-real',
      primitives: ['session-persistence'],
      confirm: true,
      diffs: false,
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const plan = r.structuredContent as {
      dryRun: boolean;
      written: boolean;
      files: { path: string; action: string }[];
    };
    expect(plan).toMatchObject({ dryRun: false, written: true });
    for (const f of plan.files.filter((x) => x.action === 'create'))
      expect(existsSync(join(dir, f.path)), f.path).toBe(true);
    expect(existsSync(join(dir, '.plumbline', 'scaffold-lock.json'))).toBe(true);

    const after = snapshot(dir);
    const again = await call(client, 'plan_scaffold', {
      path: 'scaffold-real',
      primitives: ['session-persistence'],
      confirm: true,
    });
    expect(again.structuredContent).toMatchObject({ written: false });
    expect(
      (again.structuredContent!.files as { action: string }[]).every((f) => f.action === 'unchanged'),
    ).toBe(true);
    expect(snapshot(dir)).toEqual(after);
  });

  test('bad paths become tool errors and the server keeps serving', async () => {
    const missing = await call(client, 'audit', { path: 'no-such-project' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/no-such-project does not exist/);

    const escaping = await call(client, 'audit', { path: '..' });
    expect(escaping.isError).toBe(true);
    expect(textOf(escaping)).toMatch(/outside the server root/);
    expect(escaping.structuredContent?.hint).toMatch(/--root/);

    const absolute = await call(client, 'eval', { path: 'perms', corpora: [join(work, 'outside.txt')] });
    expect(absolute.isError).toBe(true);
    expect(textOf(absolute)).toMatch(/outside the server root/);

    const unknown = await call(client, 'explain', { id: 'permisions' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/did you mean "permissions"/);

    const noTs = await call(client, 'plan_scaffold', { path: 'perms', primitives: ['session-persistence'] });
    expect(noTs.isError).toBe(true);
    expect(textOf(noTs)).toMatch(/not a TypeScript project/);

    const badArgs = await call(client, 'audit', { path: 'naive', maxFindings: 0 });
    expect(badArgs.isError).toBe(true);
    expect(textOf(badArgs)).toMatch(/maxFindings/);

    const { tools } = await client.listTools();
    expect(tools).toHaveLength(5);
    expect((await call(client, 'explain', { id: 'tool-registry' })).isError).toBeFalsy();
  });
});

describe('plumbline mcp --root', () => {
  test('the default root is the working directory; --root moves it', async () => {
    const inRepo = await connect(REPO);
    try {
      const r = await call(inRepo, 'audit', { path: 'examples/naive-ts-agent', maxFindings: 1 });
      expect((r.structuredContent as { target: { path: string } }).target.path).toBe(
        'examples/naive-ts-agent',
      );
      const outside = await call(inRepo, 'audit', { path: join(root, 'naive') });
      expect(outside.isError).toBe(true);
    } finally {
      await inRepo.close();
    }
    const widened = await connect(REPO, ['--root', work]);
    try {
      const r = await call(widened, 'audit', { path: join(root, 'naive'), maxFindings: 1 });
      expect(r.isError, textOf(r)).toBeFalsy();
      expect((r.structuredContent as { target: { path: string } }).target.path).toBe('root/naive');
    } finally {
      await widened.close();
    }
  });
});
