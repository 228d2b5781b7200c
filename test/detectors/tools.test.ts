import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { frameworksDetector } from '../../src/detectors/frameworks.js';
import { toolsDetector } from '../../src/detectors/tools.js';
import { projectFromFiles } from '../helpers/project.js';

const run = (files: Record<string, string>) =>
  analyze(projectFromFiles(files), [frameworksDetector, toolsDetector]);
const facts = (files: Record<string, string>, kind: string): Fact[] =>
  run(files).facts.filter((f) => f.kind === kind);
const defs = (files: Record<string, string>) => facts(files, 'tool.definition');

describe('tool definitions (TypeScript)', () => {
  it('reads Anthropic tool objects with JSON Schema parameters', () => {
    const [d] = defs({
      'src/tools.ts': `export const TOOLS = [
  {
    name: 'read_file',
    description: 'Read a UTF-8 file from the workspace and return its text.',
    input_schema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Workspace-relative path' },
        limit: { type: 'number' },
      },
      required: ['path'],
    },
  },
];
`,
    });
    expect(d).toMatchObject({
      file: 'src/tools.ts',
      line: 2,
      data: {
        name: 'read_file',
        framework: 'anthropic-sdk',
        schema: 'json-schema',
        params: 2,
        describedParams: 1,
        typedParams: 2,
        undescribedParams: 1,
        validName: true,
        hasDescription: true,
        descriptionWords: 11,
        capabilities: ['read'],
        declaredAsData: true,
      },
    });
  });

  it('follows a same-file schema constant and reads OpenAI function schemas (chat and responses)', () => {
    const found = defs({
      'src/openai.ts': `const WEATHER = { type: 'object', properties: { city: { type: 'string', description: 'City' } } };
const chat = [{ type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: WEATHER } }];
const responses = [{ type: 'function', name: 'delete_user', parameters: { type: 'object', properties: {} } }];
`,
    });
    expect(
      found.map((f) => [f.data.name, f.data.params, f.data.describedParams, f.data.capabilities]),
    ).toEqual([
      ['get_weather', 1, 1, ['read']],
      ['delete_user', 0, 0, ['destructive']],
    ]);
    expect(found[1]?.data.hasDescription).toBe(false);
  });

  it('reads Vercel AI tool() with the enclosing key as the name and zod parameter descriptions', () => {
    const [d] = defs({
      'src/agent.ts': `import { generateText, tool } from 'ai';
import { z } from 'zod';
import { execSync } from 'node:child_process';
export const tools = {
  runShell: tool({
    description: 'Run a shell command',
    inputSchema: z.object({ command: z.string().describe('The command'), cwd: z.string().optional() }),
    execute: async ({ command }) => execSync(command).toString(),
  }),
};
`,
    });
    expect(d?.data).toMatchObject({
      name: 'runShell',
      framework: 'vercel-ai',
      schema: 'zod',
      params: 2,
      describedParams: 1,
      capabilities: ['exec'],
      hasCapabilityMetadata: false,
    });
  });

  it('does not treat a tool() from an unrelated module as a tool', () => {
    expect(
      defs({
        'src/x.ts':
          "import { tool } from './mine';\nconst t = tool({ description: 'x', inputSchema: {} });\n",
      }),
    ).toEqual([]);
  });

  it('reads Mastra createTool, OpenAI Agents tool and Claude Agent SDK tool()', () => {
    const found = defs({
      'src/mastra.ts': `import { createTool } from '@mastra/core/tools';
import { z } from 'zod';
export const weather = createTool({ id: 'get-weather', description: 'Weather', inputSchema: z.object({ city: z.string() }) });
`,
      'src/oa.ts': `import { tool } from '@openai/agents';
import { z } from 'zod';
export const search = tool({ name: 'search_docs', description: 'Search', parameters: z.object({ q: z.string() }), needsApproval: true, execute: async () => '' });
`,
      'src/claude.ts': `import { tool, createSdkMcpServer } from '@anthropic-ai/claude-agent-sdk';
import { z } from 'zod';
const server = createSdkMcpServer({ name: 's', tools: [
  tool('greet', 'Greet someone', { name: z.string().describe('Who') }, async (args) => ({ content: [] })),
] });
`,
    });
    expect(
      found.map((f) => [f.data.name, f.data.framework, f.data.schema, f.data.params, f.data.describedParams]),
    ).toEqual([
      ['get-weather', 'mastra', 'zod', 1, 0],
      ['search_docs', 'openai-agents', 'zod', 1, 0],
      ['greet', 'claude-agent-sdk', 'zod', 1, 1],
    ]);
  });

  it('reads MCP server.tool / registerTool, with annotations as capability metadata', () => {
    const found = defs({
      'src/server.ts': `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
const server = new McpServer({ name: 'x', version: '1' });
server.tool('echo', 'Echo back', { text: z.string() }, async ({ text }) => ({ content: [] }));
server.registerTool('rm_file', {
  title: 'Remove', description: 'Delete a file', inputSchema: { path: z.string().describe('p') },
  annotations: { destructiveHint: true },
}, async ({ path }) => { await fs.unlink(path); return { content: [] }; });
`,
    });
    expect(
      found.map((f) => [
        f.data.name,
        f.data.hasCapabilityMetadata,
        f.data.declaredAsData,
        f.data.capabilities,
      ]),
    ).toEqual([
      ['echo', false, true, []],
      ['rm_file', true, true, ['destructive']],
    ]);
  });

  it('does not count MCP registrations made inside a function as declared data', () => {
    const [d] = defs({
      'src/server.ts': `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export function register(server: McpServer) {
  server.registerTool('ping', { description: 'Ping the board', inputSchema: {} }, async () => ({ content: [] }));
}
`,
    });
    expect(d?.data).toMatchObject({ name: 'ping', declaredAsData: false, schema: 'zod' });
  });

  it('ignores server.tool when the file is not an MCP server', () => {
    expect(defs({ 'src/x.ts': "server.tool('echo', 'Echo', {}, async () => 1);\n" })).toEqual([]);
  });

  it('reads LangChain classes and DynamicStructuredTool', () => {
    const found = defs({
      'src/lc.ts': `import { StructuredTool, DynamicStructuredTool } from '@langchain/core/tools';
import { z } from 'zod';
class Calculator extends StructuredTool {
  name = 'calculator';
  description = 'Evaluate arithmetic';
  schema = z.object({ expr: z.string().describe('expression') });
  async _call() { return '1'; }
}
const t = new DynamicStructuredTool({ name: 'lookup', description: 'Look up', schema: z.object({}), func: async () => '' });
`,
    });
    expect(found.map((f) => [f.data.name, f.data.shape, f.data.describedParams])).toEqual([
      ['calculator', 'langchain-class', 1],
      ['lookup', 'langchain-dynamic-tool', 0],
    ]);
  });

  it('marks tools built inside functions as not declared as data', () => {
    const a = run({
      'src/t.ts': `export function makeTools(root: string) {
  return [{ name: 'ls', description: 'List', input_schema: { type: 'object', properties: {} } }];
}
`,
    });
    expect(a.facts.find((f) => f.kind === 'tool.definition')?.data.declaredAsData).toBe(false);
    expect(a.facts.filter((f) => f.kind === 'tool.declared-as-data')).toHaveLength(0);
  });

  it('flags invalid names and duplicates within one framework', () => {
    const a = run({
      'src/a.ts': "export const A = { name: 'read file', input_schema: { type: 'object' } };\n",
      'src/b.ts': "export const B = { name: 'read file', input_schema: { type: 'object' } };\n",
      'test/c.test.ts': "export const C = { name: 'read file', input_schema: { type: 'object' } };\n",
    });
    expect(a.facts.filter((f) => f.kind === 'tool.definition').every((f) => f.data.validName === false)).toBe(
      true,
    );
    const dups = a.facts.filter((f) => f.kind === 'tool.duplicate-name');
    expect(dups).toHaveLength(1);
    expect(dups[0]).toMatchObject({
      file: 'src/b.ts',
      data: { name: 'read file', count: 2, firstFile: 'src/a.ts' },
    });
  });
});

