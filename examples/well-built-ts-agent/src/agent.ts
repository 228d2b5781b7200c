import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { Budget, type BudgetLimits } from './budget.js';
import { EventBus, type StopReason } from './events.js';
import { createLogger, fileSink, type Logger } from './log.js';
import type { PermissionMode } from './permissions/engine.js';
import { type Approver, declineAll, PermissionGate } from './permissions/gate.js';
import { loadPolicy } from './permissions/rules.js';
import { SessionStore } from './session/store.js';
import { findTool, toolDefinitions } from './tools/registry.js';
import { type Review, verifyAnswer } from './verify.js';
import { EffectLedger } from './workflow/ledger.js';
import { TaskState, type TaskStatus } from './workflow/state.js';

export interface AgentOptions {
  model: string;
  /** The folder the tools work in. */
  workspace: string;
  /** Where sessions, task state, the effect ledger and logs are kept. */
  dataDir: string;
  /** Output tokens allowed per model response. */
  maxTokens: number;
  /** Resume this session instead of starting a new one. */
  sessionId?: string;
  limits: BudgetLimits;
  mode: PermissionMode;
}

/** Collaborators that tests and embedders replace. */
export interface AgentDeps {
  client?: Anthropic;
  approve?: Approver;
}

export interface RunResult {
  sessionId: string;
  stopReason: StopReason;
  answer: string;
  review?: Review;
  error?: string;
}

interface ToolOutcome {
  output: string;
  isError: boolean;
}

type RunIds = { runId: string; turn: number };

const SYSTEM_PROMPT = `You are a careful research and editing assistant working in a local project folder.
Look things up with your tools instead of guessing, keep edits small, and say what you changed.
If a tool call is not permitted, do not look for another way to do the same thing; explain what you needed.`;

export class Agent {
  readonly events: EventBus;
  private readonly messages: Anthropic.MessageParam[] = [];

  private constructor(
    readonly sessionId: string,
    private readonly options: AgentOptions,
    private readonly client: Anthropic,
    private readonly session: SessionStore,
    private readonly task: TaskState,
    private readonly ledger: EffectLedger,
    private readonly permissions: PermissionGate,
    private readonly budget: Budget,
    private readonly log: Logger,
  ) {
    this.events = new EventBus(sessionId);
  }

  static async open(options: AgentOptions, deps: AgentDeps = {}): Promise<Agent> {
    const client = deps.client ?? new Anthropic();
    const sessionId = options.sessionId ?? randomUUID();
    const session = await SessionStore.open(join(options.dataDir, 'sessions'), sessionId, options.sessionId !== undefined);
    if (options.sessionId === undefined) await session.append({ type: 'config', config: { ...options } });
    const task = await TaskState.open(join(options.dataDir, 'tasks'), sessionId);
    const ledger = await EffectLedger.open(join(options.dataDir, 'ledger', `${sessionId}.jsonl`), sessionId);
    const permissions = new PermissionGate(loadPolicy(options.workspace), options.mode, deps.approve ?? declineAll);
    const budget = new Budget(client, options.limits);
    const log = createLogger(fileSink(join(options.dataDir, 'logs', 'agent.jsonl')), { sessionId });
    const agent = new Agent(sessionId, options, client, session, task, ledger, permissions, budget, log);
    agent.messages.push(...session.messages());
    return agent;
  }

  /** Gives the agent a new instruction and runs until it answers or a limit stops it. */
  async run(instruction: string): Promise<RunResult> {
    if (toolUsesOf(this.messages.at(-1)).length > 0)
      throw new Error('This session stopped in the middle of tool calls; resume it before giving a new instruction.');
    await this.remember({ role: 'user', content: instruction });
    return this.loop(instruction);
  }

  /** Picks an interrupted session up where it stopped: unfinished tool calls first, then the model. */
  async resume(): Promise<RunResult> {
    await this.task.resume();
    return this.loop(lastInstruction(this.messages));
  }

  async close(): Promise<void> {
    await this.session.close();
    await this.ledger.close();
  }

  private async loop(instruction: string): Promise<RunResult> {
    const ids: RunIds = { runId: randomUUID(), turn: 0 };
    this.events.emit(ids, { type: 'run_start', task: instruction, model: this.options.model });
    this.log.child(ids).info('run_start', {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.request.model': this.options.model,
    });
    await this.task.transition('executing');

    let stopReason: StopReason = 'end_turn';
    let answer = '';
    let failure: string | undefined;
    try {
      for (;;) {
        const last = this.messages.at(-1);
        if (last?.role === 'assistant') {
          const calls = toolUsesOf(last);
          if (calls.length === 0) {
            answer = textOf(last);
            break;
          }
          const results: Anthropic.ToolResultBlockParam[] = [];
          for (const call of calls) results.push(await this.handleToolUse(call, ids));
          await this.remember({ role: 'user', content: results });
          await this.session.sync();
          continue;
        }

        ids.turn += 1;
        const request: Anthropic.MessageCreateParamsNonStreaming = {
          model: this.options.model,
          max_tokens: this.options.maxTokens,
          system: SYSTEM_PROMPT,
          tools: toolDefinitions(),
          messages: this.messages,
        };
        const overrun = await this.budget.check(request);
        if (overrun) {
          stopReason = overrun;
          break;
        }
        this.events.emit(ids, { type: 'turn_start' });
        const response = await this.client.messages.create(request);
        this.budget.record(response.usage);
        await this.session.append({ type: 'usage', model: response.model, usage: response.usage });
        this.log.child(ids).info('chat', chatAttributes(response));
        const { input_tokens: inputTokens, output_tokens: outputTokens } = response.usage;
        this.events.emit(ids, { type: 'usage', inputTokens, outputTokens });
        for (const block of response.content)
          if (block.type === 'text') this.events.emit(ids, { type: 'assistant_text', text: block.text });
        await this.remember({ role: 'assistant', content: response.content });
        if (response.stop_reason === 'refusal') {
          stopReason = 'refusal';
          break;
        }
      }
    } catch (error) {
      stopReason = 'error';
      failure = error instanceof Error ? error.message : String(error);
      const errorType = error instanceof Error ? error.name : 'unknown';
      this.log.child(ids).error('run_error', { 'error.type': errorType, message: failure });
    }

    let review: Review | undefined;
    if (stopReason === 'end_turn' && answer) {
      review = await verifyAnswer(this.client, this.options.model, instruction, answer);
      this.events.emit(ids, { type: 'verification', ok: review.ok, issues: review.issues });
      this.log.child(ids).info('verification', { ok: review.ok, issues: review.issues });
    }

    await this.task.transition(outcome(stopReason, review), failure);
    await this.session.sync();
    this.events.emit(ids, { type: 'run_end', stopReason, answer });
    this.log.child(ids).info('run_end', { stopReason, turns: ids.turn });
    return { sessionId: this.sessionId, stopReason, answer, review, error: failure };
  }

