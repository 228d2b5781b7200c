import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../core/parse-source.js';
import { type BudgetGuard, type BudgetKind, budgetGuards } from './state-budget/budget-guards.js';
import { nodesOf } from './state-budget/file-index.js';
import { modelCalls } from './state-budget/model-calls.js';
import { nameScanner } from './state-budget/name-scan.js';
import { enclosingFunction, enclosingLoop } from './state-budget/scopes.js';
import { nameSets } from './state-budget/state-sets.js';
import {
  calleeText,
  callsMatching,
  contains,
  endsWithName,
  equalsString,
  functionName,
  functionsIn,
  isPython,
  lastSegment,
  positionalArgs,
  receiverText,
  startOf,
  stringValue,
} from './state-budget/syntax.js';
import { hasWord, wordsOf } from './state-budget/vocab.js';
import type { Detector, EmitContext } from './types.js';

export const FACT_KINDS = [
  'budget.limit',
  'budget.max-tokens-param',
  'budget.precheck',
  'budget.usage-accounting',
  'budget.stop-reason',
  'budget.count-tokens',
] as const;

export const tokenBudgetDetector: Detector = {
  id: 'token-budget',
  description:
    'Run budgets: turn/token/cost/time limits (code guards and SDK options), pre-call checks, usage accounting from API responses, typed stop reasons, token counting.',
  file(ctx) {
    analyseFile(ctx, ctx.src);
  },
};

/** SDK and framework options that cap a whole run, by name. */
const LIMIT_OPTIONS: Record<string, BudgetKind> = {
  maxTurns: 'turns',
  max_turns: 'turns',
  maxSteps: 'turns',
  max_steps: 'turns',
  maxIterations: 'turns',
  max_iterations: 'turns',
  recursionLimit: 'turns',
  recursion_limit: 'turns',
  maxBudgetUsd: 'cost',
  max_budget_usd: 'cost',
  maxCostUsd: 'cost',
  max_cost_usd: 'cost',
  maxTotalTokens: 'tokens',
  max_total_tokens: 'tokens',
  tokenBudget: 'tokens',
  token_budget: 'tokens',
  taskBudget: 'tokens',
  task_budget: 'tokens',
  maxInputTokens: 'input-tokens',
  max_input_tokens: 'input-tokens',
  maxDurationMs: 'time',
  // LangChain middleware: modelCallLimitMiddleware({ runLimit }) / ModelCallLimitMiddleware(run_limit=)
  runLimit: 'turns',
  threadLimit: 'turns',
  run_limit: 'turns',
  thread_limit: 'turns',
  max_duration_seconds: 'time',
  maxWallMs: 'time',
};
/** Speed gate: one of the option names above (or a per-request cap) occurs in the file. */
const OPTION_HINT =
  /max_?[tT]urns|max_?[sS]teps|max_?[iI]terations|recursion_?[lL]imit|max_?[bB]udget|max_?[cC]ost|max_?[tT]otal|[tT]oken_?[bB]udget|task_?[bB]udget|max_?[iI]nput|max_?[dD]uration|max_?[wW]all|[rR]un_?[lL]imit|[tT]hread_?[lL]imit|max_?[tT]okens|max_?[oO]utput|max_?[cC]ompletion|max_new_tokens|stepCountIs/;
const PER_RESPONSE_CAP =
  /^(max_tokens|maxTokens|max_output_tokens|maxOutputTokens|max_completion_tokens|maxCompletionTokens|max_new_tokens)$/;
const REQUEST_KEYS = /^(model|messages|input|prompt|system|contents)$/;
const FALSY = /^(undefined|null|None|false|False|Infinity|0)$/;
const SDK_MODULES =
  /^(@anthropic-ai\/claude-agent-sdk|@anthropic-ai\/claude-code|@openai\/agents|ai|@ai-sdk\/|@langchain\/|langchain|@mastra\/|claude_agent_sdk|claude_code_sdk|agents|langgraph|langchain|crewai|autogen|smolagents|pydantic_ai|llama_index)/;

/**
 * Speed gate for every rule but the SDK error handlers: each rule's own gates (or the words it reads: a
 * limit's or model call's name, a stop reason, an error class) need one of these words, case aside, in the
 * text. One test costs a third of theirs.
 */
