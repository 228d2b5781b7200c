import { z } from 'zod';

/**
 * The permission decision protocol (DESIGN.md), version 1: how plumbline asks a harness for a decision.
 * Evals only ever ask; they never execute the tool call.
 */
export const PROTOCOL_VERSION = 1;

import type { PermissionMode } from './modes.js';

export { PERMISSION_MODES, type PermissionMode } from './modes.js';

export const DECISIONS = ['allow', 'ask', 'deny'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface DecisionRequest {
  tool: string;
  input: Record<string, unknown>;
  context?: { cwd?: string; mode?: PermissionMode };
}

export const DecisionResponseSchema = z.object({
  decision: z.enum(DECISIONS),
  reason: z.string().default(''),
  rule: z.string().nullish(),
  file: z.string().nullish(),
});

export interface DecisionResponse {
  decision: Decision;
  reason: string;
  /** The rule that decided, verbatim, when one did. */
  rule?: string | null;
  /** The file the rule came from, relative to the project, when known. */
  file?: string | null;
}

/** What an adapter answers: a decision, or an error that evals count as an error (never as a pass). */
export type AdapterResult = { ok: true; response: DecisionResponse } | { ok: false; error: string };

export interface Adapter {
  /** e.g. `claude-settings`, `module:./harness/permissions.js`, `command:python3 decide.py`. */
  readonly id: string;
  decide(request: DecisionRequest): Promise<AdapterResult>;
  close(): Promise<void>;
}

/** Validates what a foreign adapter returned; garbage becomes an error result with a readable message. */
export function checkResponse(raw: unknown): AdapterResult {
  const parsed = DecisionResponseSchema.safeParse(raw);
  if (parsed.success) return { ok: true, response: parsed.data };
  const shown = JSON.stringify(raw);
  return {
    ok: false,
    error: `adapter answered ${shown && shown.length > 120 ? `${shown.slice(0, 117)}...` : shown}; expected {"decision": "allow"|"ask"|"deny", "reason": "..."}`,
  };
}
