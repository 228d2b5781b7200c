import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../core/parse-source.js';
import { nodesOf } from './state-budget/file-index.js';
import { modelCalls } from './state-budget/model-calls.js';
import { spans, spansWithin } from './state-budget/name-scan.js';
import {
  argsOf,
  bodyOf,
  calleeText,
  callsIn,
  callsMatching,
  callsOf,
  contains,
  enclosingFunction,
  endsWithName,
  equalsString,
  fileComparisons,
  functionName,
  functionsIn,
  isPython,
  lastSegment,
  orderComparisons,
  pairsOf,
  positionalArgs,
  receiverText,
  startOf,
  stringValue,
} from './state-budget/syntax.js';
import { hasWord, wordsOf } from './state-budget/vocab.js';
import type { Detector, EmitContext } from './types.js';

export const FACT_KINDS = ['compaction.trigger', 'compaction.tier', 'compaction.thrash-guard'] as const;

export const compactionDetector: Detector = {
  id: 'compaction',
  description:
    'Context compaction: thresholds that trigger it, tiers (trim or clear tool results, summarise, hard truncation, Anthropic context_management edits, framework summarisers) and thrash guards.',
  file(ctx) {
    analyseFile(ctx, ctx.src);
  },
};

const SERVER_EDIT = /^(clear_tool_uses|compact|clear_thinking)_\d{8}$/;
const COMPACT_WORDS =
  /^(compact|compaction|compacted|autocompact|microcompact|summarize|summarise|summarization|summarisation|summary|condense|compress|compression)$/;
const REDUCE_WORDS = /^(trim|truncate|prune|shrink|fit|drop|evict|elide|clear|cull|window)$/;
const CONVERSATION_WORDS = /^(messages|msgs|history|conversation|transcript|context|turns|thread)$/;
const SIZE_WORDS = /^(tokens?|context|chars|characters|size|usage|window|bytes)$/;
/** `.length` measures size only of serialised text; `messages.length` is a count. */
const TEXT_WORDS = /^(stringify|dumps|text|content|json|serialized|serialised)$/;
const THRESHOLD_WORDS = /^(max|maximum|limit|threshold|window|budget|capacity|trigger|ceiling|cap)$/;

/** Framework mechanisms by exported name → tier. Counted only when imported, never when defined locally. */
const SDK_TIERS: Record<string, string> = {
  trim_messages: 'fallback',
  trimMessages: 'fallback',
  SummarizationMiddleware: 'summarize',
  summarizationMiddleware: 'summarize',
  ConversationSummaryBufferMemory: 'summarize',
  ConversationSummaryMemory: 'summarize',
  SummarizationNode: 'summarize',
  summarize_messages: 'summarize',
  OpenAIResponsesCompactionSession: 'summarize',
};
const SDK_TRIGGER_OPTIONS =
  /^(trigger|max_tokens_before_summary|maxTokensBeforeSummary|contextTokenThreshold|context_token_threshold|max_token_limit|maxTokenLimit)$/;

