import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../../core/imports.js';
import type { ParsedSource } from '../../core/parse-source.js';
import { cachedRegex } from '../../core/regex-cache.js';
import type { ToolParameter } from '../../core/types.js';
import {
  atModuleScope,
  firstNamedChild,
  keywordArgs,
  literalEntries,
  positionalArgs,
  resolveLocal,
  stringValue,
} from './ast.js';
import { pyToolClasses } from './class-tools.js';
import { type FoundTool, hasMetadataKey, readJsonSchema } from './found-tool.js';
import { literalTool } from './js-tools.js';
import { type Decorated, decoratedDefinitions } from './tool-nodes.js';

type Decorator = 'langchain' | 'claude-agent-sdk' | 'openai-agents' | 'mcp-server';

/** Parameters that frameworks inject rather than the model filling them in. */
const INJECTED = /^(self|cls|ctx|context|wrapper|run_context|config|callbacks|run_manager|tool_context)$/;
const INJECTED_TYPES =
  /\b(Context|RunContextWrapper|ToolContext|RunnableConfig|CallbackManager\w*|InjectedState|InjectedToolArg)\b/;

/**
 * A block that starts with a triple-quoted string holding no backslash, alone on its line: that string is the
 * block's first statement, and its value is the text between the quotes (a plain string is all content).
 */
