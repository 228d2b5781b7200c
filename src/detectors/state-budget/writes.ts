import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { isModelCall } from './model-calls.js';
import {
  argsOf,
  calleeText,
  callsMatching,
  callsWithStringArg,
  declaredFields,
  enclosingClassName,
  enclosingFunction,
  endsWithName,
  functionName,
  isObjectLiteral,
  isPython,
  lastSegment,
  optionValue,
  pairsOf,
  parameterTypeName,
  positionalArgs,
  receiverText,
  resolveLocal,
  rootOf,
  startOf,
  stringValue,
} from './syntax.js';
import {
  conversationTarget,
  hasWord,
  type StoreTarget,
  stateTarget,
  UNRELATED_WORDS,
  wordsOf,
} from './vocab.js';

/**
 * Finds the places where a file persists conversation or task state: file appends and writes, append
 * streams, Python `open(..., 'a'|'w')`, SQL inserts and document-store inserts. A write only counts when
 * the words of its path, its data or its function name say what is stored, or the data is message-shaped;
 * a write of a config, report or cache is never a store.
 */

export type WriteApi =
  | 'appendFile'
  | 'createWriteStream-append'
  | 'createWriteStream'
  | 'writeFile'
  | 'open-a'
  | 'open-w'
  | 'db-insert';

export interface WriteSite {
  call: SgNode;
  api: WriteApi;
  appendOnly: boolean;
  target: StoreTarget;
  /** One JSON document per line: a JSON.stringify/json.dumps joined with a newline. */
  jsonl: boolean;
  /** Source text of the path (or table/key) expression, resolved one step through a local. */
  pathText: string;
  /** What is written, resolved one step through a local. */
  data: SgNode[];
  /** Keys of the records written (object/dict literals and declared record types). */
  fields: string[];
  /** The function around the write, looked up when first read: most sites are never asked. */
  readonly fn: SgNode | undefined;
}

const JS_APPEND = new Set(['appendFile', 'appendFileSync']);
const JS_WRITE = new Set([
  'writeFile',
  'writeFileSync',
  'outputFile',
  'outputFileSync',
  'writeJson',
  'writeJsonSync',
  'writeJSON',
  'outputJson',
  'outputJsonSync',
]);
const DB_INSERT = new Set([
  'insertOne',
  'insertMany',
  'insert_one',
  'insert_many',
  'rpush',
  'lpush',
  'xadd',
  'insert',
]);
const ORM_CREATE = new Set(['create', 'createMany', 'upsert', 'add_all']);
const ORM_ROOTS =
  /^(prisma|db|database|orm|repo|repository|repositories|tx|trx|store|knex|drizzle|models|session)$/;
