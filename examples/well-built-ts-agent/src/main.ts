import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from './agent.js';
import { DEFAULT_LIMITS } from './budget.js';
import { terminalApprover } from './permissions/gate.js';

const USAGE = `Usage:
  npm start -- "what should the agent do?"      start a new session
  npm start -- --resume <session-id>            continue an interrupted session
Options: --workspace <dir>  --model <id>  --max-usd <n>  --unattended (deny instead of asking)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    resume: { type: 'string' },
    workspace: { type: 'string', default: '.' },
    model: { type: 'string', default: 'claude-sonnet-4-6' },
    'max-usd': { type: 'string' },
    unattended: { type: 'boolean', default: false },
  },
});

const instruction = positionals.join(' ').trim();
if (!instruction && !values.resume) {
  console.error(USAGE);
  process.exit(2);
}

const workspace = resolve(values.workspace);
const agent = await Agent.open(
  {
    model: values.model,
    workspace,
    dataDir: join(workspace, '.agent'),
    maxTokens: 8192,
    sessionId: values.resume,
    limits: { ...DEFAULT_LIMITS, ...(values['max-usd'] ? { maxUsd: Number(values['max-usd']) } : {}) },
    mode: values.unattended ? 'dontAsk' : 'default',
  },
  { approve: values.unattended ? undefined : terminalApprover() },
);

// Live progress goes to stderr; the answer alone goes to stdout.
agent.events.on((event) => {
  if (event.type === 'tool_call') console.error(`· ${event.tool} ${JSON.stringify(event.input).slice(0, 120)}`);
  if (event.type === 'permission' && event.decision !== 'allow') console.error(`  ✗ ${event.reason}`);
  if (event.type === 'verification' && !event.ok) console.error(`review: ${event.issues.join(' ')}`);
});

try {
  const result = instruction ? await agent.run(instruction) : await agent.resume();
  if (result.answer) console.log(result.answer);
  if (result.error) console.error(`error: ${result.error}`);
  console.error(`session ${result.sessionId}: ${result.stopReason}`);
  process.exitCode = result.stopReason === 'end_turn' && result.review?.ok !== false ? 0 : 1;
} finally {
  await agent.close();
}
