import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { FACT_KINDS, shellSecurityDetector } from '../../src/detectors/shell-security.js';
import { projectFromFiles } from '../helpers/project.js';

const run = (files: Record<string, string>) =>
  analyze(projectFromFiles(files), [shellSecurityDetector]).facts;
const ofKind = (facts: Fact[], kind: string) => facts.filter((f) => f.kind === kind);
const guardKinds = (facts: Fact[]) =>
  [...new Set(ofKind(facts, 'shell.guard').map((f) => f.data.kind))].sort();

describe('shell-security detector', () => {
  it('sees a naive bash tool: exec with a shell, inside a tool, and no guards', () => {
    const facts = run({
      'src/tools.ts': [
        "import { execSync } from 'node:child_process';",
        'export const tools = [{',
        "  name: 'bash',",
        "  description: 'Run a shell command',",
        "  input_schema: { type: 'object', properties: { command: { type: 'string' } } },",
        '  run: (input: { command: string }) => execSync(input.command).toString(),',
        '}];',
      ].join('\n'),
    });
    expect(ofKind(facts, 'shell.exec')).toEqual([
      expect.objectContaining({
        file: 'src/tools.ts',
        line: 6,
        data: { api: 'child_process.execSync', shellTrue: true, inTool: true },
      }),
    ]);
    expect(ofKind(facts, 'shell.guard')).toHaveLength(0);
  });

  it('tells harness-internal spawns and build scripts apart from the shell tool', () => {
    const facts = run({
      'src/git.ts':
        "import { execFileSync } from 'node:child_process';\nexport const head = () => execFileSync('git', ['rev-parse', 'HEAD']);",
      'scripts/build.py': 'import subprocess\nsubprocess.run("tsc", shell=True)\n',
      'test/cli.test.ts':
        "import { spawnSync } from 'node:child_process';\nspawnSync('node', ['dist/cli.js']);",
      'src/local.ts': 'function exec(x: string) { return x; }\nexec("rm -rf /");',
    });
    expect(
      ofKind(facts, 'shell.exec').map((f) => [f.file, f.data.api, f.data.shellTrue, f.data.inTool]),
    ).toEqual([['src/git.ts', 'child_process.execFileSync', false, false]]);
  });

  it('counts independent guard layers around a hardened TS shell tool', () => {
    const facts = run({
      'src/tools/bash.ts': [
        "import { spawn } from 'node:child_process';",
        "import path from 'node:path';",
        "import { parse } from 'shell-quote';",
        "import { checkCommand } from './bash-policy.js';",
        'const MAX_OUTPUT = 30_000;',
        'export async function runBash(command: string, root: string, cwd: string) {',
        '  checkCommand(parse(command));',
        '  const resolved = path.resolve(root, cwd);',
        "  if (!resolved.startsWith(root)) throw new Error('outside workspace');",
        "  const child = spawn('bwrap', ['--unshare-net', 'bash', '-c', command], {",
        '    cwd: resolved, timeout: 10_000, env: { PATH: process.env.PATH },',
        '  });',
        '  let out = "";',
        '  child.stdout.on("data", (d) => { out += d; });',
        '  return out.slice(0, MAX_OUTPUT);',
        '}',
      ].join('\n'),
      'src/tools/bash-policy.ts': [
        "const DENIED_COMMANDS = ['rm -rf', 'sudo', 'mkfs'];",
        'export function checkCommand(tokens: unknown[]) {',
        '  const text = tokens.join(" ");',
        '  for (const part of text.split(/&&|\\|\\||;/)) {',
        "    if (DENIED_COMMANDS.some((d) => part.trim().startsWith(d))) throw new Error('denied');",
        "    if (part.includes('$(')) throw new Error('substitution');",
        '  }',
        '}',
      ].join('\n'),
    });
    expect(ofKind(facts, 'shell.exec')[0]?.data).toEqual({
      api: 'child_process.spawn',
      shellTrue: false,
      inTool: true,
    });
    expect(guardKinds(facts)).toEqual([
      'compound-split',
      'cwd-jail',
      'denylist',
      'env-scrub',
      'injection-check',
      'network-limit',
      'output-cap',
      'parser',
      'path-check',
      'sandbox',
      'timeout',
    ]);
    const parser = ofKind(facts, 'shell.guard').find((f) => f.data.kind === 'parser');
    expect(parser).toMatchObject({ file: 'src/tools/bash.ts', line: 7, data: { detail: 'shell-quote' } });
  });

  it('does not count env that inherits process.env, nor a timeout of zero', () => {
    const facts = run({
      'src/run.ts': [
        "import { exec } from 'node:child_process';",
        'export function runCommand(cmd: string) {',
        '  return exec(cmd, { env: { ...process.env, FOO: "1" }, timeout: 0 });',
        '}',
      ].join('\n'),
    });
    expect(ofKind(facts, 'shell.exec')[0]?.data).toEqual({
      api: 'child_process.exec',
      shellTrue: true,
      inTool: true,
    });
    expect(ofKind(facts, 'shell.guard')).toHaveLength(0);
  });

  it('reads a Python shell tool with shell=True, a timeout, shlex and an output cap', () => {
    const facts = run({
      'agent/tools.py': [
        'import shlex',
        'import subprocess',
        'from agents import function_tool',
        'MAX_CHARS = 10000',
        '@function_tool',
        'def run(command: str) -> str:',
        '    argv = shlex.split(command)',
        '    proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)',
        '    return proc.stdout[:MAX_CHARS]',
      ].join('\n'),
    });
    expect(ofKind(facts, 'shell.exec').map((f) => [f.line, f.data])).toEqual([
      [8, { api: 'subprocess.run', shellTrue: false, inTool: true }],
    ]);
    expect(guardKinds(facts)).toEqual(['output-cap', 'parser', 'timeout']);
  });

  it('sees SDK-provided shell tools and a dispatch branch on the tool name', () => {
    const facts = run({
      'src/agent.ts':
        "const tools = [{ type: 'bash_20250124', name: 'bash' }];\nconst opts = { allowedTools: ['Read', 'Bash(npm test:*)'] };",
      'agent/loop.py': [
        'import os',
        'def dispatch(name, tool_input):',
        '    if name == "bash":',
        '        return os.system(tool_input["command"])',
      ].join('\n'),
    });
    expect(
      ofKind(facts, 'shell.exec').map((f) => `${f.file}:${f.line}:${f.data.api}:${f.data.inTool}`),
    ).toEqual([
      'src/agent.ts:1:anthropic-bash-tool:true',
      'src/agent.ts:2:claude-agent-sdk-bash:true',
      'agent/loop.py:4:os.system:true',
    ]);
  });

  it('treats a dynamic command next to a model call as model-driven, and reads nested tool definitions', () => {
    const facts = run({
      'src/agent.js': [
        "import { execSync } from 'node:child_process';",
        'async function main() {',
        '  const r = await client.messages.create({ model, messages });',
        '  const m = r.content[0].text.match(/^RUN: (.+)$/m);',
        '  return execSync(m[1]);',
        '}',
      ].join('\n'),
      'src/tools.ts': [
        "import { exec } from 'node:child_process';",
        "import { promisify } from 'node:util';",
        'const run = promisify(exec);',
        'export const registry = [{',
        "  definition: { name: 'run_command', input_schema: { type: 'object' } },",
        '  execute: async (input: { command: string }) => run(String(input.command), { timeout: 1000 }),',
        '}];',
      ].join('\n'),
    });
    expect(
      ofKind(facts, 'shell.exec').map((f) => `${f.file}:${f.line}:${f.data.api}:${f.data.inTool}`),
    ).toEqual(['src/agent.js:5:child_process.execSync:true', 'src/tools.ts:6:child_process.exec:true']);
  });

  it('reads Claude Code settings: Bash rules make a shell tool, Bash deny rules a denylist', () => {
    const facts = run({
      '.claude/settings.json': JSON.stringify(
        { permissions: { allow: ['Bash(npm test)'], deny: ['Bash(rm -rf:*)'] } },
        null,
        2,
      ),
    });
    expect(ofKind(facts, 'shell.exec')[0]?.data).toEqual({
      api: 'claude-code-bash',
      shellTrue: true,
      inTool: true,
    });
    expect(ofKind(facts, 'shell.guard').map((f) => f.data)).toEqual([
      { kind: 'denylist', detail: 'claude-settings' },
    ]);
  });

  it('declares every kind it emits', () => {
    const facts = run({
      'src/sh.ts':
        "import { exec } from 'child_process';\nexport const bash = (c: string) => exec(c, { timeout: 5000 });",
    });
    expect(facts.map((f) => f.kind).sort()).toEqual(['shell.exec', 'shell.guard']);
    for (const f of facts) expect(FACT_KINDS).toContain(f.kind);
  });
});