const PLAIN_DOCSTRING = /^("""|''')((?:(?!\1)[^\\])*)\1[ \t]*(?:\r?\n|$)/;

/** The docstring of a clean block's text, when written plainly (`PLAIN_DOCSTRING`). */
function plainDocstring(blockText: string): string | undefined {
  const m = PLAIN_DOCSTRING.exec(blockText);
  return m ? m[2]!.trim() : undefined;
}

/** `bodyText` is the body's text when the caller has it (then a plain docstring is read from it). */
function docstring(fn: SgNode, body = fn.field('body'), bodyText?: string): string | undefined {
  const plain = bodyText === undefined ? undefined : plainDocstring(bodyText);
  if (plain !== undefined) return plain;
  const first = body ? firstNamedChild(body) : undefined;
  if (!first?.is('expression_statement')) return undefined;
  const s = first.child(0);
  return s?.is('string') ? stringValue(s)?.trim() : undefined;
}

/** A parameter counts as described when the docstring documents it (Google/NumPy/Sphinx) or Annotated/Field does. */
function describedIn(doc: string | undefined, name: string): boolean {
  // Every form below spells the name.
  if (!doc?.includes(name)) return false;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return cachedRegex(
    `(^|\\n)\\s*(${esc}\\s*(\\([^)]*\\))?\\s*:|:param\\s+(\\w+\\s+)?${esc}\\s*:|${esc}\\s*:\\s*\\w)`,
  ).test(doc);
}

const PY_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except exec finally for from global if import in is lambda nonlocal not or pass print raise return try while with yield'.split(
    ' ',
  ),
);

/**
 * One parameter written plainly: a name, maybe a dotted type, maybe a default that is a number, a dotted name
 * or a short string. Groups: name, type, `=` when there is a default.
 */
const SIMPLE_PARAM =
  /^([A-Za-z_]\w*)(?:[ \t]*:[ \t]*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*))?(?:[ \t]*(=)[ \t]*(?:-?\d+(?:\.\d+)?|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*|"[^"\\\n\r#,()[\]{}]*"|'[^'\\\n\r#,()[\]{}]*'))?$/;

const BLANK = /^[ \t\r\n]*$/;

type PlainParam = { name: string; type?: string; required: boolean };

/**
 * The parameters of a clean file's parameter list read from its text when every one is written plainly
 * (`SIMPLE_PARAM`, its name no keyword), as the nodes give them: a parameter is required without a default.
 * Undefined when one is not plain.
 */
function plainParams(text: string): PlainParam[] | undefined {
  if (text.charCodeAt(0) !== 40 || text.charCodeAt(text.length - 1) !== 41) return undefined; // ( )
  const parts = text.slice(1, -1).split(',');
  if (parts.length === 1 && BLANK.test(parts[0]!)) return [];
  // A trailing comma leaves an empty last part.
  if (parts.length > 1 && BLANK.test(parts[parts.length - 1]!)) parts.pop();
  const out: PlainParam[] = [];
  for (const part of parts) {
    const m = SIMPLE_PARAM.exec(part.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
    if (!m || PY_KEYWORDS.has(m[1]!)) return undefined;
    out.push({ name: m[1]!, type: m[2], required: m[3] === undefined });
  }
  return out;
}

/** `signatureParams` of a parameter list read by `plainParams`. */
function plainSignature(plain: PlainParam[], doc: string | undefined): ToolParameter[] {
  const out: ToolParameter[] = [];
  for (const { name, type, required } of plain)
    if (!INJECTED.test(name) && !(type && INJECTED_TYPES.test(type)))
      // A plain type is never `Annotated[…]`.
      out.push({ name, type, description: describedIn(doc, name) ? 'described' : undefined, required });
  return out;
}

/**
 * `clean`: the file has no syntax error, so a plain parameter list can be read from its text; `textTried`:
 * the caller read that text already and found it not plain.
 */
function signatureParams(
  fn: SgNode,
  doc: string | undefined,
  clean = false,
  textTried = false,
): ToolParameter[] {
  const out: ToolParameter[] = [];
  const params = fn.field('parameters');
  if (!params) return out;
  // A list whose text the caller found not plain is read from its nodes straight away.
  const plain = clean && !textTried ? plainParams(params.text()) : undefined;
  if (plain) return plainSignature(plain, doc);
  // Every kind read below is named: punctuation is left out natively.
  for (const p of params.namedChildren()) {
    const k = p.kind();
    if (
      !['identifier', 'typed_parameter', 'default_parameter', 'typed_default_parameter'].includes(String(k))
    )
      continue;
    const nameNode =
      k === 'identifier' ? p : (p.field('name') ?? p.namedChildren().find((c) => c.is('identifier')));
    const name = nameNode?.text() ?? '';
    const type = p.field('type')?.text();
    if (!name || INJECTED.test(name) || (type && INJECTED_TYPES.test(type))) continue;
    const annotatedDescription = type && /^Annotated\[/.test(type) && /description\s*=|,\s*["']/.test(type);
    out.push({
      name,
      type,
      description: annotatedDescription || describedIn(doc, name) ? 'described' : undefined,
      required: k === 'identifier' || k === 'typed_parameter',
    });
  }
  return out;
}

/** `{"path": str}` (Claude Agent SDK short form) or a full JSON Schema dict. */
function claudeSchema(
  node: SgNode | undefined,
  root: SgNode,
): Pick<FoundTool, 'schema' | 'params' | 'paramsKnown'> {
  if (!node) return { schema: 'none', params: [], paramsKnown: true };
  const dict = node.kind() === 'identifier' ? resolveLocal(root, node.text()) : node;
  if (dict?.kind() !== 'dictionary') return { schema: 'json-schema', params: [], paramsKnown: false };
  const entries = literalEntries(dict);
  if (entries.has('properties')) {
    const r = readJsonSchema(dict, root);
    return { schema: 'json-schema', params: r.params, paramsKnown: r.known };
  }
  return {
    schema: 'signature',
    params: [...entries].map(([name, t]) => ({ name, type: t.text(), required: true })),
    paramsKnown: true,
  };
}

function decoratorKind(
  dec: SgNode,
  locals: Map<string, Decorator>,
  fastmcp: boolean,
): { kind: Decorator; call?: SgNode } | undefined {
  const expr = dec.namedChildren()[0]; // after the `@`
  if (!expr) return undefined;
  const call = expr.kind() === 'call' ? expr : undefined;
  const target = call ? call.field('function') : expr;
  if (!target) return undefined;
  if (target.kind() === 'identifier') {
    const kind = locals.get(target.text());
    return kind ? { kind, call } : undefined;
  }
  // @mcp.tool() / @server.tool on a FastMCP instance
  if (target.kind() === 'attribute' && fastmcp && target.field('attribute')?.text() === 'tool')
    return { kind: 'mcp-server', call };
  return undefined;
}

/** `@name` alone: a decorator that is one identifier, read from its text. */
const PLAIN_DECORATOR = /^@[ \t]*([A-Za-z_]\w*)[ \t]*$/;

/** The first decorator's hit when it is a plain `@name` of a local decorator (then no later one counts). */
function plainHit(def: SgNode, locals: Map<string, Decorator>): { kind: Decorator } | undefined {
  const first = def.child(0);
  if (!first?.is('decorator')) return undefined;
  const name = PLAIN_DECORATOR.exec(first.text())?.[1];
  return name === undefined ? undefined : plainKind(name, locals);
}

function plainKind(name: string, locals: Map<string, Decorator>): { kind: Decorator } | undefined {
  const kind = locals.get(name);
  return kind ? { kind } : undefined;
}

/** The start of a definition that is a class. */
const CLASS_HEADER = /class[ \t]/y;
/** The start of a function definition written plainly, up to its parameters' `(`. Group: its name. */
const DEF_HEADER = /(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*(?=\()/y;
/** A parameter list with no string, comment, line continuation or bracket in it: its `)` is the first. */
const FLAT_PARAMS = /\([^'"#\\()[\]{}]*\)/y;
/**
 * After such a list, the rest of a header written plainly (a dotted return type, maybe subscripted by names)
 * and its colon alone on the line, then the indentation of a body's first line that is a statement (no
 * comment, blank line or continuation first): the body, a block, starts there and ends with the definition.
 */
const BODY_START = /[ \t]*(?:->[ \t]*[A-Za-z_][\w.]*(?:\[[\w., \t]*\])?[ \t]*)?:[ \t]*\n[ \t]+(?=[^\s#\\])/y;

/**
 * What the text of a clean module tells about a top-level decorated definition: its first line, when that is
 * its first decorator alone, and where its definition starts (at `defAt`) the definition's kind, its name
 * and the text of its parameter list when written plainly; undefined when the definition's start is not
 * written plainly (the nodes are read instead).
 */
function headerText(
  text: string,
  start: number,
  defAt: number,
):
  | { firstLine: string; isClass: true }
  | { firstLine: string; name: string; params?: string; bodyAt?: number }
  | undefined {
  const nl = text.indexOf('\n', start);
  const firstLine = text.slice(start, nl < 0 ? text.length : nl);
  CLASS_HEADER.lastIndex = defAt;
  if (CLASS_HEADER.test(text)) return { firstLine, isClass: true };
  DEF_HEADER.lastIndex = defAt;
  const m = DEF_HEADER.exec(text);
  if (!m) return undefined;
  FLAT_PARAMS.lastIndex = DEF_HEADER.lastIndex;
  const p = FLAT_PARAMS.exec(text);
  if (!p) return { firstLine, name: m[1]! };
  BODY_START.lastIndex = FLAT_PARAMS.lastIndex;
  const bodyAt = BODY_START.test(text) ? BODY_START.lastIndex : undefined;
  return { firstLine, name: m[1]!, params: p[0], bodyAt };
}

/** `clean`: the file has no syntax error (plain docstrings and parameters are then read from text). */
function fromDecorated(
  { node: def, top, definition }: Decorated,
  root: SgNode,
  text: string,
  locals: Map<string, Decorator>,
  fastmcp: boolean,
  clean: boolean,
): FoundTool | undefined {
  // A top-level definition of a clean module (`defAt` known) starts with `@`: its first decorator.
  const header = top?.defAt === undefined ? undefined : headerText(text, top.pos.index, top.defAt);
  if (header && 'isClass' in header) return undefined;
  // With a header the definition is a function, read once needed.
  let fn = definition;
  if (!header) {
    fn ??= def.field('definition');
    if (!fn?.is('function_definition')) return undefined;
  }
  // The first line `@name` alone is the first decorator, read as `plainHit` reads its text.
  const firstName = header ? PLAIN_DECORATOR.exec(header.firstLine)?.[1] : undefined;
  let hit: { kind: Decorator; call?: SgNode } | undefined =
    firstName === undefined ? plainHit(def, locals) : plainKind(firstName, locals);
  if (!hit)
    for (const d of def.namedChildren().filter((c) => c.is('decorator')))
      hit ??= decoratorKind(d, locals, fastmcp);
  if (!hit) return undefined;
  // With a header the definition is read only when its text does not tell what is asked.
  const definitionNode = (): SgNode | null => {
    fn ??= def.field('definition');
    return fn;
  };
  const fnName = header ? header.name : (fn!.field('name')?.text() ?? '');
  let doc: string | undefined;
  let bodyText: string;
  const plainBody = header?.bodyAt !== undefined && top ? text.slice(header.bodyAt, top.end) : undefined;
  const plainDoc = plainBody === undefined ? undefined : plainDocstring(plainBody);
  if (plainBody !== undefined && plainDoc !== undefined) {
    bodyText = plainBody;
    doc = plainDoc;
  } else {
    const f = definitionNode();
    if (!f) return undefined;
    const body = f.field('body');
    bodyText = body?.text() ?? '';
    doc = docstring(f, body, clean && body ? bodyText : undefined);
  }
  const kw = hit.call ? keywordArgs(hit.call) : new Map<string, SgNode>();
  const pos = hit.call ? positionalArgs(hit.call) : [];
  const base = {
    framework: hit.kind,
    node: def,
    body: bodyText,
    binding: fnName,
    // A statement of the module is at module scope.
    declaredAsData: top ? true : atModuleScope(def),
    hasCapabilityMetadata: hasMetadataKey(kw.keys()),
    ...(top ? { at: top.pos } : {}),
  };
  if (hit.kind === 'claude-agent-sdk') {
    const name = stringValue(pos[0]) ?? stringValue(kw.get('name'));
    if (!name) return undefined;
    const schema = claudeSchema(pos[2] ?? kw.get('input_schema'), root);
    const description = stringValue(pos[1]) ?? stringValue(kw.get('description'));
    return { ...base, ...schema, name, description, shape: 'claude-sdk-tool-decorator' };
  }
  const name =
    stringValue(kw.get('name')) ?? stringValue(kw.get('name_override')) ?? stringValue(pos[0]) ?? fnName;
  const description =
    stringValue(kw.get('description')) ?? stringValue(kw.get('description_override')) ?? doc;
  const argsSchema = kw.get('args_schema');
  const plain = header?.params === undefined ? undefined : plainParams(header.params);
  const params = plain
    ? plainSignature(plain, doc)
    : signatureParams(definitionNode()!, doc, clean, header?.params !== undefined);
  return {
    ...base,
    name,
    description,
    shape: `${hit.kind}-decorator`,
    schema: argsSchema ? 'pydantic' : signatureSchema(params),
    params: argsSchema ? pydanticParams(root, argsSchema.text()) : params,
    paramsKnown: true,
  };
}

/** A signature is a schema when every parameter is annotated; a tool without parameters needs none. */
function signatureSchema(params: ToolParameter[]): FoundTool['schema'] {
  return params.every((p) => p.type) ? 'signature' : 'none';
}

/** Fields of a pydantic model class in the same file; described when `Field(description=…)` is used. */
function pydanticParams(root: SgNode, className: string): ToolParameter[] {
  const cls = root.find({
    rule: { kind: 'class_definition', has: { field: 'name', regex: `^${className}$` } },
  });
  if (!cls) return [];
  const out: ToolParameter[] = [];
  for (const stmt of cls.field('body')?.children() ?? []) {
    const a = stmt.children()[0];
    if (stmt.kind() !== 'expression_statement' || a?.kind() !== 'assignment') continue;
    const type = a.field('type')?.text();
    const name = a.field('left')?.text();
    if (!name || !type) continue;
    const right = a.field('right')?.text() ?? '';
    out.push({
      name,
      type,
      description: /description\s*=/.test(right) || /description\s*=/.test(type) ? 'described' : undefined,
      required: !right || /^Field\(\s*(\.\.\.|description)/.test(right),
    });
  }
  return out;
}

/** `class Search(BaseTool): name = "search"; description = "…"; args_schema = SearchInput` (LangChain). */
function fromToolClass(cls: SgNode, root: SgNode): FoundTool | undefined {
  const attrs = new Map<string, SgNode>();
  for (const stmt of cls.field('body')?.children() ?? []) {
    const a = stmt.children()[0];
    if (stmt.kind() !== 'expression_statement' || a?.kind() !== 'assignment') continue;
    const left = a.field('left')?.text();
    const right = a.field('right');
    if (left && right) attrs.set(left, right);
  }
  const name = stringValue(attrs.get('name'));
  if (!name) return undefined;
  const schemaRef = attrs.get('args_schema');
  const run = cls.find({ rule: { kind: 'function_definition', has: { field: 'name', regex: '^_?a?run$' } } });
  const params = schemaRef
    ? pydanticParams(root, schemaRef.text())
    : run
      ? signatureParams(run, docstring(run))
      : [];
  return {
    name,
    description: stringValue(attrs.get('description')),
    framework: 'langchain',
    shape: 'langchain-class',
    schema: schemaRef ? 'pydantic' : signatureSchema(params),
    params,
    paramsKnown: true,
    hasCapabilityMetadata: hasMetadataKey(attrs.keys()),
    declaredAsData: atModuleScope(cls),
    node: cls,
    body: cls.field('body')?.text() ?? '',
    binding: cls.field('name')?.text(),
  };
}

const SCHEMA_KWARG = '^(input_schema|inputSchema|parameters|args_schema)\\s*=';

/** The body of a same-file function passed as `handler=read_file`, for capability inference. */
function handlerBody(kw: Map<string, SgNode>, root: SgNode): string {
  const ref = ['handler', 'func', 'fn', 'run', 'execute', 'coroutine'].map((k) => kw.get(k)).find(Boolean);
  if (!ref) return '';
  if (ref.kind() !== 'identifier') return ref.text();
  const fn = root.find({
    rule: { kind: 'function_definition', has: { field: 'name', regex: `^${ref.text()}$` } },
  });
  return fn?.text() ?? '';
}

/**
 * A constructor call with a tool's fields as keyword arguments: a name, a description and a schema that is
 * a JSON Schema dict (or a pydantic class for `args_schema`).
 */
function fromKeywordCall(
  call: SgNode,
  root: SgNode,
  mcpTypes: Set<string>,
  kw: Map<string, SgNode> = keywordArgs(call),
): FoundTool | undefined {
  const name = stringValue(kw.get('name'));
  if (!name || !kw.has('description')) return undefined;
  const callee = call.field('function')?.text() ?? '';
  const argsSchema = kw.get('args_schema');
  const jsonSchema = kw.get('input_schema') ?? kw.get('inputSchema') ?? kw.get('parameters');
  let schema: FoundTool['schema'];
  let params: ToolParameter[];
  let known = true;
  if (jsonSchema) {
    const dict = jsonSchema.kind() === 'identifier' ? resolveLocal(root, jsonSchema.text()) : jsonSchema;
    if (dict?.kind() !== 'dictionary' || !literalEntries(dict).has('type')) return undefined;
    const read = readJsonSchema(dict, root);
    schema = 'json-schema';
    params = read.params;
    known = read.known;
  } else if (argsSchema?.kind() === 'identifier') {
    schema = 'pydantic';
    params = pydanticParams(root, argsSchema.text());
  } else return undefined;
  return {
    name,
    description: stringValue(kw.get('description')),
    framework: mcpTypes.has(callee)
      ? 'mcp-server'
      : /StructuredTool|Tool\.from_function/.test(callee)
        ? 'langchain'
        : 'custom',
    shape: mcpTypes.has(callee) ? 'mcp-types-tool' : 'project-constructor',
    schema,
    params,
    paramsKnown: known,
    hasCapabilityMetadata: hasMetadataKey(kw.keys()),
    declaredAsData: atModuleScope(call),
    node: call,
    body: handlerBody(kw, root),
    binding: undefined,
  };
}

const TOOL_FIELDS = /^(input_schema|inputSchema|parameters|args_schema)$/;

/**
 * Same-file classes shaped like a tool record (dataclass / NamedTuple fields `name`, `description` and a
 * schema field), with their field order, so positional construction `Tool("x", "…", {...})` can be read.
 */
function toolRecordClasses(root: SgNode): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const cls of root.findAll({ rule: { kind: 'class_definition' } })) {
    const fields: string[] = [];
    for (const stmt of cls.field('body')?.children() ?? []) {
      const a = stmt.kind() === 'expression_statement' ? stmt.children()[0] : undefined;
      if (a?.kind() === 'assignment' && a.field('type') && a.field('left')?.kind() === 'identifier')
        fields.push(a.field('left')!.text());
    }
    if (fields.includes('name') && fields.includes('description') && fields.some((f) => TOOL_FIELDS.test(f)))
      out.set(cls.field('name')?.text() ?? '', fields);
  }
  return out;
}

function positionalToolCalls(root: SgNode, mcpTypes: Set<string>): FoundTool[] {
  const records = toolRecordClasses(root);
  if (records.size === 0) return [];
  const out: FoundTool[] = [];
  for (const call of root.findAll({
    rule: { kind: 'call', has: { field: 'function', kind: 'identifier' } },
  })) {
    const fields = records.get(call.field('function')?.text() ?? '');
    if (!fields) continue;
    const kw = keywordArgs(call);
    positionalArgs(call).forEach((arg, i) => {
      const f = fields[i];
      if (f && !kw.has(f)) kw.set(f, arg);
    });
    if ([...kw.keys()].every((k) => !TOOL_FIELDS.test(k))) continue;
    const t = fromKeywordCall(call, root, mcpTypes, kw);
    if (t) out.push(t);
  }
  return out;
}

/** Tool definitions in one Python file. */
export function pyTools(src: ParsedSource, imports: readonly ImportBinding[]): FoundTool[] {
  const root = src.root;
  const out: FoundTool[] = [];
  const locals = new Map<string, Decorator>();
  const toolBases = new Set<string>();
  const mcpTypes = new Set<string>();
  let fastmcp = false;
  for (const b of imports) {
    const m = b.module;
    if (b.imported === 'tool' && (m.startsWith('langchain') || m.startsWith('langgraph')))
      locals.set(b.local, 'langchain');
    if (b.imported === 'tool' && (m === 'claude_agent_sdk' || m === 'claude_code_sdk'))
      locals.set(b.local, 'claude-agent-sdk');
    if (b.imported === 'function_tool' && (m === 'agents' || m.startsWith('agents.')))
      locals.set(b.local, 'openai-agents');
    if (b.imported === 'FastMCP' || m === 'fastmcp' || m.startsWith('mcp.server.fastmcp')) fastmcp = true;
    if (['BaseTool', 'StructuredTool'].includes(b.imported) && m.startsWith('langchain'))
      toolBases.add(b.local);
    if (m === 'mcp.types' && b.imported === 'Tool') mcpTypes.add(b.local);
    if (m === 'mcp.types' && b.imported === '*') mcpTypes.add(`${b.local}.Tool`);
    if (m === 'mcp' && b.imported === 'types') mcpTypes.add(`${b.local}.Tool`);
  }
  if (locals.size > 0 || fastmcp)
    for (const def of decoratedDefinitions(src)) {
      const t = fromDecorated(def, root, src.file.text, locals, fastmcp, src.syntaxErrors === 0);
      if (t) out.push(t);
    }
  if (toolBases.size > 0)
    for (const cls of root.findAll({ rule: { kind: 'class_definition' } })) {
      const bases =
        cls
          .field('superclasses')
          ?.children()
          .map((c) => c.text()) ?? [];
      if (!bases.some((b) => toolBases.has(b))) continue;
      const t = fromToolClass(cls, root);
      if (t) out.push(t);
    }
  if (/\bclass\b[\s\S]*Tool\b/.test(src.file.text)) out.push(...pyToolClasses(root, toolBases));
  // mcp.types.Tool(name=…, description=…, inputSchema={…}) and a project's own Tool(name=…, input_schema={…}).
  if (/(input_schema|inputSchema|parameters|args_schema)\s*=/.test(src.file.text))
    for (const call of root.findAll({
      rule: {
        kind: 'call',
        has: { kind: 'argument_list', has: { kind: 'keyword_argument', regex: SCHEMA_KWARG } },
      },
    })) {
      const t = fromKeywordCall(call, root, mcpTypes);
      if (t) out.push(t);
    }
  if (/\bclass\s/.test(src.file.text)) {
    const seen = new Set(out.map((t) => t.node.range().start.index));
    for (const t of positionalToolCalls(root, mcpTypes))
      if (!seen.has(t.node.range().start.index)) out.push(t);
  }
  const text = src.file.text;
  if (/input_schema|["']function["']|["']parameters["']/.test(text))
    for (const dict of root.findAll({
      rule: {
        kind: 'dictionary',
        has: { kind: 'pair', has: { field: 'key', regex: '^["\'](input_schema|parameters|function)["\']$' } },
      },
    })) {
      const t = literalTool(dict, root, { clean: src.syntaxErrors === 0 });
      if (t) out.push(t);
    }
  return out;
}
