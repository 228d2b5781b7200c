import type { SgNode } from '@ast-grep/napi';
import { moduleMatches } from '../core/imports.js';
import type { ParsedSource } from '../core/parse-source.js';
import { argumentsRule, type CallGroup, callGroups, type GroupPattern } from './runtime/call-groups.js';
import { eventUnions, SEQ_FIELD } from './runtime/event-unions.js';
import { correlationIds } from './runtime/ids.js';
import { caselessRegex, mayHaveInStrings } from './runtime/string-texts.js';
import {
  argsOf,
  calleeName,
  calleePath,
  caseless,
  enclosingFunction,
  keywordArg,
  kindsRule,
  objectEntries,
  positionalArgs,
  receiverOf,
  stringPrefix,
  stringValue,
} from './runtime/syntax.js';
import type { Detector, EmitContext } from './types.js';

/**
 * Fact kinds of this detector:
 * - `events.union` {name, members, hasTerminal, hasStopReason}: a closed, typed event family.
 * - `events.emit` {api}: the harness delivers events to listeners while it runs.
 * - `events.sequence` {field}: a counter is incremented and attached to each event.
 * - `events.ids` {ids, via}: events carry correlation ids (session, run, turn, toolCall, trace).
 * - `events.sdk-stream` {sdk, api}: the project consumes a provider/SDK stream (weaker than exposing one).
 */
export const FACT_KINDS = [
  'events.union',
  'events.emit',
  'events.sequence',
  'events.ids',
  'events.sdk-stream',
] as const;

type EmitApi = 'emitter' | 'callback' | 'async-iterator' | 'sse' | 'stream';

const EMITTER_MODULES = [
  'events',
  'node:events',
  'eventemitter3',
  'emittery',
  'mitt',
  'tiny-emitter',
  'pyee',
  'blinker',
];
const CALLBACK_NAME =
  /^on_?(event|events|message|update|progress|chunk|delta|token|step|stream_?event|agent_?event|run_?event|tool_?call|tool_?use|tool_?result|tool_?start|tool_?end|text|status)$/i;
/** Callee names `detectEmits` acts on, besides those CALLBACK_NAME accepts. */
const EMIT_CALL_NAMES = new Set([
  'emit',
  'emit_event',
  'publish',
  'write',
  'enqueue',
  'send',
  'streamSSE',
  'writeSSE',
  'EventSourceResponse',
  'ServerSentEvent',
  'setHeader',
  'writeHead',
  'header',
  'set',
]);
const isEmitCallName = (name: string) => EMIT_CALL_NAMES.has(name) || CALLBACK_NAME.test(name);
const EMIT_CALL_NAME_LIST = [...EMIT_CALL_NAMES];
const CALLBACK_BODY = CALLBACK_NAME.source.replace(/^\^|\$$/g, '');
/** CALLBACK_NAME for `callGroups` (its source has letters, `_`, `?`, groups and `|` only). */
const CALLBACK_PATTERN: GroupPattern = { js: new RegExp(CALLBACK_BODY, 'i'), rust: caseless(CALLBACK_BODY) };
const LISTENER_COLLECTION = /(listeners|subscribers|handlers|callbacks|observers|sinks|watchers)$/i;
const LISTENER_COLLECTION_WORD = caselessRegex(
  /listeners|subscribers|handlers|callbacks|observers|sinks|watchers/i,
);
/** A loop statement's keyword or a `forEach` callee. */
const LOOP_WORD = /\bfor\b|forEach/;
/** `seq` in any case, which `sequence` has too. */
const SEQ_TEXT = caselessRegex(/seq/i);
const EVENT_VALUE_NAME = /^(e|ev|evt|event|events|msg|message|chunk|update|payload)$/i;
const EVENT_FACTORY = /(^|[a-z])Event$|^(make|create|build|new|to)_?\w*[Ee]vent$/;
const SEQ_VALUE_CALL = /seq|next|counter|tick/i;