const SQL_INSERT = /^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+["'`[]?(\w+)/i;

const cache = new WeakMap<ParsedSource, WriteSite[]>();

/** Speed gates (necessary conditions of a write site): a write API and a word that names a store. */
const WRITE_API_HINT =
  /appendFile|writeFile|outputFile|writeJs|createWriteStream|open(Sync)?\(|fdopen|write_text|write_bytes|INSERT|insert|rpush|lpush|xadd|create\(|createMany|upsert|add_all/;
const STORE_WORD_HINT =
  /transcript|session|conversation|convo|chat|dialog|messages|msgs|histor|state|checkpoint|workflow|task|todo|plan|ledger|journal|role/i;

/**
 * Speed gate: a `flag`, `flags` or `mode` option is a keyword or key spelt so, which no identifier
 * character follows (`model` is not one).
 */
const MODE_OPTION_HINT = /(?:flags?|mode)(?![A-Za-z0-9_$])/;

export function writeSites(src: ParsedSource): WriteSite[] {
  let sites = cache.get(src);
  if (!sites) {
    sites = [];
    if (WRITE_API_HINT.test(src.file.text) && STORE_WORD_HINT.test(src.file.text)) {
      const py = isPython(src);
      const modeHint = MODE_OPTION_HINT.test(src.file.text);
      const names = [
        ...JS_APPEND,
        ...JS_WRITE,
        ...DB_INSERT,
        ...ORM_CREATE,
        'createWriteStream',
        'open',
        'openSync',
        'fdopen',
        'write_text',
        'write_bytes',
      ];
      const candidates = new Map<number, SgNode>();
      for (const c of callsMatching(src, endsWithName(names))) candidates.set(startOf(c), c);
      // Speed gate: the query's literal needs the word, in any case (Unicode folding, as the Rust regex).
      if (/insert/iu.test(src.file.text))
        for (const c of callsWithStringArg(src, '^[rbuf]*["\'`]\\s*(?i)INSERT\\s'))
          candidates.set(startOf(c), c);
      for (const call of [...candidates.values()].sort((a, b) => startOf(a) - startOf(b))) {
        const site = classify(src, call, py, modeHint);
        if (site) sites.push(site);
      }
    }
    cache.set(src, sites);
  }
  return sites;
}

interface RawWrite {
  api: WriteApi;
  path?: SgNode;
  pathText?: string;
  data: SgNode[];
}

function classify(src: ParsedSource, call: SgNode, py: boolean, modeHint: boolean): WriteSite | undefined {
  const raw = py ? pyWrite(call, modeHint) : jsWrite(call, modeHint);
  if (!raw) return undefined;
  const path = raw.path ? resolved(src, raw.path, py) : [];
  const pathText = raw.pathText ?? path.map((n) => n.text()).join(' ');
  const pathWords = wordsOf(pathText);
  if (hasWord(pathWords, UNRELATED_WORDS)) return undefined;
  const data = raw.data.flatMap((d) => resolved(src, d, py));
  const dataWords = wordsOf(data.map((d) => d.text()).join(' '));
  const fields = recordFields(data, py);
  const messageShaped =
    (fields.includes('role') && fields.includes('content')) || fields.includes('messages');
  const jsonl = data.some((d) => isJsonLine(d, py));
  // null: not looked up yet (the walk up to the function is read only for a name or by the site's reader)
  let fn: SgNode | undefined | null = null;
  const fnOf = (): SgNode | undefined => {
    if (fn === null) fn = enclosingFunction(call, py);
    return fn;
  };

  let target: StoreTarget | undefined =
    conversationTarget(pathWords) ??
    conversationTarget(dataWords) ??
    (stateTarget(pathWords) ? 'state' : undefined);
  if (target === undefined) {
    // The class name is read only when path and data say nothing: finding it walks up to the root.
    const own = fnOf();
    const nameWords = wordsOf(`${own ? functionName(own) : ''} ${enclosingClassName(call)}`);
    target = conversationTarget(nameWords) ?? (stateTarget(nameWords) ? 'state' : undefined);
  }
  // `history` alone is as often a REPL's command history as a chat; it needs chat-shaped records.
  if (target === 'history' && !messageShaped && !jsonl) target = undefined;
  if (!target && messageShaped) target = 'unknown';
  if (!target) return undefined;
  const appendOnly =
    raw.api === 'appendFile' ||
    raw.api === 'createWriteStream-append' ||
    raw.api === 'open-a' ||
    raw.api === 'db-insert';
  return {
    call,
    api: raw.api,
    appendOnly,
    target,
    jsonl,
    pathText,
    data,
    fields,
    get fn() {
      return fnOf();
    },
  };
}

/** The node itself plus, for a local name, what it was initialised with. */
function resolved(src: ParsedSource, node: SgNode, py: boolean): SgNode[] {
  const init = resolveLocal(src, node, py);
  return init ? [node, init] : [node];
}

function flagOf(call: SgNode, index: number, modeHint: boolean): string | undefined {
  const args = positionalArgs(call);
  const direct = args[index] ? stringValue(args[index]) : undefined;
  if (direct !== undefined) return direct;
  const opt = modeHint ? modeOption(call) : undefined;
  return opt ? stringValue(opt) : undefined;
}

const MODE_OPTIONS = ['flag', 'flags', 'mode'];

/**
 * `optionValue(call, 'flag') ?? optionValue(call, 'flags') ?? optionValue(call, 'mode')`, reading each
 * argument once: each name's first occurrence, then the first name found in that order.
 */
function modeOption(call: SgNode): SgNode | undefined {
  const found: (SgNode | undefined)[] = [];
  const seen = [false, false, false];
  const take = (key: string, value: () => SgNode | undefined) => {
    const i = MODE_OPTIONS.indexOf(key);
    if (i >= 0 && !seen[i]) {
      seen[i] = true;
      found[i] = value();
    }
  };
  for (const a of argsOf(call)) {
    const k = a.kind();
    if (k === 'keyword_argument') take(a.field('name')?.text() ?? '', () => a.field('value') ?? undefined);
    else if (k === 'object') for (const p of pairsOf(a)) take(p.key, () => p.value);
  }
  return found[0] ?? found[1] ?? found[2];
}

function jsWrite(call: SgNode, modeHint: boolean): RawWrite | undefined {
  if (call.kind() !== 'call_expression') return undefined;
  const callee = calleeText(call);
  const name = lastSegment(callee);
  // Every other name is a database insert or nothing.
  if (
    !JS_APPEND.has(name) &&
    !JS_WRITE.has(name) &&
    name !== 'createWriteStream' &&
    name !== 'open' &&
    name !== 'openSync'
  )
    return dbInsert(call, callee, name);
  const args = positionalArgs(call);
  if (JS_APPEND.has(name) && args.length >= 2) return { api: 'appendFile', path: args[0], data: [args[1]!] };
  if (JS_WRITE.has(name) && args.length >= 2) {
    const flag = modeHint ? optionValue(call, 'flag') : undefined;
    const append = flag ? /^a/.test(stringValue(flag) ?? '') : false;
    return { api: append ? 'appendFile' : 'writeFile', path: args[0], data: [args[1]!] };
  }
  if (name === 'createWriteStream' && args.length >= 1) {
    const flags = modeHint ? optionValue(call, 'flags') : undefined;
    const append = flags ? /^a/.test(stringValue(flags) ?? '') : false;
    return {
      api: append ? 'createWriteStream-append' : 'createWriteStream',
      path: args[0],
      data: writesThroughHandle(call, false),
    };
  }
  if ((name === 'open' || name === 'openSync') && args.length >= 2) {
    const flag = stringValue(args[1]!);
    if (!flag || !/^[awx][+sx]*$/.test(flag)) return undefined;
    return {
      api: flag.startsWith('a') ? 'open-a' : 'open-w',
      path: args[0],
      data: writesThroughHandle(call, false),
    };
  }
  return dbInsert(call, callee, name);
}

function pyWrite(call: SgNode, modeHint: boolean): RawWrite | undefined {
  const callee = calleeText(call);
  const name = lastSegment(callee);
  const recv = receiverText(callee);
  if (
    (name === 'open' &&
      (recv === '' || recv === 'io' || recv === 'aiofiles' || recv === 'codecs' || recv === 'gzip')) ||
    callee === 'os.fdopen'
  ) {
    const mode = flagOf(call, 1, modeHint);
    if (!mode || !/[awx]/.test(mode)) return undefined;
    return {
      api: mode.includes('a') ? 'open-a' : 'open-w',
      path: positionalArgs(call)[0],
      data: writesThroughHandle(call, true),
    };
  }
  if (name !== 'open' && name !== 'write_text' && name !== 'write_bytes') return dbInsert(call, callee, name);
  const fnNode = call.field('function');
  const object = fnNode?.kind() === 'attribute' ? (fnNode.field('object') ?? undefined) : undefined;
  if (name === 'open' && object && recv !== 'os') {
    // pathlib: Path(...).open('a')
    const mode = flagOf(call, 0, modeHint);
    if (!mode || !/[awx]/.test(mode)) return undefined;
    return {
      api: mode.includes('a') ? 'open-a' : 'open-w',
      path: object,
      data: writesThroughHandle(call, true),
    };
  }
  if (name === 'write_text' || name === 'write_bytes') {
    const args = positionalArgs(call);
    if (object && args.length >= 1) return { api: 'writeFile', path: object, data: [args[0]!] };
  }
  return dbInsert(call, callee, name);
}

/**
 * An SQL insert (a first argument that is one, whatever the name: a file without the word has none), a
 * document-store insert, or an ORM create; the arguments are read only when one of these can be.
 */
function dbInsert(call: SgNode, callee: string, name: string): RawWrite | undefined {
  const insert = DB_INSERT.has(name);
  // An SQL insert may be any string the first argument joins ('IN' + 'SERT …'), so no text gate here.
  const first = positionalArgs(call)[0];
  const sql = first
    ? (stringValue(first) ?? (first.kind() === 'template_string' ? first.text().slice(1, -1) : undefined))
    : undefined;
  const table = sql ? SQL_INSERT.exec(sql)?.[1] : undefined;
  if (table) return { api: 'db-insert', pathText: table, data: positionalArgs(call).slice(1) };
  if (insert) {
    const args = positionalArgs(call);
    const recv = receiverText(callee);
    return {
      api: 'db-insert',
      pathText: `${recv} ${first?.text() ?? ''}`,
      data: args.slice(name === 'insert' ? 0 : 1),
    };
  }
  if (ORM_CREATE.has(name)) {
    // prisma.message.create({...}), db.session.upsert(...): the model name is the store
    // Only ORM clients (prisma.message.create, db.session.upsert): `client.messages.create` is a model call.
    const recv = receiverText(callee);
    const model = lastSegment(recv);
    const root = recv.split('.')[0] === 'this' ? (recv.split('.')[1] ?? '') : (recv.split('.')[0] ?? '');
    if (!model || model === root || !hasWord(wordsOf(root), ORM_ROOTS) || isModelCall(call)) return undefined;
    return {
      api: 'db-insert',
      pathText: model,
      data: positionalArgs(call).concat(argsOf(call).filter((a) => a.kind() === 'keyword_argument')),
    };
  }
  return undefined;
}

/**
 * What goes through a file handle or stream: `.write(x)` calls on the name it is bound to, and Python's
 * `json.dump(x, f)` — for `with open(...) as f:` and `const out = createWriteStream(...)` alike.
 */
function writesThroughHandle(opener: SgNode, py: boolean): SgNode[] {
  let handle: string | undefined;
  let scope: SgNode | undefined;
  for (let p = opener.parent(); p; p = p.parent()) {
    const k = p.kind();
    if (k === 'as_pattern')
      handle = p.field('alias')?.text() ?? p.find({ rule: { kind: 'as_pattern_target' } })?.text();
    if (k === 'with_statement') {
      scope = p.field('body') ?? p;
      break;
    }
    if (k === 'variable_declarator' || k === 'assignment') {
      handle = (p.field('name') ?? p.field('left'))?.text();
      scope = enclosingFunction(p, py) ?? rootOf(p);
      break;
    }
    if (
      k === 'await_expression' ||
      k === 'await' ||
      k === 'parenthesized_expression' ||
      k === 'as_pattern' ||
      k === 'with_item' ||
      k === 'with_clause'
    )
      continue;
    break;
  }
  if (!handle || !scope) return [];
  const out: SgNode[] = [];
  for (const c of scope.findAll({ rule: { kind: py ? 'call' : 'call_expression' } })) {
    const callee = calleeText(c);
    const name = lastSegment(callee);
    // Only these calls can pass a write through the handle: the others' arguments are not read.
    if (
      !(name === 'write' || name === 'writelines' || name === 'writeSync') &&
      !(py && (callee === 'json.dump' || callee === 'pickle.dump'))
    )
      continue;
    if (startOf(c) < startOf(opener)) continue;
    const args = positionalArgs(c);
    if (receiverText(callee) === handle && (name === 'write' || name === 'writelines') && args[0])
      out.push(args[0]);
    // fs.writeSync(fd, data) / fs.write(fd, data) on a numeric descriptor
    else if (!py && (name === 'writeSync' || name === 'write') && args[0]?.text() === handle && args[1])
      out.push(args[1]);
    else if (
      py &&
      (callee === 'json.dump' || callee === 'pickle.dump') &&
      args[1]?.text() === handle &&
      args[0]
    )
      out.push(args[0]);
  }
  return out;
}

const PY_DUMPS = /^(json|orjson|ujson)\.dumps$/;
const JSON_STRINGIFY = /^JSON\.stringify$/;

/** The nodes of a data expression that `isJsonLine` and `recordFields` read, each list in document order. */
interface DataNodes {
  objects: SgNode[];
  calls: SgNode[];
  escapes: SgNode[];
  spreads: SgNode[];
}

const dataNodesMemo = new WeakMap<SgNode, DataNodes>();

/**
 * One query of a data expression for the object literals, calls, escapes and spreads its readers need,
 * sorted out by kind: each query of a subtree has a fixed cost. The speed gates of the readers decide
 * which kinds are asked for, never what a reader finds.
 */
function dataNodes(d: SgNode, py: boolean): DataNodes {
  let nodes = dataNodesMemo.get(d);
  if (nodes) return nodes;
  const text = d.text();
  const jsonLine = jsonLineHint(text, py);
  const notIdentifier = d.kind() !== 'identifier';
  const wantCalls =
    jsonLine || (py ? text.includes('dict') : notIdentifier && text.includes('JSON.stringify'));
  const wantSpreads = !py && notIdentifier && text.includes('...');
  const objectKind = py ? 'dictionary' : 'object';
  const callKind = py ? 'call' : 'call_expression';
  const any: object[] = [{ kind: objectKind }];
  if (wantCalls) any.push({ kind: callKind });
  if (jsonLine) any.push({ kind: 'escape_sequence' });
  if (wantSpreads) any.push({ kind: 'spread_element' });
  nodes = { objects: [], calls: [], escapes: [], spreads: [] };
  for (const n of d.findAll({ rule: any.length === 1 ? any[0]! : { any } })) {
    const k = n.kind();
    if (k === objectKind) nodes.objects.push(n);
    else if (k === callKind) nodes.calls.push(n);
    else if (k === 'escape_sequence') nodes.escapes.push(n);
    else nodes.spreads.push(n);
  }
  dataNodesMemo.set(d, nodes);
  return nodes;
}

const functionTextMemo = new WeakMap<SgNode, string>();

function functionText(call: SgNode): string {
  let text = functionTextMemo.get(call);
  if (text === undefined) {
    text = call.field('function')?.text() ?? '';
    functionTextMemo.set(call, text);
  }
  return text;
}

/** Speed gate: a JSON line needs its serialiser's name and a `\n` escape in the text. */
function jsonLineHint(text: string, py: boolean): boolean {
  return text.includes(py ? 'json.dumps' : 'JSON.stringify') && text.includes('\\n');
}

function isJsonLine(node: SgNode, py: boolean): boolean {
  const text = node.text();
  if (!jsonLineHint(text, py)) return false;
  const nodes = dataNodes(node, py);
  const serialiser = nodes.calls.some((c) => (py ? PY_DUMPS : JSON_STRINGIFY).test(functionText(c)));
  const selfIsSerialiser = py
    ? /^(json|orjson|ujson)\.dumps\(/.test(text)
    : text.startsWith('JSON.stringify(');
  if (!serialiser && !selfIsSerialiser) return false;
  return nodes.escapes.some((e) => e.text() === '\\n');
}

/** Keys of record literals written, two levels deep, plus the fields of a declared record type. */
function recordFields(data: SgNode[], py: boolean): string[] {
  const keys = new Set<string>();
  for (const d of data) {
    const nodes = dataNodes(d, py);
    const objects = isObjectLiteral(d) ? [d] : [];
    objects.push(...nodes.objects);
    for (const o of objects) for (const p of pairsOf(o)) keys.add(p.key);
    // Speed gate: a `dict(...)` call needs the word.
    if (py && d.text().includes('dict')) {
      for (const c of nodes.calls)
        if (functionText(c) === 'dict')
          for (const a of argsOf(c))
            if (a.kind() === 'keyword_argument') keys.add(a.field('name')?.text() ?? '');
    }
    if (!py)
      for (const id of recordIdentifiers(d, nodes)) {
        const type = parameterTypeName(id, py);
        if (type) for (const f of declaredFields(rootOf(id), type)) keys.add(f);
      }
  }
  keys.delete('');
  return [...keys];
}

/** Names that stand for a whole record: the data itself, `JSON.stringify(entry)`, `{ ...entry }`. */
function recordIdentifiers(d: SgNode, nodes: DataNodes): SgNode[] {
  if (d.kind() === 'identifier') return [d];
  // Speed gate: the identifiers sought sit in a spread or a JSON.stringify call within `d`.
  const text = d.text();
  if (!text.includes('...') && !text.includes('JSON.stringify')) return [];
  // Identifiers that are a spread's operand or an argument of a JSON.stringify call, in document order.
  const out: SgNode[] = [];
  for (const s of nodes.spreads) for (const c of s.namedChildren()) if (c.is('identifier')) out.push(c);
  for (const c of nodes.calls) {
    if (!JSON_STRINGIFY.test(functionText(c))) continue;
    const args = c.field('arguments');
    if (args?.is('arguments')) for (const a of args.namedChildren()) if (a.is('identifier')) out.push(a);
  }
  return out.length > 1 ? out.sort((a, b) => startOf(a) - startOf(b)) : out;
}
