import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../../core/imports.js';
import { moduleMatches } from '../../core/imports.js';
import { calleeName, calleePath, receiverOf } from './syntax.js';

/**
 * Recognises a call to a language model across the SDKs plumbline knows (Anthropic, OpenAI, Vercel AI,
 * Claude Agent SDK, OpenAI Agents, LangChain, LiteLLM) plus the common local wrapper names.
 */
const SDK_PATH =
  /(^|\.)(messages\.(create|parse|stream)|completions\.(create|parse)|responses\.(create|parse)|generate_?content|models\.generate_?content)$/;
const SDK_FUNCTION = /^(generateText|generateObject|streamText|streamObject|completion|acompletion)$/;
export const LOCAL_WRAPPER =
  /^(call|ask|invoke|run|query|complete)_?(model|llm|claude|gpt|openai|anthropic|ai)$/i;
const RUNNABLE_RECEIVER = /llm|model|chat|judge|grader|reviewer|verifier|critic|chain|agent|claude/i;
const AGENT_SDK_MODULES = [
  '@anthropic-ai/claude-agent-sdk',
  '@anthropic-ai/claude-code',
  'claude_agent_sdk',
  'claude_code_sdk',
];

export function isModelCall(call: SgNode, imports: readonly ImportBinding[]): boolean {
  const path = calleePath(call);
  const name = calleeName(call);
  if (SDK_PATH.test(path) || SDK_FUNCTION.test(name) || LOCAL_WRAPPER.test(name)) return true;
  if (/^Runner\.run(_sync|_streamed)?$/.test(path)) return true;
  if (name === 'invoke' || name === 'ainvoke') return RUNNABLE_RECEIVER.test(receiverOf(call)?.text() ?? '');
  if (name === 'query' && !receiverOf(call))
    return imports.some(
      (b) => b.local === 'query' && AGENT_SDK_MODULES.some((m) => moduleMatches(b.module, m)),
    );
  return false;
}
