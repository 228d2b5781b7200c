import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../../core/imports.js';
import type { ParsedSource } from '../../core/parse-source.js';
import {
  calleeText,
  callsOf,
  isObjectLiteral,
  isPython,
  keywordPairs,
  lastSegment,
  optionValue,
  pairsOf,
  positionalArgs,
  stringValue,
} from './syntax.js';

/**
 * Session and checkpoint machinery that agent SDKs provide: Claude Agent SDK resume/continue/fork
 * options, OpenAI Agents sessions, LangGraph checkpointers and Temporal workflows. Only counted in files
 * that import the SDK, so a `resume` flag of some CLI parser is not mistaken for one.
 */

export type SdkName = 'claude-agent-sdk' | 'openai-agents' | 'langgraph' | 'temporal' | 'mastra';

export interface SdkMechanism {
  node: SgNode;
  sdk: SdkName;
  /** resume, continue, fork, session-store, file-checkpointing, session, checkpointer, workflow */
  mechanism: string;
  /** False for in-memory stores (MemorySaver, MemorySession, SQLiteSession without a file). */
  durable: boolean;
}

const SDK_MODULES: Record<SdkName, string[]> = {
  'claude-agent-sdk': [
    '@anthropic-ai/claude-agent-sdk',
    '@anthropic-ai/claude-code',
    'claude_agent_sdk',
    'claude_code_sdk',
  ],
  'openai-agents': ['@openai/agents', '@openai/agents-core', 'agents'],
  langgraph: ['@langchain/langgraph', '@langchain/langgraph-checkpoint', 'langgraph'],
  mastra: ['@mastra/core', '@mastra/memory', '@mastra/libsql', '@mastra/pg'],
  temporal: [
    '@temporalio/workflow',
    '@temporalio/client',
    '@temporalio/worker',
    '@temporalio/activity',
    'temporalio',
  ],
};

export function importsSdk(bindings: readonly ImportBinding[], sdk: SdkName): boolean {
  // moduleMatches(module, m) or a `${m}-` prefix: m itself, or m followed by '/', '.' or '-'.
  return bindings.some((b) => SDK_MODULES[sdk].some((m) => ofSdkModule(b.module, m)));
}

function ofSdkModule(module: string, m: string): boolean {
  if (module.length === m.length) return module === m;
  if (module.length < m.length || !module.startsWith(m)) return false;
  const next = module.charCodeAt(m.length);
  return next === 47 /* / */ || next === 46 /* . */ || next === 45 /* - */;
}

const CLAUDE_JS_OPTIONS: Record<string, string> = {
  resume: 'resume',
  continue: 'continue',
  forkSession: 'fork',
  resumeSessionAt: 'resume',
  sessionStore: 'session-store',
  enableFileCheckpointing: 'file-checkpointing',
};
const CLAUDE_PY_OPTIONS: Record<string, string> = {
  resume: 'resume',
  continue_conversation: 'continue',
  fork_session: 'fork',
  session_store: 'session-store',
  enable_file_checkpointing: 'file-checkpointing',
};
const OPENAI_SESSIONS =
  /^(SQLiteSession|AdvancedSQLiteSession|SQLAlchemySession|RedisSession|EncryptedSession|DaprSession|OpenAIConversationsSession|MemorySession)$/;
const LANGGRAPH_SAVERS =
  /^(MemorySaver|InMemorySaver|SqliteSaver|AsyncSqliteSaver|PostgresSaver|AsyncPostgresSaver|RedisSaver|AsyncRedisSaver|MongoDBSaver|ShallowPostgresSaver)$/;
const FALSY = /^(false|False|None|undefined|null)$/;

const cache = new WeakMap<ParsedSource, SdkMechanism[]>();

export function sdkMechanisms(src: ParsedSource, bindings: readonly ImportBinding[]): SdkMechanism[] {
  let out = cache.get(src);
  if (out) return out;
  out = [];
  const py = isPython(src);
  const claude = importsSdk(bindings, 'claude-agent-sdk');
  const openai = importsSdk(bindings, 'openai-agents');
  const langgraph = importsSdk(bindings, 'langgraph');
  const temporal = importsSdk(bindings, 'temporal');
  if (claude) out.push(...claudeOptions(src, py));
  if (openai || langgraph) {
    for (const call of callsOf(src)) {
      const segments = calleeText(call).split('.');
      const cls = segments.find((s) => OPENAI_SESSIONS.test(s) || LANGGRAPH_SAVERS.test(s));
      if (!cls) continue;
      if (openai && OPENAI_SESSIONS.test(cls))
        out.push({
          node: call,
          sdk: 'openai-agents',
          mechanism: 'session',
          durable: openAiDurable(call, cls),
        });
      else if (langgraph && LANGGRAPH_SAVERS.test(cls))
        out.push({
          node: call,
          sdk: 'langgraph',
          mechanism: 'checkpointer',
          durable: !/^(In)?MemorySaver$/.test(cls),
        });
    }
  }
  if (temporal) out.push(...temporalWorkflows(src, py, bindings));
  if (!py && importsSdk(bindings, 'mastra')) out.push(...mastra(src));
  cache.set(src, out);
  return out;
}

