import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { toolPoolDetector } from '../../src/detectors/tool-pool.js';
import { projectFromFiles } from '../helpers/project.js';

const subsets = (files: Record<string, string>) =>
  analyze(projectFromFiles(files), [toolPoolDetector])
    .facts.filter((f) => f.kind === 'toolpool.subset')
    .map((f) => [f.file, f.line, f.data.derived, f.data.by, f.data.sink]);

describe('tool pool detector', () => {
  it('sees a tool list filtered by registry metadata and passed to the model', () => {
    expect(
      subsets({
        'src/loop.ts': `const pool = REGISTRY.filter((t) => t.capabilities.every((c) => mode.allows(c)));
await client.messages.create({ model, max_tokens: 1024, tools: pool, messages });
`,
      }),
    ).toEqual([['src/loop.ts', 2, true, 'metadata', 'tools']]);
  });

  it('follows a selector function into another file and reports it once more as a selector', () => {
    expect(
      subsets({
        'src/pool.ts':
          'export function toolsForMode(mode) {\n  return ALL_TOOLS.filter((t) => !t.readOnly || mode === "plan");\n}\n',
        'src/agent.ts':
          "import { toolsForMode } from './pool.js';\nconst r = await generateText({ model, tools: toolsForMode('plan') });\n",
      }),
    ).toEqual([
      ['src/agent.ts', 2, true, 'metadata', 'tools'],
      ['src/pool.ts', 1, true, 'metadata', 'selector'],
    ]);
  });

  it('settles selectors that return each other (a cycle) as selector pools instead of recursing', () => {
    const found = subsets({
      'src/a.ts': 'export function toolsForPlan(m) {\n  return toolsForEdit(m);\n}\n',
      'src/b.ts':
        "export function toolsForEdit(m) {\n  return toolsForPlan(m);\n}\nconst r = await generateText({ model, tools: toolsForEdit('x') });\n",
    });
    expect(found).toContainEqual(['src/b.ts', 4, true, 'selector', 'tools']);
  });

  it('reports hand-copied name lists and per-role tables as not derived', () => {
    expect(
      subsets({
        'src/a.ts':
          "const ROLE_TOOLS = { reviewer: ['Read', 'Grep'], fixer: ['Read', 'Edit'] };\nquery({ prompt, options: { allowedTools: ROLE_TOOLS[role] } });\n",
        'src/b.ts':
          "const tools = ['read', 'grep'].map((n) => REGISTRY[n]);\nnew Agent({ name: 'x', tools });\n",
      }),
    ).toEqual([
      ['src/a.ts', 2, false, 'name-list', 'allowedTools'],
      ['src/b.ts', 2, false, 'name-list', 'tools'],
    ]);
  });

  it('reads Python comprehensions, filter() and name-list filters', () => {
    expect(
      subsets({
        'agent.py': `read_only = [t for t in TOOLS if t.read_only]
agent = Agent(name="r", tools=read_only)
llm = model.bind_tools(list(filter(lambda t: t.risk == "low", TOOLS)))
chosen = [t for t in TOOLS if t.name in ALLOWED]
graph = create_react_agent(model, chosen)
`,
      }),
    ).toEqual([
      ['agent.py', 2, true, 'metadata', 'tools'],
      ['agent.py', 3, true, 'metadata', 'bind_tools'],
      ['agent.py', 5, true, 'name-list', 'create_react_agent'],
    ]);
  });

  it('reads Vercel activeTools computed from tool metadata', () => {
    expect(
      subsets({
        'src/step.ts': `const TOOL_META = { read: { readOnly: true }, write: { readOnly: false } };
const result = await generateText({
  model, tools,
  activeTools: Object.keys(TOOL_META).filter((name) => TOOL_META[name].readOnly),
});
`,
      }),
    ).toEqual([['src/step.ts', 4, true, 'metadata', 'activeTools']]);
  });

  it('treats a filter on the tool name alone as a name list', () => {
    expect(
      subsets({
        'src/a.ts':
          "const r = await generateText({ tools: ALL.filter((t) => t.name.startsWith('read_')) });\n",
      }),
    ).toEqual([['src/a.ts', 1, true, 'name-list', 'tools']]);
  });

  it('says nothing about a plain full tool list', () => {
    expect(
      subsets({
        'src/a.ts':
          'await client.messages.create({ tools: [readTool, writeTool], messages });\nconst t = { tools: ALL };\n',
      }),
    ).toEqual([]);
  });
});