const BUDGET_VOCABULARY =
  /max|limit|budget|quota|token|model|messages|completion|responses|generate|stream|invoke|batch|encoding|cost|exceeded|exhausted|stepcountis|timeout|timed|deadline|(?:turn|step|iteration|round)s?\s*[<>]=?\s*\d/i;

function analyseFile(ctx: EmitContext, src: ParsedSource): void {
  const py = isPython(src);
  const file = src.file;
  const text = file.text;
  if (!BUDGET_VOCABULARY.test(text)) {
    for (const s of sdkErrorEndings(ctx, src, py)) ctx.emit('budget.stop-reason', file, s.node, s.data);
    return;
  }
  const bindings = ctx.imports(src);
  const sdkLocals = new Set(bindings.filter((b) => SDK_MODULES.test(b.module)).map((b) => b.local));
  const importsSdk = sdkLocals.size > 0;
  const models = modelCalls(src);

  // Options: { maxTurns: 10 }, Runner.run(..., max_turns=10), stopWhen: stepCountIs(5)
  if (OPTION_HINT.test(text)) {
    for (const p of optionPairs(src, py)) {
      if (PER_RESPONSE_CAP.test(p.key)) {
        if (p.requestShaped) ctx.emit('budget.max-tokens-param', file, p.node, { name: p.key });
        continue;
      }
      const kind = Object.hasOwn(LIMIT_OPTIONS, p.key) ? LIMIT_OPTIONS[p.key] : undefined;
      if (!kind || FALSY.test(p.value.text())) continue;
      const valueKind = p.value.kind();
      if (valueKind === 'object' || valueKind === 'dictionary') continue;
      const via = viaOf(p.node, sdkLocals, importsSdk);
      ctx.emit('budget.limit', file, p.node, { kind, via, name: p.key, value: numberOf(p.value) });
    }
    for (const c of callsMatching(src, '(^|\\.)stepCountIs$')) {
      if (lastSegment(calleeText(c)) === 'stepCountIs' && sdkLocals.has(calleeText(c)))
        ctx.emit('budget.limit', file, c, {
          kind: 'turns',
          via: 'sdk',
          name: 'stepCountIs',
          value: numberOf(positionalArgs(c)[0]),
        });
    }
  }

  // Code guards: while (turn < MAX_TURNS), if (spent + estimate > budgetUsd) break
  // A comparison against a limit counts near a model call, in a loop, or in the project's budget module
  // (`class Budget: def check(self): if self.turns >= self.max_turns: raise …`).
  const budgetModule = /(^|\/)[^/]*budget[^/]*$/i.test(src.file.path);
  const guards = budgetGuards(src).filter(
    (g) =>
      models.length > 0 ||
      enclosingLoop(g.node, py) !== undefined ||
      (budgetModule && enclosingFunction(g.node, py) !== undefined),
  );
  for (const g of guards)
    ctx.emit('budget.limit', file, g.node, { kind: g.kind, via: 'code', name: g.limit, value: null });
  const rangeLoops = pyRangeLoops(src, py);
  for (const r of rangeLoops)
    ctx.emit('budget.limit', file, r.node, { kind: 'turns', via: 'code', name: r.limit, value: null });

  const counters = tokenCounters(src, py);
  for (const c of counters) ctx.emit('budget.count-tokens', file, c.node, { how: c.how, name: c.name });

  const checks = budgetChecks(src);
  for (const m of models) {
    const pre = precheck(m, guards, counters, rangeLoops, py, checks);
    if (pre)
      ctx.emit('budget.precheck', file, pre.node, {
        how: pre.how,
        kind: pre.kind,
        projection: pre.projection,
      });
  }

  for (const u of usageAccounting(src, py))
    ctx.emit('budget.usage-accounting', file, u.node, { fields: u.fields });
  for (const s of stopReasons(ctx, src, py)) ctx.emit('budget.stop-reason', file, s.node, s.data);
}

interface OptionPair {
  key: string;
  value: SgNode;
  node: SgNode;
  /** The object or call also carries request keys (model, messages, …): a Messages/Completions request. */
  requestShaped: boolean;
}

/** Every key `optionPairs` looks for: the run limits and the per-response caps. */
const OPTION_KEYS = [...Object.keys(LIMIT_OPTIONS), ...PER_RESPONSE_CAP.source.slice(2, -2).split('|')];
const OPTION_KEY_SCANNER = nameScanner(OPTION_KEYS);
const OPTION_KEY_RULE = new RegExp(`^["']?(${OPTION_KEYS.join('|')})["']?$`);

