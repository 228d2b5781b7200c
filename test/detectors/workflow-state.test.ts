import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { FACT_KINDS, workflowStateDetector } from '../../src/detectors/workflow-state.js';
import { projectFromFiles } from '../helpers/project.js';

function run(files: Record<string, string>) {
  return analyze(projectFromFiles(files), [workflowStateDetector]);
}
const only = (facts: Fact[], kind: string) => facts.filter((f) => f.kind === kind);

const TS_TASKS = `
import { writeFileSync, appendFileSync } from 'node:fs';

export type TaskStatus = 'planned' | 'awaiting_approval' | 'executing' | 'done' | 'failed';

const NEXT: Record<TaskStatus, TaskStatus[]> = {
  planned: ['awaiting_approval', 'failed'],
  awaiting_approval: ['executing', 'failed'],
  executing: ['done', 'failed'],
  done: [],
  failed: [],
};

export function advance(task: { status: TaskStatus }, to: TaskStatus) {
  if (!NEXT[task.status].includes(to)) throw new Error('bad transition');
  task.status = 'executing';
  writeFileSync(STATE_FILE, JSON.stringify(task));
}

export function logMessage(sessionId: string, message: object) {
  appendFileSync(\`sessions/\${sessionId}.jsonl\`, JSON.stringify(message) + '\\n');
}

export async function runTool(ledger: Ledger, call: ToolCall) {
  ledger.append({ id: call.id, status: 'intent', idempotencyKey: call.id });
  const result = await execute(call);
  ledger.append({ id: call.id, status: 'committed' });
  return result;
}
`;

describe('workflow-state detector (TypeScript)', () => {
  const { facts, inventory } = run({ 'src/tasks.ts': TS_TASKS });

  it('finds the explicit state union and its approval state', () => {
    const states = only(facts, 'workflow.states');
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({ line: 4, data: { name: 'TaskStatus', how: 'union' } });
    expect(states[0]?.data.states).toEqual(['planned', 'awaiting_approval', 'executing', 'done', 'failed']);
    expect(only(facts, 'workflow.approval-state')[0]).toMatchObject({
      line: 4,
      data: { via: 'state', state: 'awaiting_approval' },
    });
  });

  it('finds the transition table and the status assignment', () => {
    const how = only(facts, 'workflow.transition').map((f) => [f.line, f.data.how]);
    expect(how).toEqual(
      expect.arrayContaining([
        [6, 'table'],
        [16, 'assignment'],
      ]),
    );
  });

  it('sees the state file as a store separate from the transcript', () => {
    expect(only(facts, 'workflow.state-store')[0]?.line).toBe(17);
    const sep = only(facts, 'workflow.separate-from-transcript');
    expect(sep).toHaveLength(1);
    expect(sep[0]).toMatchObject({ line: 17, data: { transcript: 'src/tasks.ts:21' } });
  });

  it('finds the intent → side effect → commit ledger with its idempotency key', () => {
    const ledger = only(facts, 'workflow.ledger').filter((f) => f.data.intentBeforeCommit);
    expect(ledger).toEqual([
      expect.objectContaining({ line: 25, data: { idempotencyKey: true, intentBeforeCommit: true } }),
    ]);
    expect(inventory.stores).toEqual([expect.objectContaining({ kind: 'ledger', line: 25 })]);
  });

  it('only emits kinds it declares', () => {
    for (const f of facts) expect(FACT_KINDS).toContain(f.kind);
  });
});

