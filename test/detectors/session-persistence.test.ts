import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { FACT_KINDS, sessionPersistenceDetector } from '../../src/detectors/session-persistence.js';
import { projectFromFiles } from '../helpers/project.js';

function run(files: Record<string, string>) {
  return analyze(projectFromFiles(files), [sessionPersistenceDetector]);
}
const only = (facts: Fact[], kind: string) => facts.filter((f) => f.kind === kind);

const TS_STORE = `
import { appendFile, readFile, open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SCHEMA_VERSION = 2;

interface TranscriptEntry {
  role: 'user' | 'assistant';
  content: string;
  usage?: { input_tokens: number };
  model: string;
}

export async function appendTranscript(dir: string, sessionId: string, entry: TranscriptEntry) {
  const file = join(dir, \`\${sessionId}.jsonl\`);
  const line = JSON.stringify({ v: SCHEMA_VERSION, ...entry }) + '\\n';
  await appendFile(file, line, 'utf8');
  const fh = await open(file, 'r+');
  await fh.sync();
  await fh.close();
}

export async function saveSessionState(statePath: string, state: object) {
  const tmp = \`\${statePath}.tmp\`;
  await writeFile(tmp, JSON.stringify(state));
  await rename(tmp, statePath);
}

export async function loadSession(dir: string, sessionId: string) {
  const text = await readFile(join(dir, \`\${sessionId}.jsonl\`), 'utf8');
  const messages = [];
  for (const line of text.split('\\n')) {
    if (!line) continue;
    try {
      messages.push(JSON.parse(line));
    } catch {
      break;
    }
  }
  return messages;
}
`;

describe('session-persistence detector (TypeScript)', () => {
  const { facts, inventory } = run({ 'src/session/store.ts': TS_STORE });

  it('finds the append-only JSONL transcript write with its line', () => {
    const writes = only(facts, 'session.write');
    const append = writes.find((w) => w.data.api === 'appendFile');
    expect(append).toMatchObject({ file: 'src/session/store.ts', line: 17, role: 'source' });
    expect(append?.data).toMatchObject({ target: 'session', appendOnly: true, jsonl: true });
  });

  it('classifies the state file write as state, not as a transcript', () => {
    const overwrite = only(facts, 'session.write').find((w) => w.data.api === 'writeFile');
    expect(overwrite?.data).toMatchObject({ target: 'state', appendOnly: false, jsonl: false });
  });

  it('reads record fields from the declared entry type', () => {
    const rec = only(facts, 'session.records').find((r) => r.line === 17);
    expect(rec?.data.fields).toEqual(expect.arrayContaining(['messages', 'usage', 'model']));
    expect(rec?.data.fields).not.toContain('permission');
  });

  it('sees temp+rename, fsync through a file handle and the schema version constant', () => {
    expect(only(facts, 'session.atomic-write').map((f) => f.line)).toEqual([26]);
    expect(only(facts, 'session.fsync').map((f) => f.line)).toEqual([19]);
    expect(only(facts, 'session.schema-version').length).toBeGreaterThan(0);
  });

  it('finds the resume path and its torn-line tolerance', () => {
    const resume = only(facts, 'session.resume');
    expect(resume).toHaveLength(1);
    expect(resume[0]?.data).toMatchObject({ via: 'code', name: 'loadSession', jsonl: true });
    expect(only(facts, 'session.torn-write-recovery')[0]?.data).toEqual({ how: 'skip-bad-line' });
  });

  it('records the stores with their write discipline', () => {
    const transcript = inventory.stores.find((s) => s.kind === 'transcript');
    expect(transcript?.discipline).toEqual(
      expect.arrayContaining(['append', 'atomic-rename', 'fsync', 'versioned']),
    );
    expect(inventory.stores.find((s) => s.kind === 'state')).toBeDefined();
  });

  it('only emits kinds it declares', () => {
    for (const f of facts) expect(FACT_KINDS).toContain(f.kind);
  });
});

