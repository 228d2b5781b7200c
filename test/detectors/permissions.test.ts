import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { frameworksDetector } from '../../src/detectors/frameworks.js';
import { permissionGatesDetector } from '../../src/detectors/permission-gates.js';
import { permissionSettingsDetector } from '../../src/detectors/permission-settings.js';
import { projectFromFiles } from '../helpers/project.js';

const run = (files: Record<string, string>) =>
  analyze(projectFromFiles(files), [frameworksDetector, permissionSettingsDetector, permissionGatesDetector]);
const of = (files: Record<string, string>, kind: string): Fact[] =>
  run(files).facts.filter((f) => f.kind === kind);

const SETTINGS = `{
  // project permissions
  "permissions": {
    "defaultMode": "acceptEdits",
    "allow": [
      "Bash",
      "Bash(npm run test *)",
      "Read(src/**)",
      "Write(src/**)",
      "mcp__*",
      "Edit(docs/**)",
      "WebFetch(domain:example.com)",
      "Task(Explore)",
    ],
    "ask": ["Bash(git push *)"],
    "deny": ["Read(./.env*)", "Edit", "Read(~/.ssh/**)", "WebFetch"],
  },
  "hooks": {
    "PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "./guard.sh" }] }],
  },
}
`;

describe('Claude Code settings', () => {
  it('summarises the settings file and records a permission source', () => {
    const a = run({ '.claude/settings.json': SETTINGS });
    expect(a.facts.find((f) => f.kind === 'permission.settings')).toMatchObject({
      file: '.claude/settings.json',
      line: 3,
      role: 'config',
      data: { scope: 'project', allow: 8, ask: 1, deny: 4, defaultMode: 'acceptEdits' },
    });
    expect(a.inventory.permissionSources[0]).toMatchObject({
      kind: 'claude-settings',
      defaultMode: 'acceptEdits',
    });
    expect(a.inventory.permissionSources[0]?.rules?.deny).toContain('Edit');
  });

  it('classifies rules: blanket allows and secrets denials', () => {
    const rules = of({ '.claude/settings.json': SETTINGS }, 'permission.rule');
    const blanket = rules.filter((r) => r.data.blanket).map((r) => r.data.rule);
    expect(blanket).toEqual(['Bash', 'mcp__*']);
    const secrets = rules.filter((r) => r.data.secretsPath).map((r) => r.data.rule);
    expect(secrets).toEqual(['Read(./.env*)', 'Read(~/.ssh/**)']);
    expect(rules.find((r) => r.data.rule === 'Bash(git push *)')).toMatchObject({
      line: 15,
      data: { effect: 'ask', tool: 'Bash' },
    });
  });

  it('finds dead rules with a reason', () => {
    const dead = of({ '.claude/settings.json': SETTINGS }, 'permission.rule-dead');
    expect(dead.map((d) => d.data.rule)).toEqual(['Write(src/**)', 'mcp__*', 'Task(Explore)']);
    expect(dead[2]?.data.why).toMatch(/renamed Agent/);
  });

  it('finds allow rules shadowed by a tool-level deny', () => {
    const shadowed = of({ '.claude/settings.json': SETTINGS }, 'permission.rule-shadowed');
    expect(shadowed.map((s) => [s.data.rule, s.data.by])).toEqual([
      ['Edit(docs/**)', 'Edit'],
      ['WebFetch(domain:example.com)', 'WebFetch'],
    ]);
  });

  it('records hooks as gates and bypassPermissions as a mode', () => {
    const a = run({
      '.claude/settings.json': SETTINGS,
      '.claude/settings.local.json': '{ "permissions": { "defaultMode": "bypassPermissions" } }',
    });
    expect(
      a.facts.filter((f) => f.kind === 'permission.gate').map((g) => [g.data.style, g.data.matcher]),
    ).toEqual([['hook', 'Bash']]);
    expect(a.facts.filter((f) => f.kind === 'permission.mode').map((m) => m.data.mode)).toEqual([
      'acceptEdits',
      'bypassPermissions',
    ]);
  });

  it('reads .mcp.json servers and flags url without type', () => {
    const a = run({
      '.mcp.json': JSON.stringify({
        mcpServers: { fs: { command: 'npx' }, web: { url: 'https://x' }, api: { type: 'http', url: 'u' } },
      }),
    });
    expect(a.facts.filter((f) => f.kind === 'mcp.server').map((f) => [f.data.name, f.data.type])).toEqual([
      ['fs', 'stdio'],
      ['web', 'invalid'],
      ['api', 'http'],
    ]);
    expect(a.inventory.permissionSources[0]).toMatchObject({ kind: 'mcp-config', detail: 'fs, web, api' });
  });
});

