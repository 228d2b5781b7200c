import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../core/imports.js';
import { lineOf, type ParsedSource } from '../core/parse-source.js';
import type { Capability, ProjectFile } from '../core/types.js';
import { boundName, isFunctionNode, literalEntries, unwrap, unwrapKind } from './tooling/ast.js';
import { inferCapabilities } from './tooling/capabilities.js';
import { type FoundTool, VALID_TOOL_NAME } from './tooling/found-tool.js';
import { jsTools } from './tooling/js-tools.js';
import { pyTools } from './tooling/py-tools.js';
import {
  collections,
  collectionsAt,
  entriesOf,
  offsetsOf,
  registryClassNodes,
} from './tooling/tool-nodes.js';
import type { Detector, FileContext, ProjectContext } from './types.js';

export const FACT_KINDS = [
  'tool.definition',
  'tool.declared-as-data',
  'tool.registry',
  'tool.duplicate-name',
  'tool.user-command-registry',
] as const;

/** A tool definition as plain data (no node, no body text): all its fact, inventory entry and duplicate check need. */
type ToolDef = Omit<FoundTool, 'node' | 'body' | 'at'> & { capabilities: Capability[]; line: number };

/**
 * A list or map whose every element is a definition of its file or a name that may be a tool binding. It is
 * a registry once every name in `needs` is a tool binding visible in the file, which only the project step
 * knows (bindings come from every file).
 */
interface CandidateRegistry {
  line: number;
  form: 'array' | 'map';
  size: number;
  name: string | null;
  needs: string[];
}

/** What the file step leaves for one file; the project step emits it all in the original order. */
interface ToolsSummary {
  defs: ToolDef[];
  /** Only in a file that defines tools (the others are reparsed if they import one). Lists, then maps. */
  registries: CandidateRegistry[];
  /** Registry classes, on the same terms as `registries`. */
  classes: { line: number; name: string | null }[];
  /** Slash/user command maps in code. */
  commands: { line: number; size: number }[];
}

/** A definition with the file it is in, in project order. */
interface Located {
  def: ToolDef;
  file: ProjectFile;
}

function wordCount(s: string | undefined): number {
  return s ? s.split(/\s+/).filter(Boolean).length : 0;
}

/** `line` is the definition's (1-based, as `lineOf` gives it). */
function toolDef(tool: FoundTool, line: number): ToolDef {
  return {
    name: tool.name,
    description: tool.description,
    framework: tool.framework,
    shape: tool.shape,
    schema: tool.schema,
    params: tool.params,
    paramsKnown: tool.paramsKnown,
    hasCapabilityMetadata: tool.hasCapabilityMetadata,
    declaredAsData: tool.declaredAsData,
    capabilities: inferCapabilities(tool.name, tool.description, tool.body),
    line,
    ...(tool.binding ? { binding: tool.binding } : {}),
  };
}

function emitDefinition(ctx: ProjectContext, { def, file }: Located) {
  const described = def.params.filter((p) => p.description).length;
  const typed = def.params.filter((p) => p.type).length;
  ctx.emit('tool.definition', file, def.line, {
    name: def.name,
    framework: def.framework,
    shape: def.shape,
    hasDescription: wordCount(def.description) > 0,
    descriptionWords: wordCount(def.description),
    schema: def.schema,
    params: def.params.length,
    describedParams: described,
    typedParams: typed,
    undescribedParams: def.params.length - described,
    paramsKnown: def.paramsKnown,
    validName: VALID_TOOL_NAME.test(def.name),
    capabilities: def.capabilities,
    hasCapabilityMetadata: def.hasCapabilityMetadata,
    declaredAsData: def.declaredAsData,
  });
  if (def.declaredAsData)
    ctx.emit('tool.declared-as-data', file, def.line, { name: def.name, shape: def.shape });
  ctx.inventory.tools.push({
    name: def.name,
    description: def.description,
    framework: def.framework,
    schema: def.schema,
    parameters: def.params,
    capabilities: def.capabilities,
    file: file.path,
    line: def.line,
    role: file.role,
  });
}

