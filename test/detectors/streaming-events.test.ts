import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { FACT_KINDS, streamingEventsDetector } from '../../src/detectors/streaming-events.js';
import { projectFromFiles } from '../helpers/project.js';

const run = (files: Record<string, string>) =>
  analyze(projectFromFiles(files), [streamingEventsDetector]).facts;
const ofKind = (facts: Fact[], kind: string) => facts.filter((f) => f.kind === kind);

describe('streaming-events detector', () => {
  it('reads a TS discriminated union with interfaces, a base intersection and a terminal event', () => {
    const facts = run({
      'src/events.ts': [
        'interface Base { runId: string; sessionId: string; seq: number }',
        "interface RunEnd { type: 'run.end'; stopReason: 'end_turn' | 'max_turns' }",
        'export type AgentEvent = (',
        "  | { type: 'run.start' }",
        "  | { type: 'tool.request'; toolUseId: string }",
        '  | RunEnd',
        ') & Base;',
      ].join('\n'),
    });
    const [u] = ofKind(facts, 'events.union');
    expect(u).toMatchObject({
      file: 'src/events.ts',
      line: 3,
      data: {
        name: 'AgentEvent',
        members: ['run.start', 'tool.request', 'run.end'],
        hasTerminal: true,
        hasStopReason: true,
      },
    });
    expect(ofKind(facts, 'events.ids')[0]?.data).toEqual({ ids: ['session', 'run'], via: 'type' });
    expect(ofKind(facts, 'events.sequence')[0]?.data).toMatchObject({ via: 'type' });
  });

  it('does not take a non-event union or a union without discriminators', () => {
    const facts = run({
      'src/shapes.ts':
        "type Shape = { type: 'circle' } | { type: 'square' };\ntype FooEvent = string | number;",
    });
    expect(ofKind(facts, 'events.union')).toHaveLength(0);
  });

  it('reports a union without a terminal member or stop reason', () => {
    const facts = run({
      'src/e.ts': "type StreamEvent = { type: 'text'; text: string } | { type: 'tool'; name: string };",
    });
    expect(ofKind(facts, 'events.union')[0]?.data).toMatchObject({
      hasTerminal: false,
      hasStopReason: false,
    });
  });

  it('reads a Python Literal-tagged dataclass family behind a Union alias', () => {
    const facts = run({
      'agent/events.py': [
        'from dataclasses import dataclass',
        'from typing import Literal, Union',
        '@dataclass',
        'class EventBase:',
        '    session_id: str',
        '    turn: int',
        '@dataclass',
        'class RunStarted(EventBase):',
        '    type: Literal["run_start"] = "run_start"',
        '@dataclass',
        'class RunFinished(EventBase):',
        '    type: Literal["run_end"] = "run_end"',
        '    stop_reason: str = "end_turn"',
        'AgentEvent = Union[RunStarted, RunFinished]',
      ].join('\n'),
    });
    expect(ofKind(facts, 'events.union')[0]).toMatchObject({
      line: 14,
      data: { members: ['run_start', 'run_end'], hasTerminal: true, hasStopReason: true },
    });
    expect(ofKind(facts, 'events.ids')[0]?.data).toEqual({ ids: ['session', 'turn'], via: 'type' });
  });

  it('sees an async generator yielding typed events with a sequence counter and ids', () => {
    const facts = run({
      'src/loop.ts': [
        'let seq = 0;',
        'export async function* runAgent(runId: string) {',
        "  yield { type: 'run.start', runId, seq: ++seq };",
        "  yield { type: 'run.end', runId, seq: ++seq, stopReason: 'done' };",
        '}',
      ].join('\n'),
    });
    const emits = ofKind(facts, 'events.emit');
    expect(emits.map((f) => [f.line, f.data.api])).toEqual([
      [3, 'async-iterator'],
      [4, 'async-iterator'],
    ]);
    expect(ofKind(facts, 'events.sequence').map((f) => f.line)).toEqual([3, 4]);
    expect(ofKind(facts, 'events.ids')[0]?.data).toEqual({ ids: ['run'], via: 'emit' });
  });

  it('sees EventEmitter emits, listener fan-out, callbacks and SSE writes', () => {
    const facts = run({
      'src/bus.ts': [
        "import { EventEmitter } from 'node:events';",
        'export class Harness extends EventEmitter {',
        "  step() { this.emit('tool.result', { ok: true }); }",
        '}',
      ].join('\n'),
      'src/listeners.ts': [
        'export class Bus {',
        '  private listeners: Array<(e: unknown) => void> = [];',
        '  publishTo(event: unknown) { for (const l of this.listeners) l(event); }',
        '  viaOption(opts: { onEvent?: (e: unknown) => void }) {',
        "    opts.onEvent?.({ type: 'turn.start' });",
        '  }',
        '}',
      ].join('\n'),
      'src/server.ts': [
        'export function handler(req: any, res: any) {',
        "  res.setHeader('Content-Type', 'text/event-stream');",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text with a template literal
        '  res.write(`data: ${JSON.stringify(req.body)}\\n\\n`);',
        '}',
      ].join('\n'),
    });
    const emits = ofKind(facts, 'events.emit').map((f) => `${f.file}:${f.line}:${f.data.api}`);
    expect(emits).toEqual([
      'src/bus.ts:3:emitter',
      'src/listeners.ts:5:callback',
      'src/listeners.ts:3:callback',
      'src/server.ts:2:sse',
      'src/server.ts:3:sse',
    ]);
  });

  it('does not count process.emit, React onClick or a plain generator of numbers', () => {
    const facts = run({
      'src/a.tsx': [
        "process.emit('warning', new Error('x'));",
        'export const B = (p: any) => <button onClick={() => p.onClick(1)} />;',
        'function* nums() { yield 1; yield [1, 2]; }',
      ].join('\n'),
    });
    expect(ofKind(facts, 'events.emit')).toHaveLength(0);
  });

  it('tells SDK stream consumption apart from exposing events', () => {
    const facts = run({
      'src/model.ts': [
        "import { query } from '@anthropic-ai/claude-agent-sdk';",
        'const s = client.messages.stream({ model, messages });',
        'const r = await openai.chat.completions.create({ model, messages, stream: true });',
        'for await (const m of query({ prompt })) console.log(m);',
        'const t = streamText({ model, prompt });',
      ].join('\n'),
      'agent/run.py':
        'result = Runner.run_streamed(agent, "hi")\nr = client.messages.create(model=m, stream=True)\n',
    });
    expect(
      ofKind(facts, 'events.sdk-stream').map((f) => `${f.file}:${f.line}:${f.data.sdk}:${f.data.api}`),
    ).toEqual([
      'src/model.ts:2:anthropic:messages.stream',
      'src/model.ts:3:openai:stream: true',
      'src/model.ts:4:claude-agent-sdk:query',
      'src/model.ts:5:vercel-ai:streamText',
      'agent/run.py:1:openai-agents:run_streamed',
      'agent/run.py:2:anthropic:stream: true',
    ]);
    expect(ofKind(facts, 'events.emit')).toHaveLength(0);
  });

  it('takes a LangGraph graph.stream as SDK stream consumption', () => {
    const facts = run({
      'agent/main.py':
        'for update in graph.stream({"messages": []}, stream_mode="updates"):\n    print(update)\n',
    });
    expect(ofKind(facts, 'events.sdk-stream').map((f) => [f.line, f.data.sdk])).toEqual([[1, 'langchain']]);
  });

  it('declares every kind it emits', () => {
    const facts = run({
      'src/x.ts': "let seq = 0; export async function* g() { yield { type: 'done', seq: seq++ }; }",
    });
    for (const f of facts) expect(FACT_KINDS).toContain(f.kind);
  });
});

describe('an Agent SDK stream consumed only for its result', () => {
  const facts = (body: string) =>
    analyze(
      projectFromFiles({
        'src/run.ts': `import { query } from '@anthropic-ai/claude-agent-sdk';\nfor await (const message of query({ prompt: 'x' })) {\n${body}\n}\n`,
      }),
      [streamingEventsDetector],
    ).facts.filter((f) => f.kind === 'events.sdk-stream');

  it('is not a stream of events when the loop only waits for the result', () => {
    expect(facts("  if (message.type === 'result') console.log(message.result);")).toEqual([]);
  });

  it('is one when the loop handles progress messages or passes them on', () => {
    expect(facts("  if (message.type === 'assistant') render(message);")).toHaveLength(1);
    expect(facts('  onMessage(message);')).toHaveLength(1);
  });
});
