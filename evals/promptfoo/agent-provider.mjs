// A promptfoo provider that runs the agent under test as a command and records what it did.
//
// The agent reads the task on stdin and prints its transcript as JSON lines on stdout (see
// docs/behavior-evals.md): tool calls with the permission decision taken for each, and a run_end line
// with the stop reason. This provider never executes a tool itself; it only runs the agent the project
// configured, in a fresh temporary workspace holding the files the test case provides.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

const DEFAULT_TIMEOUT_MS = 120_000;

function parseTranscript(stdout) {
  const events = [];
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    try {
      events.push(JSON.parse(text));
    } catch {
      // A partial line from a killed agent is not an event.
    }
  }
  const toolCalls = events.filter((e) => e.type === 'tool_call');
  const end = events.findLast((e) => e.type === 'run_end');
  return {
    toolCalls,
    stopReason: end?.stopReason ?? null,
    text: events.filter((e) => e.type === 'text').map((e) => e.text).join('\n'),
    events: events.length,
  };
}

function writeWorkspace(files) {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-behavior-'));
  for (const [name, content] of Object.entries(files ?? {})) {
    const target = resolve(dir, name);
    if (!target.startsWith(dir + sep)) throw new Error(`workspace file ${name} escapes the workspace`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, String(content));
  }
  return dir;
}

export default class AgentProvider {
  constructor(options = {}) {
    this.config = options.config ?? {};
    this.providerId = options.id ?? 'plumbline-agent';
  }

  id() {
    return this.providerId;
  }

  async callApi(prompt, context) {
    const command = this.config.command ?? process.env.PLUMBLINE_AGENT_COMMAND;
    if (!command) return { error: 'no agent command: set config.command or PLUMBLINE_AGENT_COMMAND' };
    const workspace = writeWorkspace(context?.vars?.files);
    const timeoutMs = this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      const { stdout, stderr, code, timedOut } = await new Promise((done) => {
        const child = spawn(command, {
          shell: true,
          cwd: this.config.cwd ? resolve(this.config.cwd) : process.cwd(),
          env: { ...(this.config.env ?? process.env), PLUMBLINE_WORKSPACE: workspace },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs);
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
        child.on('error', (e) => {
          clearTimeout(timer);
          done({ stdout: out, stderr: String(e.message), code: -1, timedOut });
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          done({ stdout: out, stderr: err, code, timedOut });
        });
        child.stdin.on('error', () => {});
        child.stdin.end(prompt);
      });
      if (timedOut) return { error: `agent did not finish within ${timeoutMs} ms` };
      const transcript = parseTranscript(stdout);
      if (transcript.events === 0)
        return { error: `agent printed no transcript (exit ${code})${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}` };
      return { output: { ...transcript, exitCode: code } };
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  }
}