  private async handleToolUse(call: Anthropic.ToolUseBlock, ids: RunIds): Promise<Anthropic.ToolResultBlockParam> {
    this.events.emit(ids, { type: 'tool_call', toolUseId: call.id, tool: call.name, input: call.input });
    const { output, isError } = await this.runTool(call, ids).catch(
      (error: unknown): ToolOutcome => ({ output: error instanceof Error ? error.message : String(error), isError: true }),
    );
    const preview = output.slice(0, 200);
    this.events.emit(ids, { type: 'tool_result', toolUseId: call.id, tool: call.name, isError, preview });
    this.log.child({ ...ids, toolUseId: call.id }).info('execute_tool', {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': call.name,
      'gen_ai.tool.call.id': call.id,
      'error.type': isError ? 'tool_error' : null,
    });
    return { type: 'tool_result', tool_use_id: call.id, content: output, is_error: isError };
  }

  /** One tool call: validate, ask permission, record the intent, run, record the outcome. */
  private async runTool(call: Anthropic.ToolUseBlock, ids: RunIds): Promise<ToolOutcome> {
    const tool = findTool(call.name);
    if (!tool) return { output: `There is no tool named "${call.name}".`, isError: true };
    const toolCall = tool.prepare(call.input);

    const permissionCall = { tool: tool.name, input: toolCall.input };
    let verdict = this.permissions.evaluate(permissionCall);
    if (verdict.decision === 'ask') {
      await this.task.transition('awaiting_approval', `${tool.name} needs approval`);
      verdict = await this.permissions.confirm(permissionCall, verdict);
      await this.task.transition('executing');
    }
    await this.session.append({ type: 'permission', toolUseId: call.id, tool: tool.name, ...verdict });
    const { decision, reason } = verdict;
    this.events.emit(ids, { type: 'permission', toolUseId: call.id, tool: tool.name, decision, reason });
    this.log
      .child({ ...ids, toolUseId: call.id })
      .info('permission', { tool: tool.name, decision: verdict.decision, reason: verdict.reason, rule: verdict.rule ?? null });
    if (verdict.decision !== 'allow') return { output: `Not permitted: ${verdict.reason}`, isError: true };

    const context = { workspace: this.options.workspace };
    if (!tool.hasSideEffects) return { output: await toolCall.execute(context), isError: false };
    const effect = await this.ledger.perform({ tool: tool.name, toolUseId: call.id, input: toolCall.input }, () =>
      toolCall.execute(context),
    );
    if (effect.kind === 'uncertain')
      return {
        output: `An earlier ${tool.name} call with this id was interrupted and may already have taken effect. Check before trying again.`,
        isError: true,
      };
    return { output: effect.output, isError: !effect.ok };
  }

  private async remember(message: Anthropic.MessageParam): Promise<void> {
    this.messages.push(message);
    await this.session.append({ type: 'message', message });
  }
}

/** Where the task stands after a run: a run stopped by a budget limit can continue once it is raised. */
function outcome(stopReason: StopReason, review: Review | undefined): TaskStatus {
  if (stopReason === 'end_turn') return review?.ok === false ? 'failed' : 'done';
  if (stopReason === 'error' || stopReason === 'refusal') return 'failed';
  return 'waiting_external';
}

function chatAttributes(response: Anthropic.Message): Record<string, unknown> {
  const { usage } = response;
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': response.model,
    'gen_ai.response.id': response.id,
    'gen_ai.response.finish_reasons': [response.stop_reason],
    // OpenTelemetry counts cached input as input; the API reports it separately.
    'gen_ai.usage.input_tokens':
      usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0),
    'gen_ai.usage.output_tokens': usage.output_tokens,
  };
}

function toolUsesOf(message: Anthropic.MessageParam | undefined): Anthropic.ToolUseBlock[] {
  if (message?.role !== 'assistant' || typeof message.content === 'string') return [];
  return message.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
}

function textOf(message: Anthropic.MessageParam): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
}

function lastInstruction(messages: readonly Anthropic.MessageParam[]): string {
  const instruction = messages.findLast((m) => m.role === 'user' && typeof m.content === 'string');
  if (!instruction) throw new Error('Nothing to resume: the session has no instruction yet.');
  return textOf(instruction);
}
