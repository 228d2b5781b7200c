import type { SgNode } from '@ast-grep/napi';

/**
 * Small, language-aware readers over ast-grep nodes shared by the tool, permission, tool-pool and
 * sub-agent detectors. They cover the TSX grammar (also used for JS) and the Python grammar.
 */

/** A node's kind, as `kind()` returns it. */
type Kind = ReturnType<SgNode['kind']>;

/**
 * A string literal whose value is its text between the quotes: no escape, no line break, no interpolation
 * (`{` in a Python f-string), no HTML character reference (`&amp;` in a JSX attribute). Its children are the
 * quotes and at most one piece of content, so the text gives the value in one crossing instead of several.
 */
const PLAIN_STRING = /^(?:'[^'\\\n\r&{}]*'|"[^"\\\n\r&{}]*")$/;

/** Values of string nodes already read from the text (see `readEntries`), by wrapper. */
const knownStrings = new WeakMap<SgNode, string>();

/** The literal value of a string node (TS string / plain template, Python string), or undefined. */
export function stringValue(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  return knownStrings.get(node) ?? stringValueOf(node, node.kind());
}

/** `stringValue` of a node whose kind is known; `text` is the node's text when the caller has it. */
function stringValueOf(node: SgNode, kind: Kind, text?: string): string | undefined {
  if (kind === 'string') {
    const t = text ?? node.text();
    if (PLAIN_STRING.test(t)) return t.slice(1, -1);
    let value = '';
    for (const c of node.namedChildren()) {
      // Quotes are unnamed and left out.
      const k = c.kind();
      if (k === 'interpolation') return undefined;
      if (k === 'string_fragment' || k === 'string_content') value += c.text();
    }
    return value;
  }
  if (kind === 'template_string') {
    let value = '';
    for (const c of node.namedChildren()) {
      // Backticks are unnamed and left out.
      const k = c.kind();
      if (k === 'template_substitution') return undefined;
      if (k === 'string_fragment') value += c.text();
    }
    return value;
  }
  if (kind === 'concatenated_string') {
    const pieces = node.children().map((c) => stringValue(c));
    return pieces.every((p) => p !== undefined) ? pieces.join('') : undefined;
  }
  if (kind === 'parenthesized_expression') return stringValue(node.children().find((c) => c.isNamed()));
  if (kind === 'binary_expression' && node.field('operator')?.text() === '+') {
    const left = stringValue(node.field('left'));
    const right = left === undefined ? undefined : stringValue(node.field('right'));
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}

/**
 * Speed gate on the text: whether the code from offset `i` on can go on with the character `code`, only
 * blanks and comments in between (after one closing quote when `quote`): what follows a pair's key (`:`) or
 * a keyword argument's name (`=`). False only when some other character surely comes first; a character a
 * parser might skip that is not read here (`\v`, `\f`, `<!--`, a line continuation, a Unicode space, a
 * comment that ends at `\r`) counts as allowing it.
 */
export function followedBy(text: string, i: number, code: number, py: boolean, quote: boolean): boolean {
  if (quote) {
    const q = text.charCodeAt(i);
    if (q === 34 || q === 39) i++; // " '
  }
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === code) return true;
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (py ? c === 35 : c === 47 && text.charCodeAt(i + 1) === 47) {
      // `#` or `//` to the end of the line.
      const nl = text.indexOf('\n', i);
      if (/[\r\u2028\u2029]/.test(text.slice(i, nl < 0 ? text.length : nl))) return true;
      if (nl < 0) return false;
      i = nl + 1;
    } else if (!py && c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return false;
      i = close + 2;
    } else if (Number.isNaN(c)) return false;
    else return c === 11 || c === 12 || c === 60 || c === 92 || c > 127;
  }
}

/** Every string-ish literal inside a node, as values. */
export function stringLiterals(node: SgNode): string[] {
  const out: string[] = [];
  for (const s of node.findAll({ rule: { kind: 'string' } })) {
    const v = stringValue(s);
    if (v !== undefined) out.push(v);
  }
  return out;
}

function pairKey(pair: SgNode): string | undefined {
  const key = pair.field('key');
  return key ? keyValue(key, key.kind()) : undefined;
}

