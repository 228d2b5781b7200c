import { evaluate, type Decision, type PermissionMode } from './engine.js';
import { loadPolicy } from './rules.js';

/**
 * The permission decision protocol used by the guardrail evals in CI (`evals/permissions.yaml`): a
 * request names a tool, its input and a context, and gets back the engine's decision with its reason.
 */
export interface DecisionRequest {
  tool: string;
  input: Record<string, unknown>;
  context?: { cwd?: string; mode?: string };
}

export interface DecisionResponse {
  decision: Decision;
  reason: string;
  rule?: string;
}

export function decide(request: DecisionRequest): DecisionResponse {
  const workspace = request.context?.cwd ?? process.cwd();
  const mode: PermissionMode = request.context?.mode === 'dontAsk' ? 'dontAsk' : 'default';
  return evaluate(loadPolicy(workspace), { tool: request.tool, input: request.input }, mode);
}
