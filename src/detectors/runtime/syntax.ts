import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { FUNCTION_KINDS as TOOLING_FUNCTION_KINDS } from '../tooling/ast.js';

/**
 * Readers over ast-grep nodes for the streaming-events, event-logging, verification and shell-security
 * detectors. They cover the TSX grammar (also used for TS and JS) and the Python grammar, so each
 * detector can ask one question ("which keys does this record have?") for both languages.
 */

export const isPython = (src: ParsedSource) => src.language === 'python';

/**
 * A rule matching any of the given node kinds, keeping only the kinds of the file's grammar: ast-grep
 * rejects a rule that names a kind the grammar does not have.
 */
export function kindsRule(python: boolean, js: string[], py: string[]) {
  const kinds = python ? py : js;
  return kinds.length === 1 ? { kind: kinds[0] as string } : { any: kinds.map((kind) => ({ kind })) };
}

/*
 * Several detectors ask the same questions of the same call nodes (callee, last name, receiver, arguments).
 * Each answer costs N-API calls and fresh wrapper objects, so answers are kept per node wrapper; the call
 * list of a file is kept per file so that every detector holds the same wrappers. Cached arrays are
 * frozen: callers share them.
 */
const fileCalls = new WeakMap<ParsedSource, readonly SgNode[]>();
const calleeMemo = new WeakMap<SgNode, SgNode | null>();
const lastNameMemo = new WeakMap<SgNode, string>();
const calleePathMemo = new WeakMap<SgNode, string>();
const receiverMemo = new WeakMap<SgNode, SgNode | null>();
const argsMemo = new WeakMap<SgNode, readonly SgNode[]>();
const positionalMemo = new WeakMap<SgNode, readonly SgNode[]>();

const fileCallsAndConstructions = new WeakMap<ParsedSource, readonly SgNode[]>();

/**
 * Every call in a file, JS `new X()` included, in document order; computed once per file and shared with
 * the state and budget detectors (`callsOf`), so one walk of the tree serves both lists.
 */
export function callsAndConstructions(src: ParsedSource): readonly SgNode[] {
  let calls = fileCallsAndConstructions.get(src);
  if (!calls) {
    calls = Object.freeze(
      src.language === 'python'
        ? src.root.findAll({ rule: { kind: 'call' } })
        : src.root.findAll({ rule: { any: [{ kind: 'call_expression' }, { kind: 'new_expression' }] } }),
    );
    fileCallsAndConstructions.set(src, calls);
  }
  return calls;
}

/** Every call in a file, in document order; computed once per file. */
export function callsIn(src: ParsedSource): readonly SgNode[] {
  let calls = fileCalls.get(src);
  if (!calls) {
    const all = callsAndConstructions(src);
    calls =
      src.language === 'python' ? all : Object.freeze(all.filter((c) => c.kind() === 'call_expression'));
    fileCalls.set(src, calls);
  }
  return calls;
}

/** A pattern for callee names, written for JS (on a name or a file's text) and for ast-grep (Rust). */
export interface NamePattern {
  /** Unanchored, no lookarounds; `i` allowed. */
  js: RegExp;
  /** Matches at least every string `js` matches (`i` spelt out as `[aA]`, `\w` as `[A-Za-z0-9_]`). */
  rust: string;
}

/** Characters that continue an identifier the parser reads (ASCII only; `$` in JS, not in Python). */
export const identChar = (python: boolean) => (python ? 'A-Za-z0-9_' : 'A-Za-z0-9_$');

const nameScanners = new WeakMap<readonly string[], [RegExp, RegExp]>();
/**
 * The names (made of identifier characters) that occur in `text` followed by no character that would
 * continue them: an identifier token always ends before such a character (the lexer reads the longest
 * identifier), so a call named `name` needs this. At most one name can so occur at a position (a shorter
 * one is followed by the longer one's next character), and the scan tries every position.
 */
