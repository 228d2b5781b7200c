import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Where the task stands, kept apart from the transcript. The transcript says what was said; this says
 * what is true now ("waiting for approval of write_file", "done"), and survives a crash on its own.
 */

export type TaskStatus = 'planned' | 'executing' | 'awaiting_approval' | 'waiting_external' | 'done' | 'failed';

/**
 * The only moves a task can make. `waiting_external` is a run stopped by a limit that an operator can
 * raise; `done` and `failed` reopen when the user gives the session a new instruction.
 */
const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  planned: ['executing', 'failed'],
  executing: ['awaiting_approval', 'waiting_external', 'done', 'failed'],
  awaiting_approval: ['executing', 'failed'],
  waiting_external: ['executing', 'failed'],
  done: ['executing'],
  failed: ['executing'],
};

export interface TaskRecord {
  version: 1;
  sessionId: string;
  status: TaskStatus;
  history: { from: TaskStatus; to: TaskStatus; at: string; note?: string }[];
  updatedAt: string;
}

export class TaskState {
  private constructor(
    private readonly statePath: string,
    private record: TaskRecord,
  ) {}

  /** Loads the task of a session, or plans a new one. */
  static async open(dir: string, sessionId: string): Promise<TaskState> {
    const statePath = join(dir, `${sessionId}.json`);
    const existing = await readFile(statePath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (existing !== undefined) return new TaskState(statePath, JSON.parse(existing) as TaskRecord);
    const now = new Date().toISOString();
    const task = new TaskState(statePath, { version: 1, sessionId, status: 'planned', history: [], updatedAt: now });
    await task.saveCheckpoint();
    return task;
  }

  get status(): TaskStatus {
    return this.record.status;
  }

  async transition(to: TaskStatus, note?: string): Promise<void> {
    const from = this.record.status;
    if (from === to) return;
    if (!TRANSITIONS[from].includes(to)) throw new Error(`Task cannot go from ${from} to ${to}`);
    const at = new Date().toISOString();
    this.record = { ...this.record, status: to, updatedAt: at, history: [...this.record.history, { from, to, at, note }] };
    await this.saveCheckpoint();
  }

  /**
   * A process that died mid-run leaves the task `executing` or `awaiting_approval`. Both resume as
   * `executing`: an approval that was never answered is asked again.
   */
  async resume(): Promise<void> {
    if (this.record.status === 'awaiting_approval')
      await this.transition('executing', 'resumed; approval will be asked again');
    else if (this.record.status !== 'executing') await this.transition('executing', 'resumed');
  }

  /**
   * Saves the task as a checkpoint, all or nothing: a temp file in the same folder, flushed to disk,
   * renamed over the old one, then the folder itself synced so the rename survives a power cut.
   */
  private async saveCheckpoint(): Promise<void> {
    const folder = dirname(this.statePath);
    await mkdir(folder, { recursive: true });
    const temp = `${this.statePath}.${randomUUID()}.tmp`;
    await writeFile(temp, `${JSON.stringify(this.record, null, 2)}\n`, { flag: 'wx', mode: 0o600, flush: true });
    await rename(temp, this.statePath);
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
