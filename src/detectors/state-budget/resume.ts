import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import {
  bodyOf,
  calleeText,
  callsIn,
  callsMatching,
  callsWithStringArg,
  enclosingClassName,
  enclosingFunction,
  endsWithName,
  functionName,
  isFunction,
  isPython,
  lastSegment,
  positionalArgs,
  receiverText,
  resolveLocal,
  startOf,
  stringValue,
} from './syntax.js';
import { conversationTarget, wordsOf } from './vocab.js';

/**
 * Functions that read a stored conversation back: they read a file, stream or table and parse records,
 * and either are named for it (`loadSession`, `restore_transcript`) or read a path that names it.
 */

export interface ResumeFunction {
  fn: SgNode;
  name: string;
  /** Parses line by line (split on newlines, readline, `for line in f`). */
  jsonl: boolean;
}

const RESUME_VERBS =
  /^(load|resume|restore|read|hydrate|rehydrate|reload|replay|recover|continue|fetch|get|open|parse)$/;
const JS_READS = new Set([
  'readFile',
  'readFileSync',
  'createReadStream',
  'createInterface',
  'readJson',
  'readJsonSync',
  'readJSON',
]);
const PY_READS = new Set(['read_text', 'read_bytes', 'readlines', 'load']);
const PARSERS =
  /^(JSON\.parse|JSON5\.parse|json\.loads?|orjson\.loads|ujson\.loads|yaml\.safe_load|parseJsonl?|model_validate_json|parse_raw)$/;
