import type { Pos, SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../../core/imports.js';
import type { ParsedSource } from '../../core/parse-source.js';
import { calleeOf, callsAndConstructions, callsIn, lastName } from '../runtime/syntax.js';
import {
  atModuleScope,
  boundName,
  boundNameIn,
  isFunctionNode,
  literalEntries,
  positionalArgs,
  stringValue,
  unwrap,
} from './ast.js';
import { jsToolClasses } from './class-tools.js';
import { type FoundTool, hasMetadataKey, readJsonSchema, readSchemaValue } from './found-tool.js';
import { entriesOf, moduleScopeAt, schemaObjects } from './tool-nodes.js';

type Factory =
  | 'vercel'
  | 'openai-agents'
  | 'claude-agent-sdk'
  | 'langchain-fn'
  | 'mastra'
  | 'anthropic-zod'
  | 'openai-zod'
  | 'fastmcp-js';

/** Which framework a locally imported factory name belongs to. */
function factoryOf(b: ImportBinding): Factory | undefined {
  const m = b.module;
  const name = b.imported;
  if (name === 'tool') {
    if (m === 'ai') return 'vercel';
    if (m.startsWith('@openai/agents')) return 'openai-agents';
    if (m === '@anthropic-ai/claude-agent-sdk' || m === '@anthropic-ai/claude-code')
      return 'claude-agent-sdk';
    if (m.startsWith('@langchain/core/tools') || m === 'langchain/tools') return 'langchain-fn';
  }
  if (name === 'createTool' && m.startsWith('@mastra/')) return 'mastra';
  if ((name === 'betaZodTool' || name === 'betaTool') && m.startsWith('@anthropic-ai/sdk'))
    return 'anthropic-zod';
  if (name === 'zodFunction' && m.startsWith('openai')) return 'openai-zod';
  return undefined;
}

const FRAMEWORK: Record<Factory, string> = {
  vercel: 'vercel-ai',
  'openai-agents': 'openai-agents',
  'claude-agent-sdk': 'claude-agent-sdk',
  'langchain-fn': 'langchain',
  mastra: 'mastra',
  'anthropic-zod': 'anthropic-sdk',
  'openai-zod': 'openai-sdk',
  'fastmcp-js': 'mcp-server',
};

const LANGCHAIN_CLASSES = new Set([
  'StructuredTool',
  'Tool',
  'DynamicStructuredTool',
  'DynamicTool',
  'BaseTool',
]);

function implementationText(entries: Map<string, SgNode>, keys: string[]): string {
  return keys
    .map((k) => entries.get(k))
    .filter((n): n is SgNode => !!n)
    .map((n) => n.text())
    .join('\n');
}

function fromConfigObject(
  obj: SgNode,
  root: SgNode,
  base: Pick<FoundTool, 'framework' | 'shape'> & { name?: string; description?: string },
  anchor: SgNode,
): FoundTool {
  const entries = literalEntries(obj);
  const schemaNode = entries.get('inputSchema') ?? entries.get('parameters') ?? entries.get('schema');
  const read = schemaNode
    ? readSchemaValue(schemaNode, root)
    : { schema: 'none' as const, params: [], known: true };
  const name =
    base.name ??
    stringValue(entries.get('name')) ??
    stringValue(entries.get('id')) ??
    boundName(anchor) ??
    '';
  return {
    name,
    description: base.description ?? stringValue(entries.get('description')),
    framework: base.framework,
    shape: base.shape,
    schema: read.schema,
    params: read.params,
    paramsKnown: read.known,
    hasCapabilityMetadata: hasMetadataKey(entries.keys()),
    declaredAsData: atModuleScope(anchor),
    node: anchor,
    body: implementationText(entries, ['execute', 'run', 'func', 'handler', 'invoke', 'call']),
    binding: boundName(anchor),
  };
}

/** `tool(name, description, shape, handler)` (Claude Agent SDK) and `server.tool(name, [desc], [shape], handler)`. */
function fromPositional(
  call: SgNode,
  root: SgNode,
  framework: string,
  shape: string,
  declared: boolean,
): FoundTool | undefined {
  const args = positionalArgs(call);
  const name = stringValue(args[0]);
  if (name === undefined) return undefined;
  const rest = args.slice(1);
  const handler = rest.find((a) => isFunctionNode(a) || a.kind() === 'identifier');
  const description = rest[0] ? stringValue(rest[0]) : undefined;
  const objects = rest.filter((a) => a.kind() === 'object');
  let schemaObj: SgNode | undefined;
  let metadata = false;
  for (const o of objects) {
    const keys = [...literalEntries(o).keys()];
    if (hasMetadataKey(keys) && !keys.some((k) => k === 'type' || k === 'properties')) metadata = true;
    else schemaObj ??= o;
  }
  const read = schemaObj
    ? readSchemaValue(schemaObj, root)
    : { schema: 'none' as const, params: [], known: !objects.length };
  return {
    name,
    description,
    framework,
    shape,
    schema: read.schema,
    params: read.params,
    paramsKnown: read.known,
    hasCapabilityMetadata: metadata,
    declaredAsData: declared && atModuleScope(call),
    node: call,
    body: handler?.text() ?? '',
    binding: boundName(call),
  };
}

/** `server.registerTool(name, {title, description, inputSchema, annotations}, handler)`. */
function fromRegisterTool(call: SgNode, root: SgNode): FoundTool | undefined {
  const args = positionalArgs(call);
  const name = stringValue(args[0]);
  const config = args[1] ? unwrap(args[1]) : undefined;
  if (name === undefined || !config || config.kind() !== 'object') return undefined;
  const found = fromConfigObject(
    config,
    root,
    { framework: 'mcp-server', shape: 'mcp-register-tool', name },
    call,
  );
  // Registration on an in-memory server at module scope is still declarative: tools/list lists it.
  found.declaredAsData = atModuleScope(call);
  found.body = args[2]?.text() ?? '';
  return found;
}

function isMcpServerFile(imports: readonly ImportBinding[]): boolean {
  return imports.some(
    (b) => b.module.startsWith('@modelcontextprotocol/sdk/server') || b.module === 'fastmcp',
  );
}

/** Tool definitions in one TS/JS file. */
/** A tool class needs `class` and a base whose name ends in `Tool`. */
const TOOL_CLASS_GATE = /\bclass\b[\s\S]*Tool\b/;

const langchainBases = (imports: readonly ImportBinding[]) =>
  new Set(
    imports
      .filter(
        (b) =>
          (b.module.startsWith('@langchain/') || b.module.startsWith('langchain')) &&
          LANGCHAIN_CLASSES.has(b.imported),
      )
      .map((b) => b.local),
  );

export function jsTools(src: ParsedSource, imports: readonly ImportBinding[]): FoundTool[] {
  const root = src.root;
  const text = src.file.text;
  const out: FoundTool[] = [];
  const claimed = new Set<number>(); // object literals already read as a factory's config

  const factories = new Map<string, Factory>();
  for (const b of imports) {
    const f = factoryOf(b);
    if (f) factories.set(b.local, f);
  }
  const mcpServer = isMcpServerFile(imports);
  const fastmcp = imports.some((b) => b.module === 'fastmcp');

  if (factories.size > 0 || mcpServer) {
    // The file's calls and their callees are kept per file and shared with other detectors.
    for (const call of callsIn(src)) {
      const fn = calleeOf(call);
      if (!fn) continue;
      const kind = fn.kind();
      if (kind === 'identifier') {
        const factory = factories.get(lastName(fn));
        if (!factory) continue;
        const found = fromFactory(call, root, factory);
        if (found) {
          out.push(found);
          for (const a of positionalArgs(call)) if (a.kind() === 'object') claimed.add(a.range().start.index);
        }
      } else if (mcpServer && kind === 'member_expression') {
        const method = lastName(fn);
        let found: FoundTool | undefined;
        if (method === 'tool') found = fromPositional(call, root, 'mcp-server', 'mcp-server-tool', true);
        else if (method === 'registerTool') found = fromRegisterTool(call, root);
        else if (method === 'addTool' && fastmcp) {
          const arg = positionalArgs(call)[0];
          if (arg?.kind() === 'object')
            found = {
              ...fromConfigObject(arg, root, { framework: 'mcp-server', shape: 'fastmcp-add-tool' }, call),
              declaredAsData: false,
            };
        }
        if (found) {
          out.push(found);
          for (const a of positionalArgs(call)) if (a.kind() === 'object') claimed.add(a.range().start.index);
        }
      }
    }
  }

  if (text.includes('Tool')) out.push(...langchainClasses(src, imports, claimed));
  if (TOOL_CLASS_GATE.test(text)) out.push(...jsToolClasses(root, langchainBases(imports)));
  // Speed gate: every literal schema shape has one of these keys, and a literal tool has a string name.
  if (
    /input_schema|inputSchema|(parameters|schema|argsSchema)\s*:|function['"]?\s*:\s*\{/.test(text) &&
    (src.syntaxErrors !== 0 || mayHaveStringName(text))
  )
    out.push(...literalSchemas(src, claimed));
  return out;
}

function fromFactory(call: SgNode, root: SgNode, factory: Factory): FoundTool | undefined {
  const framework = FRAMEWORK[factory];
  const args = positionalArgs(call);
  if (factory === 'claude-agent-sdk') return fromPositional(call, root, framework, 'claude-sdk-tool', true);
  if (factory === 'langchain-fn') {
    // tool(fn, {name, description, schema})
    const config = args[1] ? unwrap(args[1]) : undefined;
    if (config?.kind() !== 'object') return undefined;
    const found = fromConfigObject(config, root, { framework, shape: 'langchain-tool' }, call);
    found.body = args[0]?.text() ?? '';
    return found;
  }
  const config = args[0] ? unwrap(args[0]) : undefined;
  if (config?.kind() !== 'object') return undefined;
  const entries = literalEntries(config);
  // Vercel needs a description or schema to be a tool config; Mastra needs an id; OpenAI Agents a name.
  if (factory === 'mastra' && !entries.has('id')) return undefined;
  if (
    (factory === 'openai-agents' || factory === 'anthropic-zod' || factory === 'openai-zod') &&
    !entries.has('name')
  )
    return undefined;
  if (
    factory === 'vercel' &&
    !entries.has('description') &&
    !entries.has('inputSchema') &&
    !entries.has('parameters')
  )
    return undefined;
  return fromConfigObject(config, root, { framework, shape: `${factory}-tool` }, call);
}

/** `class X extends StructuredTool { name = …; description = …; schema = z.object(…) }` (LangChain JS). */
function langchainClasses(
  src: ParsedSource,
  imports: readonly ImportBinding[],
  claimed: Set<number>,
): FoundTool[] {
  const bases = langchainBases(imports);
  if (bases.size === 0) return [];
  const root = src.root;
  const out: FoundTool[] = [];
  for (const cls of root.findAll({ rule: { kind: 'class_declaration' } })) {
    const base = cls
      .find({ rule: { kind: 'extends_clause' } })
      ?.children()
      .find((c) => c.isNamed())
      ?.text();
    if (!base || !bases.has(base)) continue;
    const fields = new Map<string, SgNode>();
    for (const f of cls.findAll({ rule: { kind: 'public_field_definition' } })) {
      const key = f.field('name')?.text();
      const value = f.field('value');
      if (key && value) fields.set(key, value);
    }
    const name = stringValue(fields.get('name'));
    if (!name) continue;
    const schemaNode = fields.get('schema');
    const read = schemaNode
      ? readSchemaValue(schemaNode, root)
      : { schema: 'none' as const, params: [], known: true };
    const methods = cls.findAll({ rule: { kind: 'method_definition' } });
    out.push({
      name,
      description: stringValue(fields.get('description')),
      framework: 'langchain',
      shape: 'langchain-class',
      schema: read.schema,
      params: read.params,
      paramsKnown: read.known,
      hasCapabilityMetadata: hasMetadataKey(fields.keys()),
      declaredAsData: atModuleScope(cls),
      node: cls,
      body: methods.map((m) => m.text()).join('\n'),
      binding: cls.field('name')?.text(),
    });
  }
  for (const ne of callsAndConstructions(src)) {
    if (ne.kind() !== 'new_expression') continue;
    const ctor = ne.field('constructor')?.text();
    if (!ctor || !bases.has(ctor) || !/^Dynamic/.test(ctor)) continue;
    const arg = ne
      .field('arguments')
      ?.children()
      .find((c) => c.kind() === 'object');
    if (!arg || claimed.has(arg.range().start.index)) continue;
    claimed.add(arg.range().start.index);
    out.push(fromConfigObject(arg, root, { framework: 'langchain', shape: 'langchain-dynamic-tool' }, ne));
  }
  return out;
}

/**
 * The offset of the first character from `i` on that is not a blank or in a comment (the text's length at
 * its end), or -1 when the text holds something a parser might skip that is not read here (see `followedBy`).
 */
function nextToken(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const nl = text.indexOf('\n', i);
      if (/[\r\u2028\u2029]/.test(text.slice(i, nl < 0 ? text.length : nl))) return -1;
      if (nl < 0) return text.length;
      i = nl + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return text.length;
      i = close + 2;
    } else if (c === 11 || c === 12 || c === 60 || c === 92 || c > 127) return -1;
    else return i;
  }
}