/** The literal value of a pair's key node of the given kind; `text` is its text when the caller has it. */
function keyValue(key: SgNode, kind: Kind, text?: string): string | undefined {
  if (kind === 'property_identifier' || kind === 'identifier' || kind === 'number') return text ?? key.text();
  return stringValueOf(key, kind, text);
}

/**
 * Entries of an object literal (TS `object`) or a dict literal (Python `dictionary`), keyed by their
 * literal key. Shorthand properties map to themselves; spreads and computed keys are skipped.
 */
export function literalEntries(node: SgNode | null | undefined): Map<string, SgNode> {
  return readEntries(node);
}

/**
 * A TS pair's key written as a name or a plain string (see `PLAIN_STRING`) and then its colon, read at the
 * pair's start. Groups: the name; the string's value. A number, a computed key, an escape or a non-ASCII
 * character (which `\w` does not take) in the key, or a comment before the colon, does not match.
 */
const TS_PAIR_KEY = /(?:([A-Za-z_$][\w$]*)|'([^'\\\n\r&{}]*)'|"([^"\\\n\r&{}]*)")[ \t\r\n]*:/y;
/** A TS method written plainly up to its parameters (maybe `async`, no getter, generator or type parameters). */
const TS_METHOD_NAME = /(?:async[ \t]+)?([A-Za-z_$][\w$]*)[ \t]*\(/y;
/**
 * A pair's value, read after its colon, that is a plain string alone: then followed by the pair's end, a
 * comma or the object's closing brace. Groups: the value between the quotes.
 */
const TS_PLAIN_VALUE = /[ \t\r\n]*(?:'([^'\\\n\r&{}]*)'|"([^"\\\n\r&{}]*)")[ \t\r\n]*[,}]/y;

/**
 * `literalEntries`; when `rawKeys` is given, the text of every pair's key as written (quotes included) is
 * added to it, in order. `children`: the named children of a node known to be an object or a dictionary,
 * when the caller has read them. `tsText`: the text of a TS file without syntax errors the node is in, where
 * a pair's key or a method's name is read from its start (one crossing instead of the key node's three, or
 * the method's four) when written plainly.
 */
export function readEntries(
  node: SgNode | null | undefined,
  rawKeys?: string[],
  children?: SgNode[],
  tsText?: string,
): Map<string, SgNode> {
  const out = new Map<string, SgNode>();
  if (!node) return out;
  if (!children) {
    const kind = node.kind();
    if (kind !== 'object' && kind !== 'dictionary') return out;
  }
  // Braces and commas are unnamed: `namedChildren` leaves them out, and `is` answers without making a kind
  // string, both far cheaper crossings than `children` and `kind`.
  for (const child of children ?? node.namedChildren()) {
    if (tsText !== undefined) {
      // Of an object's named children only a pair starts with a key and its colon, and only a method with
      // a name and its parameters' `(` (a comment starts with `/`, a spread with `...`).
      const at = child.range().start.index;
      TS_PAIR_KEY.lastIndex = at;
      const m = TS_PAIR_KEY.exec(tsText);
      if (m) {
        const key = m[1] ?? m[2] ?? m[3]!;
        rawKeys?.push(m[1] ?? tsText.slice(m.index, m.index + key.length + 2));
        const value = child.field('value');
        if (value) {
          out.set(key, value);
          TS_PLAIN_VALUE.lastIndex = TS_PAIR_KEY.lastIndex;
          const v = TS_PLAIN_VALUE.exec(tsText);
          if (v) knownStrings.set(value, v[1] ?? v[2]!);
        }
        continue;
      }
      TS_METHOD_NAME.lastIndex = at;
      const name = TS_METHOD_NAME.exec(tsText)?.[1];
      if (name !== undefined) {
        out.set(name, child);
        continue;
      }
    }
    if (child.is('pair')) {
      let key: string | undefined;
      const keyNode = child.field('key');
      if (keyNode) {
        const text = rawKeys ? keyNode.text() : undefined;
        if (text !== undefined) rawKeys!.push(text);
        key = keyValue(keyNode, keyNode.kind(), text);
      }
      const value = child.field('value');
      if (key !== undefined && value) out.set(key, value);
    } else if (child.is('shorthand_property_identifier')) out.set(child.text(), child);
    else if (child.is('method_definition')) {
      const name = child.field('name')?.text();
      if (name) out.set(name, child);
    }
  }
  return out;
}