describe('session-persistence detector (Python)', () => {
  const PY = `
import json, os, fcntl

def append_message(session_path, message):
    with open(session_path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.write(json.dumps({"role": message.role, "content": message.content, "decision": "allow"}) + "\\n")
        os.fsync(f.fileno())

def save_conversation(path, messages):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"schema_version": 1, "messages": messages}, f)
    os.replace(tmp, path)

def load_conversation(path):
    out = []
    with open(path) as f:
        for line in f:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return out
`;
  const { facts } = run({ 'agent/persist.py': PY });

  it('finds the append with message-shaped JSONL records and permission decisions', () => {
    const w = only(facts, 'session.write').find((f) => f.data.api === 'open-a');
    expect(w?.line).toBe(5);
    expect(w?.data).toMatchObject({ target: 'session', appendOnly: true, jsonl: true });
    const rec = only(facts, 'session.records').find((r) => r.line === 5);
    expect(rec?.data.fields).toEqual(expect.arrayContaining(['messages', 'permission']));
  });

  it('finds flock, os.fsync, os.replace after a tmp write, and the schema_version key', () => {
    expect(only(facts, 'session.lock')[0]).toMatchObject({ line: 6, data: { via: 'flock' } });
    expect(only(facts, 'session.fsync')[0]?.line).toBe(8);
    expect(only(facts, 'session.atomic-write')[0]?.line).toBe(14);
    expect(only(facts, 'session.schema-version')[0]?.line).toBe(13);
  });

  it('finds the loader and its per-line except that skips', () => {
    expect(only(facts, 'session.resume')[0]).toMatchObject({ line: 16, data: { via: 'code', jsonl: true } });
    expect(only(facts, 'session.torn-write-recovery')).toHaveLength(1);
  });
});

describe('session-persistence detector: SDK mechanisms', () => {
  it('counts Claude Agent SDK resume and LangGraph savers, with durability', () => {
    const { facts } = run({
      'src/agent.ts': `
import { query } from '@anthropic-ai/claude-agent-sdk';
export function go(prompt: string, sessionId?: string) {
  return query({ prompt, options: { resume: sessionId, maxTurns: 5 } });
}`,
      'app/graph.py': `
from langgraph.checkpoint.memory import MemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver
mem = MemorySaver()
disk = SqliteSaver.from_conn_string("state.db")
`,
    });
    const resume = only(facts, 'session.resume');
    expect(resume.find((f) => f.file === 'src/agent.ts')?.data).toMatchObject({
      via: 'sdk',
      sdk: 'claude-agent-sdk',
      mechanism: 'resume',
    });
    const savers = resume.filter((f) => f.file === 'app/graph.py').map((f) => [f.line, f.data.durable]);
    expect(savers).toEqual([
      [4, false],
      [5, true],
    ]);
  });

  it('ignores a resume flag in a file that does not import the SDK', () => {
    const { facts } = run({ 'src/cli.ts': `const opts = parse({ resume: argv.resume, verbose: true });` });
    expect(facts).toHaveLength(0);
  });
});

describe('session-persistence detector: what is not a session store', () => {
  it('ignores config, report and unrelated writes, and in-memory message arrays', () => {
    const { facts, inventory } = run({
      'src/build.ts': `
import { writeFileSync } from 'node:fs';
const messages: string[] = [];
messages.push('hi');
writeFileSync('dist/report.json', JSON.stringify({ messages }));
writeFileSync(configPath, JSON.stringify(config));
writeFileSync(outFile, banner + body);
`,
      'src/repl.ts': `
import { appendFileSync } from 'node:fs';
export function remember(cmd: string) { appendFileSync(historyFile, cmd + '\\n'); }
`,
    });
    expect(facts).toEqual([]);
    expect(inventory.stores).toEqual([]);
  });

  it('does not take a tool-argument parse in a loop for torn-line recovery', () => {
    const { facts } = run({
      'src/loop.ts': `
import { appendFileSync } from 'node:fs';
export function record(sessionFile: string, msg: object) { appendFileSync(sessionFile, JSON.stringify(msg) + '\\n'); }
export function runTools(calls: { arguments: string }[]) {
  for (const call of calls) {
    try { run(JSON.parse(call.arguments)); } catch { continue; }
  }
}`,
    });
    expect(only(facts, 'session.write')).toHaveLength(1);
    expect(only(facts, 'session.torn-write-recovery')).toHaveLength(0);
  });

  it('marks facts from tests as the test role', () => {
    const { facts } = run({
      'test/session.test.ts': `import { appendFileSync } from 'node:fs'; appendFileSync(sessionPath, JSON.stringify(m) + '\\n');`,
    });
    expect(only(facts, 'session.write')[0]?.role).toBe('test');
  });
});

