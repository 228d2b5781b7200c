import { type FileHandle, mkdir, open, readFile, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';

/**
 * The session transcript: an append-only JSONL file per session, one record per line.
 *
 * - Every record is written with a single `write()` on an O_APPEND handle, so a crash can only tear the
 *   last line, and the handle is fsynced at the end of every turn.
 * - One process writes a session at a time: `<id>.lock` is created with O_EXCL and removed on close.
 * - Records carry the schema version and a sequence number; usage, permission decisions and the run
 *   configuration are stored next to the messages, so a resumed session knows what happened and why.
 */

export const SCHEMA_VERSION = 1;

export type SessionRecord =
  | { type: 'config'; config: Record<string, unknown> }
  | { type: 'message'; message: Anthropic.MessageParam }
  | { type: 'usage'; model: string; usage: Anthropic.Usage }
  | {
      type: 'permission';
      toolUseId: string;
      tool: string;
      decision: 'allow' | 'ask' | 'deny';
      reason: string;
      rule?: string;
    };

export type StoredRecord = SessionRecord & { version: number; seq: number; sessionId: string; at: string };

export interface LoadedSession {
  records: StoredRecord[];
  /** Bytes of a torn final line that were dropped, 0 when the file was clean. */
  droppedBytes: number;
}

export class SessionStore {
  private constructor(
    readonly sessionId: string,
    private readonly handle: FileHandle,
    private readonly lockPath: string,
    private readonly records: StoredRecord[],
    private seq: number,
  ) {}

  /** Opens a new session, or resumes an existing one when `resume` is true. */
  static async open(dir: string, sessionId: string, resume: boolean): Promise<SessionStore> {
    await mkdir(dir, { recursive: true });
    const transcriptPath = join(dir, `${sessionId}.jsonl`);
    const lockPath = join(dir, `${sessionId}.lock`);
    const lock = await open(lockPath, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST')
        throw new Error(
          `Session ${sessionId} is in use by another process (${lockPath}); delete it if that process is gone.`,
        );
      throw error;
    });
    await lock.writeFile(String(process.pid));
    await lock.close();

    try {
      const { records } = resume ? await loadSession(transcriptPath) : { records: [] };
      // A resumed session appends to its file; a new one must never land on an existing file.
      const handle = resume ? await open(transcriptPath, 'a', 0o600) : await open(transcriptPath, 'ax', 0o600);
      return new SessionStore(sessionId, handle, lockPath, records, records.at(-1)?.seq ?? 0);
    } catch (error) {
      await unlink(lockPath);
      throw error;
    }
  }

  /** The conversation so far, in order. */
  messages(): Anthropic.MessageParam[] {
    return this.records.flatMap((record) => (record.type === 'message' ? [record.message] : []));
  }

  async append(record: SessionRecord): Promise<void> {
    const stored: StoredRecord = {
      ...record,
      version: SCHEMA_VERSION,
      seq: ++this.seq,
      sessionId: this.sessionId,
      at: new Date().toISOString(),
    };
    await this.handle.write(`${JSON.stringify(stored)}\n`);
    this.records.push(stored);
  }

  /** Makes everything appended so far durable; called at the end of every turn. */
  async sync(): Promise<void> {
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
    await unlink(this.lockPath);
  }
}

/**
 * Reads a transcript back. A final line without its newline is a write torn by a crash: it is dropped
 * and cut from the file so the next append starts on a clean line. A bad line anywhere else means the
 * file was damaged in some other way, and resuming from it would silently lose history, so it throws.
 */
export async function loadSession(path: string): Promise<LoadedSession> {
  const text = await readFile(path, 'utf8');
  // Every record is written together with its "\n", so a file that does not end with one was cut mid-write.
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const droppedBytes = Buffer.byteLength(text) - Buffer.byteLength(complete);
  if (droppedBytes > 0) await truncate(path, Buffer.byteLength(complete));

  const lines = complete.split('\n').slice(0, -1);
  const records = lines.map((line, index) => {
    let record: StoredRecord;
    try {
      record = JSON.parse(line) as StoredRecord;
    } catch {
      throw new Error(`${path}:${index + 1}: damaged record in the middle of the transcript`);
    }
    if (record.version > SCHEMA_VERSION)
      throw new Error(`${path}:${index + 1}: written by a newer version (schema ${record.version} > ${SCHEMA_VERSION})`);
    return record;
  });
  return { records, droppedBytes };
}
