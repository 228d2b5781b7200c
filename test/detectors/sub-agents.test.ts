import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { subAgentsDetector } from '../../src/detectors/sub-agents.js';
import { projectFromFiles } from '../helpers/project.js';

const run = (files: Record<string, string>) => analyze(projectFromFiles(files), [subAgentsDetector]);
const of = (files: Record<string, string>, kind: string): Fact[] =>
  run(files).facts.filter((f) => f.kind === kind);

describe('Claude Code agent files', () => {
  const files = {
    '.claude/agents/reviewer.md':
      '---\nname: reviewer\ndescription: Reviews diffs\ntools: Read, Grep, Glob\nmodel: haiku\nmaxTurns: 8\n---\nYou review.\n',
    '.claude/agents/yolo.md':
      '---\nname: yolo\ndescription: Does anything\npermissionMode: bypassPermissions\n---\nGo.\n',
    '.claude/agents/broken.md': '---\nname: broken\ndescription: [unclosed\n---\n',
    '.claude/agents/nodesc.md': '---\nname: nodesc\n---\n',
    '.claude/agents/README.md': 'Just notes, no front matter.\n',
    'test/fixtures/.claude/agents/x.md': '---\nname: x\ndescription: y\n---\n',
  };

  it('reads front matter into definitions with tools, budget, model and mode', () => {
    const defs = of(files, 'subagent.definition');
    expect(defs.map((d) => d.data.name)).toEqual(['reviewer', 'yolo']);
    expect(defs[0]).toMatchObject({
      file: '.claude/agents/reviewer.md',
      role: 'config',
      data: {
        hasTools: true,
        toolCount: 3,
        hasBudget: true,
        hasModel: true,
        hasPermissionMode: false,
        narrows: true,
      },
    });
    expect(defs[1]?.data).toMatchObject({
      hasTools: false,
      narrows: false,
      permissionMode: 'bypassPermissions',
    });
  });

  it('reports invalid files and widening', () => {
    expect(of(files, 'subagent.invalid').map((f) => [f.file, f.data.why])).toEqual([
      ['.claude/agents/broken.md', expect.stringMatching(/not valid YAML/)],
      ['.claude/agents/nodesc.md', expect.stringMatching(/no description/)],
    ]);
    expect(of(files, 'subagent.widening').map((f) => f.data.name)).toEqual(['yolo']);
  });

  it('adds a sub-agent permission source per definition', () => {
    const sources = run(files).inventory.permissionSources;
    expect(sources.map((s) => [s.kind, s.detail, s.rules?.allow.length])).toEqual([
      ['sub-agent', 'reviewer', 3],
      ['sub-agent', 'yolo', 0],
    ]);
  });
});