function optionPairs(src: ParsedSource, py: boolean): OptionPair[] {
  const out: OptionPair[] = [];
  // Only keys that can matter are kept; the rest of the object is read for request shape. Pairs (and Python
  // keywords) are found by kind and their key (name) read here: a key regex in the query would cost more to
  // compile than reading the few candidates.
  const text = src.file.text;
  let { starts } = OPTION_KEY_SCANNER.scan(text);
  const clean = src.syntaxErrors === 0;
  // In a tree without errors, a pair whose key starts where an inert name does is not reported.
  if (clean) starts = starts.filter((q) => !inertOption(text, q));
  if (starts.length === 0) return out;
  for (const node of pairsStartingNear(src, starts)) {
    // A clean tree's pair (keyword) spelt plainly has its key (name) read from the text at its start, which
    // `pairsStartingNear` has read.
    const plain = clean ? plainKeyAt(text, startOf(node), py) : undefined;
    let keyword: boolean;
    let key: string;
    let keyNode: SgNode | null = null;
    if (plain) {
      keyword = plain.keyword;
      key = plain.name;
    } else {
      keyword = py && node.kind() === 'keyword_argument';
      keyNode = node.field(keyword ? 'name' : 'key');
      if (!keyNode) continue;
      key = keyNode.text();
    }
    if (!OPTION_KEY_RULE.test(key)) continue;
    const value = node.field('value');
    // Whether the request carries request keys matters to a per-response cap only (see `analyseFile`).
    if (keyword) {
      if (value)
        out.push({
          key,
          value,
          node,
          requestShaped:
            PER_RESPONSE_CAP.test(key) && hasRequestKeyword(node.parent(), clean ? text : undefined),
        });
      continue;
    }
    const obj = node.parent();
    if (!obj || !value) continue;
    let own: string | undefined;
    if (plain) own = key;
    else {
      // The pair as `pairsOf(obj)` reads it: a string key unquoted, a computed key never.
      const keyKind = keyNode!.kind();
      own =
        keyKind === 'string' ? stringValue(keyNode!) : keyKind === 'computed_property_name' ? undefined : key;
    }
    if (own !== undefined)
      out.push({
        key: own,
        value,
        node,
        requestShaped: PER_RESPONSE_CAP.test(own) && hasRequestKey(obj, clean ? text : undefined),
      });
  }
  return out.sort((a, b) => startOf(a.node) - startOf(b.node));
}

