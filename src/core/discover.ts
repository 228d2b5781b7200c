import type { Project } from './project.js';

export interface DiscoverOptions {
  /** Files larger than this are skipped and listed (default 1 MiB). */
  maxFileBytes?: number;
  /** Extra gitignore-style patterns from the project config. */
  ignore?: string[];
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** Placeholder until discovery lands; see the discovery task. */
export async function discover(_root: string, _options: DiscoverOptions = {}): Promise<Project> {
  throw new Error('discover() not implemented yet');
}
