// Generates a synthetic agent repository for the benchmark: a monorepo of TS and Python packages with
// tool modules, agent loops, session stores, configs and tests, plus things discovery must skip
// (node_modules, ignored build output, lockfiles, images). Deterministic for a given size and seed.
//
// Usage: node scripts/bench-generate.mjs <dir> <sourceFiles> [seed]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../dist/evals/session-recovery/prng.js';

/** The seeded PRNG plumbline uses for kill schedules, so every run builds the same tree. */
const rng = seededRandom;

const VERBS = [
  'read',
  'write',
  'list',
  'search',
  'fetch',
  'patch',
  'delete',
  'move',
  'run',
  'grep',
  'glob',
  'diff',
];
const NOUNS = [
  'file',
  'dir',
  'issue',
  'ticket',
  'page',
  'record',
  'note',
  'branch',
  'commit',
  'image',
  'doc',
  'task',
];
const TYPES = ['string', 'number', 'boolean', 'integer'];

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
const camel = (a, b) => a + b[0].toUpperCase() + b.slice(1);

function tsTool(r, i) {
  const verb = pick(r, VERBS);
  const noun = pick(r, NOUNS);
  const name = `${verb}_${noun}_${i}`;
  const id = camel(verb, noun) + i;
  const params = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, k) => ({
    name: `${pick(r, NOUNS)}${k}`,
    type: pick(r, TYPES),
  }));
  const props = params
    .map((p) => `      ${p.name}: { type: '${p.type}', description: 'The ${p.name} to ${verb}.' },`)
    .join('\n');
  const helpers = Array.from({ length: Math.floor(r() * 10) }, (_, k) => tsHelper(r, `${id}Helper${k}`)).join(
    '\n',
  );
  return `import { readFile, writeFile } from 'node:fs/promises';
import type { Tool, ToolResult } from '../types.js';

export const ${id}Tool: Tool = {
  name: '${name}',
  description: '${verb[0].toUpperCase()}${verb.slice(1)} a ${noun} in the workspace and return what changed.',
  input_schema: {
    type: 'object',
    properties: {
${props}
    },
    required: [${params
      .slice(0, 1)
      .map((p) => `'${p.name}'`)
      .join(', ')}],
  },
  async execute(input: Record<string, unknown>): Promise<ToolResult> {
    const target = String(input.${params[0].name} ?? '');
    if (!target) return { isError: true, content: 'missing ${params[0].name}' };
    const before = await readFile(target, 'utf8').catch(() => '');
    ${verb === 'write' || verb === 'patch' ? "await writeFile(target, before + '\\n', 'utf8');" : ''}
    return { isError: false, content: before.slice(0, ${500 + Math.floor(r() * 4000)}) };
  },
};
${helpers}
`;
}

function tsHelper(r, name) {
  const n = 2 + Math.floor(r() * 16);
  const lines = Array.from(
    { length: n },
    (_, k) => `  if (value.length > ${k * 7}) out.push(value.slice(${k}, ${k + 5}));`,
  );
  return `
export function ${name}(value: string): string[] {
  const out: string[] = [];
${lines.join('\n')}
  return out;
}
`;
}

function tsLoop(r, i) {
  const maxTurns = 5 + Math.floor(r() * 50);
  return `import { appendFile } from 'node:fs/promises';
import Anthropic from '@anthropic-ai/sdk';
import { tools } from './tools/index.js';

const client = new Anthropic();

export async function runAgent${i}(prompt: string, sessionFile: string): Promise<string> {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: prompt }];
  for (let turn = 0; turn < ${maxTurns}; turn++) {
    const response = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: ${1024 * (1 + Math.floor(r() * 8))},
      tools: tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.input_schema })),
      messages,
    });
    await appendFile(sessionFile, JSON.stringify({ turn, response }) + '\\n');
    messages.push({ role: 'assistant', content: response.content });
    if (response.stop_reason !== 'tool_use') break;
    for (const block of response.content) {
      if (block.type !== 'tool_use') continue;
      const tool = tools.find((t) => t.name === block.name);
      const result = tool ? await tool.execute(block.input as Record<string, unknown>) : { isError: true, content: 'unknown tool' };
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: block.id, content: result.content }] });
    }
  }
  return JSON.stringify(messages.at(-1));
}
`;
}

function tsTest(r, i) {
  const cases = Array.from(
    { length: 1 + Math.floor(r() * 5) },
    (_, k) => `
  it('handles case ${k}', async () => {
    const out = await runAgent${i}('task ${k}', '/tmp/s${i}-${k}.jsonl');
    expect(out).toContain('${pick(r, NOUNS)}');
  });`,
  ).join('\n');
  return `import { describe, expect, it } from 'vitest';
import { runAgent${i} } from '../src/loop${i}.js';

describe('agent ${i}', () => {${cases}
});
`;
}

function pyTool(r, i) {
  const fns = Array.from({ length: 1 + Math.floor(r() * 7) }, (_, k) => {
    const verb = pick(r, VERBS);
    const noun = pick(r, NOUNS);
    return `

@tool
def ${verb}_${noun}_${i}_${k}(path: str, limit: int = ${10 + k}) -> str:
    """${verb.toUpperCase()} a ${noun} and return at most \`limit\` lines."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.readlines()[:limit]
    return "".join(lines)`;
  }).join('');
  return `from langchain_core.tools import tool
${fns}
`;
}

