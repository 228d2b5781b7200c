import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadSession, SessionStore } from '../src/session/store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-session-'));
});

async function sessionWithTwoMessages(id: string): Promise<void> {
  const store = await SessionStore.open(dir, id, false);
  await store.append({ type: 'config', config: { model: 'test-model' } });
  await store.append({ type: 'message', message: { role: 'user', content: 'Summarise README.md' } });
  await store.append({ type: 'message', message: { role: 'assistant', content: 'It is a demo.' } });
  await store.close();
}

describe('session store', () => {
  it('resumes the conversation in order, with versions and sequence numbers', async () => {
    await sessionWithTwoMessages('s1');
    const store = await SessionStore.open(dir, 's1', true);
    expect(store.messages()).toEqual([
      { role: 'user', content: 'Summarise README.md' },
      { role: 'assistant', content: 'It is a demo.' },
    ]);
    await store.append({ type: 'message', message: { role: 'user', content: 'Thanks' } });
    await store.close();
    const { records } = await loadSession(join(dir, 's1.jsonl'));
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(records.every((r) => r.version === 1 && r.sessionId === 's1')).toBe(true);
  });

  it('drops a torn final line and cuts it from the file so appends stay clean', async () => {
    await sessionWithTwoMessages('s2');
    const path = join(dir, 's2.jsonl');
    await appendFile(path, '{"type":"message","message":{"role":"user","cont');
    const store = await SessionStore.open(dir, 's2', true);
    expect(store.messages()).toHaveLength(2);
    await store.append({ type: 'message', message: { role: 'user', content: 'again' } });
    await store.close();
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').slice(0, -1).map((line) => JSON.parse(line).seq)).toEqual([1, 2, 3, 4]);
  });

  it('refuses to resume past a damaged record in the middle', async () => {
    await sessionWithTwoMessages('s3');
    const path = join(dir, 's3.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[1] = '{not json';
    await writeFile(path, lines.join('\n'));
    await expect(loadSession(path)).rejects.toThrow(/s3\.jsonl:2/);
  });

  it('refuses records from a newer schema', async () => {
    await writeFile(join(dir, 's4.jsonl'), `${JSON.stringify({ type: 'config', config: {}, version: 99, seq: 1 })}\n`);
    await expect(loadSession(join(dir, 's4.jsonl'))).rejects.toThrow(/newer version/);
  });

  it('lets only one process write a session at a time', async () => {
    const first = await SessionStore.open(dir, 's5', false);
    await expect(SessionStore.open(dir, 's5', true)).rejects.toThrow(/in use/);
    await first.close();
    const again = await SessionStore.open(dir, 's5', true);
    await again.close();
  });

  it('never starts a new session over an existing one', async () => {
    await sessionWithTwoMessages('s6');
    await expect(SessionStore.open(dir, 's6', false)).rejects.toThrow(/EEXIST/);
  });
});
