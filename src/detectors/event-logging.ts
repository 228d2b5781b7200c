import type { SgNode } from '@ast-grep/napi';
import { moduleMatches } from '../core/imports.js';
import type { ParsedSource } from '../core/parse-source.js';
import { type CallGroup, callGroups, type GroupPattern, oddCalleeRule } from './runtime/call-groups.js';
import { correlationIds } from './runtime/ids.js';
import { caselessRegex, mayHaveInStrings } from './runtime/string-texts.js';
import {
  argsOf,
  calleeName,
  calleePath,
  enclosingClassName,
  enclosingFunctions,
  functionName,
  kindsRule,
  lastName,
  objectEntries,
  positionalArgs,
  receiverOf,
  recordKeys,
  regexPatterns,
  stringValue,
} from './runtime/syntax.js';
import type { Detector, EmitContext } from './types.js';

/**
 * Fact kinds of this detector:
 * - `logging.structured` {library}: a structured (JSON / key-value) logger is created or written to.
 * - `logging.correlation-ids` {ids, via}: log records or logger bindings carry correlation ids.
 * - `logging.tool-audit` {includes}: a log record names a tool together with its input, result or the
 *   permission decision.
 * - `logging.redaction` {kind}: secrets are kept out of log records.
 * - `logging.otel` {api, genai}: OpenTelemetry tracing; `genai` when GenAI semantic-convention names are used.
 */
export const FACT_KINDS = [
  'logging.structured',
  'logging.correlation-ids',
  'logging.tool-audit',
  'logging.redaction',
  'logging.otel',
] as const;

const LEVEL_METHODS = /^(trace|debug|info|warn|warning|error|fatal|critical|exception|log|msg|notice|audit)$/;
const LOGGER_RECEIVER =
  /(^|[._])(log|logger|_log|_logger|audit|auditlog|audit_log|\w*logger|\w*Logger|\w*Log)$/;
const LOG_FUNCTION = /^(log|audit|record|emit)(_[a-z]\w*|[A-Z]\w*)?$/;
const CUSTOM_SINK_SCOPE = /log|audit|journal|telemetry|trace/i;
const REDACT_NAME = /redact|scrub|mask|sanitiz|censor|strip_?secrets|hide_?secrets|obfuscat/i;
const SECRET_WORD =
  /api[_-]?key|authorization|token|password|passwd|secret|bearer|cookie|credential|private[_-]?key/i;
const TOOL_KEY = /^(tool|tool_?name|tool_?id|tool_?use_?name)$/i;
const DETAIL_KEYS: [string, RegExp][] = [
  ['input', /^(input|args|arguments|params|parameters|tool_?input|tool_?args|command)$/i],
  ['result', /^(result|output|tool_?result|is_?error|error|status|duration_?ms|duration|exit_?code)$/i],
  ['decision', /^(decision|allowed|permission|behavior|verdict|approved|denied|allow)$/i],
];

type Data = Record<string, string | boolean | string[]>;

