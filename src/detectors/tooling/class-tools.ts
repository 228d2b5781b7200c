import type { SgNode } from '@ast-grep/napi';
import { atModuleScope, resolveLocal, stringValue } from './ast.js';
import { type FoundTool, hasMetadataKey, readJsonSchema, readSchemaValue } from './found-tool.js';

/**
 * Tool classes of a harness's own hierarchy: `class ReadFileTool extends BaseDeclarativeTool { … }` (TS/JS)
 * or `class ReadFile(BaseTool): …` (Python), the form large hand-written harnesses use instead of literals.
 * A class counts when its base is named like a tool base, it is named itself (a literal, a same-file constant,
 * or a constant from elsewhere — then the class name stands in) and it carries a second tool trait: a
 * description, a schema or an execute-style method. LangChain's own bases are read by their own readers.
 */

/** `Tool`, `BaseTool`, `DeclarativeTool`, `tools.BaseTool`: the last name ends in Tool. */
const TOOL_BASE = /(^|\.)[A-Z]\w*Tool$|(^|\.)Tool$/;
const NAME_FIELDS = ['name', 'Name', 'toolName', 'tool_name', 'TOOL_NAME', 'NAME'];
const DESCRIPTION_FIELDS = ['description', 'Description', 'DESCRIPTION'];
const SCHEMA_FIELDS = [
  'schema',
  'parameters',
  'parameterSchema',
  'parametersSchema',
  'inputSchema',
  'input_schema',
  'argsSchema',
  'args_schema',
];
/** Methods through which a tool class does its work. */
const EXECUTE_METHOD =
  /^(_?a?run|execute|_execute|call|_call|invoke|_invoke|handler|handle|createInvocation|build|__call__)$/;
const SCHEMA_WORD = /schema|parameters/i;

/** The last name of a base expression (`tools.BaseTool` → `BaseTool`). */
const lastName = (text: string) => text.split('.').pop() ?? text;

/** TS/JS: classes extending a tool base; `skip` holds bases another reader owns (LangChain's). */
export function jsToolClasses(root: SgNode, skip: ReadonlySet<string>): FoundTool[] {
  const out: FoundTool[] = [];
  for (const cls of root.findAll({ rule: { kind: 'class_declaration', has: { kind: 'class_heritage' } } })) {
    const base = cls
      .find({ rule: { kind: 'extends_clause' } })
      ?.children()
      .find((c) => c.isNamed());
    const baseText = base?.text() ?? '';
    const className = cls.field('name')?.text();
    if (!base || !className || !TOOL_BASE.test(baseText) || skip.has(baseText)) continue;
    if (lastName(baseText) === className) continue;
    const body = cls.field('body');
    if (!body) continue;
    const fields = new Map<string, SgNode>();
    const methods: SgNode[] = [];
    for (const member of body.children()) {
      const k = member.kind();
      if (k === 'public_field_definition') {
        const key = member.field('name')?.text();
        const value = member.field('value');
        if (key && value) fields.set(key, value);
      } else if (k === 'method_definition') methods.push(member);
    }
    const superArgs = superArguments(methods);
    const getter = (name: string) =>
      methods.find((m) => m.field('name')?.text() === name && /^get\b/.test(m.text()));
    const nameNode =
      NAME_FIELDS.map((f) => fields.get(f)).find(Boolean) ?? getterReturn(getter('name')) ?? superArgs[0];
    if (!nameNode) continue;
    const name = literalOrLocal(nameNode, root, fields) ?? className;
    const descNode =
      DESCRIPTION_FIELDS.map((f) => fields.get(f)).find(Boolean) ??
      getterReturn(getter('description')) ??
      superArgs.slice(1).find((a) => /\s/.test(stringValue(a) ?? '') || /description/i.test(a.text()));
    const schemaNode =
      SCHEMA_FIELDS.map((f) => fields.get(f)).find(Boolean) ??
      superArgs.slice(1).find((a) => a.kind() === 'object' || SCHEMA_WORD.test(a.text()));
    const executes = methods.some((m) => EXECUTE_METHOD.test(m.field('name')?.text() ?? ''));
    if (!descNode && !schemaNode && !executes) continue;
    const read = schemaNode
      ? jsSchema(schemaNode, root)
      : { schema: 'none' as const, params: [], known: superArgs.length === 0 };
    out.push({
      name,
      description: descNode ? literalOrLocal(descNode, root, fields) : undefined,
      framework: 'custom',
      shape: 'tool-class',
      schema: read.schema,
      params: read.params,
      paramsKnown: read.known,
      hasCapabilityMetadata: hasMetadataKey(fields.keys()),
      declaredAsData: atModuleScope(cls),
      node: cls,
      body: methods.map((m) => m.text()).join('\n'),
      binding: className,
    });
  }
  return out;
}

type SchemaRead = ReturnType<typeof readSchemaValue>;