function analyseFile(ctx: EmitContext, src: ParsedSource): void {
  const py = isPython(src);
  const file = src.file;
  const text = file.text;
  const emitTier = (node: SgNode, tier: string, via: 'code' | 'sdk', detail: Record<string, string> = {}) =>
    ctx.emit('compaction.tier', file, node, { tier, via, ...detail });

  // One scan instead of one per rule: a file without any of the rules' words skips them all.
  const rare = RARE_TEXT.test(text);
  if (rare && /_\d{8}/.test(text)) serverEdits(ctx, src, py);
  sdkTiers(ctx, src, emitTier, rare);
  sdkSettings(ctx, src, py, emitTier, rare);

  const toolResultHint = /tool_result|function_call_output|['"]tool['"]/.exec(text)?.[0];
  const toolResults = toolResultHint !== undefined;
  if (!rare && !toolResults) return;
  const gate =
    /compact|summar|trim|truncat|prune|tool_result|slice|splice|shift|pop|condense|compress|clear|\[-|\bdel /i;
  // `tool_result` is one of the gate's words.
  if (toolResultHint !== 'tool_result' && !gate.test(text)) return;
  const models = rare && /compact|summar|condense|compress/i.test(text) ? modelCalls(src) : [];
  if (models.length > 0) {
    for (const fn of functionsIn(src.root, py)) {
      if (!hasWord(wordsOf(functionName(fn)), COMPACT_WORDS)) continue;
      const body = bodyOf(fn);
      if (models.some((m) => contains(body, m)) && mentionsConversation(body, py))
        emitTier(fn, 'summarize', 'code', { name: functionName(fn) });
    }
  }
  // Placeholder replacement: start from the tool-result tests, then look at their function only.
  if (toolResults) {
    const seen = new Set<number>();
    for (const test of toolResultTests(src, py)) {
      const fn = enclosingFunction(test, py);
      if (!fn || seen.has(startOf(fn))) continue;
      seen.add(startOf(fn));
      const clear = clearedToolResult(bodyOf(fn), py);
      if (clear) emitTier(clear, 'clear-tool-results', 'code');
    }
  }
  // Speed gates below are necessary conditions of each rule: a capped result slice, a cut message list,
  // a size word next to a compaction word, a counter named for compaction.
  if (!rare) return;
  if (
    /(MAX|max|LIMIT|[lL]imit|CAP|[cC]ap)\w*(RESULT|[rR]esult|OUTPUT|[oO]utput|CHARS|[cC]hars|LENGTH|[lL]ength|SIZE|[sS]ize)/.test(
      text,
    )
  )
    for (const t of trimmedToolResults(src, py)) emitTier(t, 'trim-tool-results', 'code');
  if (/(messages|msgs|history|conversation|transcript|turns)(\.(shift|splice|slice|pop)\(|\[)/i.test(text))
    for (const f of droppedMessages(src, py)) emitTier(f, 'fallback', 'code');

  if (
    /compact|summar|trim|truncat|prune|shrink|condense|compress|shift|splice|pop/i.test(text) &&
    /token|context|window|chars|usage/i.test(text)
  )
    for (const t of triggers(src, py))
      ctx.emit('compaction.trigger', file, t.node, { via: 'code', threshold: t.threshold, ratio: t.ratio });
  if (/compact|summar/i.test(text))
    for (const g of thrashGuards(src)) ctx.emit('compaction.thrash-guard', file, g.node, { how: g.how });
}

/**
 * What the text must hold, in any case, for a rule other than the tool-result placeholder: a server edit's
 * date, `compactionControl`, `truncation`/`lastMessages`, a capped result, a cut message list, or a
 * compaction or reduction word (the triggers and thrash guards need one).
 */
const RARE_TEXT =
  /_\d{8}|lastmessages|(?:max|limit|cap)\w*(?:result|output|chars|length|size)|(?:messages|msgs|history|conversation|transcript|turns)(?:\.slice\(|\[)|compact|summar|trim|truncat|prune|shrink|condense|compress|shift|splice|pop/i;

function mentionsConversation(body: SgNode, py: boolean): boolean {
  const kinds = py ? ['identifier'] : ['identifier', 'property_identifier', 'shorthand_property_identifier'];
  return body
    .findAll({ rule: { any: kinds.map((kind) => ({ kind })) } })
    .some((id) => hasWord(wordsOf(id.text()), CONVERSATION_WORDS));
}

/** Anthropic `context_management.edits`: `{ type: 'clear_tool_uses_20250919', trigger: {...} }`. */
function serverEdits(ctx: EmitContext, src: ParsedSource, py: boolean): void {
  for (const obj of src.root.findAll({ rule: { kind: py ? 'dictionary' : 'object' } })) {
    const pairs = pairsOf(obj);
    const type = pairs.find((p) => p.key === 'type');
    const edit = type ? stringValue(type.value) : undefined;
    if (!edit || !SERVER_EDIT.test(edit)) continue;
    ctx.emit('compaction.tier', src.file, obj, { tier: 'server-edit', via: 'sdk', edit });
    const trigger = pairs.find((p) => p.key === 'trigger');
    if (trigger)
      ctx.emit('compaction.trigger', src.file, trigger.node, {
        via: 'sdk',
        threshold: trigger.value.text().slice(0, 80),
        ratio: false,
      });
  }
}

function sdkTiers(
  ctx: EmitContext,
  src: ParsedSource,
  emitTier: (node: SgNode, tier: string, via: 'code' | 'sdk', detail?: Record<string, string>) => void,
  rare: boolean,
): void {
  const imported = new Map<string, string>();
  for (const b of ctx.imports(src)) {
    if (b.module.startsWith('.') || !Object.hasOwn(SDK_TIERS, b.imported)) continue;
    imported.set(b.local, SDK_TIERS[b.imported]!);
  }
  if (imported.size === 0) {
    if (rare) anthropicCompactionControl(ctx, src);
    return;
  }
  for (const call of callsOf(src)) {
    const callee = calleeText(call);
    const tier = imported.get(callee) ?? imported.get(callee.split('.')[0] ?? '');
    if (!tier) continue;
    emitTier(call, tier, 'sdk', { name: callee });
    for (const a of argsOf(call)) {
      const name = a.kind() === 'keyword_argument' ? a.field('name')?.text() : undefined;
      if (name && (SDK_TRIGGER_OPTIONS.test(name) || (tier === 'fallback' && name === 'max_tokens')))
        ctx.emit('compaction.trigger', src.file, a, {
          via: 'sdk',
          threshold: a.field('value')?.text().slice(0, 80) ?? '',
          ratio: false,
        });
      if (a.kind() === 'object')
        for (const p of pairsOf(a))
          if (SDK_TRIGGER_OPTIONS.test(p.key) || p.key === 'maxTokens' || p.key === 'max_tokens')
            ctx.emit('compaction.trigger', src.file, p.node, {
              via: 'sdk',
              threshold: p.value.text().slice(0, 80),
              ratio: false,
            });
    }
  }
  if (rare) anthropicCompactionControl(ctx, src);
}

/** The Anthropic SDK tool runner's client-side compaction: `compactionControl: { enabled, contextTokenThreshold }`. */
const CLAUDE_SDK =
  /^(@anthropic-ai\/claude-agent-sdk|@anthropic-ai\/claude-code|claude_agent_sdk|claude_code_sdk)$/;

/**
 * Settings that hand compaction to a platform: OpenAI `truncation: 'auto'`, Mastra memory
 * `lastMessages: N` (count-only), and the Claude Agent SDK's built-in auto-compaction, which applies to
 * every query() whether configured or not (`default: true`).
 */
function sdkSettings(
  ctx: EmitContext,
  src: ParsedSource,
  py: boolean,
  emitTier: (node: SgNode, tier: string, via: 'code' | 'sdk', detail?: Record<string, string>) => void,
  rare: boolean,
): void {
  const bindings = ctx.imports(src);
  const text = src.file.text;
  if (rare && /truncation|lastMessages/.test(text)) {
    const pairs = py
      ? callsOf(src).flatMap((c) =>
          argsOf(c)
            .filter((a) => a.kind() === 'keyword_argument')
            .map((a) => ({ key: a.field('name')?.text() ?? '', value: a.field('value'), node: a })),
        )
      : src.root.findAll({ rule: { kind: 'object' } }).flatMap((o) => pairsOf(o));
    for (const p of pairs) {
      if (p.key === 'truncation' && p.value && stringValue(p.value) === 'auto')
        emitTier(p.node, 'fallback', 'sdk', { name: 'truncation' });
      if (
        p.key === 'lastMessages' &&
        p.value &&
        /^\d+$/.test(p.value.text()) &&
        bindings.some((b) => b.module.startsWith('@mastra/'))
      )
        emitTier(p.node, 'fallback', 'sdk', { name: 'lastMessages' });
    }
  }
  const claudeLocals = new Set(bindings.filter((b) => CLAUDE_SDK.test(b.module)).map((b) => b.local));
  if (claudeLocals.size === 0) return;
  const entry = callsOf(src).find((c) => {
    const callee = calleeText(c);
    return claudeLocals.has(callee) && /^(query|ClaudeSDKClient)$/.test(lastSegment(callee));
  });
  if (entry)
    ctx.emit('compaction.tier', src.file, entry, {
      tier: 'summarize',
      via: 'sdk',
      name: 'auto-compact',
      default: true,
    });
}

function anthropicCompactionControl(ctx: EmitContext, src: ParsedSource): void {
  if (!/compaction_?[cC]ontrol/.test(src.file.text)) return;
  const py = isPython(src);
  for (const obj of src.root.findAll({ rule: { kind: py ? 'dictionary' : 'object' } })) {
    for (const p of pairsOf(obj)) {
      if (p.key !== 'compactionControl' && p.key !== 'compaction_control') continue;
      ctx.emit('compaction.tier', src.file, p.node, { tier: 'summarize', via: 'sdk', name: p.key });
      if (p.value.kind() === 'object' || p.value.kind() === 'dictionary') {
        const t = pairsOf(p.value).find((q) => SDK_TRIGGER_OPTIONS.test(q.key));
        if (t)
          ctx.emit('compaction.trigger', src.file, t.node, {
            via: 'sdk',
            threshold: t.value.text().slice(0, 80),
            ratio: false,
          });
      }
    }
  }
  if (py) {
    for (const call of callsOf(src))
      for (const a of argsOf(call))
        if (a.kind() === 'keyword_argument' && a.field('name')?.text() === 'compaction_control')
          ctx.emit('compaction.tier', src.file, a, {
            tier: 'summarize',
            via: 'sdk',
            name: 'compaction_control',
          });
  }
}

const TOOL_RESULT_MARKERS = /^(tool_result|tool|function_call_output|function|toolResult|tool-result)$/;

/**
 * Old tool results replaced with a placeholder: in one function, a test that a block/message is a tool
 * result and an assignment of a string literal to its content.
 */
function toolResultTests(src: ParsedSource, py: boolean): SgNode[] {
  // The file's comparisons (see `nodesOf`) with a string operand spelled as a marker: the former query's
  // rule, read here (a regex in the query costs more to compile than reading the few candidates).
  // A marker string child is part of the comparison's text: a comparison without one is not read.
  const text = src.file.text;
  const markers = spans(text, MARKER_SPAN);
  if (
    !markers.some(
      ([start, end]) =>
        !BESIDE_OPERAND.has(charBefore(text, start)) || !BESIDE_OPERAND.has(charAfter(text, end)),
    )
  )
    return [];
  return nodesOf(src, 'comparisons').filter((t) => {
    if (!spansWithin(markers, t) || !hasMarkerString(t, py)) return false;
    const eq = equalsString(t, py);
    return (
      eq !== undefined &&
      TOOL_RESULT_MARKERS.test(eq.value) &&
      hasWord(wordsOf(eq.subject.text()), /^(type|role|kind)$/)
    );
  });
}

/**
 * A quoted marker with one of these on both sides (past blanks) is no operand of `==`/`===`: on the
 * operator's side of an operand is the operator, or the operand's own prefix or third quote (`r'tool'`,
 * `"""tool"""`). Anything else (a line break, a comment, an unusual blank) may be the operator's side.
 */
const BESIDE_OPERAND = new Set([':', ',', '(', '[', '{', ')', ']', '}', ';']);
const charBefore = (text: string, i: number) => {
  let k = i - 1;
  while (text[k] === ' ' || text[k] === '\t') k--;
  return text[k] ?? '';
};
const charAfter = (text: string, i: number) => {
  let k = i;
  while (text[k] === ' ' || text[k] === '\t') k++;
  return text[k] ?? '';
};

const MARKER_STRING = new RegExp(`^["'](${TOOL_RESULT_MARKERS.source.slice(2, -2)})["']$`);
const MARKER_SPAN = new RegExp(`["'](${TOOL_RESULT_MARKERS.source.slice(2, -2)})["']`, 'g');

/** A direct child string spelled as a tool-result marker (JS: the operands are the only such children). */
function hasMarkerString(t: SgNode, py: boolean): boolean {
  const marker = (c: SgNode | null) => c?.kind() === 'string' && MARKER_STRING.test(c.text());
  if (py) return t.children().some(marker);
  return marker(t.field('left')) || marker(t.field('right'));
}

function clearedToolResult(body: SgNode, py: boolean): SgNode | undefined {
  const contentKey = /^(content|output|result|text)$/;
  if (py) {
    for (const a of body.findAll({ rule: { kind: 'assignment' } })) {
      const left = a.field('left');
      const right = a.field('right');
      const key =
        left?.kind() === 'subscript'
          ? stringValue(left.field('subscript') ?? left)
          : lastSegment(left?.text() ?? '');
      if (
        left &&
        right &&
        key &&
        contentKey.test(key) &&
        stringValue(right) !== undefined &&
        stringValue(right) !== ''
      )
        return a;
    }
    for (const d of body.findAll({ rule: { kind: 'dictionary' } }))
      for (const p of pairsOf(d))
        if (contentKey.test(p.key) && (stringValue(p.value) ?? '') !== '') return p.node;
    return undefined;
  }
  for (const a of body.findAll({ rule: { kind: 'assignment_expression' } })) {
    const left = a.field('left');
    const right = a.field('right');
    if (left && right && contentKey.test(lastSegment(left.text())) && (stringValue(right) ?? '') !== '')
      return a;
  }
  for (const o of body.findAll({ rule: { kind: 'object' } }))
    for (const p of pairsOf(o))
      if (contentKey.test(p.key) && (stringValue(p.value) ?? '') !== '') return p.node;
  return undefined;
}

const RESULT_WORDS = /^(result|results|output|outputs|content|stdout|observation)$/;
const CAP_WORDS = /^(max|limit|cap|maximum)$/;

/** Large tool output cut to a cap: `output.slice(0, MAX_TOOL_RESULT_CHARS)`, `result[:max_output_chars]`. */
function trimmedToolResults(src: ParsedSource, py: boolean): SgNode[] {
  const out: SgNode[] = [];
  const capped = (n: SgNode) => {
    const w = wordsOf(n.text());
    return (
      hasWord(w, CAP_WORDS) &&
      hasWord(w, /^(chars|characters|length|len|size|bytes|tokens|result|output|results|outputs)$/)
    );
  };
  const toolContext = (n: SgNode, subject: string) => {
    const fn = enclosingFunction(n, py);
    const w = [...wordsOf(subject), ...wordsOf(fn ? functionName(fn) : '')];
    return (
      hasWord(w, RESULT_WORDS) &&
      (hasWord(w, /^(tool|tools|result|results|output|outputs)$/) ||
        hasWord(w, /^(truncate|trim|cap|clip|shorten)$/))
    );
  };
  if (py) {
    for (const sub of src.root.findAll({ rule: { kind: 'subscript', has: { kind: 'slice' } } })) {
      const slice = sub.find({ rule: { kind: 'slice' } });
      const value = sub.field('value');
      if (slice && value && capped(slice) && toolContext(sub, value.text())) out.push(sub);
    }
    return out;
  }
  for (const call of callsMatching(src, endsWithName(['slice', 'substring', 'substr']))) {
    const callee = calleeText(call);
    const name = lastSegment(callee);
    if (name !== 'slice' && name !== 'substring' && name !== 'substr') continue;
    const limit = positionalArgs(call).find(capped);
    if (limit && toolContext(call, receiverText(callee))) out.push(call);
  }
  return out;
}

/** Hard truncation of the conversation: shift/splice/slice/del on the message list, when reducing it is the point. */
function droppedMessages(src: ParsedSource, py: boolean): SgNode[] {
  const out: SgNode[] = [];
  const onMessages = (text: string) =>
    hasWord(wordsOf(text), /^(messages|msgs|history|conversation|transcript|turns)$/);
  const reducing = (n: SgNode) => {
    const fn = enclosingFunction(n, py);
    if (
      fn &&
      hasWord(wordsOf(functionName(fn)), new RegExp(`${REDUCE_WORDS.source}|${COMPACT_WORDS.source}`))
    )
      return true;
    for (let p = n.parent(); p; p = p.parent()) {
      const k = p.kind();
      if (k === 'if_statement' || k === 'while_statement') {
        const cond = p.field('condition');
        if (cond && orderComparisons(cond, py).some((c) => isSizeThreshold(c.left, c.right))) return true;
        if (cond && orderComparisons(cond, py).length > 0 && k === 'while_statement') return true;
        // if (messages.length > KEEP) — count-only, still a truncation of the list
        if (
          cond &&
          orderComparisons(cond, py).some((c) => onMessages(c.left.text()) || onMessages(c.right.text()))
        )
          return true;
      }
      if (fn && contains(p, fn)) break;
    }
    return false;
  };
  if (py) {
    for (const call of callsMatching(src, endsWithName(['pop']))) {
      const callee = calleeText(call);
      const first = positionalArgs(call)[0];
      if (
        lastSegment(callee) === 'pop' &&
        first?.text() === '0' &&
        onMessages(receiverText(callee)) &&
        reducing(call)
      )
        out.push(call);
    }
    for (const sub of src.root.findAll({ rule: { kind: 'subscript', has: { kind: 'slice' } } })) {
      const value = sub.field('value');
      const slice = sub.find({ rule: { kind: 'slice' } });
      if (!value || !slice || !onMessages(value.text())) continue;
      // messages[-N:] keeps the tail; del messages[:k] drops the head
      const keepsTail = /^-/.test(slice.text());
      const deleted = sub.parent()?.kind() === 'delete_statement';
      if ((keepsTail || deleted) && reducing(sub)) out.push(sub);
    }
    return out;
  }
  for (const call of callsMatching(src, endsWithName(['shift', 'splice', 'slice']))) {
    const callee = calleeText(call);
    const name = lastSegment(callee);
    if (!onMessages(receiverText(callee))) continue;
    const first = positionalArgs(call)[0];
    const drops =
      name === 'shift' ||
      (name === 'splice' && first?.text() === '0') ||
      (name === 'slice' && first !== undefined && /^-/.test(first.text()));
    if (drops && reducing(call)) out.push(call);
  }
  return out;
}

function isSizeThreshold(a: SgNode, b: SgNode): boolean {
  const aw = wordsOf(a.text());
  const bw = wordsOf(b.text());
  const size = (w: string[]) =>
    hasWord(w, SIZE_WORDS) || (hasWord(w, /^(length|len)$/) && hasWord(w, TEXT_WORDS));
  const limit = (w: string[], n: SgNode) => hasWord(w, THRESHOLD_WORDS) || /^\d[\d_]{3,}$/.test(n.text());
  return (size(aw) && limit(bw, b)) || (size(bw) && limit(aw, a));
}

/**
 * A size threshold whose branch compacts: `if (tokens > limit * 0.8) await compact(messages)`, or the
 * body of a `shouldCompact()`-style predicate.
 */
function triggers(src: ParsedSource, py: boolean): { node: SgNode; threshold: string; ratio: boolean }[] {
  const out: { node: SgNode; threshold: string; ratio: boolean }[] = [];
  const compactCall = (scope: SgNode) =>
    callsIn(scope, py).some((c) => {
      const callee = calleeText(c);
      const w = wordsOf(lastSegment(callee));
      if (hasWord(w, COMPACT_WORDS) || hasWord(w, REDUCE_WORDS)) return true;
      // dropping from the message list in place: messages.shift(), history.pop(0)
      return (
        /^(shift|splice|pop)$/.test(lastSegment(callee)) &&
        hasWord(wordsOf(receiverText(callee)), /^(messages|msgs|history|conversation|transcript)$/)
      );
    });
  for (const cmp of fileComparisons(src)) {
    if (!isSizeThreshold(cmp.left, cmp.right)) continue;
    if (
      hasWord(
        wordsOf(`${cmp.left.text()} ${cmp.right.text()}`),
        /^(retry|retries|attempts?|turns?|steps?|cost|usd)$/,
      )
    )
      continue;
    const limitSide =
      hasWord(wordsOf(cmp.right.text()), THRESHOLD_WORDS) || /^\d/.test(cmp.right.text())
        ? cmp.right
        : cmp.left;
    const ratio =
      /[*/]/.test(limitSide.text()) ||
      hasWord(wordsOf(limitSide.text()), /^(pct|percent|ratio|fraction|share)$/);
    // Inside a compaction function, the threshold is the trigger whichever branch it guards.
    const fn = enclosingFunction(cmp.node, py);
    let hit = fn !== undefined && hasWord(wordsOf(functionName(fn)), COMPACT_WORDS);
    for (let p = cmp.node.parent(); p && !hit; p = p.parent()) {
      const k = p.kind();
      if (
        k === 'if_statement' ||
        k === 'while_statement' ||
        k === 'ternary_expression' ||
        k === 'conditional_expression'
      ) {
        const branch = p.field('consequence') ?? p.field('body') ?? p;
        hit = compactCall(branch);
        break;
      }
      if (String(k).endsWith('statement') || k === 'block' || k === 'statement_block') break;
    }
    if (hit) out.push({ node: cmp.node, threshold: limitSide.text().slice(0, 80), ratio });
  }
  return out;
}

const GUARD_WORDS =
  /^(fail|fails|failed|failure|failures|attempt|attempts|retry|retries|consecutive|count|tries|cooldown|last|since|backoff)$/;

/** A limit on compaction attempts or failures, or a cooldown since the last one. */
function thrashGuards(src: ParsedSource): { node: SgNode; how: 'failure-counter' | 'cooldown' }[] {
  const out: { node: SgNode; how: 'failure-counter' | 'cooldown' }[] = [];
  for (const cmp of fileComparisons(src)) {
    const words = wordsOf(`${cmp.left.text()} ${cmp.right.text()}`);
    if (!hasWord(words, COMPACT_WORDS) || !hasWord(words, GUARD_WORDS)) continue;
    const how = hasWord(words, /^(cooldown|last|since|backoff)$/) ? 'cooldown' : 'failure-counter';
    out.push({ node: cmp.node, how });
  }
  return out;
}