/** Same name twice within one framework's tools in the project's own source: the model cannot tell them apart. */
function emitDuplicates(ctx: ProjectContext, all: Located[]) {
  const byKey = new Map<string, Located[]>();
  for (const l of all) {
    if (l.file.role !== 'source') continue;
    const key = `${l.def.framework}\u0000${l.def.name}`;
    byKey.set(key, [...(byKey.get(key) ?? []), l]);
  }
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    for (const dup of group.slice(1))
      ctx.emit('tool.duplicate-name', dup.file, dup.def.line, {
        name: dup.def.name,
        count: group.length,
        firstFile: first.file.path,
        firstLine: first.def.line,
      });
  }
}

/**
 * What makes this element of a collection a tool: `true` for a definition node, the name it stands for (a
 * tool only if that name is a visible tool binding), or `false` when it can never be one.
 */
function toolElementNeed(el: SgNode, defStarts: Set<number>): boolean | string {
  const { node: n, kind: k } = unwrapKind(el);
  if (defStarts.has(n.range().start.index)) return true;
  // defineTool({...}): a local factory around a tool written as data.
  if (k === 'call_expression' || k === 'call') {
    const first = n
      .field('arguments')
      ?.children()
      .find((c) => c.isNamed());
    if (first && defStarts.has(first.range().start.index)) return true;
  }
  if (k === 'identifier' || k === 'shorthand_property_identifier') return n.text();
  if (k === 'new_expression') return n.field('constructor')?.text() ?? '';
  if (
    k === 'call' &&
    n
      .field('arguments')
      ?.children()
      .filter((c) => c.isNamed()).length === 0
  )
    return n.field('function')?.text() ?? ''; // Python `SearchTool()`
  if (k === 'member_expression' || k === 'attribute') return n.text().split('.').pop() ?? '';
  return false;
}

/**
 * The names a collection's elements need to all be tools, or undefined when it is empty or one element can
 * never be a tool (its name is not among `names`, the most this file can ever see).
 */
function neededNames(els: SgNode[], defStarts: Set<number>, names: Set<string>): string[] | undefined {
  if (els.length === 0) return undefined;
  const needs = new Set<string>();
  for (const el of els) {
    const need = toolElementNeed(el, defStarts);
    if (need === false) return undefined;
    if (need === true) continue;
    if (!names.has(need)) return undefined;
    needs.add(need);
  }
  return [...needs];
}

/**
 * The lists and maps of a file that can hold a tool element: speed gate for `candidateRegistries`. A
 * collection qualifies only if its range contains a definition's start or a node whose text holds one of
 * `bindings` where it ends (what `toolElementNeed` looks for: a name, a dotted callee or constructor, the last
 * part of a member); when a binding is empty, every collection does. Such a node holds a place where the
 * file's text spells the binding, so every place the text does stands in for them (a superset: the gate only
 * skips collections that cannot be registries). Each list is in document order.
 */
function candidateCollections(
  src: ParsedSource,
  defStarts: Set<number>,
  bindings: Set<string>,
): { lists: SgNode[]; maps: SgNode[] } {
  const names = [...bindings];
  if (names.includes('')) return collections(src);
  const positions = [...defStarts, ...offsetsOf(src.file.text, names)].sort((x, y) => x - y);
  if (positions.length === 0) return { lists: [], maps: [] };
  return collectionsAt(src, positions);
}

/**
 * The file's lists and maps that are registries when the names they need are visible tool bindings. `names`
 * is every name that could be one here (own bindings and imported names), a superset of what the project
 * step finds visible, so no registry is missed; the project step drops those whose names are not.
 */
function candidateRegistries(
  src: ParsedSource,
  defStarts: Set<number>,
  names: Set<string>,
): CandidateRegistry[] {
  const out: CandidateRegistry[] = [];
  const { lists, maps } = candidateCollections(src, defStarts, names);
  for (const arr of lists) {
    const els = arr.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
    const items = els.filter((c) => c.kind() !== 'spread_element' && c.kind() !== 'list_splat');
    const needs = neededNames(items, defStarts, names);
    if (needs)
      out.push({ line: lineOf(arr), form: 'array', size: items.length, name: boundName(arr) ?? null, needs });
  }
  for (const obj of maps) {
    const values = [...entriesOf(obj, src.root).values()];
    const needs = neededNames(values, defStarts, names);
    if (needs)
      out.push({ line: lineOf(obj), form: 'map', size: values.length, name: boundName(obj) ?? null, needs });
  }
  return out;
}