/** A Python keyword argument's start: its name and `=` (not `==`). */
const PLAIN_KEYWORD = /([A-Za-z_][A-Za-z0-9_]*)[ \t]*=(?!=)/y;
/** A JS pair's start: its key spelt as a name, bare or quoted alike, and `:`. */
const PLAIN_PAIR_KEY = /(["']?)([A-Za-z_$][\w$]*)\1[ \t]*:/y;
/** A JS shorthand property: a name followed by the next entry or the object's end. */
const PLAIN_SHORTHAND = /([A-Za-z_$][\w$]*)[ \t\r\n]*[,}]/y;

/**
 * The key of a pair or keyword argument of a tree without errors, read from the text at its start when
 * spelt plainly: in Python `name =` starts a keyword argument only (a dict pair's key is an expression), and
 * in JS `name:` or `"name":` starts a pair whose key (a property name or a string without escapes) is that
 * name, as `pairsOf` reads it.
 */
function plainKeyAt(text: string, at: number, py: boolean): { keyword: boolean; name: string } | undefined {
  if (py) {
    PLAIN_KEYWORD.lastIndex = at;
    const m = PLAIN_KEYWORD.exec(text);
    return m ? { keyword: true, name: m[1]! } : undefined;
  }
  PLAIN_PAIR_KEY.lastIndex = at;
  const m = PLAIN_PAIR_KEY.exec(text);
  return m ? { keyword: false, name: m[2]! } : undefined;
}

const LIMIT_KEYS = Object.keys(LIMIT_OPTIONS);
const CAP_KEYS = OPTION_KEYS.filter((k) => PER_RESPONSE_CAP.test(k));
/** After a key's name: its closing quote, then what a key is followed by (its separator, or a comment). */
const KEY_NEXT = /["']?\s*[=:#/]/y;
/** After a limit's name: its separator and a value the loop in `analyseFile` skips, ending there. */
const FALSY_VALUE_NEXT = /["']?\s*[=:]\s*(?:undefined|null|None|false|False|Infinity|0)\s*[,)}\]]/y;
/** Every key `hasRequestKey`/`hasRequestKeyword` accepts is part of the text. */
const REQUEST_KEY_TEXT = /model|messages|input|prompt|system|contents/;

/**
 * Whether no pair or keyword argument whose key's name starts at `q` can be reported (in a tree without
 * errors): every option name there is followed by no key separator, or is a per-response cap in a text
 * without request keys, or a limit given a value the report skips (`max_turns=0`, `maxTurns: undefined`).
 * The value's text is all of it: after a separator, a literal followed by a list's end is a whole value.
 */
function inertOption(text: string, q: number): boolean {
  for (const name of LIMIT_KEYS) {
    if (!text.startsWith(name, q)) continue;
    const end = q + name.length;
    KEY_NEXT.lastIndex = end;
    if (!KEY_NEXT.test(text)) continue;
    FALSY_VALUE_NEXT.lastIndex = end;
    if (!FALSY_VALUE_NEXT.test(text)) return false;
  }
  for (const name of CAP_KEYS) {
    if (!text.startsWith(name, q)) continue;
    KEY_NEXT.lastIndex = q + name.length;
    if (KEY_NEXT.test(text) && REQUEST_KEY_TEXT.test(text)) return false;
  }
  return true;
}

/**
 * Whether an argument list has a keyword argument named as a request key. In a tree without errors (`text`
 * given) an argument spelt `name =` at its start is a keyword argument so named; any other is read from
 * the tree.
 */
function hasRequestKeyword(args: SgNode | null, text: string | undefined): boolean {
  for (const a of args?.namedChildren() ?? []) {
    if (text !== undefined) {
      PLAIN_KEYWORD.lastIndex = startOf(a);
      const m = PLAIN_KEYWORD.exec(text);
      if (m) {
        if (REQUEST_KEYS.test(m[1]!)) return true;
        continue;
      }
    }
    if (a.kind() === 'keyword_argument' && REQUEST_KEYS.test(a.field('name')?.text() ?? '')) return true;
  }
  return false;
}

/**
 * `pairsOf(obj).some((p) => REQUEST_KEYS.test(p.key))`, stopping at the first such key. In a tree without
 * errors (`text` given) an entry spelt `name:` or `"name":` at its start is a pair with that key, one spelt
 * `name,` or `name}` a shorthand property; any other is read from the tree.
 */
function hasRequestKey(obj: SgNode, text: string | undefined): boolean {
  for (const c of obj.namedChildren()) {
    if (text !== undefined) {
      const at = startOf(c);
      PLAIN_PAIR_KEY.lastIndex = at;
      const m = PLAIN_PAIR_KEY.exec(text);
      if (m) {
        if (REQUEST_KEYS.test(m[2]!) && c.field('value')) return true;
        continue;
      }
      PLAIN_SHORTHAND.lastIndex = at;
      const s = PLAIN_SHORTHAND.exec(text);
      if (s) {
        if (REQUEST_KEYS.test(s[1]!)) return true;
        continue;
      }
    }
    const kind = c.kind();
    if (kind === 'pair') {
      const k = c.field('key');
      if (!k) continue;
      const keyKind = k.kind();
      const key =
        keyKind === 'string' ? stringValue(k) : keyKind === 'computed_property_name' ? undefined : k.text();
      if (key !== undefined && REQUEST_KEYS.test(key) && c.field('value')) return true;
    } else if (kind === 'shorthand_property_identifier' && REQUEST_KEYS.test(c.text())) return true;
  }
  return false;
}

/**
 * The file's pairs (see `nodesOf`) whose key may be an option name: in a tree without errors a pair or
 * keyword argument starts with its key, so a key spelt as a name (quoted or not) starts at or one before an
 * offset where the name starts (`starts`, ascending). The list is in document order, which is by strictly
 * increasing start (no pair starts with a pair), so each offset's pairs are found by a binary search. A
 * tree with errors may hold a pair with an ERROR before its key: all its pairs are read.
 */
function pairsStartingNear(src: ParsedSource, starts: readonly number[]): readonly SgNode[] {
  const pairs = nodesOf(src, 'pairs');
  if (src.syntaxErrors > 0) return pairs;
  const out: SgNode[] = [];
  let from = 0;
  for (const q of starts) {
    let lo = from;
    let hi = pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (startOf(pairs[mid]!) < q - 1) lo = mid + 1;
      else hi = mid;
    }
    from = lo;
    for (let i = lo; i < pairs.length && startOf(pairs[i]!) <= q; i++)
      if (out.at(-1) !== pairs[i]) out.push(pairs[i]!);
  }
  return out;
}

/** An option handed to an imported SDK call counts as the SDK's mechanism; one the project reads itself, as code. */
const SDK_RUN_METHODS = /^(generate|stream|run|run_sync|runSync|run_streamed|invoke|ainvoke|query)$/;

function viaOf(node: SgNode, sdkLocals: Set<string>, importsSdk: boolean): 'sdk' | 'code' {
  for (let p = node.parent(); p; p = p.parent()) {
    const k = p.kind();
    if (k === 'call_expression' || k === 'new_expression' || k === 'call') {
      const callee = calleeText(p);
      const root = callee.split('.')[0] ?? '';
      if (sdkLocals.has(root)) return 'sdk';
      // agent.generate(prompt, { maxSteps }) on an SDK agent object obtained at run time
      return importsSdk && callee.includes('.') && SDK_RUN_METHODS.test(lastSegment(callee)) ? 'sdk' : 'code';
    }
    if (k === 'statement_block' || k === 'program' || k === 'module' || k === 'block') break;
  }
  return importsSdk ? 'sdk' : 'code';
}

function numberOf(node: SgNode | undefined): number | null {
  if (!node) return null;
  const n = Number(node.text().replace(/_/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** A range loop's argument spelt as a (dotted) name or a digit string, with `+`/`-` between such, blanks aside. */
const RANGE_ARG = '[ \\t\\n]*[A-Za-z0-9_.]+(?:[ \\t\\n]*[-+][ \\t\\n]*[A-Za-z0-9_.]+)*[ \\t\\n]*';
/**
 * A Python `for` header whose targets are names and whose iterable is `range(…)` with such arguments only,
 * at the loop's start: in a tree without errors the iterable is that call, with no keyword, splat or
 * comment, and its last positional argument is the last argument's text, blanks aside.
 */
const PLAIN_RANGE_LOOP = new RegExp(
  `for[ \\t]+[A-Za-z_][A-Za-z0-9_]*(?:[ \\t]*,[ \\t]*[A-Za-z_][A-Za-z0-9_]*)*[ \\t]+in[ \\t]+range\\((${RANGE_ARG}(?:,${RANGE_ARG})*)\\)[ \\t]*:`,
  'y',
);

/** `for _ in range(MAX_TURNS):` is Python's turn guard. */
function pyRangeLoops(src: ParsedSource, py: boolean): { node: SgNode; limit: string }[] {
  // Speed gate: the bound's words (lower-cased parts of its text) include a limit word and a turn word.
  const text = src.file.text;
  if (!py || !/range\(/.test(text) || !/max|limit/i.test(text) || !/turn|step|iteration|round/i.test(text))
    return [];
  const out: { node: SgNode; limit: string }[] = [];
  const clean = src.syntaxErrors === 0;
  for (const loop of nodesOf(src, 'pyForLoops')) {
    let limit: string | undefined;
    if (clean) {
      PLAIN_RANGE_LOOP.lastIndex = startOf(loop);
      const m = PLAIN_RANGE_LOOP.exec(text);
      if (m) limit = m[1]!.slice(m[1]!.lastIndexOf(',') + 1).trim();
    }
    if (limit === undefined) {
      const right = loop.field('right');
      if (right?.kind() !== 'call' || calleeText(right) !== 'range') continue;
      const arg = positionalArgs(right).at(-1);
      if (!arg) continue;
      limit = arg.text();
    }
    const words = wordsOf(limit);
    if (hasWord(words, /^(max|maximum|limit)$/) && hasWord(words, /^(turns?|steps?|iterations?|rounds?)$/))
      out.push({ node: loop, limit });
  }
  return out;
}

interface Precheck {
  node: SgNode;
  how: 'loop-condition' | 'guard' | 'count-tokens' | 'bounded-loop' | 'budget-call';
  kind: BudgetKind | null;
  projection: boolean;
}

/** The budget check that runs before this model call: in the loop's condition or earlier in its body or function. */
/** Method names a budget object checks itself with before a model call. */
const CHECK_METHOD =
  '^(beforeModelCall|before_model_call|check|checkBefore|check_before|precheck|pre_check|reserve|canContinue|can_continue|ensure\\w*|assert\\w*|enforce\\w*|guard)$';

/**
 * Calls that ask a budget object whether the next model call may go ahead (`budget.beforeModelCall(p)`,
 * `self.budget.check(...)`, `enforceBudget(...)`): the check lives in the budget module, the call here.
 */
function budgetChecks(src: ParsedSource): SgNode[] {
  if (!/budget/i.test(src.file.text)) return [];
  const byMethod = callsMatching(src, CHECK_METHOD).filter((c) =>
    /budget/i.test(receiverText(calleeText(c))),
  );
  const byName = callsMatching(src, '^(check|enforce|assert|ensure)_?(within_?)?_?[bB]udget\\w*$');
  return [...byMethod, ...byName];
}

function precheck(
  call: SgNode,
  guards: readonly BudgetGuard[],
  counters: readonly TokenCounter[],
  rangeLoops: readonly { node: SgNode }[],
  py: boolean,
  checks: readonly SgNode[] = [],
): Precheck | undefined {
  // The call's function is needed only when no loop around it decides (see `scopes.ts`).
  let fn: SgNode | undefined | null = null;
  const sameFn = (n: SgNode) => {
    if (fn === null) fn = enclosingFunction(call, py);
    return sameNodeOf(enclosingFunction(n, py), fn);
  };
  for (let loop = enclosingLoop(call, py); loop; loop = enclosingLoop(loop, py)) {
    if (guards.length > 0) {
      const cond = loop.field('condition');
      const head = cond ?? loop;
      for (const g of guards) {
        if (cond && contains(cond, g.node))
          return { node: g.node, how: 'loop-condition', kind: g.kind, projection: g.projection };
        if (
          !cond &&
          loop.kind() === 'for_statement' &&
          !py &&
          contains(head, g.node) &&
          !contains(loop.field('body') ?? loop, g.node)
        )
          return { node: g.node, how: 'loop-condition', kind: g.kind, projection: g.projection };
      }
    }
    if (rangeLoops.length > 0) {
      // A range loop and a loop are one node when they start at one offset (each starts with its keyword).
      const at = startOf(loop);
      const r = rangeLoops.find((l) => startOf(l.node) === at);
      if (r) return { node: r.node, how: 'bounded-loop', kind: 'turns', projection: false };
    }
  }
  const before = guards.filter((g) => sameFn(g.node) && startOf(g.node) < startOf(call));
  const last = before.at(-1);
  if (last) return { node: last.node, how: 'guard', kind: last.kind, projection: last.projection };
  const counted = counters.find(
    (c) => c.how !== 'estimator' && sameFn(c.node) && startOf(c.node) < startOf(call),
  );
  if (counted) return { node: counted.node, how: 'count-tokens', kind: 'input-tokens', projection: true };
  const asked = checks.filter((c) => sameFn(c) && startOf(c) < startOf(call)).at(-1);
  // A projection handed to the check (`beforeModelCall(projection)`) makes it a projected pre-call check.
  if (asked)
    return { node: asked, how: 'budget-call', kind: 'tokens', projection: positionalArgs(asked).length > 0 };
  return undefined;
}

/**
 * `sameNode` of `syntax.ts` for functions and loops, by node id (one crossing, no range or kind): two such
 * nodes with the same range and kind are one node (each holds its own keyword before its body).
 */
function sameNodeOf(a: SgNode | undefined, b: SgNode | undefined): boolean {
  if (!a || !b) return a === b;
  return a.id() === b.id();
}

interface TokenCounter {
  node: SgNode;
  how: 'api' | 'tokenizer' | 'estimator';
  name: string;
}

const COUNT_API =
  /^(countTokens|count_tokens|get_num_tokens|getNumTokens|get_num_tokens_from_messages|count_tokens_approximately)$/;

function tokenCounters(src: ParsedSource, py: boolean): TokenCounter[] {
  const text = src.file.text;
  if (
    !/[cC]ount_?[tT]okens|num_tokens|[nN]umTokens|encoding_for_model|get_encoding|[eE]ncodingForModel|getEncoding|tiktoken|[tT]okenizer|(estimate|count|compute|calc|approx|measure)_?[tT]okens?/i.test(
      text,
    )
  )
    return [];
  const out: TokenCounter[] = [];
  for (const c of callsMatching(
    src,
    endsWithName([
      ...COUNT_API.source.slice(2, -2).split('|'),
      'encoding_for_model',
      'get_encoding',
      'encodingForModel',
      'getEncoding',
      'encode',
    ]),
  )) {
    const callee = calleeText(c);
    const name = lastSegment(callee);
    if (COUNT_API.test(name)) out.push({ node: c, how: 'api', name: callee });
    else if (/^(encoding_for_model|get_encoding|encodingForModel|getEncoding)$/.test(name))
      out.push({ node: c, how: 'tokenizer', name: callee });
    else if (
      name === 'encode' &&
      hasWord(wordsOf(receiverText(callee)), /^(enc|encoding|tokenizer|tiktoken|tok)$/)
    )
      out.push({ node: c, how: 'tokenizer', name: callee });
  }
  const estimatorHint =
    /(estimate|count|compute|calc|calculate|approx|approximate|measure|num)_?[tT]okens?/i.test(text);
  for (const fn of estimatorHint ? functionsIn(src.root, py) : []) {
    const name = functionName(fn);
    const words = wordsOf(name);
    if (!/^(estimate|count|compute|calc|calculate|approx|approximate|measure|num)$/.test(words[0] ?? ''))
      continue;
    if (!hasWord(words, /^tokens?$/)) continue;
    out.push({ node: fn, how: 'estimator', name });
  }
  return out;
}

const USAGE_FIELDS =
  /^(input_tokens|output_tokens|prompt_tokens|completion_tokens|total_tokens|inputTokens|outputTokens|promptTokens|completionTokens|totalTokens|cache_read_input_tokens|cache_creation_input_tokens|total_cost_usd|totalCostUsd)$/;

const USAGE_FIELD_SCANNER = nameScanner(USAGE_FIELDS.source.slice(2, -2).split('|'));

/** `total += response.usage.input_tokens` and `spent = spent + usage["output_tokens"]`. */
function usageAccounting(src: ParsedSource, py: boolean): { node: SgNode; fields: string[] }[] {
  if (!/_tokens|Tokens|cost_usd|CostUsd/.test(src.file.text)) return [];
  const out: { node: SgNode; fields: string[] }[] = [];
  // Only the field names the file's text holds can match (see `NameScan.present`).
  const fields = USAGE_FIELD_SCANNER.scan(src.file.text).present;
  if (fields.length === 0) return out;
  const kinds = py
    ? ['augmented_assignment', 'assignment']
    : ['augmented_assignment_expression', 'assignment_expression'];
  const mentionsUsage = {
    stopBy: 'end' as const,
    any: (py ? ['identifier', 'string_content'] : ['property_identifier', 'string_fragment']).map((kind) => ({
      kind,
      regex: `^(${fields.join('|')})$`,
    })),
  };
  for (const a of src.root.findAll({
    rule: { any: kinds.map((kind) => ({ kind })), has: { field: 'right', has: mentionsUsage } },
  })) {
    const left = a.field('left');
    const right = a.field('right');
    if (!left || !right) continue;
    const augmented = String(a.kind()).startsWith('augmented');
    if (!augmented) {
      // x = x + usage.input_tokens
      const op =
        right.kind() === 'binary_expression' || right.kind() === 'binary_operator' ? right : undefined;
      if (!op?.children().some((c) => c.text() === left.text())) continue;
    }
    const fields = usageFieldsIn(right, py);
    if (fields.length > 0) out.push({ node: a, fields });
  }
  return out;
}

function usageFieldsIn(node: SgNode, py: boolean): string[] {
  const found = new Set<string>();
  const kinds = py
    ? ['identifier', 'string_content']
    : ['property_identifier', 'identifier', 'string_fragment'];
  const props = node.findAll({ rule: { any: kinds.map((kind) => ({ kind })) } });
  if (node.kind() === 'identifier') props.push(node);
  for (const p of props) if (USAGE_FIELDS.test(p.text())) found.add(p.text());
  return [...found];
}

const BUDGET_REASON =
  /^(error_)?max_(turns|steps|iterations|budget(_usd)?|cost|time|duration|tool_calls)$|(^|_)(budget|turn_?limit|token_?limit|cost_?limit|step_?limit|exceeded|exhausted|timeout|timed_out|deadline)(_|$)/;
const REASON_SET_NAME = /^(stop|reason|reasons|termination|terminal|exit|finish|end|outcome|halt)$/;
const BUDGET_ERROR_CLASS =
  /(Budget|MaxTurns|Turns?Limit|TokenLimit|Tokens?Budget|CostLimit|MaxSteps|StepLimit|MaxIterations|IterationsLimit|UsageLimit)(Exceeded|Exhausted|Reached)?(Error|Exception)?$/;
const SDK_BUDGET_RESULTS = /^(error_max_turns|error_max_budget_usd|max_turns|max_budget)$/;
const SDK_BUDGET_LITERAL = /["'`](error_max_turns|error_max_budget_usd|max_turns|max_budget)["'`]/;
const SDK_BUDGET_ERRORS = /^(MaxTurnsExceeded|MaxTurnsExceededError)$/;

/** `except MaxTurnsExceeded` / `instanceof MaxTurnsExceededError` with the SDK's error imported. */
function sdkErrorEndings(
  ctx: EmitContext,
  src: ParsedSource,
  py: boolean,
): { node: SgNode; data: Record<string, string> }[] {
  const out: { node: SgNode; data: Record<string, string> }[] = [];
  const sdkErrors = ctx
    .imports(src)
    .filter((b) => SDK_BUDGET_ERRORS.test(b.imported))
    .map((b) => b.local);
  if (sdkErrors.length > 0) {
    const handlers = py
      ? src.root.findAll({ rule: { kind: 'except_clause' } })
      : src.root.findAll({
          rule: { kind: 'binary_expression', has: { field: 'operator', regex: '^instanceof$' } },
        });
    for (const h of handlers) {
      const ids = h.findAll({ rule: { kind: 'identifier' } }).map((i) => i.text());
      const hit = sdkErrors.find((e) => ids.includes(e));
      if (hit) out.push({ node: h, data: { how: 'sdk-error', name: hit } });
    }
  }
  return out;
}

function normal(v: string): string {
  return v
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function stopReasons(
  ctx: EmitContext,
  src: ParsedSource,
  py: boolean,
): { node: SgNode; data: Record<string, string | string[]> }[] {
  const out: { node: SgNode; data: Record<string, string | string[]> }[] = [];
  for (const set of nameSets(src)) {
    const budget = set.values.filter((v) => BUDGET_REASON.test(normal(v)));
    const named = hasWord(wordsOf(set.name), REASON_SET_NAME);
    if (budget.length >= 2 || (budget.length >= 1 && named && set.values.length >= 2))
      out.push({
        node: set.node,
        data: { how: set.how === 'union' ? 'union' : 'enum', name: set.name, reasons: set.values },
      });
  }
  const classKind = py ? 'class_definition' : 'class_declaration';
  if (/class\s+\w*(Budget|MaxTurns|Limit|MaxSteps|MaxIterations|Exceeded|Exhausted)\w*/.test(src.file.text)) {
    for (const cls of src.root.findAll({ rule: { kind: classKind } })) {
      const name = cls.field('name')?.text() ?? '';
      if (BUDGET_ERROR_CLASS.test(name) && /(Error|Exception|Exceeded|Exhausted|Reached)$/.test(name))
        out.push({ node: cls, data: { how: 'error-class', name } });
    }
  }
  // SDK-typed endings: except MaxTurnsExceeded / instanceof MaxTurnsExceededError / subtype === 'error_max_turns'
  out.push(...sdkErrorEndings(ctx, src, py));
  // Speed gate (besides the first test): a string literal spelling one of SDK_BUDGET_RESULTS.
  if (/error_max_|max_turns/.test(src.file.text) && SDK_BUDGET_LITERAL.test(src.file.text)) {
    for (const n of src.root.findAll({ rule: { kind: py ? 'comparison_operator' : 'binary_expression' } })) {
      const eq = equalsString(n, py);
      if (
        eq &&
        SDK_BUDGET_RESULTS.test(eq.value) &&
        hasWord(wordsOf(eq.subject.text()), /^(subtype|reason|stop|status|type)$/)
      )
        out.push({ node: n, data: { how: 'sdk-result', name: eq.value } });
    }
  }
  return out;
}