/** Keys of an object or dict literal, or undefined when the node is not one. */
function literalKeys(node: SgNode | null | undefined): Set<string> | undefined {
  if (!node) return undefined;
  const k = node.kind();
  if (k !== 'object' && k !== 'dictionary') return undefined;
  return new Set(objectEntries(node).keys());
}

const isTypedRecord = (node: SgNode | null | undefined) => {
  const keys = literalKeys(node);
  return keys !== undefined && (keys.has('type') || keys.has('kind') || keys.has('event'));
};

/** A value that is an event being delivered: a typed record, a `new XEvent()`, or a call to an event factory. */
function isEventValue(node: SgNode | null | undefined, eventClasses: Set<string>): boolean {
  if (!node) return false;
  if (isTypedRecord(node)) return true;
  const k = node.kind();
  if (k === 'new_expression') return EVENT_FACTORY.test(node.field('constructor')?.text() ?? '');
  if (k === 'call_expression' || k === 'call') {
    const name = calleeName(node);
    return EVENT_FACTORY.test(name) || eventClasses.has(name);
  }
  if (k === 'identifier') return EVENT_VALUE_NAME.test(node.text());
  return false;
}

function ssePrefix(node: SgNode | undefined): boolean {
  if (!node) return false;
  let head: SgNode | null = node;
  while (head && head.kind() === 'binary_expression') head = head.field('left');
  const prefix = stringPrefix(head);
  return prefix !== undefined && /^(data|event|id|retry):/.test(prefix);
}