/** Classes named like a tool registry (`ToolRegistry`, `ToolManager`) with a register/lookup method. */
function registryClasses(src: ParsedSource): ToolsSummary['classes'] {
  // Speed gate: the class name below contains `Tool`.
  if (!src.file.text.includes('Tool')) return [];
  const py = src.language === 'python';
  const out: ToolsSummary['classes'] = [];
  for (const cls of registryClassNodes(src)) {
    const methods = cls
      .findAll({ rule: { kind: py ? 'function_definition' : 'method_definition' } })
      .map((m) => m.field('name')?.text() ?? '');
    if (!methods.some((m) => /^(register|add|get|lookup|list|all)/i.test(m))) continue;
    out.push({ line: lineOf(cls), name: cls.field('name')?.text() ?? null });
  }
  return out;
}

/** In JS only project-local imports can bring a tool in; a package's `search` is not ours. */
function canImportTool(language: string | undefined, b: ImportBinding): boolean {
  return language === 'python' || /^(\.|\/|@\/|~\/|#)/.test(b.module);
}

const COMMAND_NAME =
  /^(?:(?:slash|user)_?commands|commands|COMMANDS|SLASH_COMMANDS|USER_COMMANDS|(?:slash|user)Commands)$/i;

/** A command entry: `'/help': {description, run}`, `help: () => …`, or a handler name. */
function looksLikeCommand(key: string, value: SgNode): boolean {
  if (key.startsWith('/')) return true;
  const v = unwrap(value);
  if (isFunctionNode(v) || v.kind() === 'lambda') return true;
  if (v.kind() === 'object' || v.kind() === 'dictionary') {
    const entries = literalEntries(v);
    const hasHandler = ['run', 'execute', 'handler', 'handle', 'action', 'fn'].some((k) => entries.has(k));
    return (
      hasHandler && !entries.has('input_schema') && !entries.has('inputSchema') && !entries.has('parameters')
    );
  }
  return false;
}

function userCommands(src: ParsedSource): ToolsSummary['commands'] {
  const out: ToolsSummary['commands'] = [];
  const py = src.language === 'python';
  for (const decl of src.root.findAll({ rule: { kind: py ? 'assignment' : 'variable_declarator' } })) {
    const nameNode = decl.field(decl.kind() === 'assignment' ? 'left' : 'name');
    if (!nameNode || !COMMAND_NAME.test(nameNode.text())) continue;
    const valueNode = decl.field(decl.kind() === 'assignment' ? 'right' : 'value');
    if (!valueNode) continue;
    const value = unwrap(valueNode);
    const entries = [...literalEntries(value)];
    if (entries.length === 0 || !entries.every(([k, v]) => looksLikeCommand(k, v))) continue;
    out.push({ line: lineOf(decl), size: entries.length });
  }
  return out;
}

const NOT_EVIDENCE = new Set(['fixture', 'vendored', 'generated']);

/** `.claude/commands/*.md` are Claude Code's user commands, kept apart from model tools by construction. */
function emitClaudeCommandDir(ctx: ProjectContext) {
  const files = ctx.project.files.filter(
    (f) => /(^|\/)\.claude\/commands\/.+\.md$/.test(f.path) && !NOT_EVIDENCE.has(f.role),
  );
  const first = files[0];
  if (!first) return;
  const asConfig: ProjectFile = { ...first, role: 'config' };
  ctx.emit('tool.user-command-registry', asConfig, 1, {
    form: 'claude-commands-dir',
    size: files.length,
    source: 'config',
  });
}

/**
 * The file step: finds the file's tools, and when it defines some, the lists and maps that may be
 * registries; emits nothing (see `emitTools`). A file that defines no tool can only hold a registry of
 * imported tools, which the project step finds by reparsing the few files that import one.
 */
function scanTools(ctx: FileContext): ToolsSummary | undefined {
  const { src } = ctx;
  const imports = ctx.imports(src);
  // Each definition's position is read once (a range crosses into native code), then sorted by it.
  const placed = (src.language === 'python' ? pyTools(src, imports) : jsTools(src, imports))
    .map((tool) => ({ tool, start: tool.at ?? tool.node.range().start }))
    .sort((a, b) => a.start.index - b.start.index);
  const found = placed.map((p) => p.tool);
  const defines = found.length > 0;
  // Every name that could be a tool here: own bindings, and whatever a local import brings in.
  const names = new Set(found.map((t) => t.binding).filter((b): b is string => !!b));
  if (defines) for (const b of imports) if (canImportTool(src.language, b)) names.add(b.local);
  const starts = new Set(placed.map((p) => p.start.index));
  const summary: ToolsSummary = {
    defs: placed.map((p) => toolDef(p.tool, p.start.line + 1)),
    registries: defines ? candidateRegistries(src, starts, names) : [],
    classes: defines ? registryClasses(src) : [],
    commands: /commands/i.test(src.file.text) ? userCommands(src) : [],
  };
  const empty = !defines && summary.commands.length === 0;
  return empty ? undefined : summary;
}

/** The names that count as tools in a file: those it defines, and those it imports from where tools are. */
function visibleBindings(
  file: ProjectFile,
  defs: readonly ToolDef[],
  imports: readonly ImportBinding[],
  bindings: Set<string>,
): Set<string> {
  const visible = new Set(defs.map((t) => t.binding).filter((b): b is string => !!b));
  for (const b of imports)
    if (canImportTool(file.language, b) && (bindings.has(b.imported) || bindings.has(b.local)))
      visible.add(b.local);
  return visible;
}

/** A file's registries: lists and maps of tools visible in it, and registry classes. */
function emitRegistries(
  ctx: ProjectContext,
  file: ProjectFile,
  summary: ToolsSummary | undefined,
  bindings: Set<string>,
) {
  const defs = summary?.defs ?? [];
  const visible = visibleBindings(file, defs, ctx.importsAt(file.path), bindings);
  // A name counts as a tool here only when this file defines it or imports it.
  if (defs.length === 0 && visible.size === 0) return;
  let registries = summary?.registries ?? [];
  let classes = summary?.classes ?? [];
  if (defs.length === 0) {
    // Only imported tools: the file step skipped this file, so read its tree again.
    const src = ctx.reparse(file.path);
    if (!src) return;
    registries = candidateRegistries(src, new Set(), visible);
    classes = registryClasses(src);
  }
  for (const r of registries)
    if (r.needs.every((n) => visible.has(n)))
      ctx.emit('tool.registry', file, r.line, { size: r.size, form: r.form, name: r.name });
  for (const c of classes) ctx.emit('tool.registry', file, c.line, { size: 0, form: 'class', name: c.name });
}

/**
 * The project step, in the order of the whole-project original: every definition, then duplicate names,
 * then each file's registries (which need the tool bindings of all files) and user commands.
 */
function emitTools(ctx: ProjectContext, summaries: ReadonlyMap<string, ToolsSummary>) {
  const all: Located[] = [];
  for (const file of ctx.sourceFiles)
    for (const def of summaries.get(file.path)?.defs ?? []) all.push({ def, file });
  for (const l of all) emitDefinition(ctx, l);
  emitDuplicates(ctx, all);
  const bindings = new Set(all.map((l) => l.def.binding).filter((b): b is string => !!b));
  for (const file of ctx.sourceFiles) {
    const summary = summaries.get(file.path);
    emitRegistries(ctx, file, summary, bindings);
    for (const c of summary?.commands ?? [])
      ctx.emit('tool.user-command-registry', file, c.line, { form: 'map', size: c.size, source: 'code' });
  }
  emitClaudeCommandDir(ctx);
}

export const toolsDetector: Detector<ToolsSummary> = {
  id: 'tools',
  description:
    'tool.definition / tool.registry / tool.duplicate-name / tool.declared-as-data / tool.user-command-registry, and the tool inventory',
  file: scanTools,
  project: emitTools,
};