describe('sub-agents in code', () => {
  it('reads the Claude Agent SDK agents option and flags tools wider than the parent', () => {
    const a = run({
      'src/run.ts': `import { query } from '@anthropic-ai/claude-agent-sdk';
query({ prompt, options: {
  allowedTools: ['Read', 'Grep', 'Agent'],
  agents: {
    'code-reviewer': { description: 'Reviews code', prompt: 'Review.', tools: ['Read', 'Grep'], model: 'sonnet' },
    fixer: { description: 'Fixes code', prompt: 'Fix.', tools: ['Read', 'Edit'] },
  },
} });
`,
    });
    const defs = a.facts.filter((f) => f.kind === 'subagent.definition');
    expect(defs.map((d) => [d.line, d.data.name, d.data.narrows, d.data.hasModel])).toEqual([
      [5, 'code-reviewer', true, true],
      [6, 'fixer', false, false],
    ]);
    expect(a.facts.filter((f) => f.kind === 'subagent.widening').map((w) => w.data.why)).toEqual([
      'tools not granted to the parent: Edit',
    ]);
  });

  it('reads Python ClaudeAgentOptions agents with AgentDefinition', () => {
    const defs = of(
      {
        'agent.py': `from claude_agent_sdk import ClaudeAgentOptions, AgentDefinition
opts = ClaudeAgentOptions(agents={"tester": AgentDefinition(description="Runs tests", prompt="Test.", tools=["Bash"])})
`,
      },
      'subagent.definition',
    );
    expect(defs.map((d) => [d.data.name, d.data.toolCount, d.data.framework])).toEqual([
      ['tester', 1, 'claude-agent-sdk'],
    ]);
  });

  it('counts OpenAI Agents only when agents hand off to each other', () => {
    const withHandoffs = `from agents import Agent
billing = Agent(name="billing", instructions="b", tools=[refund])
triage = Agent(name="triage", instructions="t", handoffs=[billing])
`;
    const alone = `from agents import Agent
a = Agent(name="a", instructions="x")
b = Agent(name="b", instructions="y")
`;
    expect(
      of({ 'app.py': withHandoffs }, 'subagent.definition').map((d) => [d.data.name, d.data.hasTools]),
    ).toEqual([
      ['billing', true],
      ['triage', false],
    ]);
    expect(of({ 'app.py': alone }, 'subagent.definition')).toEqual([]);
  });

  it('reads OpenAI Agents JS agents used as tools, and an agents option held in a constant', () => {
    const a = run({
      'src/agents.ts': `import { Agent } from '@openai/agents';
const researcher = new Agent({ name: 'researcher', instructions: 'r', tools: [searchTool] });
export const lead = new Agent({ name: 'lead', instructions: 'l', tools: [researcher.asTool({ toolName: 'research' })] });
`,
      'src/sdk.ts': `import { query } from '@anthropic-ai/claude-agent-sdk';
const AGENTS = { tester: { description: 'Runs tests', prompt: 'Test.', tools: ['Bash'], permissionMode: 'bypassPermissions' } };
query({ prompt, options: { agents: AGENTS } });
`,
    });
    const defs = a.facts.filter((f) => f.kind === 'subagent.definition');
    expect(defs.map((d) => [d.file, d.data.name, d.data.framework, d.data.toolCount])).toEqual([
      ['src/sdk.ts', 'tester', 'claude-agent-sdk', 1],
      ['src/agents.ts', 'researcher', 'openai-agents', 1],
      ['src/agents.ts', 'lead', 'openai-agents', 1],
    ]);
    expect(
      a.facts.filter((f) => f.kind === 'subagent.widening').map((w) => [w.data.name, w.data.why]),
    ).toEqual([['tester', 'sub-agent runs with bypassPermissions']]);
  });

  it('reads hand-rolled roles from per-role tables of prompts, tools and budgets', () => {
    const a = run({
      'harness/registry.py':
        'ROLE_CAPABILITIES = {"writer": frozenset({"read", "write"}), "reviewer": frozenset({"read"})}\n',
      'harness/agent.py': `BUDGETS = {"writer": Budget(12, 120_000), "reviewer": Budget(4, 30_000)}
PROMPTS = {"writer": "You update the changelog.", "reviewer": "You check the entry."}
`,
      'src/i18n.ts':
        "export const PROMPTS = { en: 'Hello', fr: 'Bonjour' };\nexport const LABELS = { en: 'x', fr: 'y' };\n",
    });
    const defs = a.facts.filter((f) => f.kind === 'subagent.definition');
    expect(
      defs.map((d) => [d.file, d.line, d.data.name, d.data.hasTools, d.data.hasBudget, d.data.source]),
    ).toEqual([
      ['harness/agent.py', 2, 'writer', true, true, 'role-table'],
      ['harness/agent.py', 2, 'reviewer', true, true, 'role-table'],
    ]);
  });

  it('reads LangGraph supervisor workers', () => {
    const defs = of(
      {
        'graph.py': `from langgraph.prebuilt import create_react_agent
from langgraph_supervisor import create_supervisor
research = create_react_agent(model, [search], name="research")
math = create_react_agent(model=model, tools=[add, mul], name="math")
app = create_supervisor([research, math], model=model).compile()
`,
      },
      'subagent.definition',
    );
    expect(defs.map((d) => [d.data.name, d.data.toolCount, d.data.framework])).toEqual([
      ['research', 1, 'langgraph'],
      ['math', 2, 'langgraph'],
    ]);
  });
});

describe('roles defined in the project code', () => {
  it('reads defineRole({...}) with its tools, budget and permission mode', () => {
    const project = projectFromFiles({
      'src/harness/subagents/roles.ts': [
        "import { defineRole } from './role.js';",
        'export const explore = defineRole({',
        "  name: 'explore',",
        "  description: 'Read the code and report what matters',",
        "  systemPrompt: 'You explore a codebase without changing it.',",
        "  tools: ['read_file', 'search'],",
        "  permissionMode: 'plan',",
        '  budget: { maxTurns: 8 },',
        '});',
      ].join('\n'),
    });
    const defs = analyze(project, [subAgentsDetector]).facts.filter((f) => f.kind === 'subagent.definition');
    expect(defs.map((f) => [f.data.name, f.data.hasTools, f.data.hasBudget, f.data.permissionMode])).toEqual([
      ['explore', true, true, 'plan'],
    ]);
  });

  it('ignores a role() call that is not an agent role (no name or prompt)', () => {
    const project = projectFromFiles({ 'src/ui.ts': "export const r = role({ aria: 'button' });" });
    expect(
      analyze(project, [subAgentsDetector]).facts.filter((f) => f.kind === 'subagent.definition'),
    ).toEqual([]);
  });
});
