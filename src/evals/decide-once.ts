import { UsageError } from '../core/errors.js';
import { ClaudeSettingsSimulator } from './adapters/claude-settings.js';
import { createAdapter } from './adapters/index.js';
import type { EvalConfig } from './config.js';
import type { Decision, DecisionRequest } from './protocol.js';

/** One decision with everything that explains it: the protocol answer plus the rule's line and the trace. */
export interface ExplainedDecision {
  decision: Decision;
  reason: string;
  rule: string | null;
  file: string | null;
  line: number | null;
  adapter: string;
  /** The simulator's steps; other adapters do not explain themselves. */
  trace?: string[];
}

/** Asks the adapter `spec` for one decision (the CLI's `decide` and the MCP `decide` tool share this). */
export async function decideOnce(
  root: string,
  config: EvalConfig,
  spec: string,
  request: DecisionRequest,
): Promise<ExplainedDecision> {
  const adapter = await createAdapter(spec, root, config);
  try {
    const simulated = adapter instanceof ClaudeSettingsSimulator ? adapter.explain(request) : undefined;
    const answer = simulated ? { ok: true as const, response: simulated } : await adapter.decide(request);
    if (!answer.ok)
      throw new UsageError(`the adapter could not decide: ${answer.error}`, {
        hint: 'Check the adapter with `plumbline decide` on a request you know the answer to.',
      });
    const r = answer.response;
    return {
      decision: r.decision,
      reason: r.reason,
      rule: r.rule ?? null,
      file: r.file ?? null,
      line: simulated?.line ?? null,
      adapter: adapter.id,
      ...(simulated ? { trace: simulated.trace } : {}),
    };
  } finally {
    await adapter.close();
  }
}
