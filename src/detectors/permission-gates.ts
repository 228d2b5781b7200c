import type { SgNode } from '@ast-grep/napi';
import { lineOf, type ParsedSource } from '../core/parse-source.js';
import type { ProjectFile } from '../core/types.js';
import {
  decisionLiterals,
  declaredTiers,
  denyFirst,
  distinctDecisions,
  tiersIn,
} from './permissions/decisions.js';
import {
  FileLookup,
  type FunctionFacts,
  ProjectLookup,
  type Scope,
  scopeOf,
} from './permissions/functions.js';
import { sdkPermissionOptions } from './permissions/sdk-options.js';
import {
  addFact,
  type Callback,
  emptySummary,
  type GatesSummary,
  type PendingFact,
} from './permissions/summary.js';
import {
  boundName,
  calleeName,
  calleeText,
  enclosingFunction,
  functionName,
  isFunctionNode,
  positionalArgs,
  words,
} from './tooling/ast.js';
import type { Detector, ProjectContext } from './types.js';

export const FACT_KINDS = [
  'permission.gate',
  'permission.engine',
  'permission.decision-recorded',
  'permission.sdk-option',
  'permission.mode',
] as const;

/** Text that shows a function handles model tool calls (speed gate and context requirement in one). */
const DISPATCH_CONTEXT =
  /tool_use|tool_calls|toolCalls|tool_call|toolCall|toolUse|function_call|functionCall|tool_name|toolName/;

const EXEC_NAMES =
  /^(execute|run|invoke|call|handler|handle|fn|func|callTool|executeTool|runTool|dispatch|dispatchTool|execute_tool|run_tool|call_tool|ainvoke|arun|_run|apply)$/;
const TOOLISH = /tool|handler|impl|registry|dispatch/i;

/** The call that runs a tool: `tool.execute(…)`, `tools[name](…)`, `handler(input)`, `run_tool(…)`. */
function isExecCall(call: SgNode): boolean {
  const raw = call.field('function');
  if (!raw) return false;
  // `t.execute!(input)`: the non-null assertion does not change what is called.
  const fn = raw.kind() === 'non_null_expression' ? (raw.children().find((c) => c.isNamed()) ?? raw) : raw;
  const k = fn.kind();
  if (k === 'subscript_expression' || k === 'subscript')
    return TOOLISH.test(fn.field('object')?.text() ?? fn.text());
  const text = fn.text();
  const name = k === 'identifier' ? text : ((fn.field('property') ?? fn.field('attribute'))?.text() ?? '');
  if (GATE_CALLEE.test(text)) return false;
  if (k === 'identifier')
    return /^(execute|run|call|invoke|dispatch)_?[Tt]ool/.test(name) || /^(tool|handler|impl)/i.test(name);
  if (!EXEC_NAMES.test(name)) return false;
  // `tool.execute(…)`, or `t.execute(…)` inside a wrapper that is itself a tool's execute.
  return TOOLISH.test(text) || isToolWrapper(enclosingFunction(call));
}

