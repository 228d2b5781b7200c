import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { UsageError } from '../core/errors.js';

/**
 * A successful tool result: the engine's object as structured content, and a short text for clients that
 * show only text. (Claude Code hands the model the structured content when there is one.)
 */
export function success(structured: object, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured as Record<string, unknown> };
}

/**
 * A failure as an MCP tool error (`isError: true`) the model can read and act on — never a crash of the
 * server. UsageErrors carry their hint; anything else is reported as an internal error.
 */
export function failure(err: unknown): CallToolResult {
  if (err instanceof UsageError) {
    const text = `plumbline: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`;
    return {
      isError: true,
      content: [{ type: 'text', text }],
      structuredContent: { error: err.message, ...(err.hint ? { hint: err.hint } : {}) },
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    isError: true,
    content: [{ type: 'text', text: `plumbline: internal error: ${message}` }],
    structuredContent: { error: `internal error: ${message}` },
  };
}

/** Runs a tool body and turns any throw into a tool error. */
export async function guarded(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (err) {
    return failure(err);
  }
}
