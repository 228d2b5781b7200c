import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { FACT_KINDS, tokenBudgetDetector } from '../../src/detectors/token-budget.js';
import { projectFromFiles } from '../helpers/project.js';

function run(files: Record<string, string>) {
  return analyze(projectFromFiles(files), [tokenBudgetDetector]);
}
const only = (facts: Fact[], kind: string) => facts.filter((f) => f.kind === kind);

const TS_LOOP = `
import Anthropic from '@anthropic-ai/sdk';

const MAX_TURNS = 20;
export type StopReason = 'end_turn' | 'max_turns' | 'budget_exceeded';
export class BudgetExceededError extends Error {}

export async function runAgent(client: Anthropic, messages: any[], budget: { maxInputTokens: number }) {
  let inputTokens = 0;
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    const projected = await client.messages.countTokens({ model: 'm', messages });
    if (inputTokens + projected.input_tokens > budget.maxInputTokens) throw new BudgetExceededError();
    const res = await client.messages.create({ model: 'm', max_tokens: 1024, messages });
    inputTokens += res.usage.input_tokens;
    if (res.stop_reason !== 'tool_use') return 'end_turn';
  }
  return 'max_turns';
}
`;

describe('token-budget detector (TypeScript loop)', () => {
  const { facts } = run({ 'src/loop.ts': TS_LOOP });

  it('finds the turn and input-token limits as code guards', () => {
    const limits = only(facts, 'budget.limit').map((f) => [f.line, f.data.kind, f.data.via]);
    expect(limits).toEqual([
      [10, 'turns', 'code'],
      [12, 'input-tokens', 'code'],
    ]);
  });

  it('records max_tokens as a per-response cap, not a budget', () => {
    expect(only(facts, 'budget.max-tokens-param')).toEqual([
      expect.objectContaining({ line: 13, data: { name: 'max_tokens' } }),
    ]);
  });

  it('sees the loop condition check before the model call', () => {
    const pre = only(facts, 'budget.precheck');
    expect(pre).toHaveLength(1);
    expect(pre[0]).toMatchObject({ line: 10, data: { how: 'loop-condition', kind: 'turns' } });
  });

  it('finds usage accounting, token counting and typed stop reasons', () => {
    expect(only(facts, 'budget.usage-accounting')[0]).toMatchObject({
      line: 14,
      data: { fields: ['input_tokens'] },
    });
    expect(only(facts, 'budget.count-tokens')[0]).toMatchObject({ line: 11, data: { how: 'api' } });
    const stops = only(facts, 'budget.stop-reason').map((f) => [f.line, f.data.how]);
    expect(stops).toEqual([
      [5, 'union'],
      [6, 'error-class'],
    ]);
  });

  it('only emits kinds it declares', () => {
    for (const f of facts) expect(FACT_KINDS).toContain(f.kind);
  });
});