export function namesEndingIn(text: string, names: readonly string[], python: boolean): string[] {
  let pair = nameScanners.get(names);
  if (!pair) {
    const alts = names.map(escapeRegex).join('|');
    pair = [
      new RegExp(`(?:${alts})(?![${identChar(false)}])`, 'g'),
      new RegExp(`(?:${alts})(?![${identChar(true)}])`, 'g'),
    ];
    nameScanners.set(names, pair);
  }
  const scanner = pair[python ? 1 : 0];
  const found = new Set<string>();
  scanner.lastIndex = 0;
  for (let m = scanner.exec(text); m; m = scanner.exec(text)) {
    found.add(m[0]);
    scanner.lastIndex = m.index + 1;
  }
  return found.size === 0 ? [] : names.filter((n) => found.has(n));
}

const boundedPatterns = new Map<RegExp, [RegExp, RegExp]>();
/** `pattern.js` followed by no identifier character: a name it matches whole ends so in the text. */
export function boundedPattern(pattern: NamePattern, python: boolean): RegExp {
  let pair = boundedPatterns.get(pattern.js);
  if (!pair) {
    const flags = pattern.js.flags.replace(/[gy]/g, '');
    pair = [
      new RegExp(`(?:${pattern.js.source})(?![${identChar(false)}])`, flags),
      new RegExp(`(?:${pattern.js.source})(?![${identChar(true)}])`, flags),
    ];
    boundedPatterns.set(pattern.js, pair);
  }
  return pair[python ? 1 : 0];
}

/** A case-insensitive name pattern's Rust form, each ASCII letter spelt as `[aA]` (what JS's `i` folds). */
export function caseless(source: string): string {
  return source.replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/** Function-like nodes of both grammars, the same list the tool readers use. */
const FUNCTION_KINDS = new Set<string>(TOOLING_FUNCTION_KINDS);

/** Literal value of a string node (TS string / template without substitutions, Python plain string). */
export function stringValue(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const kind = node.kind();
  if (kind === 'string' || kind === 'template_string') {
    if (node.children().some((c) => c.kind() === 'interpolation' || c.kind() === 'template_substitution'))
      return undefined;
    return node
      .children()
      .filter((c) => c.kind() === 'string_fragment' || c.kind() === 'string_content')
      .map((c) => c.text())
      .join('');
  }
  return undefined;
}

/** The leading literal text of a string or template (before the first substitution). */
export function stringPrefix(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const kind = node.kind();
  if (kind !== 'string' && kind !== 'template_string') return undefined;
  let out = '';
  for (const c of node.children()) {
    const k = c.kind();
    if (k === 'string_fragment' || k === 'string_content') out += c.text();
    else if (k === 'interpolation' || k === 'template_substitution') break;
  }
  return out;
}

/** The callee expression of a call. */
export function calleeOf(call: SgNode): SgNode | null {
  let fn = calleeMemo.get(call);
  if (fn === undefined) {
    fn = call.field('function');
    calleeMemo.set(call, fn);
  }
  return fn;
}

/** Last name of a callee: `a.b.c()` → `c`, `f()` → `f`. */
export function calleeName(call: SgNode): string {
  const fn = calleeOf(call);
  if (!fn) return '';
  return lastName(fn);
}

export function lastName(expr: SgNode): string {
  let name = lastNameMemo.get(expr);
  if (name === undefined) {
    name = lastNameOf(expr);
    lastNameMemo.set(expr, name);
  }
  return name;
}

function lastNameOf(expr: SgNode): string {
  const k = expr.kind();
  if (k === 'identifier' || k === 'property_identifier') return expr.text();
  if (k === 'member_expression') return expr.field('property')?.text() ?? '';
  if (k === 'attribute') return expr.field('attribute')?.text() ?? '';
  if (k === 'non_null_expression' || k === 'parenthesized_expression' || k === 'await_expression') {
    const inner = expr.children().find((c) => c.isNamed());
    return inner ? lastName(inner) : '';
  }
  return '';
}

/** Dotted text of a callee without whitespace, optional chaining or call parentheses (`a?.b.c`→`a.b.c`). */
export function calleePath(call: SgNode): string {
  let path = calleePathMemo.get(call);
  if (path === undefined) {
    const fn = calleeOf(call);
    path = fn ? fn.text().replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!/g, '') : '';
    calleePathMemo.set(call, path);
  }
  return path;
}