/**
 * The first named child, as `children().find((c) => c.isNamed())` gives it: the first child is tried alone
 * (a statement list or an argument usually starts with one), all named children only when it is unnamed.
 */
export function firstNamedChild(node: SgNode): SgNode | undefined {
  const first = node.child(0);
  if (!first) return undefined;
  return first.isNamed() ? first : node.namedChildren()[0];
}

/** Keyword arguments of a Python call (`f(a=1)`), by name. */
export function keywordArgs(call: SgNode): Map<string, SgNode> {
  const out = new Map<string, SgNode>();
  const args = call.field('arguments');
  if (!args) return out;
  for (const child of args.children()) {
    if (child.kind() !== 'keyword_argument') continue;
    const name = child.field('name')?.text();
    const value = child.field('value');
    if (name && value) out.set(name, value);
  }
  return out;
}

/** Positional arguments of a call in either language (keyword arguments and punctuation left out). */
export function positionalArgs(call: SgNode): SgNode[] {
  const args = call.field('arguments');
  if (!args) return [];
  return args
    .children()
    .filter((c) => c.isNamed() && c.kind() !== 'keyword_argument' && c.kind() !== 'comment');
}

/** The callee of a call as written (`server.tool`, `tool`, `self.client.messages.create`). */
export function calleeText(call: SgNode): string {
  return call.field('function')?.text() ?? '';
}

/** The last name of a callee: `tool` for `server.tool(...)` and `tool(...)`. */
export function calleeName(call: SgNode): string {
  const fn = call.field('function');
  if (!fn) return '';
  const k = fn.kind();
  if (k === 'identifier') return fn.text();
  if (k === 'member_expression') return fn.field('property')?.text() ?? '';
  if (k === 'attribute') return fn.field('attribute')?.text() ?? '';
  return '';
}

/** The receiver of a method call: `server` for `server.tool(...)`; empty for plain calls. */
export function calleeObject(call: SgNode): string {
  const fn = call.field('function');
  if (!fn) return '';
  if (fn.kind() === 'member_expression') return fn.field('object')?.text() ?? '';
  if (fn.kind() === 'attribute') return fn.field('object')?.text() ?? '';
  return '';
}

export const FUNCTION_KINDS = [
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
  'function_definition',
] as const;

const FUNCTION_KIND_SET = new Set<string>(FUNCTION_KINDS);

export function isFunctionNode(node: SgNode): boolean {
  return FUNCTION_KIND_SET.has(String(node.kind()));
}

/** The innermost function around a node, or undefined at module scope. */
export function enclosingFunction(node: SgNode): SgNode | undefined {
  for (let p = node.parent(); p; p = p.parent()) if (FUNCTION_KIND_SET.has(String(p.kind()))) return p;
  return undefined;
}

/** True when no function body encloses the node (class bodies and object literals are fine). */
export function atModuleScope(node: SgNode): boolean {
  return enclosingFunction(node) === undefined;
}

/** A function's own name, or the name it is bound to (`const f = () => …`, `f: function …`). */
export function functionName(fn: SgNode): string | undefined {
  const own = fn.field('name');
  if (own) return own.text();
  const parent = fn.parent();
  if (!parent) return undefined;
  if (parent.kind() === 'variable_declarator') return parent.field('name')?.text();
  if (parent.kind() === 'pair') return pairKey(parent);
  if (parent.kind() === 'assignment_expression') return parent.field('left')?.text();
  return undefined;
}

/** The name a value is bound to: variable, object key, Python assignment target or class attribute. */
export function boundName(value: SgNode): string | undefined {
  return boundNameIn(value.parent());
}

/** `boundName` of a value whose parent is `parent` (of kind `k`), for a caller that has read them. */
export function boundNameIn(
  parent: SgNode | null | undefined,
  k: Kind | undefined = parent?.kind(),
): string | undefined {
  // `await x`, `(x)`, `x as T` and `x satisfies T` wrap the value without renaming it.
  while (
    parent &&
    (k === 'await_expression' ||
      k === 'parenthesized_expression' ||
      k === 'as_expression' ||
      k === 'satisfies_expression')
  ) {
    parent = parent.parent();
    k = parent?.kind();
  }
  if (!parent) return undefined;
  if (k === 'variable_declarator') return parent.field('name')?.text();
  if (k === 'pair') return pairKey(parent);
  if (k === 'assignment' || k === 'assignment_expression') {
    const left = parent.field('left');
    if (!left) return undefined;
    const lk = left.kind();
    if (lk === 'identifier') return left.text();
    if (lk === 'member_expression') return left.field('property')?.text();
    if (lk === 'attribute') return left.field('attribute')?.text();
  }
  if (k === 'public_field_definition') return parent.field('name')?.text();
  return undefined;
}

