import type { Rule, SgNode } from '@ast-grep/napi';
import { lineOf, type ParsedSource } from '../core/parse-source.js';
import {
  calleeName,
  followedBy,
  functionFinder,
  isFunctionNode,
  literalEntries,
  positionalArgs,
  resolveLocal,
  resolveNear,
  stringValue,
  unwrap,
} from './tooling/ast.js';
import type { Detector } from './types.js';

export const FACT_KINDS = ['toolpool.subset'] as const;

type By = 'metadata' | 'name-list' | 'selector';
interface Verdict {
  derived: boolean;
  by: By;
}

/** Keys and keyword arguments that hand a tool set to a model, an agent or an SDK run. */
const SINK_KEYS = /^(tools|allowedTools|allowed_tools|activeTools|active_tools)$/;
/** Functions whose job is to assemble a tool set. */
const SELECTOR =
  /^(select|pick|filter|assemble|choose)_?tools$|^(get_?|select_?|build_?|assemble_?|resolve_?|pick_?|filter_?|make_?)?tools?_?(for|pool|set|subset)\w*$|^toolPool|^toolset|^tool_pool|^tools_for/i;
const NAME_TEST =
  /\.name\b[^;]*\b(includes|has|indexOf)\b|\b(includes|has)\(\s*\w+\.name\s*\)|\.name\s+(not\s+)?in\b|\[['"]name['"]\]\s+(not\s+)?in\b/;

/** A filter predicate over tools: by a list of names, or by the tools' own metadata. */
function predicateKind(predicate: SgNode): By | undefined {
  const text = predicate.text();
  if (NAME_TEST.test(text)) return 'name-list';
  const param =
    isFunctionNode(predicate) || predicate.kind() === 'lambda' ? firstParam(predicate) : undefined;
  if (!param) return undefined;
  // t.readOnly, t['risk'], or META[name].readOnly: the predicate reads something about the tool…
  if (new RegExp(`\\[\\s*${param}\\s*\\]\\s*\\.\\s*\\w+`).test(text)) return 'metadata';
  const props = [...text.matchAll(new RegExp(`\\b${param}\\s*(?:\\.\\s*|\\[['"])(\\w+)`, 'g'))].map(
    (m) => m[1],
  );
  if (props.length === 0) return undefined;
  // …while t.name.startsWith('read_') only picks by name.
  return props.every((p) => p === 'name') ? 'name-list' : 'metadata';
}

function firstParam(fn: SgNode): string | undefined {
  const params = fn.field('parameters') ?? fn.field('parameter');
  if (!params) return undefined;
  if (params.kind() === 'identifier') return params.text();
  return params.text().match(/[A-Za-z_$][\w$]*/)?.[0];
}

function isStringArray(node: SgNode): boolean {
  const kind = node.kind();
  if (kind !== 'array' && kind !== 'list' && kind !== 'tuple') return false;
  const items = node.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  return items.length > 0 && items.every((c) => stringValue(c) !== undefined);
}

/**
 * A verdict as one file sees it: known, or "whatever selector `ref` returns". A selector may be defined in
 * another file (the first file defining the name wins), so the file step leaves the reference open and the
 * project step resolves it. A selector call always yields a verdict, so whether there is one is known locally.
 */
type Local = Verdict | { ref: string };

interface Ctx {
  root: SgNode;
  /** See `resolveNear`: the sink keys of a TS file without syntax errors. */
  keys?: { text: string; offsets: ReadonlySet<number> };
}

function classify(value: SgNode, c: Ctx, depth = 0): Local | undefined {
  if (depth > 3) return undefined;
  const v = unwrap(value);
  const k = v.kind();
  if (k === 'identifier' || k === 'shorthand_property_identifier') {
    const bound = resolveNear(v, c.root, v.text(), c.keys);
    return bound && bound !== v ? classify(bound, c, depth + 1) : undefined;
  }
  if (isStringArray(v)) return { derived: false, by: 'name-list' };
  if (k === 'subscript_expression' || k === 'subscript' || k === 'member_expression' || k === 'attribute') {
    // ROLE_TOOLS[role] / TOOLSETS.reviewer: a per-role table of hand-written name lists.
    const obj = v.field('object') ?? v.field('value');
    const table = obj ? unwrap(obj) : undefined;
    const literal = table?.kind() === 'identifier' ? resolveLocal(c.root, table.text()) : table;
    const lists = [...literalEntries(literal).values()];
    if (lists.length > 0 && lists.every((l) => isStringArray(unwrap(l))))
      return { derived: false, by: 'name-list' };
    return undefined;
  }
  if (k === 'list_comprehension') {
    const cond = v.find({ rule: { kind: 'if_clause' } });
    if (!cond) return undefined;
    const item = v.field('body')?.text();
    const text = cond.text();
    if (NAME_TEST.test(text)) return { derived: true, by: 'name-list' };
    if (item && new RegExp(`\\b${item}\\s*(\\.|\\[['"])\\w+`).test(text))
      return { derived: true, by: 'metadata' };
    return undefined;
  }
  if (k === 'call_expression' || k === 'call') {
    const name = calleeName(v);
    if (k === 'call' && /^(list|tuple|sorted)$/.test(v.field('function')?.text() ?? '')) {
      const [inner] = positionalArgs(v);
      return inner ? classify(inner, c, depth + 1) : undefined;
    }
    if (name === 'filter' && k === 'call_expression') {
      const predicate = positionalArgs(v)[0];
      const by = predicate ? predicateKind(unwrap(predicate)) : undefined;
      return by ? { derived: true, by } : undefined;
    }
    if (name === 'filter' && k === 'call') {
      const [predicate] = positionalArgs(v);
      const by = predicate ? predicateKind(predicate) : undefined;
      return by ? { derived: true, by } : undefined;
    }
    if (name === 'map' && k === 'call_expression') {
      const source = v.field('function')?.field('object');
      if (source && isStringArray(unwrap(source))) return { derived: false, by: 'name-list' };
      // pool.map((t) => t.spec): the projection keeps whatever the pool was.
      return source ? classify(source, c, depth + 1) : undefined;
    }
    if (SELECTOR.test(name)) return { ref: name };
  }
  return undefined;
}

/** What a selector function returns: the verdict of its first filtering or table lookup. */
function selectorVerdict(fn: SgNode, c: Ctx): Local | undefined {
  const py = fn.kind() === 'function_definition';
  const candidates = py
    ? fn.findAll({ rule: { any: [{ kind: 'list_comprehension' }, { kind: 'call', regex: '^filter\\(' }] } })
    : fn.findAll({
        rule: { kind: 'call_expression', has: { field: 'function', regex: '\\.(filter|map)$' } },
      });
  for (const node of candidates) {
    const v = classify(node, c, 3);
    if (v) return v;
  }
  for (const ret of fn.findAll({ rule: { kind: 'return_statement' } })) {
    const value = ret.children().find((x) => x.isNamed());
    const v = value ? classify(value, c, 2) : undefined;
    if (v) return v;
  }
  return undefined;
}

/** Scans text for selector-shaped identifiers, then finds their definitions structurally. */
const SELECTOR_GATE =
  /[Tt]ools?(?:For|_for|Pool|_pool|[Ss]et|_set|[Ss]ubset)|(?:select|pick|filter|assemble|choose)_?[Tt]ools\b/;
const SELECTOR_SCAN = /\b[A-Za-z_]*[Tt]ool(?:s|set|Set|Pool|_pool|s_for|sFor)\w*\b/g;

/** Selector functions defined in one file, in the order their names first appear in its text. */
function fileSelectors(src: ParsedSource): SelectorDef[] {
  if (!SELECTOR_GATE.test(src.file.text)) return [];
  const names = new Set((src.file.text.match(SELECTOR_SCAN) ?? []).filter((n) => SELECTOR.test(n)));
  if (names.size === 0) return [];
  const find = functionFinder([src]);
  const out: SelectorDef[] = [];
  for (const name of names) {
    const fn = find(name);
    if (fn) out.push({ name, line: lineOf(fn), verdict: selectorVerdict(fn, { root: src.root }) ?? null });
  }
  return out;
}

/** What the native rules below require of a sink key's text, tested in JS: see `sinks`. */
const SINK_KEY_TEXT = /^["']?(tools|allowedTools|allowed_tools|activeTools|active_tools)["']?$/;
const BIND_CALLEE = /(bind_tools|bindTools|create_react_agent)$/;

/**
 * Python: whether the text can hold a keyword argument named like a sink. Every such name ends in `tools` or
 * `Tools`, followed by its `=` with at most blanks and comments in between (see `followedBy`).
 */
function pyKeywordSinkText(text: string): boolean {
  for (const w of ['tools', 'Tools'])
    for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1))
      if (followedBy(text, i + w.length, 61 /* = */, true, false)) return true;
  return false;
}

/**
 * The file's sinks; `keys` gets the offsets where a sink key of a pair spells its name (after the quote of a
 * quoted key).
 */
function sinks(src: ParsedSource, keys: Set<number>): { key: string; value: SgNode; at: SgNode }[] {
  const py = src.language === 'python';
  const out: { key: string; value: SgNode; at: SgNode }[] = [];
  // One walk for keys and calls, split here. A native rule's regex is compiled on every query, and the
  // exact ones cost more than the walk: every sink key's text has `ools`, every such callee's `ools` or
  // `agent`, so the native rules test only that and the exact regexes are tested here.
  // Speed gate: no keyword argument of a Python file can be a sink (the whole-tree query costs a walk).
  const keyed = !py || pyKeywordSinkText(src.file.text);
  const bound = /bind_tools|bindTools|create_react_agent/.test(src.file.text);
  const any: Rule[] = [];
  if (keyed)
    any.push(
      ...(py
        ? [{ kind: 'keyword_argument', has: { field: 'name', regex: 'ools' } }]
        : [
            { kind: 'pair', has: { field: 'key', regex: 'ools' } },
            { kind: 'shorthand_property_identifier', regex: 'ools' },
          ]),
    );
  // llm.bind_tools(x) / model.bindTools(x) / create_react_agent(model, x)
  if (bound)
    any.push({ kind: py ? 'call' : 'call_expression', has: { field: 'function', regex: 'ools|agent' } });
  if (any.length === 0) return out;
  const calls: SgNode[] = [];
  for (const node of src.root.findAll({ rule: any.length === 1 ? (any[0] as Rule) : { any } })) {
    if (node.is(py ? 'call' : 'call_expression')) {
      if (BIND_CALLEE.test(node.field('function')?.text() ?? '')) calls.push(node);
      continue;
    }
    if (node.is('shorthand_property_identifier')) {
      const key = node.text();
      if (SINK_KEY_TEXT.test(key)) out.push({ key, value: node, at: node });
      continue;
    }
    const keyNode = node.field(py ? 'name' : 'key');
    if (!keyNode) continue;
    const keyText = keyNode.text();
    if (!SINK_KEY_TEXT.test(keyText)) continue;
    const key = stringValue(keyNode) ?? keyText;
    if (!py) keys.add(keyNode.range().start.index + (keyText === key ? 0 : 1));
    const value = node.field('value');
    if (value && SINK_KEYS.test(key)) out.push({ key, value, at: node });
  }
  for (const call of calls) {
    const name = calleeName(call);
    const args = positionalArgs(call);
    if ((name === 'bind_tools' || name === 'bindTools') && args[0])
      out.push({ key: name, value: args[0], at: call });
    if (name === 'create_react_agent' && args[1]) out.push({ key: name, value: args[1], at: call });
  }
  return out;
}

interface SinkFact {
  key: string;
  line: number;
  verdict: Local;
}
interface SelectorDef {
  name: string;
  line: number;
  verdict: Local | null;
}
interface Summary {
  sinks: SinkFact[];
  selectors: SelectorDef[];
}

/** Selectors project-wide: the first file (in project order) defining a name wins. */
function indexSelectors(
  summaries: ReadonlyMap<string, Summary>,
): Map<string, SelectorDef & { path: string }> {
  const out = new Map<string, SelectorDef & { path: string }>();
  for (const [path, { selectors }] of summaries)
    for (const def of selectors) if (!out.has(def.name)) out.set(def.name, { ...def, path });
  return out;
}

/**
 * Resolves selector references against the project's selectors. A selector call with no known verdict is
 * still a selector pool. A reference cycle (selectors returning each other) has no verdict of its own, so its
 * calls count as selector pools (the whole-project form recursed until the stack overflowed).
 */
function resolver(selectors: ReadonlyMap<string, SelectorDef>) {
  const memo = new Map<string, Verdict | undefined>();
  const open = new Set<string>();
  const ofSelector = (name: string): Verdict | undefined => {
    if (memo.has(name)) return memo.get(name);
    const def = selectors.get(name);
    if (!def || open.has(name)) return undefined;
    open.add(name);
    const verdict = resolve(def.verdict ?? undefined);
    open.delete(name);
    memo.set(name, verdict);
    return verdict;
  };
  const resolve = (local: Local | undefined): Verdict | undefined =>
    local && 'ref' in local ? (ofSelector(local.ref) ?? { derived: true, by: 'selector' }) : local;
  return resolve;
}

/**
 * Speed gate for a TS file without syntax errors: whether `classify` can give a verdict for any value in it.
 * Every verdict ends in a string array (directly, through a table of them or a `map` over one), a `filter`
 * call or a call named as a selector, whatever bindings lead there. A string array's first item starts with a
 * quote, a backtick or `(`, after only blanks, comments and holes' commas; the regex lets through anything
 * after `[` that is not surely another token. A callee's name is its text, which then holds `filter`, or, for a
 * name `SELECTOR` matches, `SELECTOR_WORD`.
 */
function tsMayClassify(text: string): boolean {
  return text.includes('filter') || SELECTOR_WORD.test(text) || /\[[\s,]*[^\s\w$[\]{}.,-]/.test(text);
}
const SELECTOR_WORD = /tools?_?(?:for|pool|set|subset)|(?:select|pick|assemble|choose)_?tools/i;

export const toolPoolDetector: Detector<Summary> = {
  id: 'tool-pool',
  description:
    'toolpool.subset: tool sets handed to a model or agent, derived from registry metadata or hand-listed',
  file({ src }) {
    const found: SinkFact[] = [];
    const text = src.file.text;
    const ts = src.language !== 'python';
    if (/tools|Tools/.test(text) && (!ts || src.syntaxErrors > 0 || tsMayClassify(text))) {
      const offsets = new Set<number>();
      const c: Ctx = { root: src.root };
      // In a damaged tree a declaration's name may be cut off from its `=`, as the text gate cannot see.
      if (src.syntaxErrors === 0 && ts) c.keys = { text, offsets };
      for (const { key, value, at } of sinks(src, offsets)) {
        const verdict = classify(value, c);
        if (verdict) found.push({ key, line: lineOf(at), verdict });
      }
    }
    const selectors = fileSelectors(src);
    return found.length > 0 || selectors.length > 0 ? { sinks: found, selectors } : undefined;
  },
  // Everything is emitted here: a sink's verdict may hang on a selector defined in a later file.
  project(ctx, summaries) {
    const selectors = indexSelectors(summaries);
    const resolve = resolver(selectors);
    const files = new Map(ctx.sourceFiles.map((f) => [f.path, f]));
    for (const [path, { sinks: found }] of summaries) {
      const file = files.get(path);
      if (!file) continue;
      for (const { key, line, verdict } of found) {
        const v = resolve(verdict);
        if (v) ctx.emit('toolpool.subset', file, line, { ...v, sink: key });
      }
    }
    // Selector functions that filter the registry are a tool pool even where we do not see them used.
    for (const [name, { path, line, verdict }] of selectors) {
      const v = resolve(verdict ?? undefined);
      const file = files.get(path);
      if (v && file) ctx.emit('toolpool.subset', file, line, { ...v, sink: 'selector', selector: name });
    }
  },
};