class Emitter {
  private seen = new Set<string>();
  constructor(
    private ctx: EmitContext,
    private src: ParsedSource,
  ) {}
  emit(kind: string, node: SgNode, data: Record<string, string | boolean | string[]>) {
    const key = `${kind}:${node.range().start.line}:${JSON.stringify(data)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.ctx.emit(kind, this.src.file, node, data);
  }
}

function detectUnions(src: ParsedSource, out: Emitter): Set<string> {
  const names = new Set<string>();
  for (const u of eventUnions(src)) {
    out.emit('events.union', u.node, {
      name: u.name,
      members: u.members,
      hasTerminal: u.hasTerminal,
      hasStopReason: u.hasStopReason,
    });
    if (u.ids.length > 0) out.emit('events.ids', u.node, { ids: u.ids, via: 'type' });
    if (u.seqOnEvery) out.emit('events.sequence', u.node, { field: 'type', via: 'type' });
    names.add(u.name);
  }
  return names;
}

function eventClassNames(src: ParsedSource): Set<string> {
  const names = new Set<string>();
  if (src.language !== 'python') return names;
  for (const cls of src.root.findAll({ rule: { kind: 'class_definition' } })) {
    const n = cls.field('name')?.text();
    if (n && /Event$|Message$|Update$|Chunk$/.test(n)) names.add(n);
  }
  return names;
}

function hasEmitterSource(ctx: EmitContext, src: ParsedSource): boolean {
  if (ctx.imports(src).some((b) => EMITTER_MODULES.some((m) => moduleMatches(b.module, m)))) return true;
  const rule =
    src.language === 'python'
      ? {
          any: [
            { kind: 'call', has: { field: 'function', regex: 'Emitter$' } },
            { kind: 'argument_list', regex: 'Emitter\\b', inside: { kind: 'class_definition' } },
          ],
        }
      : {
          any: [
            { kind: 'new_expression', has: { field: 'constructor', regex: 'Emitter$' } },
            { kind: 'class_heritage', regex: 'Emitter\\b' },
          ],
        };
  return src.root.find({ rule }) !== null;
}

function recordIds(value: SgNode | null | undefined, out: Emitter, at: SgNode) {
  const keys = literalKeys(value);
  if (!keys) return;
  const ids = correlationIds(keys);
  if (ids.length > 0) out.emit('events.ids', at, { ids, via: 'emit' });
}

/**
 * Every branch of `detectEmits`' loop needs one of the emit names but the media_type test, which needs a
 * `media_type=` keyword (its name is in the arguments' text).
 */
const MEDIA_TYPE_ARGS = argumentsRule('media_type');
/** `stdout`/`stderr`, blanks allowed between letters (a receiver's text is read without them). */
const STDIO_TEXT = /s\s*t\s*d\s*(?:o\s*u\s*t|e\s*r\s*r)/;
/** What `ssePrefix` accepts, anywhere in a string. */
const SSE_FIELD_TEXT = /(?:data|event|id|retry):/;

function emitGroup(src: ParsedSource): CallGroup {
  const python = src.language === 'python';
  const text = src.file.text;
  // The branches some emit names reach act only on an SSE field prefix, a `text/event-stream` string, a
  // stdout/stderr receiver or a ReadableStream.
  let sse: boolean | undefined;
  const sseText = () => {
    sse ??= mayHaveInStrings(src, SSE_FIELD_TEXT);
    return sse;
  };
  const keep = (name: string) => {
    switch (name) {
      case 'write':
        return sseText() || STDIO_TEXT.test(text);
      case 'send':
        return sseText();
      case 'enqueue':
        return sseText() || (!python && text.includes('ReadableStream'));
      case 'setHeader':
      case 'writeHead':
      case 'header':
      case 'set':
        return !python && mayHaveInStrings(src, /text\/event-stream/);
      default:
        return true;
    }
  };
  return {
    names: EMIT_CALL_NAME_LIST,
    patterns: [CALLBACK_PATTERN],
    also: python && text.includes('media_type') ? [MEDIA_TYPE_ARGS] : [],
    calledOnly: true,
    keep,
  };
}

function detectEmits(
  ctx: EmitContext,
  src: ParsedSource,
  out: Emitter,
  eventClasses: () => Set<string>,
  calls: readonly SgNode[],
) {
  const text = src.file.text;
  const root = src.root;
  const python = src.language === 'python';
  let emitterFile: boolean | undefined;
  const isEmitterFile = () => {
    emitterFile ??= text.includes('emit') && hasEmitterSource(ctx, src);
    return emitterFile;
  };

  const deliver = (api: EmitApi, at: SgNode, value?: SgNode | null) => {
    out.emit('events.emit', at, { api });
    recordIds(value, out, at);
  };

  const mediaType = python && text.includes('media_type');
  for (const call of calls) {
    const name = calleeName(call);
    if (!isEmitCallName(name) && !mediaType) continue;
    const args = positionalArgs(call);
    const first = args[0];
    if (name === 'emit' || name === 'emit_event' || name === 'publish') {
      const receiver = receiverOf(call)?.text() ?? '';
      if (receiver === 'process') continue;
      const typed = isTypedRecord(first) || isTypedRecord(args[1]);
      if ((name === 'emit' && isEmitterFile()) || typed)
        deliver('emitter', call, isTypedRecord(first) ? first : args[1]);
      continue;
    }
    if (CALLBACK_NAME.test(name) && args.length > 0 && !isDefinitionSite(call)) {
      deliver('callback', call, first);
      continue;
    }
    if ((name === 'write' || name === 'enqueue' || name === 'send') && ssePrefix(first)) {
      deliver('sse', call);
      continue;
    }
    if (
      name === 'streamSSE' ||
      name === 'writeSSE' ||
      name === 'EventSourceResponse' ||
      name === 'ServerSentEvent'
    ) {
      deliver('sse', call);
      continue;
    }
    if (
      python &&
      keywordArg(call, 'media_type') &&
      stringValue(keywordArg(call, 'media_type')) === 'text/event-stream'
    ) {
      deliver('sse', call);
      continue;
    }
    if (!python && (name === 'setHeader' || name === 'writeHead' || name === 'header' || name === 'set')) {
      const headerArgs = argsOf(call);
      const sse = headerArgs.some(
        (a) =>
          stringValue(a) === 'text/event-stream' ||
          [...objectEntries(a).values()].some((v) => stringValue(v) === 'text/event-stream'),
      );
      if (sse) {
        deliver('sse', call);
        continue;
      }
    }
    if (
      !python &&
      name === 'enqueue' &&
      isEventValue(first, eventClasses()) &&
      call.inside({
        rule: { kind: 'new_expression', has: { field: 'constructor', regex: 'ReadableStream$' } },
      })
    ) {
      deliver('stream', call, first);
      continue;
    }
    if (
      name === 'write' &&
      /(^|\.)(stdout|stderr)$/.test(receiverOf(call)?.text().replace(/\s/g, '') ?? '')
    ) {
      const serialised = serialisedValue(first);
      if (serialised && isEventValue(serialised, eventClasses())) deliver('stream', call, serialised);
    }
  }

  // Listener fan-out: `for (const l of this.listeners) l(event)` / `for cb in self._listeners: cb(ev)`.
  // Both forms need a LISTENER_COLLECTION name in the text, and the `for` keyword or `forEach`: speed
  // gates for the two queries, the cheaper first.
  const listenerText = LOOP_WORD.test(text) && LISTENER_COLLECTION_WORD.test(text);
  for (const loop of listenerText
    ? root.findAll({ rule: kindsRule(python, ['for_in_statement'], ['for_statement']) })
    : []) {
    const right = loop.field('right');
    const left = loop.field('left');
    if (!right || !left || (left.kind() !== 'identifier' && !left.text().match(/^(const|let|var)?\s*\w+$/)))
      continue;
    if (
      !LISTENER_COLLECTION.test(
        right
          .text()
          .replace(/\(\)$/, '')
          .replace(/\.values$/, ''),
      )
    )
      continue;
    const varName = left.text().replace(/^(const|let|var)\s+/, '');
    const call = loop.field('body')?.find({
      rule: { kind: python ? 'call' : 'call_expression', has: { field: 'function', regex: `^${varName}$` } },
    });
    if (call) deliver('callback', call, positionalArgs(call)[0]);
  }
  for (const call of python || !listenerText
    ? []
    : root.findAll({ rule: { kind: 'call_expression', has: { field: 'function', regex: '\\.forEach$' } } })) {
    const receiver = receiverOf(call)?.text() ?? '';
    if (!LISTENER_COLLECTION.test(receiver)) continue;
    const fn = positionalArgs(call)[0];
    const param = fn?.field('parameter') ?? fn?.field('parameters')?.find({ rule: { kind: 'identifier' } });
    if (!fn || !param) continue;
    const inner = fn.find({
      rule: { kind: 'call_expression', has: { field: 'function', regex: `^${param.text()}$` } },
    });
    if (inner) deliver('callback', inner, positionalArgs(inner)[0]);
  }

  // Generators that yield event objects while the loop runs.
  if (text.includes('yield')) {
    for (const y of root.findAll({ rule: kindsRule(python, ['yield_expression'], ['yield']) })) {
      const value = y.children().find((c) => c.isNamed());
      if (!value) continue;
      if (ssePrefix(value)) deliver('sse', y);
      else if (isEventValue(value, eventClasses()) && value.kind() !== 'identifier')
        deliver('async-iterator', y, value);
    }
  }
}

/** `JSON.stringify(x) + '\n'` / `json.dumps(x) + "\n"` → x. */
function serialisedValue(node: SgNode | undefined): SgNode | undefined {
  if (!node) return undefined;
  let head: SgNode | null = node;
  while (head && (head.kind() === 'binary_expression' || head.kind() === 'binary_operator'))
    head = head.field('left');
  if (!head || (head.kind() !== 'call_expression' && head.kind() !== 'call')) return undefined;
  if (!/^(JSON\.stringify|json\.dumps)$/.test(calleePath(head))) return undefined;
  return positionalArgs(head)[0];
}

/** `onEvent(...)` inside an object/class that *defines* onEvent is a definition, not a delivery. */
function isDefinitionSite(call: SgNode): boolean {
  const fn = enclosingFunction(call);
  return (
    fn !== null &&
    fn.field('name')?.text() === calleeName(call) &&
    call.parent()?.kind() === 'method_definition'
  );
}

function detectSequence(src: ParsedSource, out: Emitter) {
  const text = src.file.text;
  if (!SEQ_TEXT.test(text)) return;
  const root = src.root;
  const python = src.language === 'python';
  const incremented = new Set<string>();
  for (const u of root.findAll({
    rule: kindsRule(
      python,
      ['update_expression', 'augmented_assignment_expression'],
      ['augmented_assignment'],
    ),
  })) {
    const target = u.field('argument') ?? u.field('left') ?? u.children().find((c) => c.isNamed());
    if (target) incremented.add(target.text().replace(/^this\.|^self\./, ''));
  }
  const isCounter = (value: SgNode | null | undefined): boolean => {
    if (!value) return false;
    const k = value.kind();
    if (k === 'update_expression') return true;
    if (k === 'identifier' || k === 'member_expression' || k === 'attribute')
      return incremented.has(value.text().replace(/^this\.|^self\./, ''));
    if (k === 'call_expression' || k === 'call') return SEQ_VALUE_CALL.test(calleePath(value));
    return false;
  };
  for (const obj of root.findAll({ rule: kindsRule(python, ['object'], ['dictionary']) })) {
    for (const [key, value] of objectEntries(obj)) {
      if (!SEQ_FIELD.test(key)) continue;
      const shorthandCounter = value === null && incremented.has(key);
      if (shorthandCounter || isCounter(value)) out.emit('events.sequence', obj, { field: key, via: 'emit' });
    }
  }
  if (src.language === 'python') {
    for (const kw of root.findAll({ rule: { kind: 'keyword_argument' } })) {
      const name = kw.field('name')?.text() ?? '';
      if (SEQ_FIELD.test(name) && isCounter(kw.field('value')))
        out.emit('events.sequence', kw, { field: name, via: 'emit' });
    }
  }
}

/**
 * Names the loop below acts on (a `messages.stream` callee is named `stream`, as is a graph's). A call
 * named otherwise reaches only the `stream: true` test, which needs `stream` in the arguments' text (or a
 * backslash: a string key is read without its escapes) and `true`/`True`.
 */
const SDK_STREAM_NAMES = [
  'stream',
  'run_streamed',
  'stream_events',
  'streamText',
  'streamObject',
  'streamUI',
  'astream_events',
  'streamEvents',
  'astream',
  'query',
  'receive_response',
  'receive_messages',
];
const STREAM_FLAG_ARGS = argumentsRule('stream|\\\\', 'true|True');

/** The loop of `detectSdkStreams`, or undefined when the text has none of its names. */
function sdkStreamGroup(src: ParsedSource): CallGroup | undefined {
  const text = src.file.text;
  if (!/stream|query|receive_|Stream/.test(text)) return undefined;
  const streamFlags =
    (text.includes('stream') || text.includes('\\')) && (text.includes('true') || text.includes('True'));
  return { names: SDK_STREAM_NAMES, also: streamFlags ? [STREAM_FLAG_ARGS] : [], calledOnly: true };
}

function detectSdkStreams(ctx: EmitContext, src: ParsedSource, out: Emitter, calls: readonly SgNode[]) {
  const python = src.language === 'python';
  const imports = ctx.imports(src);
  const fromModule = (local: string, ...mods: string[]) =>
    imports.some((b) => b.local === local && mods.some((m) => moduleMatches(b.module, m)));
  for (const call of calls) {
    const path = calleePath(call);
    const name = calleeName(call);
    if (/(^|\.)messages\.stream$/.test(path)) {
      out.emit('events.sdk-stream', call, { sdk: 'anthropic', api: 'messages.stream' });
      continue;
    }
    if (name === 'run_streamed' || name === 'stream_events') {
      out.emit('events.sdk-stream', call, { sdk: 'openai-agents', api: name });
      continue;
    }
    if (name === 'streamText' || name === 'streamObject' || name === 'streamUI') {
      out.emit('events.sdk-stream', call, { sdk: 'vercel-ai', api: name });
      continue;
    }
    const graphStream =
      name === 'stream' && /graph|app|agent|chain|workflow|runnable/i.test(receiverOf(call)?.text() ?? '');
    if (name === 'astream_events' || name === 'streamEvents' || name === 'astream' || graphStream) {
      out.emit('events.sdk-stream', call, { sdk: 'langchain', api: name });
      continue;
    }
    if (
      (name === 'query' &&
        fromModule(
          'query',
          '@anthropic-ai/claude-agent-sdk',
          '@anthropic-ai/claude-code',
          'claude_agent_sdk',
          'claude_code_sdk',
        )) ||
      name === 'receive_response' ||
      name === 'receive_messages'
    ) {
      if (call.inside({ rule: kindsRule(python, ['for_in_statement'], ['for_statement']) })) {
        if (relaysMessages(call, python))
          out.emit('events.sdk-stream', call, { sdk: 'claude-agent-sdk', api: name });
        continue;
      }
    }
    const streamFlag = python
      ? keywordArg(call, 'stream')?.kind() === 'true'
      : positionalArgs(call).some((a) => objectEntries(a).get('stream')?.kind() === 'true');
    if (streamFlag) out.emit('events.sdk-stream', call, { sdk: sdkOf(path), api: 'stream: true' });
  }
}

function sdkOf(path: string): string {
  if (/chat\.completions|responses\./.test(path)) return 'openai';
  if (/messages\./.test(path)) return 'anthropic';
  if (/^run$|Runner/.test(path)) return 'openai-agents';
  return 'unknown';
}

export const streamingEventsDetector: Detector = {
  id: 'streaming-events',
  description:
    'Typed event unions, event delivery to listeners (emitter, callback, generator, SSE), sequence numbers, ids on events, SDK stream consumption.',
  file(ctx) {
    const src = ctx.src;
    const out = new Emitter(ctx, src);
    const unionNames = detectUnions(src, out);
    let classes: Set<string> | undefined;
    const eventClasses = () => {
      if (!classes) {
        classes = eventClassNames(src);
        for (const n of unionNames) classes.add(n);
      }
      return classes;
    };
    const sdk = sdkStreamGroup(src);
    // One native query for the loops of detectEmits and detectSdkStreams.
    const [emitCalls = [], sdkCalls = []] = callGroups(src, [emitGroup(src), ...(sdk ? [sdk] : [])]);
    detectEmits(ctx, src, out, eventClasses, emitCalls);
    detectSequence(src, out);
    if (sdk) detectSdkStreams(ctx, src, out, sdkCalls);
  },
};

/** Message types of the Agent SDK stream other than the final `result`. */
const PROGRESS_TYPES = new Set([
  'assistant',
  'user',
  'system',
  'stream_event',
  'tool_use',
  'tool_result',
  'partial_assistant',
  'status',
  'tool_progress',
  'AssistantMessage',
  'UserMessage',
  'SystemMessage',
  'StreamEvent',
]);

/**
 * Whether a loop over the SDK's message stream passes progress on (handles a non-result message type, or
 * hands the message itself to a call or a yield) rather than only waiting for the final result.
 */
function relaysMessages(call: SgNode, python: boolean): boolean {
  const loop = call
    .ancestors()
    .find((a) => String(a.kind()) === (python ? 'for_statement' : 'for_in_statement'));
  const body = loop?.field('body');
  if (!loop || !body) return true;
  const left = loop.field('left');
  const variable =
    left?.kind() === 'identifier' ? left.text() : left?.find({ rule: { kind: 'identifier' } })?.text();
  for (const str of body.findAll({ rule: { kind: 'string' } })) {
    const value = str.text().replace(/^['"`]|['"`]$/g, '');
    if (PROGRESS_TYPES.has(value)) return true;
  }
  for (const cls of body.findAll({ rule: { kind: 'identifier' } }))
    if (PROGRESS_TYPES.has(cls.text()) && /[A-Z]/.test(cls.text()[0] ?? '')) return true;
  if (!variable) return true;
  for (const ref of body.findAll({ rule: { kind: 'identifier', regex: `^${variable}$` } })) {
    const parent = ref.parent();
    const kind = String(parent?.kind() ?? '');
    if (kind === 'arguments' || kind === 'argument_list' || kind === 'yield_expression' || kind === 'yield')
      return true;
  }
  return false;
}