describe('token-budget detector (Python and SDKs)', () => {
  it('reads a guard before the call, a projection and += from usage', () => {
    const { facts } = run({
      'agent/loop.py': `
MAX_COST_USD = 2.0

def run(client, messages):
    spent_usd = 0.0
    while True:
        if spent_usd + estimate_cost(messages) > MAX_COST_USD:
            return "budget_exceeded"
        resp = client.chat.completions.create(model="gpt", messages=messages, max_tokens=500)
        spent_usd += price(resp.usage.prompt_tokens, resp.usage.completion_tokens)
`,
    });
    expect(only(facts, 'budget.limit')[0]).toMatchObject({ line: 7, data: { kind: 'cost', via: 'code' } });
    expect(only(facts, 'budget.precheck')[0]).toMatchObject({
      line: 7,
      data: { how: 'guard', kind: 'cost', projection: true },
    });
    expect(only(facts, 'budget.max-tokens-param')[0]?.line).toBe(9);
    expect(only(facts, 'budget.usage-accounting')[0]?.data.fields).toEqual([
      'prompt_tokens',
      'completion_tokens',
    ]);
  });

  it('counts SDK options as sdk limits and max_turns exceptions as stop reasons', () => {
    const { facts } = run({
      'src/agent.ts': `
import { query } from '@anthropic-ai/claude-agent-sdk';
for await (const m of query({ prompt, options: { maxTurns: 8, maxBudgetUsd: 0.5 } })) {
  if (m.type === 'result' && m.subtype === 'error_max_turns') break;
}`,
      'app/run.py': `
from agents import Runner, MaxTurnsExceeded
try:
    Runner.run_sync(agent, "hi", max_turns=5)
except MaxTurnsExceeded:
    pass
`,
    });
    const limits = only(facts, 'budget.limit').map((f) => [f.file, f.data.kind, f.data.via, f.data.value]);
    expect(limits).toEqual([
      ['src/agent.ts', 'turns', 'sdk', 8],
      ['src/agent.ts', 'cost', 'sdk', 0.5],
      ['app/run.py', 'turns', 'sdk', 5],
    ]);
    const stops = only(facts, 'budget.stop-reason').map((f) => [f.file, f.data.how]);
    expect(stops).toEqual([
      ['src/agent.ts', 'sdk-result'],
      ['app/run.py', 'sdk-error'],
    ]);
  });

  it('takes a local options object as code when no SDK is imported', () => {
    const { facts } = run({ 'src/config.ts': `export const limits = { maxTurns: 12 };` });
    expect(only(facts, 'budget.limit')[0]?.data).toMatchObject({ kind: 'turns', via: 'code', value: 12 });
  });
});

describe('token-budget detector: what is not a budget', () => {
  it('ignores retries, context-window checks, a lone max_tokens and response stop reasons', () => {
    const { facts } = run({
      'src/client.ts': `
type ApiStop = 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence';
export async function call(client: any, messages: any[]) {
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {}
  if (countChars(messages) > MAX_CONTEXT_CHARS) messages.shift();
  const settings = { temperature: 0, maxTokens: 400 };
  return client.messages.create({ model: 'x', max_tokens: 100, messages });
}`,
    });
    expect(facts.map((f) => f.kind)).toEqual(['budget.max-tokens-param']);
  });
});

describe('token-budget detector: framework middleware', () => {
  it('reads modelCallLimitMiddleware({ runLimit }) as an SDK turn limit', () => {
    const { facts } = run({
      'src/agent.ts': `
import { createAgent, modelCallLimitMiddleware } from 'langchain';
export const agent = createAgent({ model, middleware: [modelCallLimitMiddleware({ runLimit: 15 })] });`,
    });
    expect(only(facts, 'budget.limit')).toEqual([
      expect.objectContaining({ line: 3, data: { kind: 'turns', via: 'sdk', name: 'runLimit', value: 15 } }),
    ]);
  });
});

describe('a budget object asked before the model call', () => {
  it('counts budget.beforeModelCall(projection) before messages.create as a projected pre-call check', () => {
    const project = projectFromFiles({
      'src/agent.ts': [
        "import Anthropic from '@anthropic-ai/sdk';",
        "import { Budget } from './budget.js';",
        'export async function step(client: Anthropic, budget: Budget, request: Anthropic.MessageCreateParams) {',
        '  const projection = await budget.project(client, request);',
        '  const verdict = budget.beforeModelCall(projection);',
        '  if (!verdict.ok) return verdict.stop;',
        '  return client.messages.create(request);',
        '}',
      ].join('\n'),
    });
    const pre = analyze(project, [tokenBudgetDetector]).facts.filter((f) => f.kind === 'budget.precheck');
    expect(pre.map((f) => [f.line, f.data.how, f.data.projection])).toEqual([[5, 'budget-call', true]]);
  });

  it('does not count a check that comes after the call, or an unrelated check()', () => {
    const project = projectFromFiles({
      'src/agent.ts': [
        "import Anthropic from '@anthropic-ai/sdk';",
        'export async function step(client: Anthropic, form: { check(): void }, budget: { check(): void }) {',
        '  form.check();',
        "  const r = await client.messages.create({ model: 'm', max_tokens: 10, messages: [] });",
        '  budget.check();',
        '  return r;',
        '}',
      ].join('\n'),
    });
    expect(analyze(project, [tokenBudgetDetector]).facts.filter((f) => f.kind === 'budget.precheck')).toEqual(
      [],
    );
  });
});
