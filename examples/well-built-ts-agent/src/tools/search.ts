import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { resolveInWorkspace, type ToolContext } from './context.js';

export interface SearchInput {
  pattern: string;
  path?: string;
  maxResults?: number;
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'dist', '.venv']);

/**
 * Files a search never opens, whatever the permission rules say: a grep over the workspace must not
 * become a way around a denied `read_file(.env)`.
 */
const SECRET_FILE = /(^|\/)(\.env(\..*)?|.*\.pem|.*\.key|id_(rsa|ed25519)(\.pub)?)$|(^|\/)secrets\//;

export async function search(input: SearchInput, ctx: ToolContext): Promise<string> {
  const regex = new RegExp(input.pattern);
  const limit = input.maxResults ?? 50;
  const hits: string[] = [];
  for await (const file of walk(resolveInWorkspace(ctx, input.path ?? '.'))) {
    const rel = relative(ctx.workspace, file).split('\\').join('/');
    if (SECRET_FILE.test(rel)) continue;
    const lines = (await readFile(file, 'utf8')).split('\n');
    for (const [i, line] of lines.entries()) {
      if (!regex.test(line)) continue;
      hits.push(`${rel}:${i + 1}: ${line.trim().slice(0, 200)}`);
      if (hits.length >= limit) return `${hits.join('\n')}\n[stopped after ${limit} matches]`;
    }
  }
  return hits.length > 0 ? hits.join('\n') : 'No matches.';
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* walk(join(dir, entry.name));
    } else if (entry.isFile()) {
      yield join(dir, entry.name);
    }
  }
}
