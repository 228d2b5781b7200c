import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { literalEntries, readEntries } from './ast.js';

/**
 * The nodes the tools detector looks at in a file, from one walk of its tree instead of one per question
 * (a walk costs about as much as the rest of the detector's work on a typical file). The walk asks for node
 * kinds only, which ast-grep matches fastest; finer tests are made on the few candidates afterwards. Every
 * list is in document order, as `findAll` returns it.
 */
interface ToolNodes {
  /** TS `array` / Python `list` literals. */
  lists: SgNode[];
  /** TS `object` / Python `dictionary` literals. */
  maps: SgNode[];
  /** Class declarations, only when the text may name a registry class. */
  classes: SgNode[];
  /** Python decorated definitions, when the first caller asked for them. */
  decorated?: SgNode[];
  listSpans?: Span[];
  mapSpans?: Span[];
  schemaObjects?: Span[];
  registryClasses?: SgNode[];
}

/** A node and the offsets it spans (`range()`'s start and end index). */
export interface Span {
  node: SgNode;
  start: number;
  end: number;
}

const REGISTRY_CLASS = /Tool(s|Set)?(Registry|Manager|Box|box|Catalog)$/;
/** Speed gate for `REGISTRY_CLASS`: a class name that matches is spelled somewhere in the text. */
const REGISTRY_CLASS_TEXT = /Tool(s|Set)?(Registry|Manager|Box|box|Catalog)/;

const memo = new WeakMap<ParsedSource, ToolNodes>();
const entriesMemo = new WeakMap<SgNode, Map<string, SgNode>>();

function walk(src: ParsedSource, decorated: boolean): ToolNodes {
  const py = src.language === 'python';
  const listKind = py ? 'list' : 'array';
  const mapKind = py ? 'dictionary' : 'object';
  const classKind = py ? 'class_definition' : 'class_declaration';
  const rules: object[] = [{ kind: listKind }, { kind: mapKind }];
  if (REGISTRY_CLASS_TEXT.test(src.file.text)) rules.push({ kind: classKind });
  if (py && decorated) rules.push({ kind: 'decorated_definition' });
  const nodes: ToolNodes = { lists: [], maps: [], classes: [] };
  if (py && decorated) nodes.decorated = [];
  for (const node of src.root.findAll({ rule: { any: rules } })) {
    const kind = node.kind();
    if (kind === listKind) nodes.lists.push(node);
    else if (kind === mapKind) nodes.maps.push(node);
    else if (kind === classKind) nodes.classes.push(node);
    else nodes.decorated?.push(node);
  }
  return nodes;
}

/**
 * The file's walk, made by the first caller and kept for the file. Python decorated definitions are
 * collected in it when that caller asks; a later caller asking for them gets a walk of its own.
 */
function toolNodes(src: ParsedSource, decorated = false): ToolNodes {
  let nodes = memo.get(src);
  if (!nodes) {
    nodes = walk(src, decorated);
    memo.set(src, nodes);
  }
  return nodes;
}

function spansOf(list: SgNode[]): Span[] {
  return list.map((node) => {
    const { start, end } = node.range();
    return { node, start: start.index, end: end.index };
  });
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
  const { lists, maps } = toolNodes(src);
  return { lists, maps };
}

/** The file's list literals with their offsets. */
export function listSpans(src: ParsedSource): Span[] {
  const nodes = toolNodes(src);
  nodes.listSpans ??= spansOf(nodes.lists);
  return nodes.listSpans;
}

/** The file's map literals (TS objects, Python dicts) with their offsets. */
export function mapSpans(src: ParsedSource): Span[] {
  const nodes = toolNodes(src);
  nodes.mapSpans ??= spansOf(nodes.maps);
  return nodes.mapSpans;
}

/** Python: the file's decorated definitions. */
export function decoratedDefinitions(src: ParsedSource): SgNode[] {
  const nodes = toolNodes(src, true);
  nodes.decorated ??= src.root.findAll({ rule: { kind: 'decorated_definition' } });
  return nodes.decorated;
}

const SCHEMA_KEY = /^["']?(input_schema|inputSchema|parameters|function|schema|argsSchema)["']?$/;

/**
 * An object with a pair keyed like a tool schema: what the rule `{kind: object, has: {kind: pair, has:
 * {field: key, regex: SCHEMA_KEY}}}` matches, read from the keys as written (a rule given to `matches` is
 * compiled on every call, which costs more than reading the object). The entries read on the way are kept
 * for `entriesOf`: a schema object is read as a tool next.
 */
function hasSchemaKey(obj: SgNode): boolean {
  const rawKeys: string[] = [];
  entriesMemo.set(obj, readEntries(obj, rawKeys));
  return rawKeys.some((k) => SCHEMA_KEY.test(k));
}

/** Every key `SCHEMA_KEY` accepts spells one of these. */
const SCHEMA_WORDS = ['schema', 'Schema', 'parameters', 'function'];

/** Every offset where the text spells one of `words` (overlaps included), sorted. */
export function offsetsOf(text: string, words: Iterable<string>): number[] {
  const out: number[] = [];
  for (const w of words) for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) out.push(i);
  return out.sort((x, y) => x - y);
}

/**
 * TS: the object literals with a pair keyed like a literal tool schema (`input_schema`, `parameters`,
 * `function`…). Only objects whose text spells such a key are tested.
 */
export function schemaObjects(src: ParsedSource): Span[] {
  const nodes = toolNodes(src);
  if (!nodes.schemaObjects) {
    const words = offsetsOf(src.file.text, SCHEMA_WORDS);
    nodes.schemaObjects = mapSpans(src).filter(
      (s) => anyWithin(words, s.start, s.end) && hasSchemaKey(s.node),
    );
  }
  return nodes.schemaObjects;
}

/** Classes whose name reads like a tool registry (`ToolRegistry`, `ToolManager`). */
export function registryClassNodes(src: ParsedSource): SgNode[] {
  const nodes = toolNodes(src);
  nodes.registryClasses ??= nodes.classes.filter((cls) =>
    REGISTRY_CLASS.test(cls.field('name')?.text() ?? ''),
  );
  return nodes.registryClasses;
}

/** `literalEntries`, kept per node wrapper: a literal tool's object is read again as a candidate registry. */
export function entriesOf(node: SgNode): Map<string, SgNode> {
  let entries = entriesMemo.get(node);
  if (!entries) {
    entries = literalEntries(node);
    entriesMemo.set(node, entries);
  }
  return entries;
}
