import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { argsOf, calleeOf, callsAndConstructions, lastName } from '../runtime/syntax.js';
import { nodesOf, nodesWithIndex } from './file-index.js';

/**
 * Language-neutral accessors over the TSX and Python trees, so the state, budget and compaction
 * detectors can state one rule for both languages.
 */

export const isPython = (src: ParsedSource): boolean => src.language === 'python';

const JS_FUNCTIONS = new Set([
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
]);
const PY_FUNCTIONS = new Set(['function_definition']);
const JS_LOOPS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);
const PY_LOOPS = new Set(['for_statement', 'while_statement']);

export function callKind(py: boolean): string {
  return py ? 'call' : 'call_expression';
}

/** Every call of a file, computed once and shared by the detectors of this folder. */
export function callsOf(src: ParsedSource): readonly SgNode[] {
  // The same query as `callsIn(src.root, …)`, kept once per file for every detector.
  return callsAndConstructions(src);
}

/** Every call in the tree; JS `new X()` included, since constructors matter as much as calls here. */
export function callsIn(node: SgNode, py: boolean): SgNode[] {
  if (py) return node.findAll({ rule: { kind: 'call' } });
  return node.findAll({ rule: { any: [{ kind: 'call_expression' }, { kind: 'new_expression' }] } });
}

// Answers about a call node, kept per wrapper: the detectors of this folder ask them of the same cached calls.
const calleeTextMemo = new WeakMap<SgNode, string>();
const positionalMemo = new WeakMap<SgNode, readonly SgNode[]>();

/** Dotted callee text with optional chaining and `await` removed: `fs.promises.appendFile`. */
export function calleeText(call: SgNode): string {
  let text = calleeTextMemo.get(call);
  if (text === undefined) {
    text = calleeTextOf(call);
    calleeTextMemo.set(call, text);
  }
  return text;
}

function calleeTextOf(call: SgNode): string {
  const fn = calleeOf(call) ?? call.field('constructor');
  if (!fn) return '';
  // An IIFE or a call on a big expression: only the method name can matter, and its text can be huge.
  if (endOf(fn) - startOf(fn) > MAX_NAME_CHARS)
    return fn.field('property')?.text() ?? fn.field('attribute')?.text() ?? '';
  return fn.text().replace(/\?\./g, '.').replace(/\s+/g, '');
}

/** Longer than this, an expression is not a name worth splitting into words. */
export const MAX_NAME_CHARS = 160;

export function isShort(node: SgNode): boolean {
  return endOf(node) - startOf(node) <= MAX_NAME_CHARS;
}

export function lastSegment(dotted: string): string {
  const i = dotted.lastIndexOf('.');
  return i < 0 ? dotted : dotted.slice(i + 1);
}

/** The receiver of a method call (`a.b` of `a.b.c()`), or '' for a bare function call. */
export function receiverText(dotted: string): string {
  const i = dotted.lastIndexOf('.');
  return i < 0 ? '' : dotted.slice(0, i);
}

/** Argument nodes in order; Python keyword arguments included as `keyword_argument` nodes (shared memo). */
export { argsOf };

export function positionalArgs(call: SgNode): readonly SgNode[] {
  let args = positionalMemo.get(call);
  if (!args) {
    args = Object.freeze(
      argsOf(call).filter((a) => {
        const k = a.kind();
        return k !== 'keyword_argument' && k !== 'spread_element';
      }),
    );
    positionalMemo.set(call, args);
  }
  return args;
}

/** A Python keyword argument's value, or the value of a same-named key in a JS options object argument. */
export function optionValue(call: SgNode, name: string): SgNode | undefined {
  for (const a of argsOf(call)) {
    if (a.kind() === 'keyword_argument') {
      if (a.field('name')?.text() === name) return a.field('value') ?? undefined;
    } else if (a.kind() === 'object') {
      for (const p of pairsOf(a)) if (p.key === name) return p.value;
    }
  }
  return undefined;
}

export interface Pair {
  key: string;
  value: SgNode;
  node: SgNode;
}

