import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { parseJsonDocument } from '../core/source-map.js';
import { formatIssue, validateLocated } from '../core/zod-errors.js';

/** Relative (POSIX) path of the lock inside a project. */
export const LOCK_PATH = '.plumbline/scaffold-lock.json';

const LockEntrySchema = z
  .object({
    template: z.string().min(1),
    templateVersion: z.number().int().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a hex SHA-256'),
  })
  .strict();
export type LockEntry = z.infer<typeof LockEntrySchema>;

const LockSchema = z
  .object({
    version: z.literal(1),
    /** Project-relative POSIX path → what plumbline wrote there last. */
    files: z.record(z.string().min(1), LockEntrySchema),
  })
  .strict();
export type ScaffoldLock = z.infer<typeof LockSchema>;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const emptyLock = (): ScaffoldLock => ({ version: 1, files: {} });

function corrupt(detail: string): UsageError {
  return new UsageError(`${LOCK_PATH} is unreadable: ${detail}`, {
    file: LOCK_PATH,
    hint: `nothing was written. Restore it from version control, or delete ${LOCK_PATH} to treat every existing file as your own (changed files then show as conflicts)`,
  });
}

/** Reads the lock of a project; no lock is an empty one. A damaged lock is a usage error (exit 2). */
export function readLock(root: string): ScaffoldLock {
  const abs = join(root, LOCK_PATH);
  if (!existsSync(abs)) return emptyLock();
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw corrupt((e as NodeJS.ErrnoException).code ?? String(e));
  }
  const parsed = parseJsonDocument(text);
  if (!parsed.ok)
    throw corrupt(`${LOCK_PATH}:${parsed.error.line}:${parsed.error.col}: ${parsed.error.message}`);
  const checked = validateLocated(LockSchema, parsed.doc);
  if (!checked.ok) throw corrupt(checked.issues.map((i) => formatIssue(LOCK_PATH, i)).join('; '));
  return checked.value;
}

/** The lock as written to disk: stable key order so it diffs well in version control. */
export function serializeLock(lock: ScaffoldLock): string {
  const files = Object.fromEntries(
    Object.entries(lock.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}