const texts = new WeakMap<SgNode, string>();

/** A node's text, remembered: whole-file text crosses the native boundary once per file, not once per lookup. */
export function textOf(node: SgNode): string {
  let t = texts.get(node);
  if (t === undefined) {
    t = node.text();
    texts.set(node, t);
  }
  return t;
}

/** `firstBinding` answers, per scope wrapper and name. */
const bindingMemo = new WeakMap<SgNode, Map<string, SgNode | null>>();

/**
 * The first declaration with that name inside `scope` (a file root or a function), or null; none either when
 * the scope's text has no `name =` (or `name: T =`), the speed gate in front of the query. Kept per scope.
 */
function firstBinding(scope: SgNode, name: string): SgNode | null {
  let byName = bindingMemo.get(scope);
  if (!byName) {
    byName = new Map();
    bindingMemo.set(scope, byName);
  }
  let decl = byName.get(name);
  if (decl === undefined) {
    const k = scope.kind();
    const py = k === 'module' || k === 'function_definition';
    const esc = name.replace(/\$/g, '\\$');
    // Speed gate on the text: a binding needs `name =` (or `name: T =`) somewhere in scope.
    if (!new RegExp(`(^|[^\\w$.])${esc}\\s*(:[^=;\\n]*)?=(?!=)`).test(textOf(scope))) decl = null;
    else {
      const exact = `^${esc}$`;
      decl = scope.find({
        rule: py
          ? { kind: 'assignment', has: { field: 'left', kind: 'identifier', regex: exact } }
          : { kind: 'variable_declarator', has: { field: 'name', regex: exact } },
      });
    }
    byName.set(name, decl);
  }
  return decl;
}

/**
 * The value a same-file binding holds (`const x = …` / `x = …`), for following one level of indirection.
 * Takes the first declaration with that name inside `scope` (a file root or a function).
 */
export function resolveLocal(scope: SgNode, name: string): SgNode | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const decl = firstBinding(scope, name);
  if (!decl) return undefined;
  return decl.kind() === 'variable_declarator'
    ? (decl.field('value') ?? undefined)
    : (decl.field('right') ?? undefined);
}

/**
 * Like resolveLocal, looking in the enclosing function first; a parameter of that function resolves to nothing.
 * `keys`, for a TS file without syntax errors: the file's text, and offsets where it spells an object's key as
 * a name (`tools` in `tools: …` or `'tools': …`), none of which is a declaration.
 */
export function resolveNear(
  at: SgNode,
  root: SgNode,
  name: string,
  keys?: { text: string; offsets: ReadonlySet<number> },
): SgNode | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const esc = name.replace(/\$/g, '\\$');
  // Nothing in the whole file binds the name: skip the scope walk (the file text is cached).
  if (!new RegExp(`(^|[^\\w$.])${esc}\\s*(:[^=;\\n]*)?=(?!=)`).test(textOf(root))) return undefined;
  // No declaration of the name in the whole file: none in an enclosing function either (the same query on a
  // subtree, when the root is a program or module as the functions' language expects), so nothing resolves.
  const rk = root.kind();
  if (rk === 'program' && keys && !mayDeclare(keys.text, name, keys.offsets)) return undefined;
  if ((rk === 'program' || rk === 'module') && !firstBinding(root, name)) return undefined;
  // A parameter of any enclosing function shadows outer bindings and has no literal value to follow.
  const word = new RegExp(`(^|[^\\w$])${esc}([^\\w$]|$)`);
  const fn = enclosingFunction(at);
  for (let f = fn; f; f = enclosingFunction(f))
    if (word.test(f.field('parameters')?.text() ?? f.field('parameter')?.text() ?? '')) return undefined;
  if (fn) {
    const local = resolveLocal(fn, name);
    if (local) return local;
  }
  return resolveLocal(root, name);
}

