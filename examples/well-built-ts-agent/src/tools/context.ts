import { isAbsolute, relative, resolve } from 'node:path';

/** What a tool implementation may rely on. Tools never read globals such as `process.cwd()`. */
export interface ToolContext {
  /** Absolute path of the folder the agent works in; file tools stay inside it. */
  workspace: string;
  /** Aborted when the run is cancelled. */
  signal?: AbortSignal;
}

/**
 * Resolves a model-supplied path against the workspace and refuses anything that escapes it. The
 * permission engine already denies such paths; this is the second lock on the same door.
 */
export function resolveInWorkspace(ctx: ToolContext, path: string): string {
  const absolute = resolve(ctx.workspace, path);
  const rel = relative(ctx.workspace, absolute);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`"${path}" is outside the workspace`);
  return absolute;
}