describe('session-persistence detector: other shapes of the same thing', () => {
  it('follows writes through a file descriptor and resume() on a session class', () => {
    const { facts } = run({
      'src/store.ts': `
import { openSync, writeSync, readFileSync } from 'node:fs';
export class SessionStore {
  constructor(private file: string) {}
  append(message: object) {
    const fd = openSync(this.file, 'a');
    writeSync(fd, \`\${JSON.stringify({ v: 1, message })}\\n\`);
  }
  resume() {
    return readFileSync(this.file, 'utf8').split('\\n').filter(Boolean).map((l) => JSON.parse(l));
  }
}`,
    });
    expect(only(facts, 'session.write')[0]).toMatchObject({ line: 6, data: { api: 'open-a', jsonl: true } });
    expect(only(facts, 'session.resume')[0]).toMatchObject({
      line: 9,
      data: { via: 'code', name: 'resume', jsonl: true },
    });
  });

  it('finds a module-level reload of a JSONL log named by a constant', () => {
    const { facts } = run({
      'src/chat.ts': `
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const LOG = 'session.jsonl';
const messages = existsSync(LOG) ? readFileSync(LOG, 'utf8').split('\\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
export const remember = (m: object) => appendFileSync(LOG, \`\${JSON.stringify(m)}\\n\`);
`,
    });
    expect(only(facts, 'session.write')[0]?.data).toMatchObject({ target: 'session', appendOnly: true });
    expect(only(facts, 'session.resume')[0]).toMatchObject({
      line: 4,
      data: { name: 'messages', jsonl: true },
    });
  });

  it('treats a Mastra Memory on a file LibSQLStore as a durable session and an in-memory one as not', () => {
    const { facts } = run({
      'src/agent.ts': `
import { Memory } from '@mastra/memory';
import { LibSQLStore } from '@mastra/libsql';
export const disk = new Memory({ storage: new LibSQLStore({ url: 'file:../mastra.db' }) });
export const mem = new Memory({ storage: new LibSQLStore({ url: ':memory:' }) });
`,
    });
    expect(only(facts, 'session.resume').map((f) => [f.line, f.data.durable])).toEqual([
      [4, true],
      [5, false],
    ]);
  });
});

describe('session-persistence detector: databases', () => {
  it('takes SQL inserts into a messages table and ORM creates of a session model as session writes', () => {
    const { facts } = run({
      'src/db.ts': `
export function save(db: Db, m: Msg) {
  db.prepare('INSERT INTO messages (session_id, role, content) VALUES (?, ?, ?)').run(m.sessionId, m.role, m.content);
  return prisma.session.upsert({ where: { id: m.sessionId }, update: {}, create: { id: m.sessionId } });
}
export const report = (db: Db) => db.prepare('INSERT INTO metrics (name) VALUES (?)').run('x');`,
      'app/store.py': `
def add(cur, session_id, role, content):
    cur.execute("INSERT INTO conversation_turns (session_id, role, content) VALUES (?, ?, ?)", (session_id, role, content))
`,
    });
    const writes = only(facts, 'session.write').map((f) => [f.file, f.line, f.data.api, f.data.target]);
    expect(writes).toEqual([
      ['src/db.ts', 3, 'db-insert', 'messages'],
      ['src/db.ts', 4, 'db-insert', 'session'],
      ['app/store.py', 3, 'db-insert', 'conversation'],
    ]);
  });
});