/** The receiver of a method call (`a.b.c()` → `a.b`), or null for plain function calls. */
export function receiverOf(call: SgNode): SgNode | null {
  let receiver = receiverMemo.get(call);
  if (receiver === undefined) {
    const fn = calleeOf(call);
    const k = fn?.kind();
    receiver = fn && (k === 'member_expression' || k === 'attribute') ? fn.field('object') : null;
    receiverMemo.set(call, receiver);
  }
  return receiver;
}

/** Positional and keyword arguments of a call (punctuation left out). */
export function argsOf(call: SgNode): readonly SgNode[] {
  let args = argsMemo.get(call);
  if (!args) {
    const list = call.field('arguments');
    args = Object.freeze(list ? list.namedChildren().filter((c) => !c.is('comment')) : []);
    argsMemo.set(call, args);
  }
  return args;
}

/** Positional arguments only (Python keyword arguments and splats left out). */
export function positionalArgs(call: SgNode): readonly SgNode[] {
  let args = positionalMemo.get(call);
  if (!args) {
    args = Object.freeze(
      argsOf(call).filter(
        (a) =>
          a.kind() !== 'keyword_argument' && a.kind() !== 'dictionary_splat' && a.kind() !== 'list_splat',
      ),
    );
    positionalMemo.set(call, args);
  }
  return args;
}

/** A Python keyword argument value by name. */
export function keywordArg(call: SgNode, name: string): SgNode | null {
  for (const a of argsOf(call)) {
    if (a.kind() === 'keyword_argument' && a.field('name')?.text() === name) return a.field('value');
  }
  return null;
}

function pairKeyText(pair: SgNode): string | undefined {
  const key = pair.field('key');
  if (!key) return undefined;
  const k = key.kind();
  if (k === 'property_identifier' || k === 'identifier' || k === 'number') return key.text();
  return stringValue(key);
}

/** Entries of an object literal (JS) or dict literal (Python): key → value node (null for shorthand). */
export function objectEntries(node: SgNode): Map<string, SgNode | null> {
  const out = new Map<string, SgNode | null>();
  const kind = node.kind();
  if (kind !== 'object' && kind !== 'dictionary') return out;
  for (const c of node.children()) {
    const ck = c.kind();
    if (ck === 'pair') {
      const key = pairKeyText(c);
      if (key !== undefined) out.set(key, c.field('value'));
    } else if (ck === 'shorthand_property_identifier') out.set(c.text(), null);
    else if (ck === 'method_definition') {
      const name = c.field('name')?.text();
      if (name) out.set(name, c);
    }
  }
  return out;
}

/** Keys a call passes as record fields: object/dict literal arguments, Python keyword arguments, `extra=`. */
export function recordKeys(call: SgNode): Set<string> {
  const keys = new Set<string>();
  for (const a of argsOf(call)) {
    const k = a.kind();
    if (k === 'object' || k === 'dictionary') for (const key of objectEntries(a).keys()) keys.add(key);
    else if (k === 'keyword_argument') {
      const name = a.field('name')?.text() ?? '';
      const value = a.field('value');
      if (name === 'extra' && value?.kind() === 'dictionary')
        for (const key of objectEntries(value).keys()) keys.add(key);
      else keys.add(name);
    } else if (k === 'call_expression' && /^JSON\.stringify$/.test(calleePath(a))) {
      const inner = positionalArgs(a)[0];
      if (inner) for (const key of objectEntries(inner).keys()) keys.add(key);
    }
  }
  return keys;
}

