import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../core/imports.js';
import { moduleMatches } from '../core/imports.js';
import type { ParsedSource } from '../core/parse-source.js';
import type { FrameworkInfo, ProjectFile } from '../core/types.js';
import { calleeName, calleeText, positionalArgs, resolveLocal, stringValue } from './tooling/ast.js';
import type { Detector, FileContext, ProjectContext } from './types.js';

export const FACT_KINDS = ['framework.use', 'project.tool-server-only'] as const;

export type FrameworkId =
  | 'anthropic-sdk'
  | 'claude-agent-sdk'
  | 'openai-sdk'
  | 'openai-agents'
  | 'vercel-ai'
  | 'langchain'
  | 'langgraph'
  | 'mastra'
  | 'mcp-server'
  | 'hand-rolled-http';

type Lang = FrameworkInfo['language'];

/** npm package (or package prefix) → framework. Order matters: the first match wins. */
function jsPackage(name: string): FrameworkId | undefined {
  if (name === '@anthropic-ai/claude-agent-sdk' || name === '@anthropic-ai/claude-code')
    return 'claude-agent-sdk';
  if (name === '@anthropic-ai/sdk' || name.startsWith('@anthropic-ai/sdk/')) return 'anthropic-sdk';
  if (name === '@openai/agents' || name.startsWith('@openai/agents')) return 'openai-agents';
  if (name === 'openai' || name.startsWith('openai/')) return 'openai-sdk';
  if (name === 'ai' || name.startsWith('ai/') || name.startsWith('@ai-sdk/')) return 'vercel-ai';
  if (name.startsWith('@langchain/langgraph')) return 'langgraph';
  if (name === 'langchain' || name.startsWith('langchain/') || name.startsWith('@langchain/'))
    return 'langchain';
  if (name.startsWith('@mastra/')) return 'mastra';
  return undefined;
}

/** Only the server half of the MCP SDK makes a project an MCP server. */
function jsModule(module: string): FrameworkId | undefined {
  if (module.startsWith('@modelcontextprotocol/sdk/server')) return 'mcp-server';
  return jsPackage(module);
}

/** PyPI distribution name (normalised) → framework. */
function pyDistribution(raw: string): FrameworkId | undefined {
  const name = raw.toLowerCase().replace(/[_.]/g, '-');
  if (name === 'anthropic') return 'anthropic-sdk';
  if (name === 'claude-agent-sdk' || name === 'claude-code-sdk') return 'claude-agent-sdk';
  if (name === 'openai-agents') return 'openai-agents';
  if (name === 'openai') return 'openai-sdk';
  if (name === 'langgraph' || name.startsWith('langgraph-')) return 'langgraph';
  if (name === 'langchain' || name.startsWith('langchain-')) return 'langchain';
  if (name === 'fastmcp' || name === 'mcp') return 'mcp-server';
  return undefined;
}

/** Names the OpenAI Agents SDK exports; `agents` alone is too common a local package name to trust. */
const OPENAI_AGENTS_NAMES = new Set([
  'Agent',
  'Runner',
  'function_tool',
  'handoff',
  'input_guardrail',
  'output_guardrail',
  'RunContextWrapper',
  'ModelSettings',
  'SQLiteSession',
  'WebSearchTool',
  'FileSearchTool',
  'ComputerTool',
  'GuardrailFunctionOutput',
]);

/** `agents` / `agents.*`: the OpenAI Agents SDK only when the project has no `agents` package of its own. */
const isAgentsModule = (m: string) => m === 'agents' || m.startsWith('agents.');

/** The framework a Python import names, assuming no local `agents` package (the project step checks that). */
function pyModule(b: ImportBinding): FrameworkId | undefined {
  const m = b.module;
  if (moduleMatches(m, 'anthropic')) return 'anthropic-sdk';
  if (moduleMatches(m, 'claude_agent_sdk') || moduleMatches(m, 'claude_code_sdk')) return 'claude-agent-sdk';
  if (moduleMatches(m, 'openai')) return 'openai-sdk';
  if (isAgentsModule(m))
    return m !== 'agents' || OPENAI_AGENTS_NAMES.has(b.imported) ? 'openai-agents' : undefined;
  if (moduleMatches(m, 'langgraph') || m.startsWith('langgraph_')) return 'langgraph';
  if (moduleMatches(m, 'langchain') || m.startsWith('langchain_')) return 'langchain';
  if (
    moduleMatches(m, 'mcp.server') ||
    (m === 'mcp' && b.imported === 'server') ||
    moduleMatches(m, 'fastmcp')
  )
    return 'mcp-server';
  return undefined;
}

