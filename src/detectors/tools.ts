import type { SgNode } from '@ast-grep/napi';
import { lineOf, type ParsedSource } from '../core/parse-source.js';
import type { ProjectFile } from '../core/types.js';
import { boundName, isFunctionNode, literalEntries, unwrap } from './tooling/ast.js';
import { inferCapabilities } from './tooling/capabilities.js';
import { type FoundTool, VALID_TOOL_NAME } from './tooling/found-tool.js';
import { jsTools } from './tooling/js-tools.js';
import { pyTools } from './tooling/py-tools.js';
import type { Detector, DetectorContext } from './types.js';

export const FACT_KINDS = [
  'tool.definition',
  'tool.declared-as-data',
  'tool.registry',
  'tool.duplicate-name',
  'tool.user-command-registry',
] as const;

interface Located {
  tool: FoundTool;
  src: ParsedSource;
}

function wordCount(s: string | undefined): number {
  return s ? s.split(/\s+/).filter(Boolean).length : 0;
}

function emitDefinition(ctx: DetectorContext, { tool, src }: Located) {
  const capabilities = inferCapabilities(tool.name, tool.description, tool.body);
  const described = tool.params.filter((p) => p.description).length;
  const typed = tool.params.filter((p) => p.type).length;
  ctx.emit('tool.definition', src.file, tool.node, {
    name: tool.name,
    framework: tool.framework,
    shape: tool.shape,
    hasDescription: wordCount(tool.description) > 0,
    descriptionWords: wordCount(tool.description),
    schema: tool.schema,
    params: tool.params.length,
    describedParams: described,
    typedParams: typed,
    undescribedParams: tool.params.length - described,
    paramsKnown: tool.paramsKnown,
    validName: VALID_TOOL_NAME.test(tool.name),
    capabilities,
    hasCapabilityMetadata: tool.hasCapabilityMetadata,
    declaredAsData: tool.declaredAsData,
  });
  if (tool.declaredAsData)
    ctx.emit('tool.declared-as-data', src.file, tool.node, { name: tool.name, shape: tool.shape });
  ctx.inventory.tools.push({
    name: tool.name,
    description: tool.description,
    framework: tool.framework,
    schema: tool.schema,
    parameters: tool.params,
    capabilities,
    file: src.file.path,
    line: lineOf(tool.node),
    role: src.file.role,
  });
}

/** Same name twice within one framework's tools in the project's own source: the model cannot tell them apart. */
function emitDuplicates(ctx: DetectorContext, all: Located[]) {
  const byKey = new Map<string, Located[]>();
  for (const l of all) {
    if (l.src.file.role !== 'source') continue;
    const key = `${l.tool.framework}\u0000${l.tool.name}`;
    byKey.set(key, [...(byKey.get(key) ?? []), l]);
  }
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    for (const dup of group.slice(1))
      ctx.emit('tool.duplicate-name', dup.src.file, dup.tool.node, {
        name: dup.tool.name,
        count: group.length,
        firstFile: first.src.file.path,
        firstLine: lineOf(first.tool.node),
      });
  }
}

/** Is this element of a collection a tool: a definition node, or a name bound to one? */
function isToolElement(el: SgNode, defStarts: Set<number>, bindings: Set<string>): boolean {
  const n = unwrap(el);
  if (defStarts.has(n.range().start.index)) return true;
  const k = n.kind();
  // defineTool({...}): a local factory around a tool written as data.
  if (k === 'call_expression' || k === 'call') {
    const first = n
      .field('arguments')
      ?.children()
      .find((c) => c.isNamed());
    if (first && defStarts.has(first.range().start.index)) return true;
  }
  if (k === 'identifier' || k === 'shorthand_property_identifier') return bindings.has(n.text());
  if (k === 'new_expression') return bindings.has(n.field('constructor')?.text() ?? '');
  if (
    k === 'call' &&
    n
      .field('arguments')
      ?.children()
      .filter((c) => c.isNamed()).length === 0
  )
    return bindings.has(n.field('function')?.text() ?? ''); // Python `SearchTool()`
  if (k === 'member_expression' || k === 'attribute') return bindings.has(n.text().split('.').pop() ?? '');
  return false;
}

const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * The lists and maps of a file that can hold a tool element: speed gate for `emitRegistries`, from one walk
 * of the tree. A collection qualifies only if its range contains a definition's start or a name node
 * spelling a visible binding (what `isToolElement` looks for); when a binding is not a plain name, every
 * collection does. Each list is in document order.
 */
function candidateCollections(
  src: ParsedSource,
  defStarts: Set<number>,
  bindings: Set<string>,
): { lists: SgNode[]; maps: SgNode[] } {
  const py = src.language === 'python';
  const listKind = py ? 'list' : 'array';
  const mapKind = py ? 'dictionary' : 'object';
  const names = [...bindings];
  const gated = names.every((b) => PLAIN_NAME.test(b));
  const rules: object[] = [{ kind: listKind }, { kind: mapKind }];
  if (gated && names.length > 0) {
    const kinds = py
      ? ['identifier']
      : ['identifier', 'property_identifier', 'shorthand_property_identifier', 'private_property_identifier'];
    const regex = `^(${names.map((n) => n.replace(/\$/g, '\\$')).join('|')})$`;
    rules.push({ any: kinds.map((kind) => ({ kind })), regex });
  }
  const lists: SgNode[] = [];
  const maps: SgNode[] = [];
  const positions = [...defStarts];
  for (const node of src.root.findAll({ rule: { any: rules } })) {
    const kind = node.kind();
    if (kind === listKind) lists.push(node);
    else if (kind === mapKind) maps.push(node);
    else positions.push(node.range().start.index);
  }
  if (!gated) return { lists, maps };
  positions.sort((x, y) => x - y);
  const mayHold = (collection: SgNode) => {
    const { start, end } = collection.range();
    // First position at or after the collection's start.
    let lo = 0;
    let hi = positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (positions[mid]! < start.index) lo = mid + 1;
      else hi = mid;
    }
    return lo < positions.length && positions[lo]! < end.index;
  };
  return { lists: lists.filter(mayHold), maps: maps.filter(mayHold) };
}