function claudeOptions(src: ParsedSource, py: boolean): SdkMechanism[] {
  const out: SdkMechanism[] = [];
  if (py) {
    for (const call of callsOf(src)) {
      if (!/^Claude(Agent|Code)Options$/.test(lastSegment(calleeText(call)))) continue;
      for (const p of keywordPairs(call)) {
        const mechanism = Object.hasOwn(CLAUDE_PY_OPTIONS, p.key) ? CLAUDE_PY_OPTIONS[p.key] : undefined;
        if (mechanism && !FALSY.test(p.value.text()))
          out.push({ node: p.node, sdk: 'claude-agent-sdk', mechanism, durable: true });
      }
    }
    return out;
  }
  for (const obj of src.root.findAll({ rule: { kind: 'object' } })) {
    for (const p of pairsOf(obj)) {
      const mechanism = Object.hasOwn(CLAUDE_JS_OPTIONS, p.key) ? CLAUDE_JS_OPTIONS[p.key] : undefined;
      // An option value is a session id or a flag; an object value is some CLI parser's option spec.
      if (!mechanism || FALSY.test(p.value.text()) || isObjectLiteral(p.value)) continue;
      out.push({ node: p.node, sdk: 'claude-agent-sdk', mechanism, durable: true });
    }
  }
  return out;
}

function openAiDurable(call: SgNode, cls: string): boolean {
  if (cls === 'MemorySession') return false;
  if (cls !== 'SQLiteSession' && cls !== 'AdvancedSQLiteSession') return true;
  const db = optionValue(call, 'db_path') ?? positionalArgs(call)[1];
  return db !== undefined && stringValue(db) !== ':memory:';
}

function temporalWorkflows(
  src: ParsedSource,
  py: boolean,
  bindings: readonly ImportBinding[],
): SdkMechanism[] {
  if (py) {
    return src.root
      .findAll({ rule: { kind: 'decorator', regex: '^@(workflow|activity)\\.defn' } })
      .map((node) => ({ node, sdk: 'temporal' as const, mechanism: 'workflow', durable: true }));
  }
  const out: SdkMechanism[] = [];
  for (const call of callsOf(src)) {
    const name = lastSegment(calleeText(call));
    if (name === 'proxyActivities' || name === 'proxyLocalActivities')
      out.push({ node: call, sdk: 'temporal', mechanism: 'workflow', durable: true });
  }
  if (out.length === 0 && bindings.some((b) => b.module === '@temporalio/workflow')) {
    const exported = src.root.find({
      rule: { kind: 'export_statement', has: { kind: 'function_declaration' } },
    });
    if (exported) out.push({ node: exported, sdk: 'temporal', mechanism: 'workflow', durable: true });
  }
  return out;
}

const MASTRA_STORES = /^(LibSQLStore|PostgresStore|PgStore|UpstashStore|MongoDBStore|D1Store|DynamoDBStore)$/;

/**
 * Mastra: `new Memory({ storage: new LibSQLStore({ url: 'file:…' }) })` keeps threads (a session store);
 * `createWorkflow(...)` runs are snapshotted to the configured storage.
 */
function mastra(src: ParsedSource): SdkMechanism[] {
  const out: SdkMechanism[] = [];
  for (const call of callsOf(src)) {
    const name = lastSegment(calleeText(call));
    if (name === 'createWorkflow')
      out.push({ node: call, sdk: 'mastra', mechanism: 'workflow', durable: true });
    if (name !== 'Memory') continue;
    const storage = optionValue(call, 'storage');
    if (!storage) continue;
    const store = storage.kind() === 'new_expression' ? lastSegment(calleeText(storage)) : '';
    const url = storage.kind() === 'new_expression' ? optionValue(storage, 'url') : undefined;
    const inMemory = url !== undefined && /:memory:/.test(stringValue(url) ?? '');
    out.push({
      node: call,
      sdk: 'mastra',
      mechanism: 'memory',
      durable: MASTRA_STORES.test(store) && !inMemory,
    });
  }
  return out;
}