const MODEL_ENDPOINT = /(?:^|[/.])(?:v1\/messages|v1\/chat\/completions|v1\/responses)(?:[?#/]|$)/;
const HTTP_CALLEES = /^(fetch|axios|got|ky|request|post|urlopen)$/;
const HTTP_RECEIVERS = /(^|\.)(axios|httpx|requests|client|http|session|ky|got|aiohttp)$/i;

/** A model endpoint called over plain HTTP: fetch/axios/httpx/requests with a Messages/Chat/Responses URL. */
function handRolledCalls(src: ParsedSource): SgNode[] {
  const text = src.file.text;
  if (!text.includes('/v1/')) return []; // speed gate: every URL we accept contains it
  const kind = src.language === 'python' ? 'call' : 'call_expression';
  const out: SgNode[] = [];
  for (const call of src.root.findAll({ rule: { kind } })) {
    const name = calleeName(call);
    const receiver = calleeText(call).slice(0, -name.length - 1);
    const isHttp =
      (receiver === '' && HTTP_CALLEES.test(name)) ||
      (receiver !== '' && HTTP_RECEIVERS.test(receiver) && /^(post|request|fetch|stream)$/.test(name));
    if (!isHttp) continue;
    const first = positionalArgs(call)[0];
    if (!first) continue;
    if (urlOf(src, first)?.match(MODEL_ENDPOINT)) out.push(call);
  }
  return out;
}

/** The URL an argument spells: a literal, a template's literal tail, or a same-file constant. */
function urlOf(src: ParsedSource, arg: SgNode): string | undefined {
  const literal = stringValue(arg);
  if (literal !== undefined) return literal;
  if (arg.kind() === 'template_string' || arg.kind() === 'string') {
    // `${base}/v1/messages` and f"{base}/v1/messages": keep the literal fragments.
    return arg
      .children()
      .filter((c) => c.kind() === 'string_fragment' || c.kind() === 'string_content')
      .map((c) => c.text())
      .join('');
  }
  if (arg.kind() === 'identifier') {
    const value = resolveLocal(src.root, arg.text());
    return value && value.kind() !== 'identifier' ? urlOf(src, value) : undefined;
  }
  return undefined;
}

interface Found {
  id: FrameworkId;
  language: Lang;
  file: ProjectFile;
  line: number;
}

/** What the file step found in one source file: plain data, the file is the summary's key. */
interface SourceFound {
  id: FrameworkId;
  language: Lang;
  line: number;
  /** An `agents` import: it counts only when the project has no local `agents` package. */
  agentsModule?: true;
}

function record(ctx: ProjectContext, found: Found, seen: Set<string>) {
  const key = `${found.id}\u0000${found.file.path}`;
  const info = ctx.frameworks.get(found.id) ?? { id: found.id, language: found.language, evidence: [] };
  info.evidence.push({ file: found.file.path, line: found.line });
  ctx.frameworks.set(found.id, info);
  if (seen.has(key)) return;
  seen.add(key);
  ctx.emit('framework.use', found.file, found.line, { id: found.id, language: found.language });
}

function fromPackageJson(ctx: ProjectContext, out: Found[]) {
  for (const cfg of ctx.configs()) {
    if (!/(^|\/)package\.json$/.test(cfg.file.path) || !cfg.value || typeof cfg.value !== 'object') continue;
    const pkg = cfg.value as Record<string, unknown>;
    for (const section of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const deps = pkg[section];
      if (!deps || typeof deps !== 'object') continue;
      for (const name of Object.keys(deps)) {
        const id = jsPackage(name);
        if (id)
          out.push({ id, language: 'typescript', file: cfg.file, line: cfg.lineOfKey([section, name]) });
      }
    }
  }
}

/** `anthropic>=0.30`, `langchain-openai[extra]==1.0 ; python_version>"3.9"` → the distribution name. */
function requirementName(spec: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
  return m?.[1];
}

function fromPyproject(ctx: ProjectContext, out: Found[]) {
  for (const cfg of ctx.configs()) {
    if (!/(^|\/)pyproject\.toml$/.test(cfg.file.path) || !cfg.value || typeof cfg.value !== 'object')
      continue;
    const doc = cfg.value as Record<string, Record<string, unknown> | undefined>;
    const specs: string[] = [];
    const projectDeps = doc.project?.dependencies;
    if (Array.isArray(projectDeps))
      specs.push(...projectDeps.filter((d): d is string => typeof d === 'string'));
    const optional = doc.project?.['optional-dependencies'];
    if (optional && typeof optional === 'object')
      for (const list of Object.values(optional))
        if (Array.isArray(list)) specs.push(...list.filter((d): d is string => typeof d === 'string'));
    const poetry = (doc.tool as Record<string, Record<string, unknown>> | undefined)?.poetry?.dependencies;
    if (poetry && typeof poetry === 'object') specs.push(...Object.keys(poetry));
    for (const spec of specs) {
      const name = requirementName(spec);
      const id = name ? pyDistribution(name) : undefined;
      if (id && name)
        out.push({ id, language: 'python', file: cfg.file, line: lineContaining(cfg.file.text, name) });
    }
  }
}

function lineContaining(text: string, needle: string): number {
  const i = text.indexOf(needle);
  return i < 0 ? 1 : text.slice(0, i).split('\n').length;
}

const REQUIREMENTS = /(^|\/)requirements[^/]*\.(txt|in)$/;

/**
 * requirements*.txt are manifests, but their extension makes discovery classify them as docs; we read them
 * as configuration unless they sit where nothing counts (fixtures, vendored, generated, docs folders).
 */
function fromRequirements(ctx: ProjectContext, out: Found[]) {
  for (const file of ctx.project.files) {
    if (!REQUIREMENTS.test(file.path)) continue;
    if (['fixture', 'vendored', 'generated'].includes(file.role)) continue;
    if (file.path.split('/').some((d) => d === 'docs' || d === 'doc')) continue;
    const asConfig: ProjectFile = file.role === 'docs' ? { ...file, role: 'config' } : file;
    file.text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.replace(/#.*/, '').trim();
      if (!line || line.startsWith('-')) return;
      const name = requirementName(line);
      const id = name ? pyDistribution(name) : undefined;
      if (id) out.push({ id, language: 'python', file: asConfig, line: i + 1 });
    });
  }
}

function hasLocalAgentsPackage(ctx: ProjectContext): boolean {
  return ctx.project.files.some((f) => /(^|\/)agents(\/__init__\.py|\.py)$/.test(f.path));
}

/** Imports and raw model-endpoint calls of one source file, in the order the whole-project form found them. */
function fromSource(ctx: FileContext): SourceFound[] | undefined {
  const src = ctx.src;
  const python = src.language === 'python';
  const language: Lang = python ? 'python' : 'typescript';
  const out: SourceFound[] = [];
  for (const b of ctx.imports(src)) {
    const id = python ? pyModule(b) : jsModule(b.module);
    if (!id) continue;
    out.push(
      python && isAgentsModule(b.module)
        ? { id, language, line: b.line, agentsModule: true }
        : { id, language, line: b.line },
    );
  }
  for (const call of handRolledCalls(src))
    out.push({ id: 'hand-rolled-http', language, line: call.range().start.line + 1 });
  return out.length > 0 ? out : undefined;
}

/** The file step's finds, in file order, minus `agents` imports that a local package shadows. */
function fromSources(ctx: ProjectContext, summaries: ReadonlyMap<string, SourceFound[]>, out: Found[]) {
  const localAgents = hasLocalAgentsPackage(ctx);
  const files = new Map(ctx.sourceFiles.map((f) => [f.path, f]));
  for (const [path, finds] of summaries) {
    const file = files.get(path);
    if (!file) continue;
    for (const f of finds)
      if (!(f.agentsModule && localAgents)) out.push({ id: f.id, language: f.language, file, line: f.line });
  }
}

export const frameworksDetector: Detector<SourceFound[]> = {
  id: 'frameworks',
  description:
    'framework.use: agent SDKs and frameworks from manifests, imports and raw model-endpoint calls; project.tool-server-only when an MCP server is all there is',
  file: fromSource,
  project(ctx, summaries) {
    const found: Found[] = [];
    fromPackageJson(ctx, found);
    fromPyproject(ctx, found);
    fromRequirements(ctx, found);
    fromSources(ctx, summaries, found);
    const seen = new Set<string>();
    for (const f of found) record(ctx, f, seen);
    // An MCP server and nothing else is a tool server: it runs no agent loop of its own, so the loop
    // primitives (sessions, budgets, events, pools, compaction, sub-agents) do not apply to it.
    const ids = [...ctx.frameworks.keys()];
    const mcp = found.find((f) => f.id === 'mcp-server');
    if (mcp && ids.every((id) => id === 'mcp-server'))
      ctx.emit('project.tool-server-only', mcp.file, mcp.line, { framework: 'mcp-server' });
  },
};