const SQL_SELECT = /^\s*SELECT\s[\s\S]*\sFROM\s+["'`[]?(\w+)/i;

const cache = new WeakMap<ParsedSource, ResumeFunction[]>();

/** Speed gates: a read API and a word naming a conversation must both occur in the file. */
const READ_API_HINT =
  /readFile|createReadStream|createInterface|readJs|read_text|read_bytes|readlines|\.load\(|open\(|SELECT/;
const CONVERSATION_HINT = /transcript|session|conversation|convo|chat|dialog|messages|msgs|histor/i;

export function resumeFunctions(src: ParsedSource): ResumeFunction[] {
  let out = cache.get(src);
  if (out) return out;
  out = [];
  const py = isPython(src);
  if (READ_API_HINT.test(src.file.text) && CONVERSATION_HINT.test(src.file.text)) {
    // Only functions around a read can be loaders: walk up from each read instead of scanning every function.
    const seen = new Set<string>();
    const hinted = [
      ...callsMatching(src, endsWithName(py ? [...PY_READS, 'open'] : [...JS_READS])),
      // Speed gate: the query's literal needs the word, in any case (Unicode folding, as the Rust regex).
      ...(/select/iu.test(src.file.text) ? callsWithStringArg(src, '^[rbuf]*["\'`]\\s*(?i)SELECT\\s') : []),
    ];
    const reads = hinted.filter(
      (c) => isRead(c, calleeText(c), lastSegment(calleeText(c)), py) || isSelect(c),
    );
    for (const read of reads) {
      for (let p = read.parent(); p; p = p.parent()) {
        const isFn = isFunction(p, py);
        const isDecl = p.kind() === (py ? 'assignment' : 'variable_declarator');
        if (!isFn && !isDecl) continue;
        const key = `${p.kind()}:${startOf(p)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const r = isFn
          ? asResume(src, p, py, read)
          : enclosingFunction(p, py)
            ? undefined
            : asResumeDeclaration(src, p, py);
        if (r) out.push(r);
      }
    }
    out.sort((a, b) => startOf(a.fn) - startOf(b.fn));
  }
  cache.set(src, out);
  return out;
}

function asResume(src: ParsedSource, fn: SgNode, py: boolean, read: SgNode): ResumeFunction | undefined {
  const name = functionName(fn);
  const words = wordsOf(name);
  // `resume()` on a SessionStore class is as clear as `resumeSession()`.
  const subject = words.length === 1 ? [...words, ...wordsOf(enclosingClassName(fn))] : words;
  const named = words.length > 0 && RESUME_VERBS.test(words[0]!) && conversationTarget(subject) !== undefined;
  // Unnamed loaders qualify only by what they read; decide that before collecting every call of the body.
  if (!named && !isSelect(read) && conversationTarget(wordsOf(readPathText(src, read, py))) === undefined)
    return undefined;
  return judge(src, fn, name, named, callsIn(bodyOf(fn), py), py);
}

/**
 * `const messages = existsSync(LOG) ? readFileSync(LOG, 'utf8').split('\n').map(JSON.parse) : []` — a
 * conversation read back outside any function.
 */
function asResumeDeclaration(src: ParsedSource, decl: SgNode, py: boolean): ResumeFunction | undefined {
  const value = decl.field(py ? 'right' : 'value');
  const name = decl.field(py ? 'left' : 'name')?.text() ?? '';
  if (!value || conversationTarget(wordsOf(name)) === undefined) return undefined;
  if (
    value.kind() === 'arrow_function' ||
    value.kind() === 'function_expression' ||
    value.kind() === 'lambda'
  )
    return undefined;
  return judge(src, value, name, true, callsIn(value, py), py);
}

function judge(
  src: ParsedSource,
  fn: SgNode,
  name: string,
  named: boolean,
  calls: SgNode[],
  py: boolean,
): ResumeFunction | undefined {
  let read: SgNode | undefined;
  let parsed = false;
  let select = false;
  for (const c of calls) {
    const callee = calleeText(c);
    const last = lastSegment(callee);
    if (PARSERS.test(callee) || PARSERS.test(last)) parsed = true;
    if (!read && isRead(c, callee, last, py)) read = c;
    const first = positionalArgs(c)[0];
    const sql = first
      ? (stringValue(first) ?? (first.kind() === 'template_string' ? first.text() : undefined))
      : undefined;
    const table = sql ? SQL_SELECT.exec(sql)?.[1] : undefined;
    if (table && conversationTarget(wordsOf(table))) select = true;
  }
  if (isCallback(fn) && !named) return undefined;
  const readsSessionPath =
    read !== undefined && conversationTarget(wordsOf(readPathText(src, read, py))) !== undefined;
  const ok = (named && ((read !== undefined && parsed) || select)) || (readsSessionPath && parsed);
  if (!ok) return undefined;
  return { fn, name, jsonl: readsLines(fn, calls, py) };
}

/** Arrow callbacks passed straight into another call are judged with their named parent, not alone. */
function isCallback(fn: SgNode): boolean {
  return fn.parent()?.kind() === 'arguments';
}

/** The path a read call reads, resolved one step through a local (`readFileSync(LOG)` with `LOG = 'session.jsonl'`). */
function readPathText(src: ParsedSource, read: SgNode, py: boolean): string {
  const arg = positionalArgs(read)[0];
  if (!arg) return receiverOf(read);
  const init = resolveLocal(src, arg, py);
  return init ? `${arg.text()} ${init.text()}` : arg.text();
}

function receiverOf(call: SgNode): string {
  return receiverText(calleeText(call));
}

function isSelect(call: SgNode): boolean {
  const first = positionalArgs(call)[0];
  const sql = first
    ? (stringValue(first) ?? (first.kind() === 'template_string' ? first.text() : undefined))
    : undefined;
  return sql !== undefined && SQL_SELECT.test(sql);
}

function isRead(call: SgNode, callee: string, last: string, py: boolean): boolean {
  if (!py) return JS_READS.has(last);
  if (PY_READS.has(last)) return last !== 'load' || /^(json|yaml|pickle)\.load$/.test(callee);
  if (last !== 'open' || receiverOf(call) === 'os') return false;
  const mode = positionalArgs(call)[receiverOf(call) ? 0 : 1];
  const m = mode ? stringValue(mode) : undefined;
  return m === undefined || /^r/.test(m);
}

function readsLines(fn: SgNode, calls: SgNode[], py: boolean): boolean {
  for (const c of calls) {
    const last = lastSegment(calleeText(c));
    if (last === 'createInterface' || last === 'splitlines' || last === 'readlines') return true;
    if (last === 'split') {
      const arg = positionalArgs(c)[0];
      if (arg && /\\n/.test(arg.text())) return true;
    }
  }
  // Python: `for line in f:` over an opened file
  return (
    py &&
    bodyOf(fn).find({ rule: { kind: 'for_statement', has: { field: 'left', regex: '^(line|raw|row)' } } }) !==
      null
  );
}