/**
 * Whether a pair's key ending at `i` can be followed by a colon and a value `stringValue` reads: one starts
 * with a quote, a backtick or the `(` of a parenthesised or concatenated string.
 */
function colonThenString(text: string, i: number): boolean {
  const colon = nextToken(text, i);
  if (colon < 0) return true;
  if (text.charCodeAt(colon) !== 58) return false;
  const v = nextToken(text, colon + 1);
  if (v < 0) return true;
  const c = text.charCodeAt(v);
  return c === 39 || c === 34 || c === 96 || c === 40;
}

/**
 * Speed gate for a clean file: whether some pair can be keyed `name` with a string value, which every
 * literal tool has (in its own object or its `function` object). The key is `name` as written, or a quoted
 * key whose escapes drop out of its value (`'na\tme'` reads as `name`): the closing quote of such a key is
 * the first quote after its last backslash.
 */
function mayHaveStringName(text: string): boolean {
  for (let i = text.indexOf('name'); i >= 0; i = text.indexOf('name', i + 1)) {
    const q = text.charCodeAt(i + 4);
    if (colonThenString(text, q === 34 || q === 39 ? i + 5 : i + 4)) return true;
  }
  const single = nextOf(text, "'");
  const double = nextOf(text, '"');
  for (let b = text.indexOf('\\'); b >= 0; b = text.indexOf('\\', b + 1))
    for (const close of [single(b + 2), double(b + 2)])
      if (close >= 0 && colonThenString(text, close + 1)) return true;
  return false;
}