class Sink {
  private seen = new Set<string>();
  constructor(
    private ctx: EmitContext,
    private src: ParsedSource,
  ) {}
  emit(kind: string, node: SgNode, data: Data) {
    const key = `${kind}:${node.range().start.line}:${JSON.stringify(data)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.ctx.emit(kind, this.src.file, node, data);
  }
}

/** `JSON.stringify(x)` / `json.dumps(x)` anywhere at the head of a `+` chain → x. */
function serialised(node: SgNode | undefined): SgNode | undefined {
  let head: SgNode | null | undefined = node;
  // `${JSON.stringify(record)}\n`: the record is the template's first substitution.
  if (head?.kind() === 'template_string' || head?.kind() === 'string') {
    const sub = head
      .children()
      .find((c) => c.kind() === 'template_substitution' || c.kind() === 'interpolation');
    head = sub?.children().find((c) => c.isNamed());
  }
  while (head && (head.kind() === 'binary_expression' || head.kind() === 'binary_operator'))
    head = head.field('left');
  if (!head || (head.kind() !== 'call_expression' && head.kind() !== 'call')) return undefined;
  return /^(JSON\.stringify|json\.dumps|orjson\.dumps)$/.test(calleePath(head))
    ? positionalArgs(head)[0]
    : undefined;
}

const isRecordLiteral = (n: SgNode | undefined) =>
  n !== undefined && (n.kind() === 'object' || n.kind() === 'dictionary') && objectEntries(n).size > 0;

/** Keys that make a JSON line a log record rather than data (a ledger entry, a protocol reply). */
const LOG_KEYS = /^(level|lvl|severity|log_?level|msg|message|event|event_?name|logger)$/i;

/**
 * A serialised record written to stdout or a file is a log record only when it says what happened and how
 * much it matters; other JSON lines (a side-effect ledger, a JSON-lines protocol answer) are data.
 */
const isLogRecord = (n: SgNode | undefined) =>
  isRecordLiteral(n) && [...objectEntries(n!).keys()].some((k) => LOG_KEYS.test(k));

/** Inside a function or class named as a log sink (`log`, `logEvent`, `AuditLog` …), any record is a log record. */
const inSinkScope = (call: SgNode) =>
  enclosingFunctions(call).some((f) => CUSTOM_SINK_SCOPE.test(functionName(f))) ||
  CUSTOM_SINK_SCOPE.test(enclosingClassName(call));

/** A record literal that is a log record by its keys or by where it is written. */
const logRecordAt = (call: SgNode, n: SgNode | undefined) =>
  isLogRecord(n) || (isRecordLiteral(n) && inSinkScope(call));

interface FileScan {
  /** Calls that write a log record, with the keys the record carries. */
  logCalls: { call: SgNode; keys: Set<string> }[];
  hasLogger: boolean;
}

function libraryOf(ctx: EmitContext, src: ParsedSource) {
  const imports = ctx.imports(src);
  return (local: string, mod: string) =>
    imports.some(
      (b) => moduleMatches(b.module, mod) && (b.local === local || b.local === local.split('.')[0]),
    );
}

function winstonIsJson(call: SgNode): boolean {
  const opts = positionalArgs(call)[0];
  if (opts?.kind() !== 'object') return true; // winston's default format is JSON
  const format = objectEntries(opts).get('format');
  if (!format) return true;
  return /\bjson\(|\blogstash\(/.test(format.text());
}

/** Last callee names `detectLoggers` can act on, per language. */
const JS_LOGGER_CALLEE =
  /^(|pino|default|createLogger|log|info|warn|error|debug|write|appendFile|appendFileSync|writeFile|writeSync|writelines)$/;
const PY_LOGGER_CALLEE =
  /^(get_logger|getLogger|configure|wrap_logger|print|write|appendFile|appendFileSync|writeFile|writeSync|writelines)$|JsonFormatter$/;
/**
 * Those names for `callGroups`. Only the first ones (LOGGER_NAMES) matter in a file without
 * SERIALISER_TEXT: the other branches (console, print, stream and file writes) act only on a
 * `JSON.stringify`/`json.dumps` argument (`serialised`), whose callee path (whitespace and `!` left out)
 * needs that text.
 */
const JS_LOGGER_NAMES = ['pino', 'default', 'createLogger'];
const PY_LOGGER_NAMES = ['get_logger', 'getLogger', 'configure', 'wrap_logger'];
const WRITE_NAMES = ['write', 'appendFile', 'appendFileSync', 'writeFile', 'writeSync', 'writelines'];
const JS_ALL_LOGGER_NAMES = [...JS_LOGGER_NAMES, 'log', 'info', 'warn', 'error', 'debug', ...WRITE_NAMES];
const PY_ALL_LOGGER_NAMES = [...PY_LOGGER_NAMES, 'print', ...WRITE_NAMES];
const SERIALISER_TEXT =
  /s[\s!]*t[\s!]*r[\s!]*i[\s!]*n[\s!]*g[\s!]*i[\s!]*f[\s!]*y|d[\s!]*u[\s!]*m[\s!]*p[\s!]*s/;
const PY_LOGGER_PATTERNS: GroupPattern[] = [{ js: /JsonFormatter/, rust: 'JsonFormatter' }];
/** `oddCalleeRule` for JS and Python, one object each so that groups sharing a query share the rule. */
const ODD_CALLEE = [oddCalleeRule(false), oddCalleeRule(true)] as const;
/**
 * A JS call named '' acts only through its path (whitespace and `!` left out): `require('pino')`, `pino`,
 * `pino.default`, or with a serialised argument `console.…` and `….stdout.write`. Such calls are looked
 * at only when the text could spell one.
 */
const PINO_TEXT = /p[\s!]*i[\s!]*n[\s!]*o/;
const CONSOLE_TEXT =
  /c[\s!]*o[\s!]*n[\s!]*s[\s!]*o[\s!]*l[\s!]*e|s[\s!]*t[\s!]*d[\s!]*(o[\s!]*u[\s!]*t|e[\s!]*r[\s!]*r)/;

/** LOG_KEYS where a key can be in the text: followed by no identifier character (a string key by its quote). */
const LOG_KEY_TEXT = caselessRegex(new RegExp(`(?:${LOG_KEYS.source.slice(2, -2)})(?![\\w$])`, 'i'));
/** A Python function or class whose name has a CUSTOM_SINK_SCOPE word (a name follows `def`/`class`). */
const PY_SINK_DEF = caselessRegex(new RegExp(`(?:def|class)[^(:]*?(?:${CUSTOM_SINK_SCOPE.source})`, 'i'));
/** The word gates on a whole text, spelt without `i` (see `caselessRegex`). */
const SINK_SCOPE_TEXT = caselessRegex(CUSTOM_SINK_SCOPE);
const REDACT_NAME_TEXT = caselessRegex(REDACT_NAME);
const SECRET_WORD_TEXT = caselessRegex(SECRET_WORD);
/**
 * Whether `isLogRecord` or `inSinkScope` can hold anywhere in the file: a record key LOG_KEYS accepts, or a
 * function or class named as a log sink (names and keys are identifiers or string values).
 */
function mayHaveLogRecords(src: ParsedSource): boolean {
  if (src.language === 'python')
    return src.syntaxErrors > 0 || LOG_KEY_TEXT.test(src.file.text) || PY_SINK_DEF.test(src.file.text);
  return mayHaveInStrings(src, LOG_KEY_TEXT) || mayHaveInStrings(src, SINK_SCOPE_TEXT);
}

const LOGGER_NAME_SET = new Set([...JS_LOGGER_NAMES, ...PY_LOGGER_NAMES]);

function loggerGroup(src: ParsedSource): CallGroup {
  const text = src.file.text;
  // The console, print and write branches need a serialised record that is a log record.
  let serialisers: boolean | undefined;
  const records = () => {
    // The spelt regex alone: looking for the plain words first costs more than it saves.
    serialisers ??= SERIALISER_TEXT.test(text) && mayHaveLogRecords(src);
    return serialisers;
  };
  const keep = (name: string) => LOGGER_NAME_SET.has(name) || records();
  return src.language === 'python'
    ? { names: PY_ALL_LOGGER_NAMES, patterns: PY_LOGGER_PATTERNS, calledOnly: true, keep }
    : {
        names: JS_ALL_LOGGER_NAMES,
        also: PINO_TEXT.test(text) || (CONSOLE_TEXT.test(text) && records()) ? [ODD_CALLEE[0]] : [],
        calledOnly: true,
        keep,
      };
}

function detectLoggers(
  ctx: EmitContext,
  src: ParsedSource,
  out: Sink,
  scan: FileScan,
  calls: readonly SgNode[],
) {
  const python = src.language === 'python';
  const from = libraryOf(ctx, src);
  for (const call of calls) {
    const name = calleeName(call);
    // Speed gate: every branch below needs one of these last names ('' for `require('pino')(…)`).
    if (!(python ? PY_LOGGER_CALLEE : JS_LOGGER_CALLEE).test(name)) continue;
    const path = calleePath(call);
    let library: string | undefined;
    let options: SgNode | undefined;
    if (!python) {
      const fn = call.field('function');
      const requiresPino =
        fn?.kind() === 'call_expression' && /^require\(\s*['"]pino['"]\s*\)$/.test(fn.text());
      if (
        requiresPino ||
        (path === 'pino' && from('pino', 'pino')) ||
        (path === 'pino.default' && from('pino', 'pino'))
      ) {
        library = 'pino';
        options = positionalArgs(call)[0];
      } else if (name === 'createLogger' && (from(path, 'winston') || from('createLogger', 'winston'))) {
        if (winstonIsJson(call)) library = 'winston';
        options = positionalArgs(call)[0];
      } else if (
        name === 'createLogger' &&
        (from(path, 'bunyan') || from(path.split('.')[0] ?? '', 'bunyan'))
      ) {
        library = 'bunyan';
        options = positionalArgs(call)[0];
      } else if (
        /^console\.(log|info|warn|error|debug)$/.test(path) &&
        logRecordAt(call, serialised(positionalArgs(call)[0]))
      ) {
        library = 'console-json';
        scan.logCalls.push({ call, keys: recordKeys(call) });
      } else if (
        /(^|\.)(stdout|stderr)\.write$/.test(path) &&
        logRecordAt(call, serialised(positionalArgs(call)[0]))
      ) {
        library = 'console-json';
        scan.logCalls.push({
          call,
          keys: new Set(objectEntries(serialised(positionalArgs(call)[0])!).keys()),
        });
      }
    } else {
      if (/^structlog\.(get_logger|getLogger|configure|stdlib\.get_logger|wrap_logger)$/.test(path))
        library = 'structlog';
      else if (/JsonFormatter$/.test(name)) library = 'logging-json';
      else if (path === 'print' && logRecordAt(call, serialised(positionalArgs(call)[0]))) {
        library = 'console-json';
        scan.logCalls.push({
          call,
          keys: new Set(objectEntries(serialised(positionalArgs(call)[0])!).keys()),
        });
      }
    }
    if (!library && /^(write|appendFile|appendFileSync|writeFile|writeSync|writelines)$/.test(name)) {
      const written = serialised(positionalArgs(call).find((a) => serialised(a) !== undefined));
      if (written && (inSinkScope(call) || isLogRecord(written))) {
        library = 'custom';
        const keys =
          written.kind() === 'object' || written.kind() === 'dictionary'
            ? new Set(objectEntries(written).keys())
            : new Set<string>();
        scan.logCalls.push({ call, keys });
      }
    }
    if (!library) continue;
    scan.hasLogger = true;
    out.emit('logging.structured', call, { library });
    if (options?.kind() === 'object') {
      const entries = objectEntries(options);
      if (entries.has('redact')) out.emit('logging.redaction', call, { kind: 'logger-option' });
      const base = entries.get('base') ?? entries.get('defaultMeta');
      if (base?.kind() === 'object') {
        const ids = correlationIds(objectEntries(base).keys());
        if (ids.length > 0) out.emit('logging.correlation-ids', base, { ids, via: 'base' });
      }
    }
  }
  if (!python && src.file.text.includes('PinoLogger')) {
    for (const ctor of src.root.findAll({
      rule: { kind: 'new_expression', has: { field: 'constructor', regex: '^PinoLogger$' } },
    })) {
      scan.hasLogger = true;
      out.emit('logging.structured', ctor, { library: 'pino' });
    }
  }
  // A Python logging.Formatter subclass that renders records with json.dumps.
  if (python && src.file.text.includes('Formatter')) {
    for (const cls of src.root.findAll({ rule: { kind: 'class_definition' } })) {
      const bases = cls.field('superclasses')?.text() ?? '';
      if (!/Formatter/.test(bases)) continue;
      const dumps = cls.find({
        rule: { kind: 'call', has: { field: 'function', regex: '^(json|orjson)\\.dumps$' } },
      });
      if (dumps) {
        scan.hasLogger = true;
        out.emit('logging.structured', cls, { library: 'logging-json' });
      }
    }
  }
}

function isLoggerCall(call: SgNode, python: boolean): boolean {
  const name = calleeName(call);
  const receiver = receiverOf(call);
  if (receiver) {
    if (!LEVEL_METHODS.test(name)) return false;
    const r = receiver.text().replace(/\s+/g, '');
    if (r === 'console' || (python && r === 'logging')) return false;
    return LOGGER_RECEIVER.test(r);
  }
  return LOG_FUNCTION.test(name) && argsOf(call).length > 0;
}

const BINDING_NAME = /^(child|bind|bind_contextvars|LoggerAdapter)$/;
/** Names LEVEL_METHODS and BINDING_NAME accept, and LOG_FUNCTION, for `callGroups`. */
const RECORD_CALL_NAMES = [
  ...LEVEL_METHODS.source.replace(/^\^\(|\)\$$/g, '').split('|'),
  ...BINDING_NAME.source.replace(/^\^\(|\)\$$/g, '').split('|'),
];
const LOG_FUNCTION_PATTERN: GroupPattern = {
  js: /(log|audit|record|emit)(_[a-z]\w*|[A-Z]\w*)?/,
  rust: '(?:log|audit|record|emit)(?:_[a-z][A-Za-z0-9_]*|[A-Z][A-Za-z0-9_]*)?',
  native: 'log|audit|record|emit',
};
const RECORD_GROUP: CallGroup = {
  names: RECORD_CALL_NAMES,
  patterns: [LOG_FUNCTION_PATTERN],
  calledOnly: true,
};

function detectRecords(src: ParsedSource, out: Sink, scan: FileScan, calls: readonly SgNode[]) {
  const python = src.language === 'python';
  for (const call of calls) {
    // Speed gate: a logger call or a binding below needs one of these last names.
    const callee = calleeName(call);
    if (!LEVEL_METHODS.test(callee) && !LOG_FUNCTION.test(callee) && !BINDING_NAME.test(callee)) continue;
    const record = isLoggerCall(call, python) ? serialised(positionalArgs(call)[0]) : undefined;
    if (record && isRecordLiteral(record)) {
      // A logger fed a JSON document per call writes structured records whatever its formatter.
      out.emit('logging.structured', call, { library: python ? 'logging-json' : 'custom' });
      scan.logCalls.push({ call, keys: new Set(objectEntries(record).keys()) });
      continue;
    }
    const name = calleeName(call);
    const receiver = receiverOf(call)?.text() ?? '';
    // Bindings that put ids on every later record.
    if (
      (name === 'child' && LOGGER_RECEIVER.test(receiver)) ||
      name === 'bind' ||
      name === 'bind_contextvars' ||
      name === 'LoggerAdapter'
    ) {
      const keys = recordKeys(call);
      if (name === 'bind' && !python && !LOGGER_RECEIVER.test(receiver)) continue; // Function.prototype.bind
      const ids = correlationIds(keys);
      if (ids.length > 0)
        out.emit('logging.correlation-ids', call, { ids, via: name === 'child' ? 'child' : 'bind' });
      continue;
    }
    if (isLoggerCall(call, python)) scan.logCalls.push({ call, keys: recordKeys(call) });
  }
  for (const { call, keys } of scan.logCalls) {
    const ids = correlationIds(keys);
    if (ids.length > 0) out.emit('logging.correlation-ids', call, { ids, via: 'record' });
    const toolScope =
      [...keys].some((k) => TOOL_KEY.test(k)) ||
      (keys.has('name') &&
        (enclosingFunctions(call).some((f) => /tool/i.test(functionName(f))) ||
          /tool/i.test(stringValue(positionalArgs(call).find((a) => stringValue(a) !== undefined)) ?? '')));
    if (!toolScope) continue;
    const includes = DETAIL_KEYS.filter(([, re]) => [...keys].some((k) => re.test(k))).map(([id]) => id);
    // A record naming the tool is an audit entry even when its details are spread in from elsewhere.
    out.emit('logging.tool-audit', call, { includes });
  }
}

function inLogPath(node: SgNode, python: boolean): boolean {
  for (const a of node.ancestors()) {
    const k = a.kind();
    if ((k === 'call_expression' || k === 'call') && isLoggerCall(a, python)) return true;
    if (k === 'pair' || k === 'keyword_argument') {
      const key = (a.field('key') ?? a.field('name'))?.text().replace(/['"]/g, '') ?? '';
      if (/^(processors|formatters|hooks|log|serializers|filters|mixin)$/.test(key)) return true;
    }
  }
  return enclosingFunctions(node).some((f) => CUSTOM_SINK_SCOPE.test(functionName(f)));
}

const REDACT_NAME_CASED = new RegExp(REDACT_NAME.source);
/**
 * Whether `regexPatterns` may give a pattern SECRET_WORD matches. JS: a regex literal's pattern is its own
 * text, after a `/` on the same line (a literal spans no line); a `new RegExp` needs `RegExp`. Python: the
 * pattern is passed to `re.compile`/… (the callee's whole text) and read from a string.
 */
const SECRET_IN_REGEX_LITERAL = new RegExp(`/[^\\n\\r\\u2028\\u2029]*(?:${SECRET_WORD.source})`, 'i');
const RE_CALL_TEXT = /re\.(compile|search|match|fullmatch|findall|sub|split)/;
const mayHaveSecretPattern = (text: string, python: boolean) =>
  python ? RE_CALL_TEXT.test(text) : text.includes('RegExp') || SECRET_IN_REGEX_LITERAL.test(text);

function detectRedaction(src: ParsedSource, out: Sink, scan: FileScan) {
  const python = src.language === 'python';
  const text = src.file.text;
  if (!REDACT_NAME_TEXT.test(text) && !SECRET_WORD_TEXT.test(text)) return;
  // A redact/scrub function applied on the log path. The rule's regex is case-sensitive: an identifier
  // it matches puts the match in the text.
  for (const id of !REDACT_NAME_CASED.test(text)
    ? []
    : src.root.findAll({
        rule: {
          ...kindsRule(python, ['identifier', 'property_identifier'], ['identifier']),
          regex: REDACT_NAME.source,
        },
      })) {
    const parent = id.parent();
    const isCallee =
      parent &&
      (parent.kind() === 'call_expression' || parent.kind() === 'call') &&
      parent.field('function')?.text() === id.text();
    const isReference =
      parent &&
      ['pair', 'array', 'list', 'keyword_argument', 'arguments', 'argument_list'].includes(
        String(parent.kind()),
      );
    const member = parent && (parent.kind() === 'member_expression' || parent.kind() === 'attribute');
    const target = member ? parent : id;
    const call = member ? target.parent() : parent;
    const called =
      isCallee || (member && call && (call.kind() === 'call_expression' || call.kind() === 'call'));
    if ((called || isReference) && inLogPath(target, python))
      out.emit('logging.redaction', target, { kind: 'redact-call' });
  }
  // Secret-shaped key patterns inside a redaction function, or next to a logger.
  for (const { node, pattern } of mayHaveSecretPattern(text, python) ? regexPatterns(src.root, python) : []) {
    if (!SECRET_WORD.test(pattern)) continue;
    const inRedactor = enclosingFunctions(node).some((f) => REDACT_NAME.test(functionName(f)));
    const holder = node
      .ancestors()
      .find((a) => a.kind() === 'variable_declarator' || a.kind() === 'assignment');
    const holderName = holder?.field(python ? 'left' : 'name')?.text() ?? '';
    const named = REDACT_NAME.test(holderName) || /SECRET|SENSITIVE/i.test(holderName);
    if (inRedactor || named || (scan.hasLogger && inLogPath(node, python)))
      out.emit('logging.redaction', node, { kind: 'secret-pattern' });
  }
  // Python logging.Filter subclasses that scrub records.
  if (python && text.includes('Filter')) {
    for (const cls of src.root.findAll({ rule: { kind: 'class_definition' } })) {
      const name = cls.field('name')?.text() ?? '';
      if (
        /Filter/.test(cls.field('superclasses')?.text() ?? '') &&
        /redact|secret|scrub|mask|sensitive/i.test(name)
      )
        out.emit('logging.redaction', cls, { kind: 'log-filter' });
    }
  }
}

const GENAI_INSTRUMENTOR =
  /^(Anthropic|OpenAI|OpenAIAgents|LangChain|Bedrock|VertexAI|Mistral|Groq|Cohere|Ollama)Instrumentor$/;

const OTEL_CALL_NAMES = [
  'getTracer',
  'get_tracer',
  'startActiveSpan',
  'startSpan',
  'start_as_current_span',
  'start_span',
  'setAttribute',
  'set_attribute',
  'setAttributes',
  'set_attributes',
  'instrument',
  'init',
  'initialize',
];

interface OtelUse {
  usesOtel: boolean;
  aiSdkTelemetry: boolean;
}

function otelUse(ctx: EmitContext, src: ParsedSource): OtelUse | undefined {
  const usesOtel = ctx
    .imports(src)
    .some((b) =>
      /^@opentelemetry\/|^opentelemetry(\.|$)|^@traceloop\/|^traceloop|^@arizeai\/openinference|^openinference/.test(
        b.module,
      ),
    );
  // `_telemetry` first: a search for a word starting with a common letter costs several times more.
  const text = src.file.text;
  const aiSdkTelemetry = text.includes('_telemetry') && text.includes('experimental_telemetry');
  return usesOtel || aiSdkTelemetry ? { usesOtel, aiSdkTelemetry } : undefined;
}

/**
 * Every branch of `detectOtel` needs one of these last names (`Traceloop.init` is named `init`) but the path
 * test, which a call named '' passes only when the text spells `init` (whitespace and `!` left out of a path).
 */
function otelGroup(src: ParsedSource): CallGroup {
  const python = src.language === 'python';
  const unnamed = /i[\s!]*n[\s!]*i[\s!]*t/.test(src.file.text) ? [ODD_CALLEE[python ? 1 : 0]] : [];
  return { names: OTEL_CALL_NAMES, also: unnamed, calledOnly: true };
}

function detectOtel(src: ParsedSource, out: Sink, use: OtelUse, calls: readonly SgNode[]) {
  const { usesOtel, aiSdkTelemetry } = use;
  const python = src.language === 'python';
  const genaiNames = src.root.find({
    rule: {
      any: [
        { kind: 'string', regex: '^.gen_ai\\.' },
        {
          ...kindsRule(python, ['identifier', 'property_identifier'], ['identifier']),
          regex: '^(ATTR_|SEMATTRS_)?GEN_AI_',
        },
      ],
    },
  });
  const genai = genaiNames !== null;
  for (const call of calls) {
    const name = calleeName(call);
    if (
      /^(getTracer|get_tracer|startActiveSpan|startSpan|start_as_current_span|start_span)$/.test(name) &&
      usesOtel
    )
      out.emit('logging.otel', call, { api: /tracer/i.test(name) ? 'tracer' : 'span', genai });
    else if (/^(setAttribute|set_attribute|setAttributes|set_attributes)$/.test(name) && usesOtel) {
      const key = positionalArgs(call)[0];
      if (key && /^['"]?gen_ai\.|GEN_AI_/.test(key.text()))
        out.emit('logging.otel', call, { api: 'attribute', genai: true });
    } else if (name === 'instrument') {
      const recv = receiverOf(call);
      const ctor =
        recv && (recv.kind() === 'call' || recv.kind() === 'call_expression')
          ? calleeName(recv)
          : recv
            ? lastName(recv)
            : '';
      if (/Instrumentor$/.test(ctor))
        out.emit('logging.otel', call, { api: 'instrumentor', genai: GENAI_INSTRUMENTOR.test(ctor) });
    } else if (/^(Traceloop\.init|traceloop\.init|initialize)$/.test(calleePath(call)) && usesOtel) {
      out.emit('logging.otel', call, { api: 'instrumentor', genai: true });
    }
  }
  if (aiSdkTelemetry && !python) {
    for (const pair of src.root.findAll({
      rule: { kind: 'pair', has: { field: 'key', regex: '^experimental_telemetry$' } },
    })) {
      const value = pair.field('value');
      if (value && objectEntries(value).get('isEnabled')?.kind() === 'true')
        out.emit('logging.otel', pair, { api: 'vercel-telemetry', genai: true });
    }
  }
}

export const eventLoggingDetector: Detector = {
  id: 'event-logging',
  description:
    'Structured loggers (pino, winston, bunyan, structlog, JSON formatters, JSON lines), correlation ids on records, tool-call audit records, redaction, OpenTelemetry (GenAI) tracing.',
  file(ctx) {
    const src = ctx.src;
    const out = new Sink(ctx, src);
    const scan: FileScan = { logCalls: [], hasLogger: false };
    const otel = otelUse(ctx, src);
    // One native query for the three loops over named calls.
    const [loggerCalls = [], recordCalls = [], otelCalls = []] = callGroups(src, [
      loggerGroup(src),
      RECORD_GROUP,
      ...(otel ? [otelGroup(src)] : []),
    ]);
    detectLoggers(ctx, src, out, scan, loggerCalls);
    detectRecords(src, out, scan, recordCalls);
    detectRedaction(src, out, scan);
    if (otel) detectOtel(src, out, otel, otelCalls);
  },
};
