import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The side-effect ledger. Before a tool that changes the world runs, an `intent` entry is made durable;
 * after it, a `commit` entry with its output. A resumed session that replays the same tool call finds
 * the commit and gets the recorded output back instead of doing it twice. An intent without a commit
 * means the effect may or may not have happened, so it is not run again blindly.
 */

interface EffectCall {
  tool: string;
  toolUseId: string;
  input: unknown;
}

type LedgerEntry =
  | { phase: 'intent'; idempotencyKey: string; tool: string; toolUseId: string; inputHash: string; at: string }
  | { phase: 'commit'; idempotencyKey: string; ok: boolean; output: string; at: string };

export type EffectOutcome =
  | { kind: 'ran'; ok: boolean; output: string }
  | { kind: 'replayed'; ok: boolean; output: string }
  | { kind: 'uncertain' };

export class EffectLedger {
  private constructor(
    private readonly sessionId: string,
    private readonly handle: FileHandle,
    private readonly intents: Set<string>,
    private readonly commits: Map<string, { ok: boolean; output: string }>,
  ) {}

  static async open(ledgerPath: string, sessionId: string): Promise<EffectLedger> {
    await mkdir(dirname(ledgerPath), { recursive: true });
    const intents = new Set<string>();
    const commits = new Map<string, { ok: boolean; output: string }>();
    const text = await readFile(ledgerPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    // An entry torn by a crash (text after the last "\n") proves nothing: cut it so appends start clean.
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    if (complete.length < text.length) await truncate(ledgerPath, Buffer.byteLength(complete));
    for (const line of complete.split('\n').slice(0, -1)) {
      const entry = JSON.parse(line) as LedgerEntry;
      if (entry.phase === 'intent') intents.add(entry.idempotencyKey);
      else commits.set(entry.idempotencyKey, { ok: entry.ok, output: entry.output });
    }
    const handle = await open(ledgerPath, 'a', 0o600);
    return new EffectLedger(sessionId, handle, intents, commits);
  }

  /**
   * Runs `effect` at most once per tool call: intent made durable first, commit after. The key is the
   * same for the same call of the same session across crashes and resumes.
   */
  async perform(call: EffectCall, effect: () => Promise<string>): Promise<EffectOutcome> {
    const inputHash = sha256(canonicalJson(call.input));
    const idempotencyKey = sha256(`${this.sessionId}|${call.toolUseId}|${call.tool}|${inputHash}`);
    const committed = this.commits.get(idempotencyKey);
    if (committed) return { kind: 'replayed', ...committed };
    if (this.intents.has(idempotencyKey)) return { kind: 'uncertain' };

    const at = () => new Date().toISOString();
    await this.append({ phase: 'intent', idempotencyKey, tool: call.tool, toolUseId: call.toolUseId, inputHash, at: at() });
    this.intents.add(idempotencyKey);
    let ok = true;
    let output: string;
    try {
      output = await effect();
    } catch (error) {
      ok = false;
      output = error instanceof Error ? error.message : String(error);
    }
    await this.append({ phase: 'commit', idempotencyKey, ok, output, at: at() });
    this.commits.set(idempotencyKey, { ok, output });
    return { kind: 'ran', ok, output };
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  /** One write per entry, synced before the side effect it announces is allowed to start. */
  private async append(entry: LedgerEntry): Promise<void> {
    await this.handle.write(`${JSON.stringify({ version: 1, sessionId: this.sessionId, ...entry })}\n`);
    await this.handle.sync();
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with sorted keys, so equal inputs hash equally whatever order the model wrote them in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