const HAND_ROLLED = `import Anthropic from '@anthropic-ai/sdk';
import { decide } from './policy.js';

export async function runTools(content: any[], log: Logger) {
  const results = [];
  for (const block of content) {
    if (block.type !== 'tool_use') continue;
    const tool = TOOLS[block.name];
    const decision = await decide(block.name, block.input);
    log.info('permission', { tool: block.name, decision });
    if (decision !== 'allow') {
      results.push({ type: 'tool_result', tool_use_id: block.id, content: 'denied', is_error: true });
      continue;
    }
    results.push(await tool.execute(block.input));
  }
  return results;
}
`;

const POLICY = `export function decide(tool: string, input: unknown, rules = loadRules()): 'allow' | 'ask' | 'deny' {
  if (rules.deny.some((r) => matches(r, tool, input))) return 'deny';
  if (rules.ask.some((r) => matches(r, tool, input))) return 'ask';
  if (source === 'mcp' || source === 'plugin') return 'ask';
  if (rules.allow.some((r) => matches(r, tool, input))) return 'allow';
  return 'ask';
}
`;

describe('permission gates in code', () => {
  it('finds a gate branched on before tool execution, with decisions from the decision function', () => {
    const a = run({ 'src/loop.ts': HAND_ROLLED, 'src/policy.ts': POLICY });
    const gates = a.facts.filter((f) => f.kind === 'permission.gate');
    expect(gates).toHaveLength(1);
    expect(gates[0]).toMatchObject({
      file: 'src/loop.ts',
      line: 9,
      data: { style: 'code', callee: 'decide', decisions: ['allow', 'ask', 'deny'], denyFirst: true },
    });
    expect(a.inventory.permissionSources).toEqual([expect.objectContaining({ kind: 'code-gate', line: 9 })]);
  });

  it('finds the decision engine with deny-first order, config rules and trust tiers', () => {
    const [engine] = of({ 'src/policy.ts': POLICY }, 'permission.engine');
    expect(engine).toMatchObject({
      line: 1,
      data: {
        name: 'decide',
        denyFirst: true,
        rulesFromConfig: true,
        tiers: ['mcp', 'plugin'],
        tierCount: 2,
      },
    });
  });

  it('records a decision passed to a logger', () => {
    const rec = of({ 'src/loop.ts': HAND_ROLLED }, 'permission.decision-recorded');
    expect(rec.map((r) => [r.line, r.data.callee])).toEqual([[10, 'log.info']]);
  });

  it('does not count a check that is not branched on, or one after execution', () => {
    const after = `export async function run(block) {
  if (block.type === 'tool_use') {
    const out = await tools[block.name](block.input);
    if (isAllowed(block.name)) audit(out);
    return out;
  }
}`;
    const unbranched = `export async function run(block) {
  if (block.type === 'tool_use') { checkPermission(block.name); return tools[block.name](block.input); }
}`;
    expect(of({ 'src/a.ts': after }, 'permission.gate')).toEqual([]);
    expect(of({ 'src/b.ts': unbranched }, 'permission.gate')).toEqual([]);
  });

  it('does not count unrelated checks outside tool dispatch, nor budget checks', () => {
    const unrelated = `export function save(form) { if (checkPermission(user)) return handler.run(form); }`;
    const budget = `export async function step(call) {
  if (!checkBudgetAllowance(call.tool_name)) return;
  return toolHandler.execute(call);
}`;
    expect(of({ 'src/a.ts': unrelated }, 'permission.gate')).toEqual([]);
    expect(of({ 'src/b.ts': budget }, 'permission.gate')).toEqual([]);
  });

  it('finds Python gates with the decision bound to a variable', () => {
    const py = `def dispatch(tool_call, registry):
    verdict = policy.evaluate(tool_call.name, tool_call.arguments)
    if verdict == "deny":
        return {"error": "denied"}
    return registry[tool_call.name](**tool_call.arguments)
`;
    const gates = of({ 'agent/loop.py': py }, 'permission.gate');
    expect(gates.map((g) => [g.line, g.data.callee, g.data.decisions, g.data.denyFirst])).toEqual([
      [2, 'policy.evaluate', ['deny'], true],
    ]);
  });

  it('finds a gate in a script whose agent loop runs at module level', () => {
    const py = `import anthropic
for block in response.content:
    if block.type == "tool_use":
        if not is_allowed(block.name, block.input):
            continue
        result = TOOLS[block.name](**block.input)
`;
    expect(of({ 'agent.py': py }, 'permission.gate').map((g) => [g.line, g.data.callee])).toEqual([
      [4, 'is_allowed'],
    ]);
  });

  it('counts asking the user before running a tool as an ask gate', () => {
    const ts = `for (const call of message.tool_calls) {
  const ok = (await rl.question(\`Run \${call.function.name}? [y/N] \`)).trim() === 'y';
  const output = ok ? await callTool(call.function.name, args) : 'declined';
}
`;
    expect(
      of({ 'src/loop.ts': ts }, 'permission.gate').map((g) => [g.line, g.data.callee, g.data.decisions]),
    ).toEqual([[2, 'rl.question', ['ask']]]);
  });

  it('finds a guard that wraps each tool execute with a decision', () => {
    const ts = `function decide(toolName: string): 'allow' | 'deny' { return toolName === 'rm' ? 'deny' : 'allow'; }
export const guarded = (set) => Object.fromEntries(Object.entries(set).map(([name, t]) => [name, {
  ...t,
  execute: async (input, options) => {
    if (decide(name) === 'deny') throw new Error('denied');
    return t.execute!(input, options);
  },
}]));
`;
    const gates = of({ 'src/guard.ts': ts }, 'permission.gate');
    expect(gates.map((g) => [g.line, g.data.callee, g.data.decisions])).toEqual([
      [5, 'decide', ['allow', 'deny']],
    ]);
  });

  it('ignores a function returning allow/deny that has nothing to do with tools', () => {
    expect(
      of(
        { 'src/csp.ts': "export function cors(origin) { return origin === 'x' ? 'allow' : 'deny'; }" },
        'permission.engine',
      ),
    ).toEqual([]);
  });
});

