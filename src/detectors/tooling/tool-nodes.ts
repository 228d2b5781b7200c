import type { NapiConfig, Pos, SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { followedBy, literalEntries, readEntries } from './ast.js';

/**
 * The nodes the tools detector looks at in a file: list and map literals, classes that may be registries and
 * Python decorated definitions. Every question it asks is about nodes that contain some offset of the text
 * (where the text spells a schema key, a binding name, `@`…), and a node can only contain an offset if the
 * top-level statement it is in does. So the tree is walked statement by statement, only in the statements
 * that contain one of the offsets asked about, each at most once; when those statements make up most of the
 * file, one walk of the whole tree is cheaper and is made instead (a walk's cost is about its number of
 * nodes, plus a fixed cost per query). Either way the same nodes come out, in document order, as `findAll`
 * returns them. A walk asks for node kinds only, which ast-grep matches fastest; finer tests are made on the
 * few candidates afterwards.
 */

/** A node and the offsets it spans (`range()`'s start and end index). */
export interface Span {
  node: SgNode;
  start: number;
  end: number;
  /** `range().start`. */
  pos: Pos;
  /** Its named children, when read on the way. */
  kids?: SgNode[];
  /** Its parent, a `variable_declarator`, when read on the way. */
  declarator?: SgNode;
  /** That declarator's name, when the text spells it as a plain name (see `DECLARED_NAME`). */
  declaredName?: string;
}

/** What one walk collects, by kind, each in document order. */
interface Found {
  /** TS `array` / Python `list` literals. */
  lists: SgNode[];
  /** TS `object` / Python `dictionary` literals. */
  maps: SgNode[];
  /** Class declarations, only when the text may name a registry class. */
  classes: SgNode[];
  /** Python decorated definitions. */
  decorated: SgNode[];
  listSpans?: Span[];
  mapSpans?: Span[];
}

/**
 * A top-level statement (a child of the root) and what a walk of it found, once walked. Its range is read
 * when first asked: a lookup by offset bisects the statements, so most of them are never asked.
 */
class Stmt {
  private span?: { start: number; end: number; pos: Pos };
  found?: Found;
  /** An import statement that can hold no list or map, once asked. */
  bare?: boolean;
  /** Its declared object, when it is one (see `declaredObject`); null when it is not. */
  declared?: Declared | null;
  constructor(readonly node: SgNode) {}
  private read(): { start: number; end: number; pos: Pos } {
    if (!this.span) {
      const { start, end } = this.node.range();
      this.span = { start: start.index, end: end.index, pos: start };
    }
    return this.span;
  }
  get start(): number {
    return this.read().start;
  }
  get end(): number {
    return this.read().end;
  }
  /** `range().start`, kept for the definitions that are statements themselves. */
  get pos(): Pos {
    return this.read().pos;
  }
}

/**
 * TS `[export] const|let|var NAME = {…}`: the object its first declarator holds, that declarator, and the
 * object's named children (each with its range once asked).
 */
export interface Declared {
  obj: Span & { kids: SgNode[]; declarator: SgNode };
  declarator: SgNode;
  /** A `lexical_declaration` (`const`, `let`), not a `variable_declaration` (`var`). */
  lexical: boolean;
  kidSpans: ({ start: number; end: number } | undefined)[];
}

/** A top-level statement, with what `declaredObject` found in it when it was asked (see `Stmt`). */
export interface TopStatement {
  node: SgNode;
  declared?: Declared | null;
}

/** A Python decorated definition, with what was learnt about it on the way. */
export interface Decorated {
  node: SgNode;
  /**
   * A statement of the module itself: at module scope, from `pos` to `end`; in a clean file, `definition`
   * starts at `defAt`.
   */
  top?: { pos: Pos; end: number; defAt?: number };
  /** Its `definition` field, when already read. */
  definition?: SgNode | null;
}

interface FileNodes {
  listKind: string;
  mapKind: string;
  classKind: string;
  /** The walk's rule: every kind above the file can need. */
  rule: NapiConfig;
  stmts: Stmt[];
  /** The walk of the whole tree, once made: then every question is answered from it. */
  whole?: Found;
  schemaObjects?: Span[];
  registryClasses?: SgNode[];
  decorated?: Decorated[];
}

const REGISTRY_CLASS = /Tool(s|Set)?(Registry|Manager|Box|box|Catalog)$/;
/** Where a class name that matches `REGISTRY_CLASS` can end: the text spells this there. */
const REGISTRY_CLASS_TEXT = /Tool(s|Set)?(Registry|Manager|Box|box|Catalog)/;

/**
 * The fixed cost of one `findAll`, in characters of code walked for the same time (a walk costs about 0.03 µs
 * a node and a node is about 2 characters; a query's rule costs about 7 µs to build).
 */
const QUERY_COST = 250;

const memo = new WeakMap<ParsedSource, FileNodes>();
/**
 * Entries read per file (by its root's wrapper), by node id: several wrappers of one node share them. Those
 * `hasSchemaKey` read wait in `pending` (wrapper and entries, in order) until a node id is first asked: their
 * wrappers are often the only ones asked, and `id()` is a crossing.
 */
const entriesMemo = new WeakMap<
  SgNode,
  { byId: Map<number, Map<string, SgNode>>; pending: [SgNode, Map<string, SgNode>][] }
>();

function entriesIn(root: SgNode): {
  byId: Map<number, Map<string, SgNode>>;
  pending: [SgNode, Map<string, SgNode>][];
} {
  let memo = entriesMemo.get(root);
  if (!memo) {
    memo = { byId: new Map(), pending: [] };
    entriesMemo.set(root, memo);
  }
  return memo;
}

/** The file's entries by node id, with those pending filed as they were read. */
function entriesById(root: SgNode): Map<number, Map<string, SgNode>> {
  const memo = entriesIn(root);
  for (const [node, entries] of memo.pending) memo.byId.set(node.id(), entries);
  memo.pending.length = 0;
  return memo.byId;
}

/** `entriesOf` answers by wrapper, asked first: the same wrapper is often asked again, and `id()` is a crossing. */
const byWrapper = new WeakMap<SgNode, Map<string, SgNode>>();

const topMemo = new WeakMap<ParsedSource, SgNode[]>();

/** The root's children (`children()`: unnamed ones too), kept for the file. */
export function topLevel(src: ParsedSource): SgNode[] {
  let stmts = topMemo.get(src);
  if (!stmts) {
    stmts = src.root.children();
    topMemo.set(src, stmts);
  }
  return stmts;
}

function fileNodes(src: ParsedSource): FileNodes {
  let nodes = memo.get(src);
  if (!nodes) {
    const py = src.language === 'python';
    const listKind = py ? 'list' : 'array';
    const mapKind = py ? 'dictionary' : 'object';
    const classKind = py ? 'class_definition' : 'class_declaration';
    const kinds: object[] = [{ kind: listKind }, { kind: mapKind }];
    if (REGISTRY_CLASS_TEXT.test(src.file.text)) kinds.push({ kind: classKind });
    if (py) kinds.push({ kind: 'decorated_definition' });
    const stmts = topLevel(src).map((node) => new Stmt(node));
    nodes = { listKind, mapKind, classKind, rule: { rule: { any: kinds } }, stmts };
    memo.set(src, nodes);
  }
  return nodes;
}

function walk(nodes: FileNodes, at: SgNode): Found {
  const found: Found = { lists: [], maps: [], classes: [], decorated: [] };
  for (const node of at.findAll(nodes.rule)) {
    const kind = node.kind();
    if (kind === nodes.listKind) found.lists.push(node);
    else if (kind === nodes.mapKind) found.maps.push(node);
    else if (kind === nodes.classKind) found.classes.push(node);
    else found.decorated.push(node);
  }
  return found;
}

function wholeWalk(src: ParsedSource, nodes: FileNodes): Found {
  nodes.whole ??= walk(nodes, src.root);
  return nodes.whole;
}

/**
 * What the walks found in the statements that contain one of the sorted `positions`, statement by statement
 * in document order; or, when walking the whole tree is cheaper, the whole tree's walk alone. With
 * `collectionsOnly` (the caller reads only the lists and maps that contain a position), a statement that
 * `declaredAnswer` settles is not walked: what stands for it holds that answer alone and is not kept.
 */
function foundAt(src: ParsedSource, positions: readonly number[], collectionsOnly = false): Found[] {
  const nodes = fileNodes(src);
  if (nodes.whole) return [nodes.whole];
  const held = stmtsAt(nodes.stmts, positions);
  const answered = new Map<Stmt, Found>();
  if (collectionsOnly && src.syntaxErrors === 0 && src.language !== 'python')
    for (const s of held) {
      const answer = s.found ? undefined : declaredAnswer(src.file.text, s, positions);
      if (answer) answered.set(s, answer);
    }
  let cost = 0;
  for (const s of held) if (!s.found && !answered.has(s)) cost += s.end - s.start + QUERY_COST;
  if (cost > src.file.text.length + QUERY_COST) return [wholeWalk(src, nodes)];
  return held.map((s) => {
    const answer = s.found ?? answered.get(s);
    if (answer) return answer;
    s.found = walk(nodes, s.node);
    return s.found;
  });
}

/** The top-level statements that hold one of the sorted `offsets`, in document order. */
export function statementsAt(src: ParsedSource, offsets: readonly number[]): TopStatement[] {
  return stmtsAt(fileNodes(src).stmts, offsets);
}

/** The statements of the sorted `stmts` that hold one of the sorted `positions`, in document order. */
function stmtsAt(stmts: readonly Stmt[], positions: readonly number[]): Stmt[] {
  const out: Stmt[] = [];
  for (const i of positions) {
    const s = stmtAt(stmts, i);
    if (s && out[out.length - 1] !== s) out.push(s);
  }
  return out;
}

/**
 * A statement's start up to its first declarator's name, when only blanks come between: then that name is
 * the declarator's (the keyword is the declaration's first child, the declarator the next). Group: the name.
 */
const DECLARED_NAME = /(?:export[ \t\r\n]+)?(?:const|let|var)[ \t\r\n]+([A-Za-z_$][\w$]*)[ \t\r\n]*[:=]/y;

/**
 * TS: the object a statement `[export] const|let|var NAME = {…}` gives its first declarator, read through
 * the statement's fields (a few crossings, where a walk of the statement makes a wrapper, a kind and a range
 * for every list and map in it); null for any other statement.
 */
function declaredObject(s: Stmt, text: string): Declared | null {
  if (s.declared === undefined) {
    s.declared = null;
    const decl = s.node.is('export_statement') ? s.node.field('declaration') : s.node;
    const lexical = !!decl?.is('lexical_declaration');
    // The keyword is the first child; the first declarator follows unless a comment comes between.
    const declarator = decl && (lexical || decl.is('variable_declaration')) ? decl.child(1) : null;
    const value = declarator?.is('variable_declarator') ? declarator.field('value') : null;
    if (declarator && value?.is('object')) {
      const { start, end } = value.range();
      const kids = value.namedChildren();
      DECLARED_NAME.lastIndex = s.start;
      const declaredName = DECLARED_NAME.exec(text)?.[1];
      s.declared = {
        obj: { node: value, start: start.index, end: end.index, pos: start, kids, declarator, declaredName },
        declarator,
        lexical,
        kidSpans: [],
      };
    }
  }
  return s.declared;
}

/** The named child of a declared object that holds the offset, if any. */
function kidAt(d: Declared, i: number): { start: number; end: number } | undefined {
  const span = (k: number) => {
    let r = d.kidSpans[k];
    if (!r) {
      const { start, end } = d.obj.kids[k]!.range();
      r = { start: start.index, end: end.index };
      d.kidSpans[k] = r;
    }
    return r;
  };
  let lo = 0;
  let hi = d.obj.kids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (span(mid).end <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo < d.obj.kids.length && span(lo).start <= i ? span(lo) : undefined;
}

/**
 * For a statement of a clean TS file that declares an object (`declaredObject`): when no list or map but
 * that object can contain any of the sorted `positions` that lie in the statement, what a walk would give
 * for them (the object alone; `spansAt` then keeps it if it contains one); undefined when the text cannot
 * tell. A list or map starts with `[` or `{`, so one that contains a position starts at or before it: before
 * the object, in the statement's text up to the position; after it, in the text from its end; inside it, in
 * the text of the object's child that holds the position (the object's own braces and commas hold nothing).
 * No declaration above the object is a list or map.
 */
function declaredAnswer(text: string, s: Stmt, positions: readonly number[]): Found | undefined {
  const d = declaredObject(s, text);
  if (!d) return undefined;
  const { start, end } = d.obj;
  for (let k = firstAtOrAfter(positions, s.start); k < positions.length && positions[k]! < s.end; k++) {
    const i = positions[k]!;
    if (i < start) {
      if (bracketIn(text, s.start, i)) return undefined;
    } else if (i >= end) {
      if (bracketIn(text, end, i)) return undefined;
    } else if (i > start && bracketIn(text, start + 1, i)) {
      // No bracket after the object's own: nothing in it can hold the position, and no child range is read.
      const kid = kidAt(d, i);
      if (kid && bracketIn(text, kid.start, i)) return undefined;
    }
  }
  return { lists: [], maps: [d.obj.node], classes: [], decorated: [], listSpans: [], mapSpans: [d.obj] };
}

function spansOf(list: SgNode[]): Span[] {
  return list.map((node) => {
    const { start, end } = node.range();
    return { node, start: start.index, end: end.index, pos: start };
  });
}

/**
 * Whether the text shows that a node of a clean file starting at `offset` is at module scope (no function
 * encloses it); false when it cannot tell. A function that encloses it starts in its statement, and between
 * any function's start and anything inside it the text has a `(` (parameters, a decorator's call), `=>` (a
 * lone arrow parameter) or `[` (a computed method name); a statement without them before the node holds it in
 * no function.
 */
export function moduleScopeAt(src: ParsedSource, offset: number): boolean {
  if (src.syntaxErrors !== 0) return false;
  const s = stmtAt(fileNodes(src).stmts, offset);
  if (!s) return false;
  const text = src.file.text;
  for (let j = s.start; j < offset; j++) {
    const c = text.charCodeAt(j);
    if (c === 40 || c === 91 || (c === 61 && text.charCodeAt(j + 1) === 62)) return false; // ( [ =>
  }
  return true;
}

/** The spans of `pick`'s nodes in `found` that contain one of the sorted `positions`, in document order. */
function spansAt(found: Found[], positions: readonly number[], lists: boolean): Span[] {
  const out: Span[] = [];
  for (const f of found) {
    if (lists) f.listSpans ??= spansOf(f.lists);
    else f.mapSpans ??= spansOf(f.maps);
    const spans = (lists ? f.listSpans : f.mapSpans)!;
    for (const s of spans) if (anyWithin(positions, s.start, s.end)) out.push(s);
  }
  return out;
}

/** Whether some position of the sorted `positions` lies in [start, end). */
export function anyWithin(positions: readonly number[], start: number, end: number): boolean {
  const lo = firstAtOrAfter(positions, start);
  return lo < positions.length && positions[lo]! < end;
}

/** The index of the first of the sorted `positions` at or after `start` (their length if none). */
function firstAtOrAfter(positions: readonly number[], start: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (positions[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The file's list and map literals. */
export function collections(src: ParsedSource): { lists: SgNode[]; maps: SgNode[] } {
  const { lists, maps } = wholeWalk(src, fileNodes(src));
  return { lists, maps };
}

/** The file's list and map literals that contain one of the sorted `positions`, each in document order. */
export function collectionsAt(
  src: ParsedSource,
  positions: readonly number[],
): { lists: SgNode[]; maps: SgNode[] } {
  if (src.syntaxErrors === 0) positions = heldPositions(src, positions);
  if (positions.length === 0) return { lists: [], maps: [] };
  const found = foundAt(src, positions, true);
  return {
    lists: spansAt(found, positions, true).map((s) => s.node),
    maps: spansAt(found, positions, false).map((s) => s.node),
  };
}

/** TS import attributes (`with {type: 'json'}`) are the only objects an import statement can hold. */
const IMPORT_ATTRIBUTES = /\b(with|assert)\b/;

const BRACKET = /[[{]/;

/** Whether `text` has a `[` or `{` in [from, to]: a native scan of that stretch, not an interpreted loop. */
function bracketIn(text: string, from: number, to: number): boolean {
  return to >= from && BRACKET.test(text.slice(from, to + 1));
}

/**
 * Of the sorted `positions`, those a list or map of a clean file may contain. Such a literal starts with `[`
 * or `{` inside the statement that holds the position, at or before it; a JS import statement holds none but
 * its attributes, and a Python one none at all. The walks are what costs, so the statements are skipped.
 */
function heldPositions(src: ParsedSource, positions: readonly number[]): number[] {
  const { stmts } = fileNodes(src);
  const text = src.file.text;
  const py = src.language === 'python';
  return positions.filter((i) => {
    const s = stmtAt(stmts, i);
    if (!s) return true;
    if (!bracketIn(text, s.start, i)) return false;
    // An import statement starts with its keyword, so the text tells most others apart without a crossing.
    s.bare ??= py
      ? (text.startsWith('import', s.start) && s.node.is('import_statement')) ||
        (text.startsWith('from', s.start) && s.node.is('import_from_statement'))
      : text.startsWith('import', s.start) &&
        s.node.is('import_statement') &&
        !IMPORT_ATTRIBUTES.test(text.slice(s.start, s.end));
    return !s.bare;
  });
}

/** A decorator's line that cannot go on to the next: no bracket, string, comment or line continuation. */
const ONE_LINE_DECORATOR = /@[^\n\r()[\]{}'"\\#]*\n(?=def[ \t]|async[ \t]|class[ \t])/y;

/**
 * Where the definition of a clean module's decorated definition starting at `start` starts, when its text
 * shows it: one decorator on one line, the next line starting with `def`, `async` or `class` (a definition
 * at the module's column, so not the decorator's); -1 when it does not.
 */
function soleDecoratorEnd(text: string, start: number): number {
  ONE_LINE_DECORATOR.lastIndex = start;
  return ONE_LINE_DECORATOR.test(text) ? ONE_LINE_DECORATOR.lastIndex : -1;
}

/**
 * Python: the file's decorated definitions (each contains the `@` it starts with), in document order. A
 * top-level decorated definition whose own definition holds no `@` holds no other decorated definition (a
 * decorator's expression cannot hold a statement), so it is its statement's only one and is taken without a
 * walk; in a damaged file every statement that holds an `@` is walked.
 */
export function decoratedDefinitions(src: ParsedSource): Decorated[] {
  const nodes = fileNodes(src);
  if (!nodes.decorated) {
    const text = src.file.text;
    const at = offsetsOf(text, ['@']);
    const alone = new Map<Stmt, Decorated>();
    if (src.syntaxErrors === 0 && !nodes.whole)
      for (const s of nodes.stmts) {
        // Of the statements of a clean module only a decorated definition starts with `@`.
        if (s.found || !anyWithin(at, s.start, s.end) || text.charCodeAt(s.start) !== 64) continue;
        const next = soleDecoratorEnd(text, s.start);
        // The definition is read later, and only if its decorator makes it a tool.
        if (next >= 0) {
          if (!anyWithin(at, next, s.end))
            alone.set(s, { node: s.node, top: { pos: s.pos, end: s.end, defAt: next } });
          continue;
        }
        const definition = s.node.field('definition');
        const bodyStart = definition ? definition.range().start.index : s.start;
        if (!anyWithin(at, bodyStart, s.end))
          alone.set(s, {
            node: s.node,
            top: definition ? { pos: s.pos, end: s.end, defAt: bodyStart } : { pos: s.pos, end: s.end },
            definition,
          });
      }
    const rest =
      alone.size === 0
        ? at
        : at.filter((i) => {
            const s = stmtAt(nodes.stmts, i);
            return !s || !alone.has(s);
          });
    const found = rest.length === 0 ? [] : foundAt(src, rest);
    if (found.length === 1 && found[0] === nodes.whole)
      nodes.decorated = found[0]!.decorated.map((node) => ({ node }));
    else {
      nodes.decorated = [];
      for (const s of nodes.stmts) {
        const one = alone.get(s);
        if (one) nodes.decorated.push(one);
        else if (s.found && anyWithin(rest, s.start, s.end))
          for (const node of s.found.decorated) nodes.decorated.push({ node });
      }
    }
  }
  return nodes.decorated;
}

/** The statement of the sorted `stmts` that holds the offset, if any. */
function stmtAt(stmts: readonly Stmt[], i: number): Stmt | undefined {
  let lo = 0;
  let hi = stmts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stmts[mid]!.end <= i) lo = mid + 1;
    else hi = mid;
  }
  const s = stmts[lo];
  return s && s.start <= i ? s : undefined;
}

const SCHEMA_KEY = /^["']?(input_schema|inputSchema|parameters|function|schema|argsSchema)["']?$/;

/**
 * An object with a pair keyed like a tool schema: what the rule `{kind: object, has: {kind: pair, has:
 * {field: key, regex: SCHEMA_KEY}}}` matches, read from the keys as written (a rule given to `matches` is
 * compiled on every call, which costs more than reading the object). The entries read on the way are kept
 * for `entriesOf`: a schema object is read as a tool next.
 */
function hasSchemaKey(obj: Span, root: SgNode, cleanText: string | undefined): boolean {
  const rawKeys: string[] = [];
  const entries = readEntries(obj.node, rawKeys, obj.kids, cleanText);
  entriesIn(root).pending.push([obj.node, entries]);
  byWrapper.set(obj.node, entries);
  return rawKeys.some((k) => SCHEMA_KEY.test(k));
}

/** Every key `SCHEMA_KEY` accepts ends with one of these. */
const SCHEMA_WORDS = ['schema', 'Schema', 'parameters', 'function'];

/** Every offset where the text spells one of `words` (overlaps included), sorted. */
export function offsetsOf(text: string, words: Iterable<string>): number[] {
  const out: number[] = [];
  for (const w of words) for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) out.push(i);
  return out.sort((x, y) => x - y);
}

/** Offsets where the text spells the end of a key `SCHEMA_KEY` accepts, followed by a pair's colon. */
function schemaKeyOffsets(text: string): number[] {
  const out: number[] = [];
  for (const w of SCHEMA_WORDS)
    for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1))
      if (followedBy(text, i + w.length, 58 /* : */, false, true)) out.push(i);
  return out.sort((x, y) => x - y);
}

/**
 * TS: the object literals with a pair keyed like a literal tool schema (`input_schema`, `parameters`,
 * `function`…). Only objects that contain such a key followed by a colon are tested.
 */
export function schemaObjects(src: ParsedSource): Span[] {
  const nodes = fileNodes(src);
  if (!nodes.schemaObjects) {
    const words = schemaKeyOffsets(src.file.text);
    nodes.schemaObjects =
      words.length === 0
        ? []
        : spansAt(foundAt(src, words, true), words, false).filter((s) =>
            hasSchemaKey(s, src.root, src.syntaxErrors === 0 ? src.file.text : undefined),
          );
  }
  return nodes.schemaObjects;
}

/** Where the text spells what a registry class name ends with (every offset of `Tool` it matches at). */
function registryOffsets(text: string): number[] {
  const out: number[] = [];
  const sticky = new RegExp(REGISTRY_CLASS_TEXT.source, 'y');
  for (let i = text.indexOf('Tool'); i >= 0; i = text.indexOf('Tool', i + 1)) {
    sticky.lastIndex = i;
    if (sticky.test(text)) out.push(i);
  }
  return out;
}

/** Classes whose name reads like a tool registry (`ToolRegistry`, `ToolManager`). */
export function registryClassNodes(src: ParsedSource): SgNode[] {
  const nodes = fileNodes(src);
  if (!nodes.registryClasses) {
    const at = registryOffsets(src.file.text);
    nodes.registryClasses =
      at.length === 0
        ? []
        : foundAt(src, at)
            .flatMap((f) => f.classes)
            .filter((cls) => REGISTRY_CLASS.test(cls.field('name')?.text() ?? ''));
  }
  return nodes.registryClasses;
}

/**
 * `literalEntries` of a node of the tree under `root` (the file's root, as its ParsedSource holds it), kept
 * for the file by node id: a literal tool's object is read again as a candidate registry and as a role table
 * (sub-agents), each time through a wrapper of its own. The map is shared: callers only read it.
 */
export function entriesOf(node: SgNode, root: SgNode): Map<string, SgNode> {
  let entries = byWrapper.get(node);
  if (entries) return entries;
  const byId = entriesById(root);
  const id = node.id();
  entries = byId.get(id);
  if (!entries) {
    entries = literalEntries(node);
    byId.set(id, entries);
  }
  byWrapper.set(node, entries);
  return entries;
}