function emitRegistries(
  ctx: DetectorContext,
  src: ParsedSource,
  defStarts: Set<number>,
  bindings: Set<string>,
) {
  const py = src.language === 'python';
  const { lists, maps } = candidateCollections(src, defStarts, bindings);
  for (const arr of lists) {
    const els = arr.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
    const items = els.filter((c) => c.kind() !== 'spread_element' && c.kind() !== 'list_splat');
    if (items.length === 0 || !items.every((e) => isToolElement(e, defStarts, bindings))) continue;
    ctx.emit('tool.registry', src.file, arr, {
      size: items.length,
      form: 'array',
      name: boundName(arr) ?? null,
    });
  }
  for (const obj of maps) {
    const values = [...literalEntries(obj).values()];
    if (values.length === 0 || !values.every((v) => isToolElement(v, defStarts, bindings))) continue;
    ctx.emit('tool.registry', src.file, obj, {
      size: values.length,
      form: 'map',
      name: boundName(obj) ?? null,
    });
  }
  const classKind = py ? 'class_definition' : 'class_declaration';
  // Speed gate: the class name below contains `Tool`.
  const classes = src.file.text.includes('Tool')
    ? src.root.findAll({
        rule: {
          kind: classKind,
          has: { field: 'name', regex: 'Tool(s|Set)?(Registry|Manager|Box|box|Catalog)$' },
        },
      })
    : [];
  for (const cls of classes) {
    const methods = cls
      .findAll({ rule: { kind: py ? 'function_definition' : 'method_definition' } })
      .map((m) => m.field('name')?.text() ?? '');
    if (!methods.some((m) => /^(register|add|get|lookup|list|all)/i.test(m))) continue;
    ctx.emit('tool.registry', src.file, cls, {
      size: 0,
      form: 'class',
      name: cls.field('name')?.text() ?? null,
    });
  }
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

function emitUserCommands(ctx: DetectorContext, src: ParsedSource) {
  const py = src.language === 'python';
  for (const decl of src.root.findAll({ rule: { kind: py ? 'assignment' : 'variable_declarator' } })) {
    const nameNode = decl.field(decl.kind() === 'assignment' ? 'left' : 'name');
    if (!nameNode || !COMMAND_NAME.test(nameNode.text())) continue;
    const valueNode = decl.field(decl.kind() === 'assignment' ? 'right' : 'value');
    if (!valueNode) continue;
    const value = unwrap(valueNode);
    const entries = [...literalEntries(value)];
    if (entries.length === 0 || !entries.every(([k, v]) => looksLikeCommand(k, v))) continue;
    ctx.emit('tool.user-command-registry', src.file, decl, {
      form: 'map',
      size: entries.length,
      source: 'code',
    });
  }
}

const NOT_EVIDENCE = new Set(['fixture', 'vendored', 'generated']);

/** `.claude/commands/*.md` are Claude Code's user commands, kept apart from model tools by construction. */
function emitClaudeCommandDir(ctx: DetectorContext) {
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

export const toolsDetector: Detector = {
  id: 'tools',
  description:
    'tool.definition / tool.registry / tool.duplicate-name / tool.declared-as-data / tool.user-command-registry, and the tool inventory',
  run(ctx) {
    const all: Located[] = [];
    const perFile = new Map<ParsedSource, FoundTool[]>();
    for (const src of ctx.sources()) {
      const imports = ctx.imports(src);
      const found = (src.language === 'python' ? pyTools(src, imports) : jsTools(src, imports)).sort(
        (a, b) => a.node.range().start.index - b.node.range().start.index,
      );
      perFile.set(src, found);
      for (const tool of found) all.push({ tool, src });
    }
    for (const l of all) emitDefinition(ctx, l);
    emitDuplicates(ctx, all);
    const bindings = new Set(all.map((l) => l.tool.binding).filter((b): b is string => !!b));
    for (const src of ctx.sources()) {
      const defs = perFile.get(src) ?? [];
      // A name counts as a tool here only when this file defines it or imports it.
      const visible = new Set(defs.map((t) => t.binding).filter((b): b is string => !!b));
      for (const b of ctx.imports(src)) {
        // In JS only project-local imports can bring a tool in; a package's `search` is not ours.
        const local = src.language === 'python' || /^(\.|\/|@\/|~\/|#)/.test(b.module);
        if (local && (bindings.has(b.imported) || bindings.has(b.local))) visible.add(b.local);
      }
      if (defs.length > 0 || visible.size > 0) {
        const starts = new Set(defs.map((t) => t.node.range().start.index));
        emitRegistries(ctx, src, starts, visible);
      }
      if (/commands/i.test(src.file.text)) emitUserCommands(ctx, src);
    }
    emitClaudeCommandDir(ctx);
  },
};
