import { createRequire } from 'node:module';
import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../core/imports.js';
import { lineOf, type ParsedSource } from '../core/parse-source.js';
import type { FactValue, ProjectFile } from '../core/types.js';
import {
  calleeName,
  keywordArgs,
  literalEntries,
  positionalArgs,
  resolveLocal,
  stringValue,
  unwrap,
} from './tooling/ast.js';
import { entriesOf, statementsAt, type TopStatement, topLevel } from './tooling/tool-nodes.js';
import type { Detector, EmitContext, FileContext, ProjectContext } from './types.js';

export const FACT_KINDS = ['subagent.definition', 'subagent.invalid', 'subagent.widening'] as const;

interface SubAgent {
  name: string;
  framework: string;
  source: string;
  /** Tool names when written as literals; undefined when the agent has no tools field or we could not read it. */
  tools?: string[];
  hasTools: boolean;
  toolCount: number;
  hasBudget: boolean;
  permissionMode?: string;
  /** Set when a mode is configured without a literal we can read (e.g. a per-role table). */
  hasPermissionMode?: boolean;
  hasModel: boolean;
  narrows: boolean;
}

/** A fact found in the file step, emitted by the project step so the original order holds. */
type PendingFact = [kind: string, line: number, data: Record<string, FactValue>];

function agentFacts(line: number, a: SubAgent, parentTools?: string[]): PendingFact[] {
  const data: Record<string, FactValue> = {
    name: a.name,
    framework: a.framework,
    source: a.source,
    hasTools: a.hasTools,
    toolCount: a.toolCount,
    hasBudget: a.hasBudget,
    hasPermissionMode: a.permissionMode !== undefined || a.hasPermissionMode === true,
    permissionMode: a.permissionMode ?? null,
    hasModel: a.hasModel,
    narrows: a.narrows,
  };
  const out: PendingFact[] = [['subagent.definition', line, data]];
  if (a.permissionMode === 'bypassPermissions')
    out.push(['subagent.widening', line, { name: a.name, why: 'sub-agent runs with bypassPermissions' }]);
  const extra = parentTools && a.tools ? a.tools.filter((t) => !parentTools.includes(t)) : [];
  if (extra.length > 0)
    out.push([
      'subagent.widening',
      line,
      { name: a.name, why: `tools not granted to the parent: ${extra.join(', ')}` },
    ]);
  return out;
}

function emitFacts(ctx: EmitContext, file: ProjectFile, facts: readonly PendingFact[]) {
  for (const [kind, line, data] of facts) ctx.emit(kind, file, line, data);
}

// ---------------------------------------------------------------------------------------------------------
// .claude/agents/*.md

const AGENT_FILE = /(^|\/)\.claude\/agents\/.+\.md$/;
const NOT_EVIDENCE = new Set(['fixture', 'vendored', 'generated']);

function toolList(v: unknown): string[] | undefined {
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return undefined;
}

/** yaml on first use: the worker threads load this module but never read an agent file. */
let yaml: typeof import('yaml') | undefined;
const loadYaml = () => {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml;
};