const WRAPPER_TEXT =
  /\b(execute|run|handler|invoke)\s*:\s*(async\s*)?(\(|function|\w+\s*=>)|\b(async\s+)?(execute|run|handler)\s*\([^)]*\)\s*\{/;

/** A function that replaces a tool's implementation: the value of an `execute`/`run`/`handler` key. */
function isToolWrapper(fn: SgNode | undefined): boolean {
  const pair = fn?.parent();
  if (fn?.kind() === 'method_definition')
    return /^(execute|run|handler|invoke|call)$/.test(fn.field('name')?.text() ?? '');
  return (
    pair?.kind() === 'pair' &&
    /^["']?(execute|run|handler|invoke|call)["']?$/.test(pair.field('key')?.text() ?? '')
  );
}

/** Callee names that ask for a permission decision. Budget/limit checks are not permission decisions. */
const GATE_CALLEE =
  /permission|permit|allow|approv|authori[sz]|decide|decision|can_?use|policy|consent|confirm/i;
const NOT_GATE = /budget|token|limit|rate|quota/i;

const GATE_RECEIVER = /permission|policy|guard|approv|authori[sz]|gate/i;
const GATE_METHOD =
  /^(check|evaluate|decide|resolve|can|allows?|is_?allowed|authori[sz]e|verify|request|ask|test|permit|approve)$/i;

/**
 * A permission-decision call: the gate word sits at the end of the name (`checkPermission`,
 * `collectToolApprovals`, `decide`), or the receiver is a policy object (`policy.evaluate(...)`).
 * `isToolExecutionAllowedFinishReason` is about something else: its last words are not a gate word.
 */
/** Asking the user (`rl.question('Run it? [y/N]')`, `input("Allow? ")`) is an ask decision. */
const USER_PROMPT = /^(question|prompt|input|raw_input|ask|ask_user|askUser|readline)$/;

function isUserPrompt(call: SgNode): boolean {
  if (!USER_PROMPT.test(calleeName(call))) return false;
  const first = positionalArgs(call)[0];
  return !!first && /^(string|template_string|concatenated_string)$/.test(String(first.kind()));
}

function isGateCall(call: SgNode): boolean {
  const text = calleeText(call);
  if (NOT_GATE.test(text)) return false;
  if (isUserPrompt(call)) return true;
  const name = calleeName(call);
  const tail = words(name).slice(-2).join('');
  if (GATE_CALLEE.test(tail) || /^(can_?use|is_?allowed|check_?perm)/i.test(name)) return true;
  const receiver = text.slice(0, Math.max(0, text.length - name.length - 1));
  return GATE_RECEIVER.test(receiver.split('.').pop() ?? '') && GATE_METHOD.test(name);
}

const BRANCH_KINDS: Record<'ts' | 'py', readonly string[]> = {
  ts: ['if_statement', 'while_statement', 'ternary_expression', 'switch_statement'],
  py: ['if_statement', 'elif_clause', 'while_statement', 'conditional_expression', 'match_statement'],
};

/** The gate's result decides what happens next: it sits in a condition or its variable is tested. */
function branchedOn(gate: SgNode, fn: SgNode, before: number, py: boolean): boolean {
  const kinds = BRANCH_KINDS[py ? 'py' : 'ts'];
  const conditionOf = (b: SgNode) => b.field('condition') ?? b.field('value') ?? b.field('subject');
  for (let p = gate.parent(); p && !isFunctionNode(p); p = p.parent()) {
    if (!kinds.includes(String(p.kind()))) continue;
    const cond = conditionOf(p);
    if (
      cond &&
      cond.range().start.index <= gate.range().start.index &&
      cond.range().end.index >= gate.range().end.index
    )
      return true;
  }
  const bound = boundTargets(gate);
  if (bound.length === 0) return false;
  const start = gate.range().end.index;
  for (const kind of kinds)
    for (const b of fn.findAll({ rule: { kind } })) {
      const at = b.range().start.index;
      if (at < start || at > before) continue;
      const text = conditionOf(b)?.text() ?? '';
      if (bound.some((v) => new RegExp(`\\b${v.replace(/\$/g, '\\$')}\\b`).test(text))) return true;
    }
  return false;
}

/** Names the gate's result is stored in: `const d = …`, `const { behavior } = …`, `d = …`. */
const EXPRESSION_WRAPPERS = new Set([
  'await_expression',
  'await',
  'parenthesized_expression',
  'member_expression',
  'attribute',
  'call_expression',
  'call',
  'arguments',
  'argument_list',
  'binary_expression',
  'comparison_operator',
  'unary_expression',
  'not_operator',
  'boolean_operator',
]);

function boundTargets(gate: SgNode): string[] {
  // Climb through the expression the call sits in (`(await rl.question(q)).trim() === 'y'`) up to
  // the declaration or assignment that stores it; a statement boundary ends the climb.
  let n = gate;
  let p = n.parent();
  while (p && EXPRESSION_WRAPPERS.has(String(p.kind()))) {
    n = p;
    p = n.parent();
  }
  if (!p) return [];
  let target: SgNode | null = null;
  if (p.kind() === 'variable_declarator') target = p.field('name');
  else if (p.kind() === 'assignment' || p.kind() === 'assignment_expression') target = p.field('left');
  if (!target) {
    const simple = boundName(gate);
    return simple ? [simple] : [];
  }
  return target.text().match(/[A-Za-z_$][\w$]*/g) ?? [];
}

/** Speed gate: a file with a gate has a call whose name carries one of the gate words. */
const GATE_CALL_TEXT =
  /(permission|permit|allow|approv|authori[sz]|decide|decision|can_?use|policy|consent|confirm|question|prompt|input|ask)[\w.]*\s*\(/i;

const GATE_CALLEE_SOURCE = `(?i)${GATE_CALLEE.source}|(^|\\.)(question|prompt|input|raw_input|ask|ask_user|askUser|readline)$`;

/**
 * Gate-first search: calls to something permission-shaped (rare), then, in the same function, a tool
 * execution after it that handles model tool calls. Returns the functions holding a gate.
 */
function codeGates(out: GatesSummary, src: ParsedSource, lookup: FileLookup): SgNode[] {
  const gateFunctions: SgNode[] = [];
  const text = src.file.text;
  // Speed gates: a gate-shaped call, and either tool-call handling or a tool wrapper (`execute: async (…) =>`).
  if (!GATE_CALL_TEXT.test(text)) return gateFunctions;
  if (!DISPATCH_CONTEXT.test(text) && !WRAPPER_TEXT.test(text)) return gateFunctions;
  const py = src.language === 'python';
  const callKind = py ? 'call' : 'call_expression';
  const checked = new Set<number>();
  const callsIn = new Map<number, SgNode[]>();
  const candidates = src.root.findAll({
    rule: { kind: callKind, has: { field: 'function', regex: GATE_CALLEE_SOURCE } },
  });
  for (const gate of candidates) {
    if (!isGateCall(gate)) continue;
    // Scripts often run the agent loop at module level: the file itself is then the scope.
    const fn = enclosingFunction(gate) ?? src.root;
    const fnKey = fn === src.root ? -1 : fn.range().start.index;
    if (checked.has(fnKey)) continue;
    if (!callsIn.has(fnKey)) {
      if (!DISPATCH_CONTEXT.test(fn === src.root ? text : fn.text()) && !isToolWrapper(fn)) {
        checked.add(fnKey);
        continue;
      }
      callsIn.set(fnKey, fn.findAll({ rule: { kind: callKind } }));
    }
    const gateEnd = gate.range().end.index;
    const exec = callsIn
      .get(fnKey)!
      .find(
        (c) =>
          c.range().start.index >= gateEnd &&
          (enclosingFunction(c)?.range().start.index ?? -1) === fnKey &&
          isExecCall(c),
      );
    if (!exec || !branchedOn(gate, fn, exec.range().start.index, py)) continue;
    checked.add(fnKey);
    // The function the gate calls may be defined in another file: its decisions wait for the project step,
    // which gets this file's own answer from the summary.
    const name = calleeName(gate);
    lookup.find(name);
    const decider = {
      name,
      literals: decisionLiterals(fn),
      // Prompting the user is an `ask`, whatever literals the function spells.
      ask: isUserPrompt(gate) ? gate.range().start.index : null,
    };
    addFact(out, 'permission.gate', gate, { style: 'code', callee: calleeText(gate) }, { decider });
    out.sources.push({
      kind: 'code-gate',
      file: src.file.path,
      line: lineOf(gate),
      detail: calleeText(gate),
    });
    gateFunctions.push(fn);
  }
  return gateFunctions;
}

const ENGINE_CONTEXT = /tool|permission|decide|decision|policy|rule|approv|authori/i;
/**
 * Rules kept as data: the decision iterates over or tests membership in a collection named like rules or
 * an allow/ask/deny list (`for r of rules.deny`, `DENY_RULES`, `tool in ASK_TOOLS`, `rules.allow.some(…)`).
 */
const RULE_DATA =
  /\b(?:for\b[^\n]*?\b(?:in|of)|in|not\s+in)\s+[\w.]*(?:rule|polic|deny|denied|allow|ask)\w*|[\w.]*(?:rule|polic|deny|denied|allow|ask)\w*\s*\.\s*(?:some|find|filter|every|findIndex|includes|has|get)\(/i;
/\b(rules?|policy|policies|deny|allow|ask|permissions)\b\s*[.[\])]|\.(deny|allow|ask|rules)\b|\[\s*['"](deny|allow|ask)['"]\s*\]/;

/**
 * Decision-literal-first search: the strings 'allow'/'ask'/'deny', grouped by the function they sit in.
 * Returns the engine functions.
 */
function engines(out: GatesSummary, src: ParsedSource, dispatchers: SgNode[]): SgNode[] {
  const engineFunctions: SgNode[] = [];
  if (!/['"](allow|deny)['"]/.test(src.file.text)) return engineFunctions;
  const byFunction = new Map<number, SgNode>();
  for (const s of src.root.findAll({
    rule: { kind: 'string', regex: '^[rbuRBU]?[\'"](allow|ask|deny)[\'"]$' },
  })) {
    const fn = enclosingFunction(s);
    if (fn) byFunction.set(fn.range().start.index, fn);
  }
  // A dispatch function that branches on a gate's decision consumes decisions; it is not the engine.
  const consumers = new Set(dispatchers.map((f) => f.range().start.index));
  for (const fn of byFunction.values()) {
    if (consumers.has(fn.range().start.index)) continue;
    const literals = decisionLiterals(fn);
    const decisions = distinctDecisions(literals);
    if (decisions.length < 2) continue;
    const name = functionName(fn) ?? '';
    const body = fn.text();
    if (
      !ENGINE_CONTEXT.test(name) &&
      !ENGINE_CONTEXT.test(fn.field('parameters')?.text() ?? '') &&
      !/tool/i.test(body)
    )
      continue;
    const tiers = [...new Set([...tiersIn(fn), ...declaredTiers(src.root, fn)])].sort();
    addFact(out, 'permission.engine', fn, {
      name: name || null,
      decisions,
      denyFirst: denyFirst(literals),
      rulesFromConfig: RULE_DATA.test(body),
      tiers,
      tierCount: tiers.length,
    });
    engineFunctions.push(fn);
  }
  return engineFunctions;
}

/**
 * Facts in file order. A file's gates, engines and scopes come from its file step; what a gate's decisions
 * owe to a function looked up by name, and the record calls of its callbacks, are settled here.
 */
function replay(
  ctx: ProjectContext,
  file: ProjectFile,
  summary: GatesSummary,
  lookup: ProjectLookup,
  seen: Set<string>,
) {
  const callbackScopes: Scope[] = [];
  for (const fact of summary.facts)
    ctx.emit(fact.kind, file, fact.line, settled(fact, lookup, callbackScopes));
  ctx.inventory.permissionSources.push(...summary.sources);
  recorded(ctx, file, [...callbackScopes, ...summary.scopes], seen);
}

/** A fact's data with the decisions of the functions it names; callbacks found join the scopes. */
function settled(fact: PendingFact, lookup: ProjectLookup, scopes: Scope[]) {
  if (fact.decider) {
    const { name, literals: own, ask } = fact.decider;
    const decider = lookup.find(name);
    const literals = [...own, ...(decider?.literals ?? [])];
    return {
      ...fact.data,
      decisions: distinctDecisions(ask === null ? literals : [...literals, { value: 'ask', index: ask }]),
      denyFirst: denyFirst(decider ? decider.literals : literals),
    };
  }
  if (fact.callbacks) {
    const literals = fact.callbacks.flatMap((c) => {
      const fn = 'inline' in c ? c.inline : lookup.find(c.name);
      if (!fn) return [];
      scopes.push(fn);
      return withHelpers(fn, c, lookup).flatMap((f) => f.literals);
    });
    return { ...fact.data, decisions: distinctDecisions(literals), denyFirst: denyFirst(literals) };
  }
  return fact.data;
}

/**
 * A callback and up to five functions it calls by name (`return _deny(reason)`). A helper looked up by the
 * callback's own name, or by an earlier helper's, is the same function and counts once.
 */
function withHelpers(fn: FunctionFacts, callback: Callback, lookup: ProjectLookup): FunctionFacts[] {
  const out = [fn];
  const names = new Set('name' in callback ? [callback.name] : []);
  for (const callee of fn.callees) {
    if (out.length >= 6 || names.has(callee)) continue;
    const helper = lookup.find(callee);
    if (!helper) continue;
    out.push(helper);
    names.add(callee);
  }
  return out;
}

/**
 * A decision value handed to a logger, event emitter, transcript or audit store, within the gates' callbacks,
 * dispatchers and engines. A callback defined in a file of the other language is skipped: this file's kind
 * of call does not exist in its grammar (the whole-project form threw there). `seen` holds the record calls
 * already reported, by file and offset.
 */
function recorded(ctx: ProjectContext, file: ProjectFile, scopes: Scope[], seen: Set<string>) {
  const py = file.language === 'python';
  const ranges = new Set<string>();
  for (const scope of scopes) {
    const home = (scope.path && ctx.sourceFiles.find((f) => f.path === scope.path)) || file;
    if (ranges.has(`${home.path}:${scope.range}`)) continue;
    ranges.add(`${home.path}:${scope.range}`);
    if (scope.py !== py) continue;
    for (const call of scope.records) {
      if (seen.has(`${home.path}:${call.at}`)) continue;
      seen.add(`${home.path}:${call.at}`);
      // A callback defined in another file records its decisions there: the fact points at that file.
      ctx.emit('permission.decision-recorded', home, call.line, { callee: call.callee });
    }
  }
}

export const permissionGatesDetector: Detector<GatesSummary> = {
  id: 'permission-gates',
  description:
    'permission.gate (code, SDK callback, interrupt) / permission.engine / permission.decision-recorded / permission.sdk-option in source code',
  file(ctx) {
    const { src } = ctx;
    const out = emptySummary();
    const lookup = new FileLookup(src, out.defined);
    sdkPermissionOptions(out, src, ctx.imports(src), lookup);
    const dispatchers = codeGates(out, src, lookup);
    const deciders = engines(out, src, dispatchers);
    if (out.facts.length === 0) return undefined;
    const py = src.language === 'python';
    out.scopes = [...dispatchers, ...deciders].map((fn) => scopeOf(fn, py));
    return out;
  },
  project(ctx, summaries) {
    const lookup = new ProjectLookup(ctx, (path) => summaries.get(path)?.defined);
    const files = new Map(ctx.sourceFiles.map((f) => [f.path, f]));
    // A record call is one fact however many gates reach it (a callback may serve several files).
    const recordedAt = new Set<string>();
    for (const [path, summary] of summaries) {
      const file = files.get(path);
      if (file) replay(ctx, file, summary, lookup, recordedAt);
    }
  },
};