/** A literal or same-file schema is read; one built elsewhere is known to exist, its parameters are not. */
function jsSchema(node: SgNode, root: SgNode): SchemaRead {
  const k = node.kind();
  if (k === 'object' || k === 'call_expression' || (k === 'identifier' && resolveLocal(root, node.text())))
    return readSchemaValue(node, root);
  return { schema: /\bz\.|zod/i.test(node.text()) ? 'zod' : 'json-schema', params: [], known: false };
}

/** A dict is a JSON Schema; a name is a pydantic model (its fields are read by the LangChain reader only). */
function pySchema(node: SgNode, root: SgNode): SchemaRead {
  if (node.kind() === 'dictionary') return readJsonSchema(node, root);
  return { schema: node.kind() === 'identifier' ? 'pydantic' : 'json-schema', params: [], known: false };
}

/** Arguments of the `super(…)` call in the constructor, if any. */
function superArguments(methods: readonly SgNode[]): SgNode[] {
  const ctor = methods.find((m) => m.field('name')?.text() === 'constructor');
  const call = ctor?.find({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'super' } } });
  return (
    call
      ?.field('arguments')
      ?.children()
      .filter((c) => c.isNamed() && c.kind() !== 'comment') ?? []
  );
}

/** `get name() { return 'x'; }` → the returned expression. */
function getterReturn(getter: SgNode | undefined): SgNode | undefined {
  const ret = getter?.find({ rule: { kind: 'return_statement' } });
  return ret?.children().find((c) => c.isNamed()) ?? undefined;
}

/**
 * A string literal, a same-file constant holding one, or `ThisClass.Field` / `this.field` pointing at a
 * field that holds one.
 */
function literalOrLocal(node: SgNode, root: SgNode, fields: ReadonlyMap<string, SgNode>): string | undefined {
  const direct = stringValue(node);
  if (direct !== undefined) return direct;
  const k = node.kind();
  if (k === 'identifier') return stringValue(resolveLocal(root, node.text()));
  if (k === 'member_expression') {
    const field = fields.get(node.field('property')?.text() ?? '');
    if (field && field !== node) return stringValue(field) ?? literalOrLocalIdentifier(field, root);
  }
  return undefined;
}

const literalOrLocalIdentifier = (node: SgNode, root: SgNode) =>
  node.kind() === 'identifier' ? stringValue(resolveLocal(root, node.text())) : undefined;

/** Python: `class ReadFile(BaseTool)` with a name attribute; `skip` holds LangChain's bases. */
export function pyToolClasses(root: SgNode, skip: ReadonlySet<string>): FoundTool[] {
  const out: FoundTool[] = [];
  for (const cls of root.findAll({
    rule: { kind: 'class_definition', has: { field: 'superclasses', kind: 'argument_list' } },
  })) {
    const bases =
      cls
        .field('superclasses')
        ?.children()
        .filter((c) => c.kind() === 'identifier' || c.kind() === 'attribute')
        .map((c) => c.text()) ?? [];
    const className = cls.field('name')?.text();
    if (!className || !bases.some((b) => TOOL_BASE.test(b) && !skip.has(b) && lastName(b) !== className))
      continue;
    const attrs = new Map<string, SgNode>();
    const methods: string[] = [];
    for (const stmt of cls.field('body')?.children() ?? []) {
      const first = stmt.children()[0];
      if (stmt.kind() === 'expression_statement' && first?.kind() === 'assignment') {
        const left = first.field('left')?.text();
        const right = first.field('right');
        if (left && right) attrs.set(left, right);
      } else if (stmt.kind() === 'function_definition') methods.push(stmt.field('name')?.text() ?? '');
      else if (stmt.kind() === 'decorated_definition')
        methods.push(stmt.field('definition')?.field('name')?.text() ?? '');
    }
    const nameNode = NAME_FIELDS.map((f) => attrs.get(f)).find(Boolean);
    if (!nameNode) continue;
    const name =
      stringValue(nameNode) ??
      (nameNode.kind() === 'identifier' ? stringValue(resolveLocal(root, nameNode.text())) : undefined) ??
      className;
    const descNode = DESCRIPTION_FIELDS.map((f) => attrs.get(f)).find(Boolean);
    const schemaNode = SCHEMA_FIELDS.map((f) => attrs.get(f)).find(Boolean);
    if (!descNode && !schemaNode && !methods.some((m) => EXECUTE_METHOD.test(m))) continue;
    const read = schemaNode
      ? pySchema(schemaNode, root)
      : { schema: 'none' as const, params: [], known: true };
    out.push({
      name,
      description: descNode ? stringValue(descNode) : undefined,
      framework: 'custom',
      shape: 'tool-class',
      schema: read.schema,
      params: read.params,
      paramsKnown: read.known,
      hasCapabilityMetadata: hasMetadataKey(attrs.keys()),
      declaredAsData: atModuleScope(cls),
      node: cls,
      body: cls.field('body')?.text() ?? '',
      binding: className,
    });
  }
  return out;
}