describe('tool definitions (Python)', () => {
  it('reads @function_tool with docstring descriptions and typed signature', () => {
    const [d] = defs({
      'agent.py': `from agents import Agent, function_tool

@function_tool
def fetch_page(ctx: RunContextWrapper, url: str, timeout: int = 10) -> str:
    """Download a web page.

    Args:
        url: The absolute URL.
    """
    return requests.get(url).text
`,
    });
    expect(d).toMatchObject({
      line: 3,
      data: {
        name: 'fetch_page',
        framework: 'openai-agents',
        schema: 'signature',
        params: 2,
        describedParams: 1,
        typedParams: 2,
      },
    });
    expect(d?.data.capabilities).toEqual(['read', 'network']);
  });

  it('reads FastMCP decorators, LangChain @tool and BaseTool classes, Claude SDK @tool', () => {
    const found = defs({
      'server.py': `from mcp.server.fastmcp import FastMCP
mcp = FastMCP("demo")

@mcp.tool(annotations={"readOnlyHint": True})
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b
`,
      'lc.py': `from langchain_core.tools import tool, BaseTool
from pydantic import BaseModel, Field

class SearchInput(BaseModel):
    query: str = Field(description="what to look for")

class Search(BaseTool):
    name: str = "search"
    description: str = "Search the index"
    args_schema = SearchInput
    def _run(self, query: str) -> str:
        return ""

@tool
def shell(command):
    """Run a shell command."""
    return subprocess.run(command, shell=True)
`,
      'claude.py': `from claude_agent_sdk import tool

@tool("greet", "Greet a user", {"name": str})
async def greet(args):
    return {"content": []}
`,
    });
    expect(
      found.map((f) => [
        f.file,
        f.data.name,
        f.data.framework,
        f.data.schema,
        f.data.params,
        f.data.describedParams,
      ]),
    ).toEqual([
      ['server.py', 'add', 'mcp-server', 'signature', 2, 0],
      ['lc.py', 'search', 'langchain', 'pydantic', 1, 1],
      ['lc.py', 'shell', 'langchain', 'none', 1, 0],
      ['claude.py', 'greet', 'claude-agent-sdk', 'signature', 1, 0],
    ]);
    expect(found[0]?.data.hasCapabilityMetadata).toBe(true);
    expect(found.find((f) => f.data.name === 'shell')?.data.capabilities).toEqual(['exec']);
  });

  it('reads Anthropic tool dicts and mcp.types.Tool', () => {
    const found = defs({
      'tools.py': `import mcp.types as types
TOOLS = [{"name": "bash", "description": "Run bash", "input_schema": {"type": "object", "properties": {"cmd": {"type": "string"}}}}]
def list_tools():
    return [types.Tool(name="now", description="Current time", inputSchema={"type": "object", "properties": {}})]
`,
    });
    expect(found.map((f) => [f.data.name, f.data.framework, f.data.declaredAsData])).toEqual([
      ['bash', 'anthropic-sdk', true],
      ['now', 'mcp-server', false],
    ]);
  });

  it('reads a project Tool record built positionally or with keywords, following the handler', () => {
    const found = defs({
      'harness/registry.py': `from dataclasses import dataclass
import subprocess

@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    input_schema: dict
    capabilities: frozenset
    run: object

def _sh(command):
    return subprocess.run(command, shell=True)

REGISTRY = (
    Tool("shell", "Run a shell command in the repo.", {"type": "object", "properties": {"command": {"type": "string"}}}, frozenset({"exec"}), _sh),
    Tool(name="noop", description="Do nothing.", input_schema={"type": "object", "properties": {}}, capabilities=frozenset(), run=print),
)
NOT_A_TOOL = Tool
`,
    });
    const rows = found.map((f) => [
      f.line,
      f.data.name,
      f.data.schema,
      f.data.params,
      f.data.hasCapabilityMetadata,
      f.data.capabilities,
    ]);
    expect(rows.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [16, 'shell', 'json-schema', 1, true, ['exec']],
      [17, 'noop', 'json-schema', 0, true, []],
    ]);
  });

  it('ignores a decorator named tool that comes from elsewhere', () => {
    expect(defs({ 'x.py': 'from mylib import tool\n@tool\ndef f(a: int):\n    """Doc."""\n' })).toEqual([]);
  });
});