/** The first offset at or after `from` where the text has `ch`, for `from`s that never decrease. */
function nextOf(text: string, ch: string): (from: number) => number {
  let found = text.indexOf(ch);
  return (from) => {
    if (found >= 0 && found < from) found = text.indexOf(ch, from);
    return found;
  };
}

/**
 * Tool schemas written as plain objects: Anthropic `{name, input_schema}`, OpenAI `{type: 'function',
 * function: {name, parameters}}` / Responses `{type: 'function', name, parameters}`, and MCP listings
 * `{name, inputSchema: {type: 'object', …}}`.
 */
function literalSchemas(src: ParsedSource, claimed: Set<number>): FoundTool[] {
  const out: FoundTool[] = [];
  const clean = src.syntaxErrors === 0;
  for (const { node: obj, start, pos, declarator, declaredName } of schemaObjects(src)) {
    if (claimed.has(start)) continue;
    const moduleScope = moduleScopeAt(src, start);
    const tool = literalTool(obj, src.root, { clean, moduleScope, at: pos, declarator, declaredName });
    if (tool) out.push(tool);
  }
  return out;
}

/** What a caller of `literalTool` already knows about the object. */
interface Known {
  /** The file has no syntax error. */
  clean?: boolean;
  /** True when the object is known to be at module scope. */
  moduleScope?: boolean;
  /** Its `range().start`. */
  at?: Pos;
  /** Its parent, when it is known to be a `variable_declarator`. */
  declarator?: SgNode;
  /** That declarator's name, when known. */
  declaredName?: string;
}