describe('workflow-state detector (Python and frameworks)', () => {
  it('reads a Python Enum, a match over status and an idempotency_key keyword', () => {
    const { facts } = run({
      'agent/workflow.py': `
from enum import Enum

class Phase(str, Enum):
    PENDING = "pending"
    RUNNING = "running"
    WAITING_APPROVAL = "waiting_approval"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

def step(job):
    match job.status:
        case Phase.PENDING:
            job.status = Phase.RUNNING
        case Phase.RUNNING:
            pay(amount=5, idempotency_key=job.id)
`,
    });
    expect(only(facts, 'workflow.states')[0]).toMatchObject({
      line: 4,
      data: { name: 'Phase', how: 'enum' },
    });
    expect(only(facts, 'workflow.approval-state')[0]?.data.state).toBe('waiting_approval');
    const how = only(facts, 'workflow.transition').map((f) => f.data.how);
    expect(how).toEqual(expect.arrayContaining(['switch', 'assignment']));
    expect(only(facts, 'workflow.ledger')[0]).toMatchObject({
      line: 16,
      data: { idempotencyKey: true, intentBeforeCommit: false },
    });
  });

  it('counts LangGraph checkpointers and interrupts, and Temporal workflows', () => {
    const { facts } = run({
      'app/graph.py': `
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import interrupt

def review(state):
    answer = interrupt({"question": "approve?"})
    return state

graph = builder.compile(checkpointer=SqliteSaver.from_conn_string("cp.db"))
`,
      'app/flows.py': `
from temporalio import workflow

@workflow.defn
class Deploy:
    pass
`,
    });
    const cps = only(facts, 'workflow.checkpoint').map((f) => [f.file, f.data.framework, f.data.durable]);
    expect(cps).toEqual([
      ['app/graph.py', 'langgraph', true],
      ['app/flows.py', 'temporal', true],
    ]);
    expect(only(facts, 'workflow.approval-state')[0]).toMatchObject({
      line: 6,
      data: { via: 'langgraph-interrupt' },
    });
  });

  it('finds hand-written checkpoint save/load functions that do I/O', () => {
    const { facts } = run({
      'src/checkpoints.ts': `
import { readFileSync, writeFileSync } from 'node:fs';
export function saveCheckpoint(dir: string, cp: object) { writeFileSync(dir + '/cp.json', JSON.stringify(cp)); }
export function loadCheckpoint(dir: string) { return JSON.parse(readFileSync(dir + '/cp.json', 'utf8')); }
export function checkpointLabel(n: number) { return 'cp-' + n; }
`,
    });
    expect(only(facts, 'workflow.checkpoint').map((f) => [f.line, f.data.op])).toEqual([
      [3, 'save'],
      [4, 'load'],
    ]);
  });
});

describe('workflow-state detector: what is not workflow state', () => {
  it('ignores UI fetch statuses, a bare state variable and generic pending/done calls', () => {
    const { facts } = run({
      'src/ui.tsx': `
type Fetch = 'idle' | 'loading' | 'success' | 'error';
let state = 'ready';
export function useThing() {
  const [status, setStatus] = useState<Fetch>('idle');
  setStatus({ status: 'pending' });
  fetchIt();
  setStatus({ status: 'done' });
  state = compute();
}
type Promise3 = 'pending' | 'fulfilled' | 'rejected';
`,
    });
    expect(facts).toEqual([]);
  });

  it('does not call a single file holding both messages and state separate', () => {
    const { facts } = run({
      'src/one.ts': `
import { writeFileSync } from 'node:fs';
export function save(sessionPath: string, messages: object[], tasks: object[]) {
  writeFileSync(sessionPath, JSON.stringify({ messages, tasks }));
}`,
    });
    expect(only(facts, 'workflow.separate-from-transcript')).toEqual([]);
  });
});

describe('workflow-state detector: graph state updates and Mastra workflows', () => {
  it('counts returned state updates only for values of a declared state set', () => {
    const { facts } = run({
      'app/graph.py': `
from typing import Literal, TypedDict

class S(TypedDict):
    status: Literal["running", "awaiting_approval", "done", "failed"]

def finish(state):
    return {"status": "done" if state["ok"] else "failed"}

def other():
    return {"status": "ok"}
`,
    });
    expect(only(facts, 'workflow.transition').map((f) => [f.line, f.data.how, f.data.to])).toEqual([
      [8, 'update', 'done'],
    ]);
  });

  it('takes a Mastra createWorkflow as a durable checkpointed workflow', () => {
    const { facts } = run({
      'src/wf.ts': `
import { createWorkflow } from '@mastra/core/workflows';
export const wf = createWorkflow({ id: 'trip' });
`,
    });
    expect(only(facts, 'workflow.checkpoint')[0]).toMatchObject({
      line: 3,
      data: { via: 'sdk', framework: 'mastra' },
    });
  });
});