function agentFiles(ctx: ProjectContext) {
  for (const original of ctx.project.files) {
    if (!AGENT_FILE.test(original.path) || NOT_EVIDENCE.has(original.role)) continue;
    // Markdown is docs by path, but these files configure Claude Code's sub-agents.
    const file: ProjectFile = original.role === 'docs' ? { ...original, role: 'config' } : original;
    const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/.exec(file.text);
    if (!m) continue; // no front matter: Claude Code treats the file as documentation
    const doc = loadYaml().parseDocument(m[1] ?? '', { prettyErrors: false });
    if (doc.errors.length > 0) {
      ctx.emit('subagent.invalid', file, 1, {
        why: 'front matter is not valid YAML; Claude Code skips this agent',
      });
      continue;
    }
    const fm = doc.toJS() as Record<string, unknown> | null;
    if (!fm || typeof fm !== 'object' || typeof fm.name !== 'string') continue;
    if (typeof fm.description !== 'string' || fm.description.trim() === '') {
      ctx.emit('subagent.invalid', file, 1, {
        why: 'no description; Claude Code skips this agent',
        name: fm.name,
      });
      continue;
    }
    const tools = toolList(fm.tools);
    const denied = toolList(fm.disallowedTools) ?? [];
    const permissionMode = typeof fm.permissionMode === 'string' ? fm.permissionMode : undefined;
    const facts = agentFacts(1, {
      name: fm.name,
      framework: 'claude-code',
      source: 'claude-agent-file',
      tools,
      hasTools: tools !== undefined,
      toolCount: tools?.length ?? 0,
      hasBudget: typeof fm.maxTurns === 'number',
      permissionMode,
      hasModel: typeof fm.model === 'string' && fm.model !== 'inherit',
      narrows: (tools !== undefined && !tools.includes('*')) || denied.length > 0,
    });
    emitFacts(ctx, file, facts);
    ctx.inventory.permissionSources.push({
      kind: 'sub-agent',
      file: file.path,
      line: 1,
      rules: { allow: tools ?? [], ask: [], deny: denied },
      defaultMode: permissionMode,
      detail: fm.name,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Code: Claude Agent SDK `agents` option, OpenAI Agents / Mastra agents with handoffs, LangGraph supervisors

function literalStrings(node: SgNode | undefined): string[] | undefined {
  if (!node) return undefined;
  const v = unwrap(node);
  if (!['array', 'list', 'tuple'].includes(String(v.kind()))) return undefined;
  const items = v.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  const values = items.map((c) => stringValue(c));
  return values.every((x) => x !== undefined) ? (values as string[]) : undefined;
}

function itemCount(node: SgNode | undefined): number {
  if (!node) return 0;
  const v = unwrap(node);
  if (!['array', 'list', 'tuple'].includes(String(v.kind()))) return -1;
  return v.children().filter((c) => c.isNamed() && c.kind() !== 'comment').length;
}

/** Fields of an agent config: an object literal (TS), a dict, or the keyword arguments of a call (Python). */
function fieldsOf(node: SgNode): Map<string, SgNode> {
  const v = unwrap(node);
  if (v.kind() === 'object' || v.kind() === 'dictionary') return literalEntries(v);
  if (v.kind() === 'call') return keywordArgs(v);
  if (v.kind() === 'new_expression' || v.kind() === 'call_expression') {
    const arg = (v.field('arguments')?.children() ?? []).find((c) => c.kind() === 'object');
    return literalEntries(arg);
  }
  return new Map();
}

const field = (f: Map<string, SgNode>, ...names: string[]) => names.map((n) => f.get(n)).find(Boolean);

function claudeSdkAgents(src: ParsedSource): PendingFact[] {
  const out: PendingFact[] = [];
  const py = src.language === 'python';
  for (const node of src.root.findAll({ rule: { kind: py ? 'keyword_argument' : 'pair' } })) {
    const key = node.field(py ? 'name' : 'key');
    if (!key || (stringValue(key) ?? key.text()) !== 'agents') continue;
    const map = node.field('value');
    if (!map) continue;
    const parent = node.parent();
    const siblings = parent
      ? py
        ? keywordArgs(parent.parent() ?? parent)
        : literalEntries(parent)
      : new Map();
    const parentTools = literalStrings(field(siblings, 'allowedTools', 'allowed_tools'));
    const table = unwrap(map);
    const literal = table.kind() === 'identifier' ? resolveLocal(src.root, table.text()) : table;
    for (const [name, def] of literalEntries(literal)) {
      const f = fieldsOf(def);
      if (!f.has('description') && !f.has('prompt')) continue;
      const toolsNode = field(f, 'tools');
      const tools = literalStrings(toolsNode);
      out.push(
        ...agentFacts(
          lineOf(def),
          {
            name,
            framework: 'claude-agent-sdk',
            source: 'sdk-agents-option',
            tools,
            hasTools: toolsNode !== undefined,
            toolCount: itemCount(toolsNode),
            hasBudget: field(f, 'maxTurns', 'max_turns') !== undefined,
            permissionMode: stringValue(field(f, 'permissionMode', 'permission_mode')),
            hasModel: field(f, 'model') !== undefined,
            narrows:
              toolsNode !== undefined &&
              (!parentTools || !tools || tools.every((t) => parentTools.includes(t))),
          },
          parentTools,
        ),
      );
    }
  }
  return out;
}

type AgentFramework = 'openai-agents' | 'mastra';

/** Local names of `Agent` classes per framework in one file. */
function agentClasses(imports: readonly ImportBinding[], py: boolean): Map<string, AgentFramework> {
  const out = new Map<string, AgentFramework>();
  for (const b of imports) {
    if (b.imported !== 'Agent') continue;
    if (
      b.module.startsWith('@openai/agents') ||
      (py && (b.module === 'agents' || b.module.startsWith('agents.')))
    )
      out.set(b.local, 'openai-agents');
    if (b.module.startsWith('@mastra/')) out.set(b.local, 'mastra');
  }
  return out;
}

/** One file's agent constructors; they count only if the project delegates and has two of them or more. */
interface FrameworkSites {
  facts: PendingFact[];
  sites: number;
  delegation: boolean;
}

/** Multi-agent setups where one agent hands work to another (handoffs, agents-as-tools, agent networks). */
function frameworkAgents(src: ParsedSource, imports: readonly ImportBinding[]): FrameworkSites | undefined {
  if (!src.file.text.includes('Agent')) return undefined;
  const py = src.language === 'python';
  const classes = agentClasses(imports, py);
  if (classes.size === 0) return undefined;
  const out: FrameworkSites = { facts: [], sites: 0, delegation: false };
  // Python `Agent(...)`; JS `new Agent({...})` and `Agent.create({...})`.
  const rule = py
    ? { kind: 'call' }
    : {
        any: [
          { kind: 'new_expression' },
          { kind: 'call_expression', has: { field: 'function', regex: '\\.create$' } },
        ],
      };
  for (const node of src.root.findAll({ rule })) {
    const callee =
      py || node.kind() === 'new_expression' ? node.field(py ? 'function' : 'constructor') : null;
    const ctor =
      callee?.text() ??
      node
        .field('function')
        ?.text()
        .replace(/\.create$/, '') ??
      '';
    const framework = classes.get(ctor);
    if (!framework) continue;
    const fields = fieldsOf(node);
    if (fields.has('handoffs') || (framework === 'mastra' && fields.has('agents'))) out.delegation = true;
    out.sites++;
    const toolsNode = field(fields, 'tools');
    out.facts.push(
      ...agentFacts(lineOf(node), {
        name: stringValue(field(fields, 'name')) ?? `agent@${lineOf(node)}`,
        framework,
        source: 'agent-constructor',
        tools: literalStrings(toolsNode),
        hasTools: toolsNode !== undefined,
        toolCount: itemCount(toolsNode),
        hasBudget: field(fields, 'maxTurns', 'max_turns', 'maxSteps', 'max_steps') !== undefined,
        hasModel: field(fields, 'model') !== undefined,
        narrows: toolsNode !== undefined,
      }),
    );
  }
  if (/\.(asTool|as_tool)\(/.test(src.file.text)) out.delegation = true;
  return out;
}

const SUPERVISOR = /^(create_supervisor|createSupervisor|create_swarm|createSwarm)$/;
const REACT_AGENT = /^(create_react_agent|createReactAgent|create_agent|createAgent)$/;

/** One LangGraph file's worker agents; they count only if some LangGraph file builds a supervisor. */
interface LanggraphWorkers {
  facts: PendingFact[];
  supervisor: boolean;
}

function langgraphAgents(src: ParsedSource, imports: readonly ImportBinding[]): LanggraphWorkers | undefined {
  const langgraph = imports.some(
    (b) => b.module.startsWith('langgraph') || b.module.startsWith('@langchain/langgraph'),
  );
  if (!langgraph) return undefined;
  const py = src.language === 'python';
  const out: LanggraphWorkers = { facts: [], supervisor: false };
  // One walk finds both the supervisor and the workers.
  for (const call of src.root.findAll({ rule: { kind: py ? 'call' : 'call_expression' } })) {
    const callee = calleeName(call);
    if (SUPERVISOR.test(callee)) out.supervisor = true;
    if (!REACT_AGENT.test(callee)) continue;
    const f = py ? keywordArgs(call) : fieldsOf(call);
    const toolsNode = field(f, 'tools') ?? (py ? positionalArgs(call)[1] : undefined);
    out.facts.push(
      ...agentFacts(lineOf(call), {
        name: stringValue(field(f, 'name')) ?? `agent@${lineOf(call)}`,
        framework: 'langgraph',
        source: 'supervisor-worker',
        tools: literalStrings(toolsNode),
        hasTools: toolsNode !== undefined,
        toolCount: itemCount(toolsNode),
        hasBudget: false,
        hasModel: field(f, 'model', 'llm') !== undefined || positionalArgs(call).length > 0,
        narrows: toolsNode !== undefined,
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Hand-rolled roles: module-level tables keyed by role, one of prompts and at least one of tools or budgets

/** A module-level table as plain data; tables of other files are matched in the project step. */
interface RoleTable {
  name: string;
  keys: string[];
  /** Line of the table literal (a prompts table only, see `topLevelTables`). */
  line: number;
  /** Line of each key's entry, parallel to `keys` (a prompts table only). */
  keyLines: number[];
  stringValues: boolean;
}

const PROMPT_TABLE = /prompt|instruction|system/i;
const PROMPT_BINDING = /(prompt|instruction|system)\w*\s*(:[^=\n]*)?=\s*\{/i;
const TABLE_BINDING =
  /(prompt|instruction|system|tool|capabilit|allow|budget|limit|turn|mode|permission|model)\w*\s*(:[^=\n]*)?=\s*\{/i;
const TOOL_TABLE = /tool|capabilit|allow/i;
const BUDGET_TABLE = /budget|limit|turn/i;
const MODE_TABLE = /mode|permission/i;
const MODEL_TABLE = /model/i;

/** A table whose name matches none of these never takes part in the role-table pass. */
const USED_TABLE = /prompt|instruction|system|tool|capabilit|allow|budget|limit|turn|mode|permission|model/i;

/**
 * Top-level `NAME = { role: …, role: … }` (TS const or Python assignment, types and casts allowed). Only
 * tables named like one the role-table pass reads are kept, and only a prompts table (the one whose lines
 * and values are read) gets its lines and the kind of its values; the others keep 0, [] and false.
 */
function topLevelTables(src: ParsedSource): RoleTable[] {
  const py = src.language === 'python';
  const out: RoleTable[] = [];
  const stmts: TopStatement[] =
    py || src.syntaxErrors !== 0
      ? topLevel(src).map((node) => ({ node }))
      : statementsAt(src, tableKeywords(src.file.text));
  for (const { node: stmt, declared } of stmts) {
    let target: SgNode | null | undefined;
    let value: SgNode | null | undefined;
    if (declared?.lexical) {
      // What the tools detector read of the statement: its first declarator, holding an object.
      target = declared.declarator.field('name');
      value = declared.obj.node;
    } else if (py) {
      // `child(0)` is `children()[0]`, in one crossing.
      const a = stmt.is('expression_statement') ? stmt.child(0) : undefined;
      if (!a?.is('assignment')) continue;
      target = a.field('left');
      value = a.field('right');
    } else {
      const decl = stmt.is('export_statement') ? stmt.field('declaration') : stmt;
      if (!decl?.is('lexical_declaration')) continue;
      // A declarator is named: the keyword and punctuation are left out natively.
      const d = decl.namedChildren().find((c) => c.is('variable_declarator'));
      target = d?.field('name');
      value = d?.field('value');
    }
    if (!target || !value || !target.is('identifier')) continue;
    const name = target.text();
    if (!USED_TABLE.test(name)) continue;
    const literal = declared?.lexical ? value : unwrap(value);
    // Shared with the tools detector, which reads a literal tool's entries (see `entriesOf`).
    const entries = entriesOf(literal, src.root);
    if (entries.size < 2) continue;
    const prompts = PROMPT_TABLE.test(name);
    out.push({
      name,
      keys: [...entries.keys()],
      line: prompts ? lineOf(literal) : 0,
      keyLines: prompts ? [...entries.values()].map(lineOf) : [],
      stringValues:
        prompts &&
        [...entries.values()].every((v) => stringValue(v) !== undefined || v.kind() === 'template_string'),
    });
  }
  return out;
}

/** Blanks, then a whole name that ends before an ASCII character no name can hold. */
const PLAIN_NAME = /[ \t\r\n]+([A-Za-z_$][\w$]*)(?=[ \t\r\n:=,;!])/y;

/**
 * Clean TS/JS: offsets of the `const`/`let` keywords whose declaration may bind a name `USED_TABLE` accepts
 * (those followed by a plainly written name it rejects are left out). A declaration starts with its keyword
 * and its first declarator's name is the next token, so every statement `topLevelTables` keeps holds one.
 */
function tableKeywords(text: string): number[] {
  const out: number[] = [];
  // `indexOf` finds each keyword far faster than a regex scan of the text.
  for (const keyword of ['const', 'let'])
    for (let i = text.indexOf(keyword); i >= 0; i = text.indexOf(keyword, i + 1)) {
      // Standing alone: a name character on either side would make it part of a longer name.
      if (nameChar(text.charCodeAt(i - 1)) || nameChar(text.charCodeAt(i + keyword.length))) continue;
      PLAIN_NAME.lastIndex = i + keyword.length;
      const name = PLAIN_NAME.exec(text)?.[1];
      if (name === undefined || USED_TABLE.test(name)) out.push(i);
    }
  return out.sort((x, y) => x - y);
}

/** An ASCII character of a JS name (`[\w$]`); false for NaN (outside the text). */
function nameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

/** One file's part in the role-table pass: whether it binds a prompts table, and its tables. */
interface FileTables {
  promptBinding: boolean;
  tables: RoleTable[];
}

/** Speed gate: only files binding a table-like name are read. */
function fileTables(src: ParsedSource): FileTables | undefined {
  if (!TABLE_BINDING.test(src.file.text)) return undefined;
  return { promptBinding: PROMPT_BINDING.test(src.file.text), tables: topLevelTables(src) };
}

/** Tables of every file are matched together: a prompts table and the tools or budget tables of its roles. */
function roleTables(ctx: ProjectContext, files: Map<string, ProjectFile>, parts: [string, FileTables][]) {
  // Speed gate: some file must bind a prompts table.
  if (!parts.some(([, p]) => p.promptBinding)) return;
  const tables = parts.flatMap(([path, p]) => p.tables.map((t) => ({ ...t, path })));
  type Table = (typeof tables)[number];
  const shares = (a: Table, b: Table) => a.keys.filter((k) => b.keys.includes(k)).length >= 2;
  for (const prompts of tables.filter((t) => PROMPT_TABLE.test(t.name) && t.stringValues)) {
    const related = tables.filter((t) => t !== prompts && shares(prompts, t));
    const tools = related.filter((t) => TOOL_TABLE.test(t.name));
    const budgets = related.filter((t) => BUDGET_TABLE.test(t.name));
    if (tools.length === 0 && budgets.length === 0) continue;
    const has = (group: Table[], role: string) => group.some((t) => t.keys.includes(role));
    const file = files.get(prompts.path);
    if (!file) continue;
    prompts.keys.forEach((role, i) => {
      const facts = agentFacts(prompts.keyLines[i] ?? prompts.line, {
        name: role,
        framework: 'custom',
        source: 'role-table',
        hasTools: has(tools, role),
        toolCount: -1,
        hasBudget: has(budgets, role),
        hasPermissionMode: has(
          related.filter((t) => MODE_TABLE.test(t.name)),
          role,
        ),
        hasModel: has(
          related.filter((t) => MODEL_TABLE.test(t.name)),
          role,
        ),
        narrows: has(tools, role),
      });
      emitFacts(ctx, file, facts);
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Roles declared in the project's own code: `defineRole({ name, description, systemPrompt, tools, … })`

const ROLE_FACTORY = /^(defineRole|defineAgent|defineSubAgent|defineSubagent|createRole|role)$/;

function codeRoles(src: ParsedSource): PendingFact[] {
  const out: PendingFact[] = [];
  if (src.language === 'python') return out;
  for (const call of src.root.findAll({ rule: { kind: 'call_expression' } })) {
    if (!ROLE_FACTORY.test(calleeName(call))) continue;
    const f = fieldsOf(call);
    const name = stringValue(field(f, 'name'));
    if (!name || !field(f, 'systemPrompt', 'prompt', 'instructions')) continue;
    const toolsNode = field(f, 'tools', 'allowedTools');
    const budget = field(f, 'budget');
    out.push(
      ...agentFacts(lineOf(call), {
        name,
        framework: 'custom',
        source: 'role-definition',
        tools: literalStrings(toolsNode),
        hasTools: toolsNode !== undefined,
        toolCount: itemCount(toolsNode),
        hasBudget:
          field(f, 'maxTurns', 'maxSteps') !== undefined ||
          (budget !== undefined && fieldsOf(budget).has('maxTurns')),
        permissionMode: stringValue(field(f, 'permissionMode', 'mode')),
        hasModel: field(f, 'model') !== undefined,
        narrows: toolsNode !== undefined,
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The two steps. The original emitted pass by pass over all files (agent files, SDK options, code roles,
// framework agents, LangGraph workers, role tables), so the file step only collects each pass's facts and
// the project step emits them in that order; it emits nothing itself.

/** What one source file found, per pass; a pass that found nothing is left out. */
interface Summary {
  sdk?: PendingFact[];
  roles?: PendingFact[];
  framework?: FrameworkSites;
  langgraph?: LanggraphWorkers;
  tables?: FileTables;
}

function scanSource(ctx: FileContext): Summary | undefined {
  const { src } = ctx;
  const text = src.file.text;
  const imports = ctx.imports(src);
  const summary: Summary = {};
  if (
    /agents/.test(text) &&
    imports.some(
      (b) =>
        /^@anthropic-ai\/(claude-agent-sdk|claude-code)/.test(b.module) ||
        /^claude_(agent|code)_sdk/.test(b.module),
    )
  ) {
    const sdk = claudeSdkAgents(src);
    if (sdk.length > 0) summary.sdk = sdk;
  }
  if (/\b(defineRole|defineAgent|defineSub[aA]gent|createRole|role)\s*\(/.test(text)) {
    const roles = codeRoles(src);
    if (roles.length > 0) summary.roles = roles;
  }
  const framework = frameworkAgents(src, imports);
  if (framework && (framework.sites > 0 || framework.delegation)) summary.framework = framework;
  const langgraph = langgraphAgents(src, imports);
  if (langgraph && (langgraph.facts.length > 0 || langgraph.supervisor)) summary.langgraph = langgraph;
  const tables = fileTables(src);
  if (tables && (tables.promptBinding || tables.tables.length > 0)) summary.tables = tables;
  return Object.keys(summary).length > 0 ? summary : undefined;
}

function emitPasses(ctx: ProjectContext, summaries: ReadonlyMap<string, Summary>) {
  agentFiles(ctx);
  const files = new Map(ctx.sourceFiles.map((f) => [f.path, f]));
  const each = (facts: (s: Summary) => readonly PendingFact[] | undefined) => {
    for (const [path, s] of summaries) {
      const found = facts(s);
      const file = files.get(path);
      if (found && file) emitFacts(ctx, file, found);
    }
  };
  const all = [...summaries.values()];
  each((s) => s.sdk);
  each((s) => s.roles);
  const sites = all.reduce((n, s) => n + (s.framework?.sites ?? 0), 0);
  if (all.some((s) => s.framework?.delegation) && sites >= 2) each((s) => s.framework?.facts);
  if (all.some((s) => s.langgraph?.supervisor)) each((s) => s.langgraph?.facts);
  const parts = [...summaries].flatMap(([path, s]): [string, FileTables][] =>
    s.tables ? [[path, s.tables]] : [],
  );
  roleTables(ctx, files, parts);
}

export const subAgentsDetector: Detector<Summary> = {
  id: 'sub-agents',
  description:
    'subagent.definition / subagent.invalid / subagent.widening from .claude/agents files, SDK agents options, handoff agents and supervisors',
  file: scanSource,
  project: emitPasses,
};