export function isFunctionNode(node: SgNode): boolean {
  return FUNCTION_KINDS.has(String(node.kind()));
}

/** Innermost function around a node, if any. */
export function enclosingFunction(node: SgNode): SgNode | null {
  for (const a of node.ancestors()) if (FUNCTION_KINDS.has(String(a.kind()))) return a;
  return null;
}

/** Every function around a node, innermost first. */
export function enclosingFunctions(node: SgNode): SgNode[] {
  return node.ancestors().filter((a) => FUNCTION_KINDS.has(String(a.kind())));
}

/** Name a function is known by: its own name, the variable or property it is assigned to. */
export function functionName(fn: SgNode): string {
  const own = fn.field('name');
  if (own) return own.text();
  const parent = fn.parent();
  if (!parent) return '';
  const pk = parent.kind();
  if (pk === 'variable_declarator') return parent.field('name')?.text() ?? '';
  if (pk === 'pair') return pairKeyText(parent) ?? '';
  if (pk === 'assignment_expression') return lastName(parent.field('left') ?? parent);
  if (pk === 'public_field_definition') return parent.field('name')?.text() ?? '';
  return '';
}

/** Name of the class around a node, if any. */
export function enclosingClassName(node: SgNode): string {
  for (const a of node.ancestors()) {
    const k = a.kind();
    if (k === 'class_declaration' || k === 'class_definition' || k === 'class')
      return a.field('name')?.text() ?? '';
  }
  return '';
}

/** Decorator names on a Python function or class (`@mcp.tool()` → `mcp.tool`). */
export function decoratorNames(def: SgNode): string[] {
  const parent = def.parent();
  if (parent?.kind() !== 'decorated_definition') return [];
  return parent
    .children()
    .filter((c) => c.kind() === 'decorator')
    .map((d) => d.text().replace(/^@/, '').replace(/\(.*$/s, '').trim());
}

/** A regex literal's pattern (JS) or the string passed to `re.compile`/`re.search`/… (Python). */
export function regexPatterns(root: SgNode, python: boolean): { node: SgNode; pattern: string }[] {
  const out: { node: SgNode; pattern: string }[] = [];
  if (!python) {
    for (const r of root.findAll({ rule: { kind: 'regex' } })) {
      const p = r.field('pattern')?.text() ?? r.find({ rule: { kind: 'regex_pattern' } })?.text();
      if (p !== undefined) out.push({ node: r, pattern: p });
    }
    for (const call of root.findAll({
      rule: { kind: 'new_expression', has: { field: 'constructor', regex: '^RegExp$' } },
    })) {
      const arg = call
        .field('arguments')
        ?.children()
        .find((c) => c.isNamed());
      const v = stringValue(arg);
      if (v !== undefined) out.push({ node: call, pattern: v });
    }
    return out;
  }
  for (const call of root.findAll({
    rule: {
      kind: 'call',
      has: { field: 'function', regex: '^re\\.(compile|search|match|fullmatch|findall|sub|split)$' },
    },
  })) {
    const first = positionalArgs(call)[0];
    if (first?.kind() === 'string') {
      const text = first
        .children()
        .filter((c) => c.kind() === 'string_content')
        .map((c) => c.text())
        .join('');
      out.push({ node: call, pattern: text });
    }
  }
  return out;
}

/** Identifier names a file mentions anywhere (cheap lookups for "is this name used elsewhere"). */
export function identifierUses(src: ParsedSource, name: string): SgNode[] {
  const python = src.language === 'python';
  return src.root.findAll({
    rule: {
      ...kindsRule(python, ['identifier', 'property_identifier'], ['identifier']),
      regex: `^${escapeRegex(name)}$`,
    },
  });
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Local names bound to exports of modules matching `test`, with the imported name. */
export function importedFrom(
  bindings: readonly { module: string; imported: string; local: string }[],
  test: (module: string) => boolean,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of bindings) if (b.local && test(b.module)) out.set(b.local, b.imported);
  return out;
}