function pyLoop(r, i) {
  return `import json
from pathlib import Path

from anthropic import Anthropic

client = Anthropic()
AGENT_ID = ${i}


def run(prompt: str, session: Path, max_turns: int = ${3 + Math.floor(r() * 30)}) -> str:
    messages = [{"role": "user", "content": prompt}]
    for turn in range(max_turns):
        response = client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, messages=messages)
        with session.open("a", encoding="utf-8") as log:
            log.write(json.dumps({"turn": turn, "id": response.id}) + "\\n")
        if response.stop_reason != "tool_use":
            return response.content[0].text
    return ""
`;
}

function pyTest(_r, i) {
  return `from pkg${i % 7}.loop import run


def test_run_${i}(tmp_path):
    assert run("hello", tmp_path / "s.jsonl", max_turns=0) == ""
`;
}

function config(r, i) {
  const kind = i % 3;
  if (kind === 0)
    return [
      'json',
      `${JSON.stringify({ name: `cfg-${i}`, retries: Math.floor(r() * 5), tools: VERBS.slice(0, 1 + (i % 6)) }, null, 2)}\n`,
    ];
  if (kind === 1)
    return ['yaml', `name: cfg-${i}\nmodel: claude-sonnet-4-5\nmax_turns: ${Math.floor(r() * 40)}\n`];
  return ['toml', `[agent]\nname = "cfg-${i}"\ntimeout = ${Math.floor(r() * 120)}\n`];
}

/**
 * Writes the repository and returns what it holds. `sourceFiles` counts files discovery must read
 * (sources, tests and configs); ignored and irrelevant files come on top.
 */
export function generateRepo(dir, sourceFiles, seed = 42) {
  const r = rng(seed);
  let written = 0;
  const put = (rel, text) => {
    const abs = join(dir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  };
  const analysed = (rel, text) => {
    put(rel, text);
    written++;
  };

  analysed(
    'package.json',
    `${JSON.stringify({ name: 'bench-agent', private: true, type: 'module' }, null, 2)}\n`,
  );
  analysed(
    'tsconfig.json',
    '{\n  // comments are allowed here\n  "compilerOptions": { "strict": true }\n}\n',
  );
  put('.gitignore', 'dist/\n*.log\ntmp/\n!keep.log\n');
  put('README.md', '# bench agent\n');
  put('package-lock.json', `${JSON.stringify({ lockfileVersion: 3, packages: {} })}\n`);
  put('assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));

  // Ignored weight: dependencies and build output that a naive walker would read.
  const ignoredCount = Math.max(20, Math.floor(sourceFiles / 10));
  for (let i = 0; i < ignoredCount; i++) {
    put(`node_modules/dep-${i % 40}/lib/m${i}.js`, `module.exports = function m${i}() { return ${i}; };\n`);
    if (i % 2 === 0) put(`packages/pkg-${i % 10}/dist/out${i}.js`, `export const out${i} = ${i};\n`);
    if (i % 5 === 0) put(`tmp/scratch${i}.ts`, `export const s${i} = ${i};\n`);
  }

  const perPackage = 200;
  let i = 0;
  while (written < sourceFiles) {
    const pkgIndex = Math.floor(i / perPackage);
    const ts = pkgIndex % 3 !== 2;
    const pkg = ts ? `packages/pkg-${pkgIndex}` : `py/pkg${pkgIndex}`;
    if (i % perPackage === 0) {
      if (ts)
        analysed(`${pkg}/package.json`, `${JSON.stringify({ name: `pkg-${pkgIndex}`, version: '1.0.0' })}\n`);
      else analysed(`${pkg}/pyproject.toml`, `[project]\nname = "pkg${pkgIndex}"\nversion = "0.1.0"\n`);
    }
    const slot = i % 20;
    const sub = `m${Math.floor((i % perPackage) / 40)}`;
    if (ts) {
      if (slot < 10) analysed(`${pkg}/src/${sub}/tools/tool${i}.ts`, tsTool(r, i));
      else if (slot < 13) analysed(`${pkg}/src/${sub}/loop${i}.ts`, tsLoop(r, i));
      else if (slot < 16) analysed(`${pkg}/test/agent${i}.test.ts`, tsTest(r, i));
      else if (slot < 18) {
        const [ext, text] = config(r, i);
        analysed(`${pkg}/config/c${i}.${ext}`, text);
      } else analysed(`${pkg}/src/${sub}/util${i}.ts`, tsHelper(r, `util${i}`));
    } else {
      if (slot < 10) analysed(`${pkg}/pkg${pkgIndex}/tools/tools_${i}.py`, pyTool(r, i));
      else if (slot < 14) analysed(`${pkg}/pkg${pkgIndex}/loop_${i}.py`, pyLoop(r, i));
      else if (slot < 18) analysed(`${pkg}/tests/test_loop_${i}.py`, pyTest(r, i));
      else {
        const [ext, text] = config(r, i);
        analysed(`${pkg}/conf/c${i}.${ext}`, text);
      }
    }
    i++;
  }
  return { dir, analysed: written, ignored: ignoredCount };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, n, seed] = process.argv.slice(2);
  if (!dir || !n) {
    console.error('usage: node scripts/bench-generate.mjs <dir> <sourceFiles> [seed]');
    process.exit(2);
  }
  console.log(JSON.stringify(generateRepo(dir, Number(n), seed ? Number(seed) : 42)));
}