/**
 * Speed gate for a TS file without syntax errors: whether the text can hold a declaration of `name` with a
 * value (what the gate of `resolveNear` looks for; the query behind it costs a walk of the tree, and an
 * object key followed by an arrow function, `tools: tools.map((t) => …)`, passes that gate). Such a
 * declaration spells the name, then `=`, or `:` or `!` before a type, with only blanks and comments in
 * between; a place in `keys` is an object's key, not a declaration. A declaration without a value resolves to
 * nothing, like none at all. `text` is the file's (the root's text starts after leading blanks, and offsets
 * are the file's).
 */
function mayDeclare(text: string, name: string, keys: ReadonlySet<number>): boolean {
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    if (keys.has(i) || (i > 0 && /[\w$]/.test(text[i - 1]!))) continue;
    const end = i + name.length;
    if (
      followedBy(text, end, 61 /* = */, false, false) ||
      followedBy(text, end, 58 /* : */, false, false) ||
      followedBy(text, end, 33 /* ! */, false, false)
    )
      return true;
  }
  return false;
}

/** Drops `await`, parentheses and TS casts around an expression. */
export function unwrap(node: SgNode): SgNode {
  return unwrapKind(node).node;
}

/** `unwrap`, with the kind of the node it gives (read on the way). */
export function unwrapKind(node: SgNode): { node: SgNode; kind: Kind } {
  let n = node;
  for (;;) {
    const k = n.kind();
    if (
      k === 'await_expression' ||
      k === 'parenthesized_expression' ||
      k === 'as_expression' ||
      k === 'satisfies_expression' ||
      k === 'non_null_expression'
    ) {
      const inner = n.children().find((c) => c.isNamed());
      if (!inner) return { node: n, kind: k };
      n = inner;
    } else return { node: n, kind: k };
  }
}

/**
 * Splits an identifier into lower-case words: `runShellCommand` → run, shell, command. A word is a run of
 * ASCII letters and digits, and an upper-case letter after a lower-case one or a digit starts a new one.
 * `limit`: the most words wanted (the first ones). One scan of the characters: it runs in the interpreter.
 */
export function words(name: string, limit = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = [];
  if (limit <= 0) return out;
  let start = -1;
  let afterLowerOrDigit = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const lowerOrDigit = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (start >= 0 && (!(upper || lowerOrDigit) || (upper && afterLowerOrDigit))) {
      out.push(name.slice(start, i).toLowerCase());
      if (out.length >= limit) return out;
      start = -1;
    }
    if (start < 0 && (upper || lowerOrDigit)) start = i;
    afterLowerOrDigit = lowerOrDigit;
  }
  if (start >= 0) out.push(name.slice(start).toLowerCase());
  return out;
}

/** One ast-grep rule matching every function-like node of a language (one traversal, not one per kind). */
export function functionRule(py: boolean) {
  return py
    ? { kind: 'function_definition' }
    : { any: FUNCTION_KINDS.filter((k) => k !== 'function_definition').map((kind) => ({ kind })) };
}

/**
 * Finds a function by name across files, lazily and with a cache: a text search picks the files, and
 * only those are searched structurally.
 */
export function functionFinder(files: readonly { file: { text: string }; language: string; root: SgNode }[]) {
  const cache = new Map<string, SgNode | undefined>();
  return (name: string): SgNode | undefined => {
    if (!name || !/^[A-Za-z_$#][\w$]*$/.test(name)) return undefined;
    if (cache.has(name)) return cache.get(name);
    let found: SgNode | undefined;
    const word = new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}([^\\w$]|$)`);
    for (const src of files) {
      if (!src.file.text.includes(name) || !word.test(src.file.text)) continue;
      const py = src.language === 'python';
      const exact = `^${name.replace(/\$/g, '\\$')}$`;
      const direct = src.root.find({ rule: { ...functionRule(py), has: { field: 'name', regex: exact } } });
      if (direct) {
        found = direct;
        break;
      }
      if (!py) {
        const decl = src.root.find({
          rule: { kind: 'variable_declarator', has: { field: 'name', regex: exact } },
        });
        const value = decl?.field('value');
        if (value && isFunctionNode(unwrap(value))) {
          found = unwrap(value);
          break;
        }
      }
    }
    cache.set(name, found);
    return found;
  };
}
