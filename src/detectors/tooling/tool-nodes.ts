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

/** A top-level statement (a child of the root) and what a walk of it found, once walked. */
interface Stmt {
  node: SgNode;
  start: number;
  end: number;
  /** `range().start`, kept for the definitions that are statements themselves. */
  pos: Pos;
  found?: Found;
  /** An import statement that can hold no list or map, once asked. */
  bare?: boolean;
}

/** A Python decorated definition, with what was learnt about it on the way. */
export interface Decorated {
  node: SgNode;
  /** A statement of the module itself: at module scope, starting at `pos`. */
  top?: { pos: Pos };
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
/** Entries read per file (by its root's wrapper), by node id: several wrappers of one node share them. */
const entriesMemo = new WeakMap<SgNode, Map<number, Map<string, SgNode>>>();

function entriesIn(root: SgNode): Map<number, Map<string, SgNode>> {
  let byId = entriesMemo.get(root);
  if (!byId) {
    byId = new Map();
    entriesMemo.set(root, byId);
  }
  return byId;
}

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
    const stmts = topLevel(src).map((node): Stmt => {
      const { start, end } = node.range();
      return { node, start: start.index, end: end.index, pos: start };
    });
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
 * in document order; or, when walking the whole tree is cheaper, the whole tree's walk alone.
 */
function foundAt(src: ParsedSource, positions: readonly number[]): Found[] {
  const nodes = fileNodes(src);
  if (nodes.whole) return [nodes.whole];
  const held = nodes.stmts.filter((s) => anyWithin(positions, s.start, s.end));
  let cost = 0;
  for (const s of held) if (!s.found) cost += s.end - s.start + QUERY_COST;
  if (cost > src.file.text.length + QUERY_COST) return [wholeWalk(src, nodes)];
  for (const s of held) s.found ??= walk(nodes, s.node);
  return held.map((s) => s.found!);
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
  // First position at or after the start.
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (positions[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < positions.length && positions[lo]! < end;
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
  const found = foundAt(src, positions);
  return {
    lists: spansAt(found, positions, true).map((s) => s.node),
    maps: spansAt(found, positions, false).map((s) => s.node),
  };
}

/** TS import attributes (`with {type: 'json'}`) are the only objects an import statement can hold. */
const IMPORT_ATTRIBUTES = /\b(with|assert)\b/;

/** Whether `text` has a `[` or `{` in [from, to]. */
function bracketIn(text: string, from: number, to: number): boolean {
  for (let j = to; j >= from; j--) {
    const c = text.charCodeAt(j);
    if (c === 91 || c === 123) return true;
  }
  return false;
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
    s.bare ??= py
      ? s.node.is('import_statement') || s.node.is('import_from_statement')
      : s.node.is('import_statement') && !IMPORT_ATTRIBUTES.test(text.slice(s.start, s.end));
    return !s.bare;
  });
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
    const at = offsetsOf(src.file.text, ['@']);
    const alone = new Map<Stmt, Decorated>();
    if (src.syntaxErrors === 0 && !nodes.whole)
      for (const s of nodes.stmts) {
        if (s.found || !anyWithin(at, s.start, s.end) || !s.node.is('decorated_definition')) continue;
        const definition = s.node.field('definition');
        const bodyStart = definition ? definition.range().start.index : s.start;
        if (!anyWithin(at, bodyStart, s.end)) alone.set(s, { node: s.node, top: { pos: s.pos }, definition });
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
function hasSchemaKey(obj: SgNode, root: SgNode): boolean {
  const rawKeys: string[] = [];
  entriesIn(root).set(obj.id(), readEntries(obj, rawKeys));
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
        : spansAt(foundAt(src, words), words, false).filter((s) => hasSchemaKey(s.node, src.root));
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
  const byId = entriesIn(root);
  const id = node.id();
  let entries = byId.get(id);
  if (!entries) {
    entries = literalEntries(node);
    byId.set(id, entries);
  }
  return entries;
}
