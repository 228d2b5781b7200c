import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { frameworksDetector } from '../../src/detectors/frameworks.js';
import { projectFromFiles } from '../helpers/project.js';

const run = (files: Record<string, string>) => analyze(projectFromFiles(files), [frameworksDetector]);
const ids = (files: Record<string, string>) => run(files).frameworks.map((f) => f.id);

describe('frameworks detector', () => {
  it('reads package.json dependencies and devDependencies with the key line as evidence', () => {
    const a = run({
      'package.json': JSON.stringify(
        {
          dependencies: { '@anthropic-ai/sdk': '^1', ai: '5', '@ai-sdk/openai': '1' },
          devDependencies: { '@mastra/core': '1' },
        },
        null,
        2,
      ),
    });
    expect(a.frameworks.map((f) => f.id)).toEqual(['anthropic-sdk', 'mastra', 'vercel-ai']);
    const anthropic = a.facts.find((f) => f.kind === 'framework.use' && f.data.id === 'anthropic-sdk');
    expect(anthropic).toMatchObject({
      file: 'package.json',
      line: 3,
      role: 'config',
      data: { language: 'typescript' },
    });
  });

  it('reads pyproject (PEP 621 and poetry) and requirements files, normalising names', () => {
    expect(
      ids({
        'pyproject.toml': '[project]\nname = "x"\ndependencies = ["anthropic>=0.40", "Claude_Agent_SDK"]\n',
        'svc/pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\nlanggraph = "^0.2"\n',
        'requirements-dev.txt':
          '# tools\nopenai-agents==0.3 ; python_version > "3.9"\n-r base.txt\nlangchain-openai\n',
      }),
    ).toEqual(['anthropic-sdk', 'claude-agent-sdk', 'langchain', 'langgraph', 'openai-agents']);
  });

  it('counts requirements files as config evidence, not docs', () => {
    const fact = run({ 'requirements.txt': 'fastmcp\n' }).facts[0];
    expect(fact).toMatchObject({
      kind: 'framework.use',
      role: 'config',
      line: 1,
      data: { id: 'mcp-server' },
    });
  });

  it('finds imports in TS and Python sources, with the import line', () => {
    const a = run({
      'src/agent.ts':
        "// setup\nimport Anthropic from '@anthropic-ai/sdk';\nimport { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n",
      'src/client.ts': "import { Client } from '@modelcontextprotocol/sdk/client/index.js';\n",
      'app/graph.py': 'from langgraph.graph import StateGraph\nfrom mcp.server.fastmcp import FastMCP\n',
    });
    expect(a.frameworks.map((f) => f.id)).toEqual(['anthropic-sdk', 'langgraph', 'mcp-server']);
    expect(a.facts.find((f) => f.data.id === 'anthropic-sdk')).toMatchObject({
      file: 'src/agent.ts',
      line: 2,
    });
    expect(a.frameworks.find((f) => f.id === 'langgraph')?.language).toBe('python');
  });

  it('trusts `agents` as the OpenAI Agents SDK only for its exported names and no local agents package', () => {
    expect(ids({ 'main.py': 'from agents import Agent, Runner\n' })).toEqual(['openai-agents']);
    expect(ids({ 'main.py': 'from agents import helpers\n' })).toEqual([]);
    expect(ids({ 'main.py': 'from agents import Agent\n', 'agents/__init__.py': 'Agent = 1\n' })).toEqual([]);
  });

  it('recognises hand-rolled HTTP calls to model endpoints, not other URLs', () => {
    expect(
      ids({
        'src/a.ts': "const r = await fetch('https://api.anthropic.com/v1/messages', { method: 'POST' });\n",
      }),
    ).toEqual(['hand-rolled-http']);
    const templated = `\`$\{base}/v1/chat/completions\``;
    expect(ids({ 'src/b.ts': `const URL = ${templated};\nawait axios.post(URL, body);\n` })).toEqual([
      'hand-rolled-http',
    ]);
    expect(ids({ 'src/c.ts': `await axios.post(${templated}, body);\n` })).toEqual(['hand-rolled-http']);
    expect(
      ids({ 'x.py': 'import httpx\nr = httpx.post("https://api.openai.com/v1/responses", json=b)\n' }),
    ).toEqual(['hand-rolled-http']);
    expect(
      ids({
        'src/d.ts':
          "await fetch('https://example.com/v1/users');\nconst s = 'api.anthropic.com/v1/messages';\n",
      }),
    ).toEqual([]);
  });

  it('ignores fixtures and documentation', () => {
    expect(
      ids({
        'test/fixtures/agent/index.ts': "import Anthropic from '@anthropic-ai/sdk';\n",
        'docs/guide.md': "import OpenAI from 'openai'\n",
      }),
    ).toEqual([]);
  });

  it('emits one fact per framework and file even with several imports', () => {
    const a = run({ 'src/a.ts': "import { generateText } from 'ai';\nimport { tool } from 'ai';\n" });
    expect(a.facts.filter((f) => f.kind === 'framework.use')).toHaveLength(1);
    expect(a.frameworks[0]?.evidence).toHaveLength(2);
  });
});

describe('a project that is only an MCP tool server', () => {
  const kindsOf = (files: Record<string, string>) =>
    analyze(projectFromFiles(files), [frameworksDetector]).facts.map((f) => f.kind);

  it('is marked as a tool server when MCP is its only framework', () => {
    expect(
      kindsOf({
        'src/server.ts':
          "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const s = new McpServer({ name: 'x', version: '1' });",
      }),
    ).toContain('project.tool-server-only');
  });

  it('is not, once it also drives a model', () => {
    expect(
      kindsOf({
        'src/server.ts':
          "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const s = new McpServer({ name: 'x', version: '1' });",
        'src/agent.ts': "import Anthropic from '@anthropic-ai/sdk';\nexport const c = new Anthropic();",
      }),
    ).not.toContain('project.tool-server-only');
  });
});