/** Key/value pairs of a JS object literal or a Python dict literal (string keys only). */
export function pairsOf(obj: SgNode): Pair[] {
  const out: Pair[] = [];
  for (const c of obj.namedChildren()) {
    const kind = c.kind();
    if (kind === 'pair') {
      const k = c.field('key');
      const v = c.field('value');
      if (!k || !v) continue;
      const key =
        k.kind() === 'string' ? stringValue(k) : k.kind() === 'computed_property_name' ? undefined : k.text();
      if (key !== undefined) out.push({ key, value: v, node: c });
    } else if (kind === 'shorthand_property_identifier') out.push({ key: c.text(), value: c, node: c });
  }
  return out;
}

/** Pairs of Python `dict(a=1)` calls and keyword arguments look like dict pairs to callers. */
export function keywordPairs(call: SgNode): Pair[] {
  const out: Pair[] = [];
  for (const a of argsOf(call)) {
    if (a.kind() !== 'keyword_argument') continue;
    const name = a.field('name')?.text();
    const value = a.field('value');
    if (name && value) out.push({ key: name, value, node: a });
  }
  return out;
}

export function isObjectLiteral(node: SgNode): boolean {
  const k = node.kind();
  return k === 'object' || k === 'dictionary';
}

/** The literal value of a string node without interpolation, else undefined. */
export function stringValue(node: SgNode): string | undefined {
  const k = node.kind();
  if (k === 'string') {
    const t = node.text();
    // Python prefixes (r, b, u) and either quote style; JS single/double quotes.
    const m = /^[rbuRBU]{0,2}("""|'''|"|')([\s\S]*)\1$/.exec(t);
    if (!m) return undefined;
    // An interpolation is a `{…}` in the text: without one there is no child to look for.
    if (t.includes('{') && node.children().some((c) => c.kind() === 'interpolation')) return undefined;
    return m[2];
  }
  if (k === 'template_string') {
    const t = node.text();
    // A substitution is a `${…}` in the text: without one there is none to look for.
    if (t.includes('${') && node.find({ rule: { kind: 'template_substitution' } })) return undefined;
    return t.slice(1, -1);
  }
  return undefined;
}

export function isStringLiteral(node: SgNode): boolean {
  return stringValue(node) !== undefined;
}

export function isFunction(node: SgNode, py: boolean): boolean {
  return isFunctionKind(String(node.kind()), py);
}

export function isFunctionKind(kind: string, py: boolean): boolean {
  return (py ? PY_FUNCTIONS : JS_FUNCTIONS).has(kind);
}

export function enclosingFunction(node: SgNode, py: boolean): SgNode | undefined {
  for (let p = node.parent(); p; p = p.parent()) if (isFunction(p, py)) return p;
  return undefined;
}

/** Every function-like node of a file. */
export function functionsIn(root: SgNode, py: boolean): SgNode[] {
  if (py) return root.findAll({ rule: { kind: 'function_definition' } });
  return root.findAll({ rule: { any: [...JS_FUNCTIONS].map((kind) => ({ kind })) } });
}

/** The name a function is known by: its own, or the variable, property or class field it is bound to. */
export function functionName(fn: SgNode): string {
  const own = fn.field('name');
  if (own) return own.text();
  const parent = fn.parent();
  if (!parent) return '';
  const pk = parent.kind();
  if (pk === 'variable_declarator') return parent.field('name')?.text() ?? '';
  if (pk === 'pair') return parent.field('key')?.text() ?? '';
  if (pk === 'public_field_definition' || pk === 'field_definition')
    return parent.field('name')?.text() ?? '';
  if (pk === 'assignment_expression') return lastSegment(parent.field('left')?.text() ?? '');
  return '';
}

export function enclosingClassName(node: SgNode): string {
  for (let p = node.parent(); p; p = p.parent()) {
    const k = p.kind();
    if (k === 'class_declaration' || k === 'class_definition' || k === 'class')
      return p.field('name')?.text() ?? '';
  }
  return '';
}

export function isLoopKind(kind: string, py: boolean): boolean {
  return (py ? PY_LOOPS : JS_LOOPS).has(kind);
}

/** The body of a function or loop, or the node itself. */
export function bodyOf(node: SgNode): SgNode {
  return node.field('body') ?? node;
}

/**
 * Start and end offsets per node wrapper: each range() crosses into ast-grep and builds a fresh object, and
 * the detectors of this folder ask for the same nodes' offsets again and again (sorting, containment).
 */
const offsetsMemo = new WeakMap<SgNode, readonly [number, number]>();

function offsetsOf(node: SgNode): readonly [number, number] {
  let o = offsetsMemo.get(node);
  if (!o) {
    const r = node.range();
    o = [r.start.index, r.end.index];
    offsetsMemo.set(node, o);
  }
  return o;
}

export function startOf(node: SgNode): number {
  return offsetsOf(node)[0];
}

export function endOf(node: SgNode): number {
  return offsetsOf(node)[1];
}

export function contains(outer: SgNode, inner: SgNode): boolean {
  const o = offsetsOf(outer);
  const i = offsetsOf(inner);
  return o[0] <= i[0] && i[1] <= o[1];
}

export interface Comparison {
  node: SgNode;
  op: string;
  left: SgNode;
  right: SgNode;
}

const ORDER_OPS = new Set(['<', '<=', '>', '>=']);

const comparisonCache = new WeakMap<SgNode, Comparison[]>();
const fileComparisonCache = new WeakMap<ParsedSource, Comparison[]>();

/** Ordering comparisons (`<`, `<=`, `>`, `>=`) in JS and Python, between short operands (names, not bodies). */
export function orderComparisons(root: SgNode, py: boolean): Comparison[] {
  const cached = comparisonCache.get(root);
  if (cached) return cached;
  const out: Comparison[] = [];
  const candidates = py
    ? root.findAll({ rule: { kind: 'comparison_operator' } })
    : // One regex rather than one per operator: each regex of a query is compiled at every query.
      root.findAll({
        rule: { kind: 'binary_expression', has: { field: 'operator', regex: '^(<|<=|>|>=)$' } },
      });
  for (const n of candidates) {
    const c = asComparison(n, py);
    if (c) out.push(c);
  }
  comparisonCache.set(root, out);
  return out;
}

/** `orderComparisons` of the whole file, from the file's shared comparison list (see `nodesOf`). */
export function fileComparisons(src: ParsedSource): Comparison[] {
  let out = fileComparisonCache.get(src);
  if (!out) {
    const py = isPython(src);
    out = [];
    for (const n of nodesOf(src, 'comparisons')) {
      const c = asComparison(n, py);
      if (c) out.push(c);
    }
    fileComparisonCache.set(src, out);
  }
  return out;
}

/**
 * A comparison node as an ordering comparison, if it is one. Python: the first operator decides, and it is
 * one of these only if some child is, which the former query asked of ast-grep with a regex.
 */
function asComparison(n: SgNode, py: boolean): Comparison | undefined {
  if (py) {
    const kids = n.children();
    const named = kids.filter((c) => c.isNamed());
    const op = kids.find((c) => !c.isNamed())?.text() ?? '';
    if (named.length === 2 && ORDER_OPS.has(op) && isShort(named[0]!) && isShort(named[1]!))
      return { node: n, op, left: named[0]!, right: named[1]! };
    return undefined;
  }
  const op = n.field('operator')?.text() ?? '';
  if (!ORDER_OPS.has(op)) return undefined;
  const left = n.field('left');
  const right = n.field('right');
  if (left && right && isShort(left) && isShort(right)) return { node: n, op, left, right };
  return undefined;
}

/** Equality tests against a string literal: `x.type === 'tool_result'`, `role == "tool"`. */
export function equalsString(node: SgNode, py: boolean): { subject: SgNode; value: string } | undefined {
  let left: SgNode | null | undefined;
  let right: SgNode | null | undefined;
  if (py) {
    if (node.kind() !== 'comparison_operator') return undefined;
    const kids = node.children();
    const op = kids.find((c) => !c.isNamed())?.text();
    if (op !== '==') return undefined;
    [left, right] = kids.filter((c) => c.isNamed());
  } else {
    if (node.kind() !== 'binary_expression') return undefined;
    const op = node.field('operator')?.text();
    if (op !== '===' && op !== '==') return undefined;
    left = node.field('left');
    right = node.field('right');
  }
  if (!left || !right) return undefined;
  const rv = stringValue(right);
  if (rv !== undefined) return { subject: left, value: rv };
  const lv = stringValue(left);
  if (lv !== undefined) return { subject: right, value: lv };
  return undefined;
}

/**
 * The initialiser of a local name, looked up in the enclosing function (or the file): lets `data` in
 * `appendFile(p, data)` stand for `const data = JSON.stringify(entry) + '\n'`.
 */
export function resolveLocal(src: ParsedSource, ident: SgNode, py: boolean): SgNode | undefined {
  if (ident.kind() !== 'identifier') return undefined;
  // Assignments (Python) or declarators (JS) of the file named like `ident`, in document order.
  const named = bindingsByName(src).get(ident.text());
  if (!named) return undefined;
  const fn = enclosingFunction(ident, py);
  const before = startOf(ident);
  // First the function's bindings (those inside its range: a binding is never zero-width, so inside its
  // range means inside the function), then the file's, as a query of each scope would list them.
  if (fn)
    for (const b of named)
      if (contains(fn, b) && startOf(b) < before) return b.field(py ? 'right' : 'value') ?? undefined;
  for (const b of named) if (startOf(b) < before) return b.field(py ? 'right' : 'value') ?? undefined;
  return undefined;
}

const bindingsMemo = new WeakMap<ParsedSource, Map<string | undefined, SgNode[]>>();

/** The file's bindings by the text of their target (name or left side), each list in document order. */
function bindingsByName(src: ParsedSource): Map<string | undefined, SgNode[]> {
  let byName = bindingsMemo.get(src);
  if (!byName) {
    const py = isPython(src);
    byName = new Map();
    for (const node of nodesOf(src, 'bindings')) {
      const name = node.field(py ? 'left' : 'name')?.text();
      const list = byName.get(name);
      if (list) list.push(node);
      else byName.set(name, [node]);
    }
    bindingsMemo.set(src, byName);
  }
  return byName;
}

/** The declared type name of a JS/TS parameter, for `entry: TranscriptEntry`. */
export function parameterTypeName(ident: SgNode, py: boolean): string | undefined {
  const fn = enclosingFunction(ident, py);
  const params = fn?.field('parameters');
  if (!params) return undefined;
  for (const p of params.children()) {
    const pattern = p.field('pattern') ?? p.field('name');
    if (pattern?.text() !== ident.text()) continue;
    const t = p.field('type');
    const id = t?.find({ rule: { any: [{ kind: 'type_identifier' }, { kind: 'identifier' }] } });
    return id?.text();
  }
  return undefined;
}

/** The tree's root node: the top of `node`'s parent chain, without walking it. */
export function rootOf(node: SgNode): SgNode {
  return node.getRoot().root();
}

/** Property names of an interface or object type alias declared in the same file. */
export function declaredFields(root: SgNode, typeName: string): string[] {
  const decl = root.find({
    rule: {
      any: [{ kind: 'interface_declaration' }, { kind: 'type_alias_declaration' }],
      has: { field: 'name', regex: `^${typeName}$` },
    },
  });
  if (!decl) return [];
  return decl
    .findAll({ rule: { kind: 'property_signature' } })
    .map((p) => p.field('name')?.text() ?? '')
    .filter(Boolean);
}

/** Node identity: wrappers returned by separate queries are distinct objects for the same node. */
export function sameNode(a: SgNode | undefined, b: SgNode | undefined): boolean {
  if (!a || !b) return a === b;
  return startOf(a) === startOf(b) && endOf(a) === endOf(b) && a.kind() === b.kind();
}

/**
 * Calls whose callee's last name matches `nameRegex` (a Rust regex over `appendFile` in
 * `fs.promises.appendFile(...)`), in document order, as the equivalent ast-grep rule would find them: the
 * text of the callee's name node (a bare identifier callee, or the property / attribute of a member callee)
 * is tested. A file whose text cannot hold a matching name is not walked at all (see `textGate`). A regex
 * naming a list of names is answered from those name nodes, found natively; any other filters the file's
 * shared call list (see `callsOf`), naming each call once.
 */
export function callsMatching(src: ParsedSource, nameRegex: string): SgNode[] {
  const re = jsRegex(nameRegex);
  const py = isPython(src);
  const list = namedFiles.has(src) ? null : nameList(nameRegex);
  if (list) return callsNamed(src, list, py).filter((call) => re.test(calleeNameText(call, py)!));
  const gate = textGate(nameRegex, py);
  if (gate && !gate.test(src.file.text)) return [];
  namedFiles.add(src);
  const out: SgNode[] = [];
  for (const call of callsOf(src)) {
    const name = calleeNameText(call, py);
    if (name !== null && re.test(name)) out.push(call);
  }
  return out;
}

/** Files whose every call `callsMatching` has named: it filters their whole call list from then on. */
const namedFiles = new WeakSet<ParsedSource>();

const nameLists = new Map<string, readonly string[] | null>();

/**
 * The names of a regex that accepts a name only if it is one of a list of plain names: `^(a|b)$`, `^a$`,
 * also with `(^|\.)` for `^` (a name has no dot), else null.
 */
function nameList(nameRegex: string): readonly string[] | null {
  let list = nameLists.get(nameRegex);
  if (list === undefined) {
    const m = /^(?:\^|\(\^\|\\\.\))(?:\(([A-Za-z0-9_|]+)\)|([A-Za-z0-9_]+))\$$/.exec(nameRegex);
    const names = m ? (m[1] ?? m[2]!).split('|') : [];
    list = m && !names.includes('') ? names : null;
    nameLists.set(nameRegex, list);
  }
  return list;
}

/**
 * Every name `callsMatching` has been asked for as part of a list (per thread): a file's calls so named
 * are found in one walk, whichever list asks first.
 */
const listedNames: string[] = [];
const isListed = new Set<string>();
const nameScanners: [RegExp | undefined, RegExp | undefined] = [undefined, undefined];

interface NamedCalls {
  /** Listed names (the first `scanned` of them) that the file's text has as a possible identifier token. */
  present: Set<string>;
  scanned: number;
  /** Names whose calls have been looked up, and the calls found, by name. */
  fetched: Set<string>;
  byName: Map<string, SgNode[]>;
}
const namedCalls = new WeakMap<ParsedSource, NamedCalls>();

/**
 * The calls and constructions of a file named (see `calleeNameText`) one of `names`, in document order.
 * A call's name is the text of an identifier token, so the name occurs in the file's text followed by no
 * identifier character and not inside an identifier (the lexer reads the longest identifier): names that
 * do not occur so have no calls.
 * The calls of the others, and of every other listed name the text so has, are found in one walk (see
 * `fetchNamedCalls`) and kept for the file's later lists.
 */
function callsNamed(src: ParsedSource, names: readonly string[], py: boolean): SgNode[] {
  for (const n of names)
    if (!isListed.has(n)) {
      isListed.add(n);
      listedNames.push(n);
      nameScanners[0] = nameScanners[1] = undefined;
    }
  let state = namedCalls.get(src);
  if (!state) {
    state = {
      present: presentNames(src.file.text, py),
      scanned: listedNames.length,
      fetched: new Set(),
      byName: new Map(),
    };
    namedCalls.set(src, state);
  }
  for (; state.scanned < listedNames.length; state.scanned++) {
    const n = listedNames[state.scanned]!;
    if (occursAsToken(src.file.text, boundedName(n, py), py)) state.present.add(n);
  }
  const wanted = names.filter((n) => state.present.has(n));
  if (wanted.length === 0) return [];
  if (wanted.some((n) => !state.fetched.has(n)))
    fetchNamedCalls(
      src,
      state,
      [...state.present].filter((n) => !state.fetched.has(n)),
      py,
    );
  const out: SgNode[] = [];
  for (const n of wanted) {
    const calls = state.byName.get(n);
    if (calls) out.push(...calls);
  }
  return out.sort(documentOrder);
}

/** Pre-order of the nodes of one tree: by start, and the longer (outer) first. */
function documentOrder(a: SgNode, b: SgNode): number {
  return startOf(a) - startOf(b) || endOf(b) - endOf(a);
}

/** The listed names the text has as possible identifier tokens, in one scan. */
function presentNames(text: string, py: boolean): Set<string> {
  let scanner = nameScanners[py ? 1 : 0];
  if (!scanner) {
    scanner = new RegExp(`(?:${listedNames.join('|')})(?![${py ? 'A-Za-z0-9_' : 'A-Za-z0-9_$'}])`, 'g');
    nameScanners[py ? 1 : 0] = scanner;
  }
  // At most one listed name starts at a position and is followed so (a shorter one is followed by the
  // longer one's next character), and the scan tries every position.
  const found = new Set<string>();
  scanner.lastIndex = 0;
  for (let m = scanner.exec(text); m; m = scanner.exec(text)) {
    if (mayStartToken(text, m.index, py) && !listed(text, m.index, m.index + m[0].length)) found.add(m[0]);
    scanner.lastIndex = m.index + 1;
  }
  return found;
}

/** Whether `re` (global) matches somewhere an identifier token may start (see `mayStartToken`). */
function occursAsToken(text: string, re: RegExp, py: boolean): boolean {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (mayStartToken(text, m.index, py) && !listed(text, m.index, m.index + m[0].length)) return true;
    re.lastIndex = m.index + 1;
  }
  return false;
}

/**
 * Whether an identifier token may start at `at`: not inside a run of identifier characters that starts
 * with a letter, `_` (or JS `$`), which the lexer reads as one identifier (`sync` of `async`). A run that
 * starts with a digit may be a number followed by an identifier (`0xasync`), so it is allowed.
 */
function mayStartToken(text: string, at: number, py: boolean): boolean {
  let i = at;
  while (i > 0 && isIdentifierChar(text.charCodeAt(i - 1), py)) i--;
  if (i === at) return true;
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * Whether the name at `start`–`end` stands between `{` or `,` and `,` or `}` (blanks aside), as in an import
 * list: a callee is followed by its arguments (`(`, a template, `<…>`, `?.`), a constructed name by `new`.
 */
function listed(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
  const before = text.charCodeAt(i);
  if (before !== 123 && before !== 44) return false;
  let j = end;
  while (j < text.length && isBlank(text.charCodeAt(j))) j++;
  const after = text.charCodeAt(j);
  return after === 44 || after === 125;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isIdentifierChar(c: number, py: boolean): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || (!py && c === 36)
  );
}

const boundedNames = [new Map<string, RegExp>(), new Map<string, RegExp>()] as const;

/** `name` followed by no identifier character (ASCII; JS also `$`). */
function boundedName(name: string, py: boolean): RegExp {
  const memo = boundedNames[py ? 1 : 0];
  let re = memo.get(name);
  if (!re) {
    re = new RegExp(`${name}(?![${py ? 'A-Za-z0-9_' : 'A-Za-z0-9_$'}])`, 'g');
    memo.set(name, re);
  }
  return re;
}

/**
 * Finds the calls named one of `names`: the identifiers (JS also property identifiers) spelt so, found
 * natively, and for each the call it is the callee of, directly or as a member's property; each call is
 * kept under its name, as `calleeNameText` reads it. That name is the hit's own text: a callee identifier
 * is the name, and a member callee's name is its property (JS) / attribute (Python), its last child. A hit
 * that is a member's object names no call: the call's name is the member's property, a hit of its own
 * when it is one of `names`.
 */
function fetchNamedCalls(src: ParsedSource, state: NamedCalls, names: readonly string[], py: boolean): void {
  const hits = nodesWithIndex(src, {
    regex: `^(?:${names.join('|')})$`,
    any: py ? [{ kind: 'identifier' }] : [{ kind: 'identifier' }, { kind: 'property_identifier' }],
  });
  for (const n of names) state.fetched.add(n);
  const member = py ? 'attribute' : 'member_expression';
  const seen = new Set<string>();
  for (const hit of hits) {
    let call = hit.parent();
    let kind = call?.kind();
    if (kind === member) {
      // JS: the object is an identifier, the property a property identifier; Python: both are identifiers,
      // and the object starts the attribute.
      if (py ? startOf(hit) === startOf(call!) : !hit.is('property_identifier')) continue;
      call = call!.parent();
      kind = call?.kind();
    } else if (!py && !hit.is('identifier')) continue;
    if (!call || !(py ? kind === 'call' : kind === 'call_expression' || kind === 'new_expression')) continue;
    const key = `${startOf(call)}:${endOf(call)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const name = hit.text();
    calleeNameMemo.set(call, name);
    const list = state.byName.get(name);
    if (list) list.push(call);
    else state.byName.set(name, [call]);
  }
}

const textGates = [new Map<string, RegExp | null>(), new Map<string, RegExp | null>()] as const;

/**
 * A regex over the file's text that finds a match wherever `nameRegex` (as `callsMatching` tests it) matches
 * the name of some call of the file, or null when there is none (a regex matching the empty name). A call's
 * name is the text of an identifier token: a slice of the file's text that no identifier character follows
 * (the lexer reads the longest identifier). So `^` can be dropped (a weaker regex matches wherever the
 * stronger does) and `$` becomes "no identifier character next"; all else is kept.
 */
function textGate(nameRegex: string, py: boolean): RegExp | null {
  const memo = textGates[py ? 1 : 0];
  let gate = memo.get(nameRegex);
  if (gate === undefined) {
    gate = null;
    if (!jsRegex(nameRegex).test('')) {
      const re = jsRegex(nameRegex);
      const source = relaxAnchors(re.source, `(?![${py ? 'A-Za-z0-9_' : 'A-Za-z0-9_$'}])`);
      gate = new RegExp(source, re.flags);
    }
    memo.set(nameRegex, gate);
  }
  return gate;
}

/** `source` with `^` outside classes removed and `$` outside classes replaced by `end`. */
function relaxAnchors(source: string, end: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // A class's first character is literal when it is `]` (Rust) but closes it in JS: not supported.
      if (source[i + 1] === ']' || (source[i + 1] === '^' && source[i + 2] === ']'))
        throw new Error(`unsupported regex syntax: ${source}`);
    } else if (c === '^') {
      // dropped
    } else if (c === '$') out += end;
    else out += c;
  }
  return out;
}

const calleeNameMemo = new WeakMap<SgNode, string | null>();

/**
 * The text `callsMatching` tests: a bare identifier callee, or the property (JS) / attribute (Python) of a
 * member callee; null for any other callee shape (IIFE, `(f)()`, `a[b]()`).
 */
function calleeNameText(call: SgNode, py: boolean): string | null {
  let name = calleeNameMemo.get(call);
  if (name === undefined) {
    name = null;
    // A call's `function` field (shared memo with the runtime readers), else a construction's `constructor`.
    // For these two kinds `lastName` reads the same text, kept per callee by the runtime readers, which
    // have mostly asked it already; '' there is a missing name, which here is null.
    const fn = calleeOf(call) ?? call.field('constructor');
    const kind = fn?.kind();
    if (kind === 'identifier') name = lastName(fn!);
    else if (kind === (py ? 'attribute' : 'member_expression')) {
      name = lastName(fn!);
      if (name === '') name = fn!.field(py ? 'attribute' : 'property')?.text() ?? null;
    }
    calleeNameMemo.set(call, name);
  }
  return name;
}

const jsRegexes = new Map<string, RegExp>();

/**
 * A JS RegExp with the meaning of a Rust regex as ast-grep runs it (unanchored search): a leading `(?i)`
 * becomes the `i` flag, and `\w` keeps Rust's Unicode meaning.
 */
export function jsRegex(rust: string): RegExp {
  let re = jsRegexes.get(rust);
  if (!re) {
    const caseless = rust.startsWith('(?i)');
    const body = (caseless ? rust.slice(4) : rust).replace(
      /\\w/g,
      '[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]',
    );
    if (/\(\?/.test(body.replace(/\(\?:/g, ''))) throw new Error(`unsupported regex syntax: ${rust}`);
    re = new RegExp(body, caseless ? 'iu' : 'u');
    jsRegexes.set(rust, re);
  }
  return re;
}

/** Calls whose first argument is a string literal matching `argRegex` (SQL text, flags). */
export function callsWithStringArg(src: ParsedSource, argRegex: string): SgNode[] {
  const py = isPython(src);
  return src.root.findAll({
    rule: {
      kind: py ? 'call' : 'call_expression',
      has: {
        field: 'arguments',
        has: {
          any: py ? [{ kind: 'string' }] : [{ kind: 'string' }, { kind: 'template_string' }],
          regex: argRegex,
        },
      },
    },
  });
}

/** Regex source matching a callee name that is one of `names`. */
export function endsWithName(names: readonly string[]): string {
  return `^(${names.join('|')})$`;
}
