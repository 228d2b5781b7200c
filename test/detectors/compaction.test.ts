import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { compactionDetector, FACT_KINDS } from '../../src/detectors/compaction.js';
import { projectFromFiles } from '../helpers/project.js';

function run(files: Record<string, string>) {
  return analyze(projectFromFiles(files), [compactionDetector]);
}
const only = (facts: Fact[], kind: string) => facts.filter((f) => f.kind === kind);
const tiers = (facts: Fact[]) => only(facts, 'compaction.tier').map((f) => [f.line, f.data.tier, f.data.via]);

const TS_COMPACT = `
const MAX_TOOL_RESULT_CHARS = 20_000;
const MAX_CONSECUTIVE_COMPACT_FAILURES = 3;

export function truncateToolResult(output: string) {
  return output.length > MAX_TOOL_RESULT_CHARS ? output.slice(0, MAX_TOOL_RESULT_CHARS) : output;
}

export function clearOldToolResults(messages: Msg[], keep: number) {
  for (const block of messages.slice(0, -keep).flatMap((m) => m.content)) {
    if (block.type === 'tool_result') block.content = '[old tool result cleared]';
  }
}

export async function summarizeHistory(client: Anthropic, messages: Msg[]) {
  const res = await client.messages.create({ model: 'm', max_tokens: 2000, messages: [...messages, ask] });
  return [{ role: 'user', content: res.content }];
}

export async function maybeCompact(state: State) {
  if (state.compactFailures >= MAX_CONSECUTIVE_COMPACT_FAILURES) return;
  if (state.inputTokens > state.contextWindow * 0.8) {
    state.messages = await summarizeHistory(state.client, state.messages);
  }
  while (countTokens(state.messages) > CONTEXT_LIMIT) state.messages.shift();
}
`;

describe('compaction detector (TypeScript)', () => {
  const { facts } = run({ 'src/compact.ts': TS_COMPACT });

  it('finds each tier at its line', () => {
    expect(tiers(facts)).toEqual([
      [15, 'summarize', 'code'],
      [11, 'clear-tool-results', 'code'],
      [6, 'trim-tool-results', 'code'],
      [25, 'fallback', 'code'],
    ]);
  });

  it('finds the ratio threshold that leads to summarising and the thrash guard', () => {
    const trig = only(facts, 'compaction.trigger');
    expect(trig[0]).toMatchObject({
      line: 22,
      data: { via: 'code', ratio: true, threshold: 'state.contextWindow * 0.8' },
    });
    expect(trig.map((t) => t.line)).toEqual([22, 25]);
    expect(only(facts, 'compaction.thrash-guard')).toEqual([
      expect.objectContaining({ line: 21, data: { how: 'failure-counter' } }),
    ]);
  });

  it('only emits kinds it declares', () => {
    for (const f of facts) expect(FACT_KINDS).toContain(f.kind);
  });
});

describe('compaction detector (Python and SDK mechanisms)', () => {
  it('reads Anthropic context_management edits with their triggers', () => {
    const { facts } = run({
      'agent/client.py': `
resp = client.beta.messages.create(
    model="claude",
    messages=messages,
    context_management={"edits": [
        {"type": "clear_tool_uses_20250919", "trigger": {"type": "input_tokens", "value": 100000}},
        {"type": "compact_20260112"},
    ]},
)
`,
    });
    expect(only(facts, 'compaction.tier').map((f) => [f.line, f.data.edit])).toEqual([
      [6, 'clear_tool_uses_20250919'],
      [7, 'compact_20260112'],
    ]);
    expect(only(facts, 'compaction.trigger')[0]).toMatchObject({ line: 6, data: { via: 'sdk' } });
  });

  it('counts imported LangChain trim_messages but not a local function of that name', () => {
    const { facts } = run({
      'app/chain.py': `
from langchain_core.messages import trim_messages
trimmed = trim_messages(history, max_tokens=4000, token_counter=llm)
`,
      'app/local.py': `
def trim_messages(m):
    return m
x = trim_messages(y)
`,
    });
    expect(tiers(facts)).toEqual([[3, 'fallback', 'sdk']]);
  });

  it('finds Python slicing of the history under a token threshold', () => {
    const { facts } = run({
      'agent/history.py': `
def fit(messages, max_context_tokens):
    if count_tokens(messages) > max_context_tokens:
        messages = messages[-20:]
    return messages
`,
    });
    expect(tiers(facts)).toEqual([[4, 'fallback', 'code']]);
  });
});

describe('compaction detector: what is not compaction', () => {
  it('ignores display slicing, string truncation of labels and a plain token budget', () => {
    const { facts } = run({
      'src/ui.ts': `
export function recent(messages: Msg[]) { return messages.slice(-5); }
export function label(name: string) { return name.slice(0, MAX_LABEL_LENGTH); }
export function guard(used: number) { if (used > MAX_TOTAL_TOKENS) throw new Error('budget'); }
`,
    });
    expect(facts).toEqual([]);
  });
});

describe('compaction detector: platform settings and count-only trimming', () => {
  it('records truncation=auto, Mastra lastMessages and Claude Agent SDK auto-compaction as SDK tiers', () => {
    const { facts } = run({
      'app/agent.py': `
from agents import Agent, ModelSettings
agent = Agent(name="a", model_settings=ModelSettings(truncation="auto"))
`,
      'src/mastra.ts': `
import { Memory } from '@mastra/memory';
export const memory = new Memory({ options: { lastMessages: 20 } });
`,
      'src/claude.ts': `
import { query } from '@anthropic-ai/claude-agent-sdk';
export const run = (prompt: string) => query({ prompt });
`,
    });
    const got = only(facts, 'compaction.tier').map((f) => [
      f.file,
      f.data.tier,
      f.data.name,
      f.data.default ?? null,
    ]);
    expect(got).toEqual([
      ['app/agent.py', 'fallback', 'truncation', null],
      ['src/mastra.ts', 'fallback', 'lastMessages', null],
      ['src/claude.ts', 'summarize', 'auto-compact', true],
    ]);
    expect(only(facts, 'compaction.trigger')).toEqual([]);
  });

  it('counts dropping old messages by count as a fallback tier but not as a token trigger', () => {
    const { facts } = run({
      'src/bot.ts': `
export function step(messages: Msg[]) {
  if (messages.length > KEEP_MESSAGES) messages = [messages[0], ...messages.slice(-KEEP_MESSAGES)];
  return messages;
}`,
    });
    expect(tiers(facts)).toEqual([[3, 'fallback', 'code']]);
    expect(only(facts, 'compaction.trigger')).toEqual([]);
  });

  it('takes a threshold inside a compaction function as its trigger, and a hand-rolled request as a model call', () => {
    const { facts } = run({
      'src/compact.ts': `
export async function compactIfNeeded(messages: Message[]) {
  if (estimateTokens(messages) < CONTEXT_LIMIT * COMPACT_AT) return messages;
  const summary = await post({ model: 'small', max_tokens: 2000, messages: [{ role: 'user', content: JSON.stringify(messages) }] });
  return [{ role: 'user', content: summary }];
}`,
    });
    expect(tiers(facts)).toEqual([[2, 'summarize', 'code']]);
    expect(only(facts, 'compaction.trigger')[0]).toMatchObject({ line: 3, data: { ratio: true } });
  });
});