describe('registries and user commands', () => {
  it('finds array and map registries of known tools, including imported ones', () => {
    const a = run({
      'src/tools/read.ts':
        "export const readTool = { name: 'read', description: 'Read', input_schema: { type: 'object' } };\n",
      'src/tools/index.ts':
        "import { readTool } from './read.js';\nconst writeTool = { name: 'write', input_schema: { type: 'object' } };\nexport const ALL = [readTool, writeTool];\nexport const BY_NAME = { read: readTool, write: writeTool };\nconst numbers = [1, 2];\n",
    });
    const regs = a.facts.filter((f) => f.kind === 'tool.registry');
    expect(regs.map((r) => [r.file, r.line, r.data.form, r.data.size, r.data.name])).toEqual([
      ['src/tools/index.ts', 3, 'array', 2, 'ALL'],
      ['src/tools/index.ts', 4, 'map', 2, 'BY_NAME'],
    ]);
  });

  it('reads metadata, code and binding from a wrapper around an Anthropic spec', () => {
    const a = run({
      'src/tools.ts': `export const bash = {
  capabilities: ['exec'],
  spec: { name: 'bash', description: 'Run a command', input_schema: { type: 'object', properties: {} } },
  async run(input) { return execSync(input.command).toString(); },
};
export const TOOLS = { bash };
`,
    });
    const d = a.facts.find((f) => f.kind === 'tool.definition');
    expect(d?.data).toMatchObject({ name: 'bash', hasCapabilityMetadata: true, capabilities: ['exec'] });
    expect(a.facts.filter((f) => f.kind === 'tool.registry').map((r) => [r.line, r.data.name])).toEqual([
      [6, 'TOOLS'],
    ]);
  });

  it('does not count a list of names that merely match a tool name in another file', () => {
    const a = run({
      'src/tools/read.ts': "export const readTool = { name: 'read', input_schema: { type: 'object' } };\n",
      'src/other.ts': 'const readTool = 1;\nconst xs = [readTool];\n',
    });
    expect(a.facts.filter((f) => f.kind === 'tool.registry')).toEqual([]);
  });

  it('does not let a package import stand in for a project tool', () => {
    const a = run({
      'src/tools/read.ts': "export const search = { name: 'search', input_schema: { type: 'object' } };\n",
      'src/ui.ts': "import { search } from 'some-search-lib';\nconst handlers = [search];\n",
    });
    expect(a.facts.filter((f) => f.kind === 'tool.registry')).toEqual([]);
  });

  it('ignores objects that only look a little like schemas', () => {
    expect(
      defs({
        'src/x.ts':
          "const q = { parameters: { a: 1 } };\nconst r = { name: 'x', inputSchema: mySchema };\nconst s = { type: 'function', value: 1 };\n",
      }),
    ).toEqual([]);
  });

  it('finds Python tool lists and registry classes', () => {
    const a = run({
      'agent.py': `from agents import Agent, function_tool
@function_tool
def a(x: int) -> int:
    """A."""
    return x
agent = Agent(name="x", tools=[a])
class ToolRegistry:
    def register(self, t): ...
`,
    });
    expect(a.facts.filter((f) => f.kind === 'tool.registry').map((r) => r.data.form)).toEqual([
      'array',
      'class',
    ]);
  });

  it('finds user command registries kept apart from tools', () => {
    const a = run({
      '.claude/commands/review.md': '---\ndescription: review\n---\nReview the diff.\n',
      '.claude/commands/ship.md': 'Ship it.\n',
      'src/commands.ts':
        "export const slashCommands = { '/help': { description: 'Help', run: () => {} }, clear: () => {} };\n",
      'src/other.ts': 'const commands = { a: 1 };\n',
    });
    const cmds = a.facts.filter((f) => f.kind === 'tool.user-command-registry');
    expect(cmds.map((c) => [c.file, c.role, c.data.form, c.data.size])).toEqual([
      ['src/commands.ts', 'source', 'map', 2],
      ['.claude/commands/review.md', 'config', 'claude-commands-dir', 2],
    ]);
  });

  it('fills the inventory with the tools and their capabilities', () => {
    const a = run({
      'src/t.ts':
        "export const T = { name: 'bash', description: 'Run a shell command', input_schema: { type: 'object' } };\n",
    });
    expect(a.inventory.tools).toEqual([
      expect.objectContaining({
        name: 'bash',
        file: 'src/t.ts',
        line: 1,
        framework: 'anthropic-sdk',
        capabilities: ['exec'],
        role: 'source',
      }),
    ]);
  });
});
