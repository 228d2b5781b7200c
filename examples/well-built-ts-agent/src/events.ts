import type { BudgetStop } from './budget.js';

/**
 * Typed events for anything that shows a run while it happens: a terminal UI, a web page, a test.
 * The union is closed (a new kind of event is a change to this file), every event carries the ids
 * needed to correlate it with the transcript and the logs, and `seq` orders them within a session.
 * `run_end` is always the last event of a run and says why it stopped.
 */

export type StopReason = 'end_turn' | 'refusal' | 'error' | BudgetStop;

interface Envelope {
  seq: number;
  at: string;
  sessionId: string;
  runId: string;
  turn: number;
}

export type AgentEvent = Envelope &
  (
    | { type: 'run_start'; task: string; model: string }
    | { type: 'turn_start' }
    | { type: 'assistant_text'; text: string }
    | { type: 'usage'; inputTokens: number; outputTokens: number }
    | { type: 'tool_call'; toolUseId: string; tool: string; input: unknown }
    | { type: 'permission'; toolUseId: string; tool: string; decision: 'allow' | 'ask' | 'deny'; reason: string }
    | { type: 'tool_result'; toolUseId: string; tool: string; isError: boolean; preview: string }
    | { type: 'verification'; ok: boolean; issues: string[] }
    | { type: 'run_end'; stopReason: StopReason; answer: string }
  );

/** What the agent hands to `emit`: an event without the envelope the bus adds. */
export type EventPayload = AgentEvent extends infer E ? (E extends AgentEvent ? Omit<E, keyof Envelope> : never) : never;

export type Listener = (event: AgentEvent) => void;

export class EventBus {
  private seq = 0;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly sessionId: string) {}

  /** Subscribes; returns the function that unsubscribes. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(ids: { runId: string; turn: number }, payload: EventPayload): void {
    const at = new Date().toISOString();
    const event: AgentEvent = { ...payload, ...ids, seq: ++this.seq, at, sessionId: this.sessionId };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener must not break the run or starve the other listeners.
      }
    }
  }

  /**
   * The events of the next run as an async iterator, ending after its `run_end`. Subscribes at once, so
   * call it before starting the run: `const events = agent.events.stream(); const done = agent.run(task);`.
   */
  stream(): AsyncGenerator<AgentEvent> {
    const queue: AgentEvent[] = [];
    let wake: (() => void) | undefined;
    const off = this.on((event) => {
      queue.push(event);
      wake?.();
    });
    async function* drain(): AsyncGenerator<AgentEvent> {
      try {
        for (;;) {
          const event = queue.shift();
          if (event === undefined) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            continue;
          }
          yield event;
          if (event.type === 'run_end') return;
        }
      } finally {
        off();
      }
    }
    return drain();
  }
}