/** Shared by TS objects and Python dicts: reads one literal tool schema, if it is one. */
export function literalTool(obj: SgNode, root: SgNode, known: Known = {}): FoundTool | undefined {
  const e = entriesOf(obj, root);
  const type = stringValue(e.get('type'));
  let name: string | undefined;
  let description: string | undefined;
  let schemaNode: SgNode | undefined;
  let framework: string;
  let shape: string;
  let keys = [...e.keys()];
  if (type === 'function' && e.get('function')) {
    const fn = literalEntries(unwrap(e.get('function')!));
    name = stringValue(fn.get('name'));
    description = stringValue(fn.get('description'));
    schemaNode = fn.get('parameters');
    keys = [...keys, ...fn.keys()];
    framework = 'openai-sdk';
    shape = 'openai-function';
  } else if (type === 'function' && e.has('parameters')) {
    name = stringValue(e.get('name'));
    description = stringValue(e.get('description'));
    schemaNode = e.get('parameters');
    framework = 'openai-sdk';
    shape = 'openai-responses-function';
  } else if (e.has('input_schema')) {
    name = stringValue(e.get('name'));
    description = stringValue(e.get('description'));
    schemaNode = e.get('input_schema');
    framework = 'anthropic-sdk';
    shape = 'anthropic-object';
  } else if (e.has('inputSchema') && isJsonSchemaLiteral(e.get('inputSchema')!)) {
    const schema = e.get('inputSchema')!;
    name = stringValue(e.get('name'));
    description = stringValue(e.get('description'));
    schemaNode = schema;
    framework = 'mcp-server';
    shape = 'mcp-tool-listing';
  } else return projectTool(obj, root);
  if (!name) return undefined;
  const read = schemaNode
    ? readJsonSchema(schemaNode, root, known.clean)
    : { schema: 'none' as const, params: [], known: true };
  const parent = known.declarator ?? obj.parent();
  const parentKind = known.declarator ? 'variable_declarator' : parent?.kind();
  const wrapper = wrapperOf(parent, parentKind);
  const wrapperEntries = literalEntries(wrapper);
  return {
    name,
    description,
    framework,
    shape,
    schema: read.schema,
    params: read.params,
    paramsKnown: read.known,
    hasCapabilityMetadata: hasMetadataKey([...keys, ...wrapperEntries.keys()]),
    declaredAsData: known.moduleScope || atModuleScope(obj),
    node: obj,
    body: implementationText(wrapperEntries, [
      'run',
      'execute',
      'handler',
      'handle',
      'call',
      'invoke',
      'func',
      'fn',
    ]),
    binding: (wrapper && boundName(wrapper)) ?? known.declaredName ?? boundNameIn(parent, parentKind),
    ...(known.at ? { at: known.at } : {}),
  };
}