describe('SDK permission options', () => {
  it('finds Claude Agent SDK canUseTool, permissionMode, allowedTools and hooks', () => {
    const a = run({
      'src/agent.ts': `import { query } from '@anthropic-ai/claude-agent-sdk';
async function canUse(toolName, input) {
  if (toolName === 'Bash') return { behavior: 'deny', message: 'no' };
  return { behavior: 'allow', updatedInput: input };
}
for await (const m of query({ prompt: 'x', options: {
  canUseTool: canUse,
  permissionMode: 'bypassPermissions',
  allowedTools: ['Read'],
  hooks: { PreToolUse: [{ hooks: [guard] }] },
} })) {}
`,
    });
    const opts = a.facts.filter((f) => f.kind === 'permission.sdk-option').map((f) => f.data.option);
    expect(opts).toEqual(['canUseTool', 'permissionMode', 'allowedTools', 'hooks']);
    const gates = a.facts.filter((f) => f.kind === 'permission.gate');
    expect(gates.map((g) => [g.data.style, g.data.decisions, g.data.denyFirst])).toEqual([
      ['sdk-callback', ['allow', 'deny'], true],
      ['hook', [], false],
    ]);
    expect(a.facts.find((f) => f.kind === 'permission.mode')?.data).toEqual({
      mode: 'bypassPermissions',
      source: 'sdk',
    });
  });

  it('follows a shorthand canUseTool to its file and reads hook callbacks with their helpers', () => {
    const a = run({
      'src/policy.ts': `import type { CanUseTool } from '@anthropic-ai/claude-agent-sdk';
export const canUseTool: CanUseTool = async (toolName, input) => {
  if (toolName === 'Bash') return { behavior: 'deny', message: 'no' };
  return { behavior: 'allow', updatedInput: input };
};
`,
      'src/main.ts': `import { query } from '@anthropic-ai/claude-agent-sdk';
import { canUseTool } from './policy.js';
query({ prompt, options: { canUseTool, settingSources: ['project'] } });
`,
      'agent/main.py': `from claude_agent_sdk import ClaudeAgentOptions, HookMatcher
def _deny(reason):
    return {"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": reason}}
async def guard_bash(input_data, tool_use_id, context):
    if "$(" in input_data["tool_input"]["command"]:
        return _deny("no substitution")
    return {}
options = ClaudeAgentOptions(hooks={"PreToolUse": [HookMatcher(matcher="Bash", hooks=[guard_bash])]})
`,
    });
    const gates = a.facts.filter((f) => f.kind === 'permission.gate');
    expect(gates.map((g) => [g.file, g.data.style, g.data.decisions])).toEqual([
      ['src/main.ts', 'sdk-callback', ['allow', 'deny']],
      ['agent/main.py', 'hook', ['deny']],
    ]);
    const sources = a.facts.find(
      (f) => f.kind === 'permission.sdk-option' && f.data.option === 'settingSources',
    );
    expect(sources?.data.values).toEqual(['project']);
  });

  it('reports a decision recorded in a callback defined in another file at that file', () => {
    const recorded = of(
      {
        'src/policy.ts': `import type { CanUseTool } from '@anthropic-ai/claude-agent-sdk';
import { audit } from './audit.js';
export const canUseTool: CanUseTool = async (toolName, input) => {
  const decision = toolName === 'Bash' ? 'deny' : 'allow';
  audit.log({ toolName, decision });
  return decision === 'deny' ? { behavior: 'deny', message: 'no' } : { behavior: 'allow', updatedInput: input };
};
`,
        'src/main.ts': `import { query } from '@anthropic-ai/claude-agent-sdk';
import { canUseTool } from './policy.js';
query({ prompt, options: { canUseTool } });
`,
      },
      'permission.decision-recorded',
    );
    expect(recorded.map((f) => [f.file, f.line, f.data.callee])).toEqual([['src/policy.ts', 5, 'audit.log']]);
  });

  it('reads PermissionResultAllow/Deny returned by a Python can_use_tool callback as its decisions', () => {
    const gates = of(
      {
        'agent.py': `from claude_agent_sdk import ClaudeAgentOptions, PermissionResultAllow, PermissionResultDeny

async def guard(tool_name, tool_input, context):
    if tool_name == "Bash" and "rm -rf" in tool_input.get("command", ""):
        return PermissionResultDeny(message="destructive command")
    return PermissionResultAllow()

options = ClaudeAgentOptions(can_use_tool=guard)
`,
      },
      'permission.gate',
    );
    expect(gates.map((g) => [g.data.style, g.data.decisions, g.data.denyFirst])).toEqual([
      ['sdk-callback', ['allow', 'deny'], true],
    ]);
  });

  it('reads a Python lambda passed as can_use_tool as an SDK callback gate', () => {
    const gates = of(
      {
        'agent.py': `from claude_agent_sdk import ClaudeAgentOptions, PermissionResultAllow, PermissionResultDeny
options = ClaudeAgentOptions(
    can_use_tool=lambda name, tool_input, context: PermissionResultDeny(message="no") if name == "Bash" else PermissionResultAllow(),
)
`,
      },
      'permission.gate',
    );
    expect(gates.map((g) => [g.file, g.line, g.data.style, g.data.decisions, g.data.denyFirst])).toEqual([
      ['agent.py', 3, 'sdk-callback', ['allow', 'deny'], true],
    ]);
  });

  it('does not read SDK option names in files that do not use the SDK', () => {
    expect(
      of({ 'src/x.ts': "const o = { canUseTool: f, permissionMode: 'plan' };\n" }, 'permission.sdk-option'),
    ).toEqual([]);
  });

  it('finds OpenAI Agents needs_approval and guardrails, and LangGraph interrupts', () => {
    const a = run({
      'agent.py': `from agents import Agent, function_tool, input_guardrail
@function_tool(needs_approval=True)
def rm(path: str) -> str:
    """Remove."""
@input_guardrail
async def g(ctx, agent, input): ...
agent = Agent(name="a", input_guardrails=[g])
`,
      'graph.py': `from langgraph.types import interrupt
def review_tool_call(state):
    answer = interrupt({"tool": state["tool_calls"][0]})
    return answer
app = builder.compile(interrupt_before=["tools"])
`,
    });
    const opts = a.facts.filter((f) => f.kind === 'permission.sdk-option').map((f) => f.data.option);
    expect(opts.sort()).toEqual(['inputGuardrails', 'inputGuardrails', 'interruptBefore', 'needsApproval']);
    const gates = a.facts
      .filter((f) => f.kind === 'permission.gate')
      .map((g) => [g.file, g.data.style, g.data.option]);
    expect(gates).toEqual([
      ['agent.py', 'sdk-callback', 'needsApproval'],
      ['graph.py', 'interrupt', 'interruptBefore'],
      ['graph.py', 'interrupt', 'interrupt'],
    ]);
  });
});
