import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../core/imports.js';
import { lineOf, type ParsedSource } from '../core/parse-source.js';
import {
  decisionLiterals,
  declaredTiers,
  denyFirst,
  distinctDecisions,
  tiersIn,
} from './permissions/decisions.js';
import { sdkPermissionOptions } from './permissions/sdk-options.js';
import {
  boundName,
  calleeName,
  calleeText,
  enclosingFunction,
  functionFinder,
  functionName,
  isFunctionNode,
  positionalArgs,
  words,
} from './tooling/ast.js';
import type { Detector, DetectorContext } from './types.js';

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

type FindFunction = (name: string) => SgNode | undefined;

/** Speed gate: a file with a gate has a call whose name carries one of the gate words. */
const GATE_CALL_TEXT =
  /(permission|permit|allow|approv|authori[sz]|decide|decision|can_?use|policy|consent|confirm|question|prompt|input|ask)[\w.]*\s*\(/i;

const GATE_CALLEE_SOURCE = `(?i)${GATE_CALLEE.source}|(^|\\.)(question|prompt|input|raw_input|ask|ask_user|askUser|readline)$`;

/**
 * Gate-first search: calls to something permission-shaped (rare), then, in the same function, a tool
 * execution after it that handles model tool calls.
 */
function codeGates(
  ctx: DetectorContext,
  src: ParsedSource,
  findFunction: FindFunction,
  gateFunctions: SgNode[],
) {
  const text = src.file.text;
  // Speed gates: a gate-shaped call, and either tool-call handling or a tool wrapper (`execute: async (…) =>`).
  if (!GATE_CALL_TEXT.test(text)) return;
  if (!DISPATCH_CONTEXT.test(text) && !WRAPPER_TEXT.test(text)) return;
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
    const decider = findFunction(calleeName(gate));
    const literals = [...decisionLiterals(fn), ...(decider ? decisionLiterals(decider) : [])];
    ctx.emit('permission.gate', src.file, gate, {
      style: 'code',
      callee: calleeText(gate),
      // Prompting the user is an `ask`, whatever literals the function spells.
      decisions: distinctDecisions(
        isUserPrompt(gate)
          ? [...literals, { value: 'ask' as const, index: gate.range().start.index }]
          : literals,
      ),
      denyFirst: denyFirst(decider ? decisionLiterals(decider) : literals),
    });
    ctx.inventory.permissionSources.push({
      kind: 'code-gate',
      file: src.file.path,
      line: lineOf(gate),
      detail: calleeText(gate),
    });
    gateFunctions.push(fn);
  }
}

const ENGINE_CONTEXT = /tool|permission|decide|decision|policy|rule|approv|authori/i;
/**
 * Rules kept as data: the decision iterates over or tests membership in a collection named like rules or
 * an allow/ask/deny list (`for r of rules.deny`, `DENY_RULES`, `tool in ASK_TOOLS`, `rules.allow.some(…)`).
 */
const RULE_DATA =
  /\b(?:for\b[^\n]*?\b(?:in|of)|in|not\s+in)\s+[\w.]*(?:rule|polic|deny|denied|allow|ask)\w*|[\w.]*(?:rule|polic|deny|denied|allow|ask)\w*\s*\.\s*(?:some|find|filter|every|findIndex|includes|has|get)\(/i;
/\b(rules?|policy|policies|deny|allow|ask|permissions)\b\s*[.[\])]|\.(deny|allow|ask|rules)\b|\[\s*['"](deny|allow|ask)['"]\s*\]/;

/** Decision-literal-first search: the strings 'allow'/'ask'/'deny', grouped by the function they sit in. */
function engines(ctx: DetectorContext, src: ParsedSource, dispatchers: SgNode[], engineFunctions: SgNode[]) {
  if (!/['"](allow|deny)['"]/.test(src.file.text)) return;
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
    ctx.emit('permission.engine', src.file, fn, {
      name: name || null,
      decisions,
      denyFirst: denyFirst(literals),
      rulesFromConfig: RULE_DATA.test(body),
      tiers,
      tierCount: tiers.length,
    });
    engineFunctions.push(fn);
  }
}

const RECORD_CALLEE =
  /(^|\.)(log|logger|audit|auditLog|emit|record|append|appendFile|appendFileSync|write|trace|track|journal|transcript|events?|decisions|history|info|debug|warn|log_event|write_event|record_decision|recordDecision)$/i;
const RECORD_RECEIVER =
  /log|audit|transcript|journal|event|decision|history|trace|telemetry|span|store|session/i;
const DECISION_NAME =
  /^(decision|verdict|permissionDecision|permission_decision|permissionResult|permission_result|approval|outcome|behavior)$/;

/** A decision value handed to a logger, event emitter, transcript or audit store. */
function recorded(ctx: DetectorContext, src: ParsedSource, scopes: SgNode[]) {
  const callKind = src.language === 'python' ? 'call' : 'call_expression';
  const seen = new Set<number>();
  for (const fn of scopes) {
    for (const call of fn.findAll({ rule: { kind: callKind } })) {
      const callee = calleeText(call);
      if (/^console\./.test(callee) || /^print$/.test(callee)) continue;
      const name = calleeName(call);
      const receiver = callee.slice(0, Math.max(0, callee.length - name.length - 1));
      if (!RECORD_CALLEE.test(callee)) continue;
      if (receiver && !RECORD_RECEIVER.test(receiver) && !/^(log|emit|record|audit|append)/i.test(name))
        continue;
      const args = call.field('arguments');
      if (!args) continue;
      const mentions = args
        .findAll({
          rule: {
            any: [
              { kind: 'identifier' },
              { kind: 'property_identifier' },
              { kind: 'shorthand_property_identifier' },
            ].filter((r) => src.language !== 'python' || r.kind === 'identifier'),
          },
        })
        .some((n) => DECISION_NAME.test(n.text()));
      if (!mentions || seen.has(call.range().start.index)) continue;
      seen.add(call.range().start.index);
      ctx.emit('permission.decision-recorded', src.file, call, { callee });
    }
  }
}

export const permissionGatesDetector: Detector = {
  id: 'permission-gates',
  description:
    'permission.gate (code, SDK callback, interrupt) / permission.engine / permission.decision-recorded / permission.sdk-option in source code',
  run(ctx) {
    const sources = ctx.sources();
    const findFunction = functionFinder(sources);
    for (const src of sources) {
      const imports: readonly ImportBinding[] = ctx.imports(src);
      const callbacks: SgNode[] = [];
      const dispatchers: SgNode[] = [];
      const deciders: SgNode[] = [];
      sdkPermissionOptions(ctx, src, imports, callbacks, findFunction);
      codeGates(ctx, src, findFunction, dispatchers);
      engines(ctx, src, dispatchers, deciders);
      const scopes = dedupe([...callbacks, ...dispatchers, ...deciders]);
      if (scopes.length > 0) recorded(ctx, src, scopes);
    }
  },
};

function dedupe(nodes: SgNode[]): SgNode[] {
  const seen = new Set<string>();
  return nodes.filter((n) => {
    const key = `${n.range().start.index}:${n.range().end.index}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
