import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-write.js';

/**
 * Grades kept on disk by content hash, so re-auditing an unchanged project costs nothing. One JSON file
 * per grade under `<project>/.plumbline/cache/llm/` (or `$PLUMBLINE_CACHE_DIR/llm/`). The cache folder
 * carries a `.gitignore` of `*`: git leaves it alone, and so does plumbline's own discovery, which honours
 * .gitignore files — a cached grade must never become a file the next audit counts.
 */

export const VerdictSchema = z.object({
  status: z.enum(['pass', 'partial', 'fail']),
  reason: z.string().min(1),
  items: z
    .array(
      z.object({
        name: z.string().min(1),
        status: z.enum(['pass', 'partial', 'fail']).optional(),
        reason: z.string().min(1),
      }),
    )
    .optional(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

const EntrySchema = z.object({
  key: z.string(),
  model: z.string(),
  criterion: z.string(),
  verdict: VerdictSchema,
  /** What the original call cost; a hit costs nothing. */
  costUsd: z.number(),
  createdAt: z.string(),
});
export type CacheEntry = z.infer<typeof EntrySchema>;

export function cacheDir(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.PLUMBLINE_CACHE_DIR
    ? resolve(env.PLUMBLINE_CACHE_DIR)
    : join(projectRoot, '.plumbline', 'cache');
  return join(base, 'llm');
}

export function cacheKey(parts: {
  model: string;
  criterion: string;
  promptVersion: number;
  content: string;
}): string {
  return createHash('sha256')
    .update(`${parts.model}\0${parts.criterion}\0${parts.promptVersion}\0${parts.content}`)
    .digest('hex');
}

/** A cached grade, or undefined for a miss (absent, unreadable or from another shape: all misses). */
export function readCached(dir: string, key: string): CacheEntry | undefined {
  try {
    const entry = EntrySchema.parse(JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')));
    return entry.key === key ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a grade atomically (temp file, then rename). A cache that cannot be written only costs money later. */
export function writeCached(dir: string, entry: CacheEntry): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    const ignore = join(dirname(dir), '.gitignore');
    if (!existsSync(ignore)) writeFileSync(ignore, '# plumbline cache: not for version control\n*\n');
    return writeFileAtomic(join(dir, `${entry.key}.json`), `${JSON.stringify(entry, null, 2)}\n`, {
      overwrite: true,
    });
  } catch {
    return false;
  }
}
