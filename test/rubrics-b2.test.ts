import { describe, expect, it } from 'vitest';
import { analyze } from '../src/core/analyze.js';
import { evaluate, indexFacts } from '../src/core/conditions.js';
import { compactionDetector } from '../src/detectors/compaction.js';
import { frameworksDetector } from '../src/detectors/frameworks.js';
import { sessionPersistenceDetector } from '../src/detectors/session-persistence.js';
import { tokenBudgetDetector } from '../src/detectors/token-budget.js';
import { workflowStateDetector } from '../src/detectors/workflow-state.js';
import { projectFromFiles } from './helpers/project.js';
import { loadCoreRubric } from './helpers/rubrics.js';

const RUBRICS = ['session-persistence', 'workflow-state', 'token-budget', 'compaction'] as const;
const DETECTORS = [
  frameworksDetector,
  sessionPersistenceDetector,
  workflowStateDetector,
  tokenBudgetDetector,
  compactionDetector,
];

/** Which criteria of a rubric pass (on primary roles) for a project. */
function passing(id: string, files: Record<string, string>): string[] {
  const index = indexFacts(analyze(projectFromFiles(files), DETECTORS).facts);
  return loadCoreRubric(id)
    .criteria.filter(
      (c) => (!c.applicable || evaluate(c.applicable, index).holds) && evaluate(c.pass, index).holds,
    )
    .map((c) => c.id);
}

describe('rubrics for session persistence, workflow state, token budget and compaction', () => {
  it('an in-memory chat loop passes no session, workflow, budget or compaction criterion', () => {
    const naive = {
      'src/agent.ts': `
import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
const messages: any[] = [];
export async function chat(input: string) {
  messages.push({ role: 'user', content: input });
  while (true) {
    const res = await client.messages.create({ model: 'claude', max_tokens: 1024, messages });
    messages.push({ role: 'assistant', content: res.content });
    if (res.stop_reason !== 'tool_use') return res;
  }
}`,
    };
    for (const id of RUBRICS) expect(passing(id, naive), id).toEqual([]);
  });

  it('a JSONL store with resume passes the required session criteria and the disciplines it shows', () => {
    const ok = passing('session-persistence', {
      'src/session.ts': `
import { appendFileSync, fsyncSync, openSync, readFileSync } from 'node:fs';
export function appendMessage(sessionFile: string, msg: { role: string; content: string }, usage: object) {
  appendFileSync(sessionFile, JSON.stringify({ schemaVersion: 1, ...msg, usage, decision: 'allow' }) + '\\n');
}
export function loadSession(sessionFile: string) {
  const out = [];
  for (const line of readFileSync(sessionFile, 'utf8').split('\\n')) {
    try { out.push(JSON.parse(line)); } catch { /* torn tail */ }
  }
  return out;
}`,
    });
    expect(ok).toEqual(
      expect.arrayContaining([
        'session-persistence.store',
        'session-persistence.resume',
        'session-persistence.write-discipline',
        'session-persistence.schema-version',
        'session-persistence.records',
        'session-persistence.torn-write-recovery',
      ]),
    );
    expect(ok).not.toContain('session-persistence.fsync');
    expect(ok).not.toContain('session-persistence.single-writer');
  });

  it('an SDK turn limit is only partial for the limit criterion; a coded guard passes it', () => {
    const sdk = {
      'src/agent.ts': `
import { query } from '@anthropic-ai/claude-agent-sdk';
export const run = (prompt: string) => query({ prompt, options: { maxTurns: 10 } });`,
    };
    expect(passing('token-budget', sdk)).toEqual([]);
    const index = indexFacts(analyze(projectFromFiles(sdk), DETECTORS).facts);
    const limit = loadCoreRubric('token-budget').criteria.find((c) => c.id === 'token-budget.limit');
    expect(limit?.partial && evaluate(limit.partial, index).holds).toBe(true);
    const coded = passing('token-budget', {
      'src/loop.ts': `
export async function run(client: any, messages: any[]) {
  for (let turn = 0; turn < MAX_TURNS; turn++) await client.messages.create({ model: 'm', max_tokens: 100, messages });
}`,
    });
    expect(coded).toEqual(['token-budget.limit']);
  });

  it('server-side context management passes compaction without a thrash guard of its own', () => {
    const ok = passing('compaction', {
      'src/client.ts': `
export const request = (messages: any[]) => client.beta.messages.create({
  model: 'claude', max_tokens: 1024, messages,
  context_management: { edits: [{ type: 'clear_tool_uses_20250919', trigger: { type: 'input_tokens', value: 100000 } }, { type: 'compact_20260112' }] },
});`,
    });
    expect(ok).toEqual(['compaction.present', 'compaction.tool-results', 'compaction.summarize']);
  });

  it('does not apply to a pure MCP tool server', () => {
    const index = indexFacts(
      analyze(
        projectFromFiles({
          'src/server.ts': `
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
const server = new McpServer({ name: 'x', version: '1.0.0' });`,
          'package.json': '{"dependencies": {"@modelcontextprotocol/sdk": "1.0.0"}}',
        }),
        DETECTORS,
      ).facts,
    );
    for (const id of RUBRICS) {
      const applicable = loadCoreRubric(id).applicable;
      expect(applicable, id).toBeDefined();
      if (applicable) expect(evaluate(applicable, index).holds, id).toBe(false);
    }
  });
});
