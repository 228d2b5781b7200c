import type { SgNode } from '@ast-grep/napi';

/**
 * Small, language-aware readers over ast-grep nodes shared by the tool, permission, tool-pool and
 * sub-agent detectors. They cover the TSX grammar (also used for JS) and the Python grammar.
 */

/** The literal value of a string node (TS string / plain template, Python string), or undefined. */
export function stringValue(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const kind = node.kind();
  if (kind === 'string') {
    const parts = node
      .children()
      .filter((c) => c.kind() === 'string_fragment' || c.kind() === 'string_content');
    if (node.children().some((c) => c.kind() === 'interpolation')) return undefined;
    return parts.map((p) => p.text()).join('');
  }
  if (kind === 'template_string') {
    if (node.children().some((c) => c.kind() === 'template_substitution')) return undefined;
    return node
      .children()
      .filter((c) => c.kind() === 'string_fragment')
      .map((p) => p.text())
      .join('');
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
  if (!key) return undefined;
  const k = key.kind();
  if (k === 'property_identifier' || k === 'identifier' || k === 'number') return key.text();
  return stringValue(key);
}

/**
 * Entries of an object literal (TS `object`) or a dict literal (Python `dictionary`), keyed by their
 * literal key. Shorthand properties map to themselves; spreads and computed keys are skipped.
 */
export function literalEntries(node: SgNode | null | undefined): Map<string, SgNode> {
  const out = new Map<string, SgNode>();
  if (!node) return out;
  const kind = node.kind();
  if (kind !== 'object' && kind !== 'dictionary') return out;
  for (const child of node.children()) {
    if (child.kind() === 'pair') {
      const key = pairKey(child);
      const value = child.field('value');
      if (key !== undefined && value) out.set(key, value);
    } else if (child.kind() === 'shorthand_property_identifier') out.set(child.text(), child);
    else if (child.kind() === 'method_definition') {
      const name = child.field('name')?.text();
      if (name) out.set(name, child);
    }
  }
  return out;
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
  let node = value;
  let parent = node.parent();
  // `await x`, `(x)`, `x as T` and `x satisfies T` wrap the value without renaming it.
  while (
    parent &&
    (parent.kind() === 'await_expression' ||
      parent.kind() === 'parenthesized_expression' ||
      parent.kind() === 'as_expression' ||
      parent.kind() === 'satisfies_expression')
  ) {
    node = parent;
    parent = node.parent();
  }
  if (!parent) return undefined;
  const k = parent.kind();
  if (k === 'variable_declarator') return parent.field('name')?.text();
  if (k === 'pair') return pairKey(parent);
  if (k === 'assignment' || k === 'assignment_expression') {
    const left = parent.field('left');
    if (!left) return undefined;
    if (left.kind() === 'identifier') return left.text();
    if (left.kind() === 'member_expression') return left.field('property')?.text();
    if (left.kind() === 'attribute') return left.field('attribute')?.text();
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

/**
 * The value a same-file binding holds (`const x = …` / `x = …`), for following one level of indirection.
 * Takes the first declaration with that name inside `scope` (a file root or a function).
 */
export function resolveLocal(scope: SgNode, name: string): SgNode | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const k = scope.kind();
  const py = k === 'module' || k === 'function_definition';
  const esc = name.replace(/\$/g, '\\$');
  // Speed gate on the text: a binding needs `name =` (or `name: T =`) somewhere in scope.
  if (!new RegExp(`(^|[^\\w$.])${esc}\\s*(:[^=;\\n]*)?=(?!=)`).test(textOf(scope))) return undefined;
  const exact = `^${esc}$`;
  const decl = scope.find({
    rule: py
      ? { kind: 'assignment', has: { field: 'left', kind: 'identifier', regex: exact } }
      : { kind: 'variable_declarator', has: { field: 'name', regex: exact } },
  });
  if (!decl) return undefined;
  return decl.kind() === 'variable_declarator'
    ? (decl.field('value') ?? undefined)
    : (decl.field('right') ?? undefined);
}

/** Like resolveLocal, looking in the enclosing function first; a parameter of that function resolves to nothing. */
export function resolveNear(at: SgNode, root: SgNode, name: string): SgNode | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const esc = name.replace(/\$/g, '\\$');
  // Nothing in the whole file binds the name: skip the scope walk (the file text is cached).
  if (!new RegExp(`(^|[^\\w$.])${esc}\\s*(:[^=;\\n]*)?=(?!=)`).test(textOf(root))) return undefined;
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

/** Drops `await`, parentheses and TS casts around an expression. */
export function unwrap(node: SgNode): SgNode {
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
      if (!inner) return n;
      n = inner;
    } else return n;
  }
}

/** Splits an identifier into lower-case words: `runShellCommand` → run, shell, command. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
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