function isJsonSchemaLiteral(node: SgNode): boolean {
  const literal = unwrap(node);
  if (literal.kind() !== 'object' && literal.kind() !== 'dictionary') return false;
  const inner = literalEntries(literal);
  return inner.has('properties') || inner.has('type');
}

const PROJECT_SCHEMA_KEYS = ['inputSchema', 'schema', 'parameters', 'argsSchema'];
const IMPLEMENTATION_KEYS = ['execute', 'run', 'handler', 'load', 'func', 'fn', 'call', 'invoke', 'impl'];

/**
 * A project's own tool type written as data: `{ name: 'x', description: '…', inputSchema: z.object(…) }`
 * (often passed to a local `defineTool`). Name, description and a real schema value must all be there.
 */
function projectTool(obj: SgNode, root: SgNode): FoundTool | undefined {
  if (obj.kind() !== 'object') return undefined;
  // The `function` half of an OpenAI `{type: 'function', function: {...}}` is read with its wrapper.
  const pair = obj.parent();
  if (pair?.kind() === 'pair' && /^["']?function["']?$/.test(pair.field('key')?.text() ?? ''))
    return undefined;
  const e = entriesOf(obj, root);
  const name = stringValue(e.get('name'));
  if (!name || !e.has('description')) return undefined;
  const key = PROJECT_SCHEMA_KEYS.find((k) => e.has(k));
  if (!key) return undefined;
  const schemaNode = e.get(key)!;
  const read = readSchemaValue(schemaNode, root);
  // An unresolved identifier could be anything; only a visible zod or JSON Schema value counts.
  if (read.schema === 'none' || (!read.known && !/^(z|zod)\./.test(unwrap(schemaNode).text())))
    return undefined;
  return {
    name,
    description: stringValue(e.get('description')),
    framework: 'custom',
    shape: 'project-object',
    schema: read.schema,
    params: read.params,
    paramsKnown: read.known,
    hasCapabilityMetadata: hasMetadataKey(e.keys()),
    declaredAsData: atModuleScope(obj),
    node: obj,
    body: implementationText(e, IMPLEMENTATION_KEYS),
    binding: boundName(obj),
  };
}

const WRAPPER_KEY =
  /^["']?(spec|definition|def|schema|tool|toolSpec|tool_spec|declaration|descriptor|param|params)["']?$/;

/**
 * `{ spec: {name, input_schema}, capabilities, run() {…} }`: the wrapper carries metadata, code and the
 * binding. Read from the object's parent `pair` (of kind `kind`).
 */
function wrapperOf(pair: SgNode | null, kind: ReturnType<SgNode['kind']> | undefined): SgNode | undefined {
  if (kind !== 'pair' || !pair) return undefined;
  const key = pair.field('key')?.text() ?? '';
  const parent = pair.parent();
  if (!WRAPPER_KEY.test(key) || (parent?.kind() !== 'object' && parent?.kind() !== 'dictionary'))
    return undefined;
  return parent;
}
