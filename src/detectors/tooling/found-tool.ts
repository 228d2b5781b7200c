import type { Pos, SgNode } from '@ast-grep/napi';
import type { ToolInfo, ToolParameter } from '../../core/types.js';
import { literalEntries, resolveLocal, stringValue, unwrap } from './ast.js';
import { CAPABILITY_METADATA_KEYS } from './capabilities.js';

/** One tool definition as a language reader sees it, before it becomes a fact and an inventory entry. */
export interface FoundTool {
  name: string;
  description?: string;
  framework: string;
  /** The idiom it was written in, e.g. `anthropic-object`, `vercel-tool`, `mcp-register-tool`. */
  shape: string;
  schema: ToolInfo['schema'];
  params: ToolParameter[];
  /** False when the schema lives somewhere we did not follow (another file, a function result). */
  paramsKnown: boolean;
  hasCapabilityMetadata: boolean;
  /** A literal, a pure factory call or decorator metadata at module scope: listable without running code. */
  declaredAsData: boolean;
  node: SgNode;
  /** Implementation text, for capability inference. */
  body: string;
  /** The name the definition is bound to in code (variable, key, function), for registry membership. */
  binding?: string;
  /** `node.range().start`, when the reader already had it. */
  at?: Pos;
}

export const VALID_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function hasMetadataKey(keys: Iterable<string>): boolean {
  for (const k of keys) if (CAPABILITY_METADATA_KEYS.has(k)) return true;
  return false;
}

interface SchemaRead {
  schema: ToolInfo['schema'];
  params: ToolParameter[];
  known: boolean;
}

const JSON_TYPE_KEYS = ['type', 'enum', '$ref', 'anyOf', 'oneOf', 'allOf', 'const', 'items'];

/**
 * A literal read from text: a string (its value), an object or array (their parts), or another token (a
 * number, a name, `true`…). `start`/`end` are offsets in the text read.
 */
type Lit =
  | { k: 'string'; value: string; start: number; end: number }
  | { k: 'object'; entries: Map<string, Lit>; start: number; end: number }
  | { k: 'array'; items: Lit[]; start: number; end: number }
  | { k: 'word'; start: number; end: number };

/** What `stringValue` reads from its text alone: no escape, no line break, no `&{}` (see `PLAIN_STRING`). */
const TEXT_STRING = /'[^'\\\n\r&{}]*'|"[^"\\\n\r&{}]*"/y;
/** A number, or a name (`true`, `None` and identifiers alike: none is a string, and its text is itself). */
const TEXT_WORD = /-?\d+(?:\.\d+)?(?![\w$.])|[A-Za-z_$][\w$]*/y;
const TEXT_NAME = /[A-Za-z_$][\w$]*/y;
const TEXT_BLANK = /[ \t\r\n]*/y;
/** Python's constants: as keys, not names. */
const CONSTANT_KEY = new Set(['True', 'False', 'None']);

/**
 * Reads a literal written in plain JSON-like text (objects of `name:` or `'string':` keys, arrays, plain
 * strings, numbers and names, blanks between them, trailing commas allowed); undefined on anything else
 * (comments, spreads, calls, escapes…). In a file without syntax errors such text parses to exactly these
 * nodes, so what the node readers give for them is read from the text instead (one crossing, not dozens).
 */
function readTextLiteral(text: string): Lit | undefined {
  let i = 0;
  const blank = () => {
    TEXT_BLANK.lastIndex = i;
    TEXT_BLANK.test(text);
    i = TEXT_BLANK.lastIndex;
  };
  const sticky = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    i = re.lastIndex;
    return m[0];
  };
  const value = (depth: number): Lit | undefined => {
    if (depth > 64) return undefined;
    const start = i;
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) {
      // { or [
      const object = c === 123;
      const close = object ? 125 : 93;
      const entries = new Map<string, Lit>();
      const items: Lit[] = [];
      i++;
      blank();
      while (text.charCodeAt(i) !== close) {
        let key: string | undefined;
        if (object) {
          const q = text.charCodeAt(i);
          const quoted = q === 39 || q === 34;
          const k = quoted ? sticky(TEXT_STRING)?.slice(1, -1) : sticky(TEXT_NAME);
          if (k === undefined || (!quoted && CONSTANT_KEY.has(k))) return undefined;
          key = k;
          blank();
          if (text.charCodeAt(i) !== 58) return undefined; // :
          i++;
          blank();
        }
        const v = value(depth + 1);
        if (!v) return undefined;
        if (key !== undefined) entries.set(key, v);
        else items.push(v);
        blank();
        if (text.charCodeAt(i) === 44) {
          i++;
          blank();
        } else if (text.charCodeAt(i) !== close) return undefined;
      }
      i++;
      return object ? { k: 'object', entries, start, end: i } : { k: 'array', items, start, end: i };
    }
    if (c === 39 || c === 34) {
      const s = sticky(TEXT_STRING);
      return s === undefined ? undefined : { k: 'string', value: s.slice(1, -1), start, end: i };
    }
    return sticky(TEXT_WORD) === undefined ? undefined : { k: 'word', start, end: i };
  };
  const lit = value(0);
  return lit && i === text.length ? lit : undefined;
}

/**
 * `readJsonSchema` of a node whose text is a plain literal object (see `readTextLiteral`), read from the
 * text; undefined when it is not one, or when its `properties` is not a literal object (a name there is
 * followed to its binding, which only the nodes can do).
 */
function readJsonSchemaText(text: string): SchemaRead | undefined {
  const obj = readTextLiteral(text);
  if (obj?.k !== 'object') return undefined;
  const props = obj.entries.get('properties');
  if (props && props.k !== 'object') return undefined;
  const requiredLit = obj.entries.get('required');
  const required = new Set<string>();
  // The named children of anything but an array are never strings.
  if (requiredLit?.k === 'array')
    for (const r of requiredLit.items) if (r.k === 'string' && r.value) required.add(r.value);
  const params: ToolParameter[] = [];
  for (const [name, value] of props?.entries ?? []) {
    const p = value.k === 'object' ? value.entries : undefined;
    const d = p?.get('description');
    const typeLit = p && JSON_TYPE_KEYS.map((k) => p.get(k)).find(Boolean);
    params.push({
      name,
      type: typeLit
        ? typeLit.k === 'string'
          ? typeLit.value
          : text.slice(typeLit.start, typeLit.end).slice(0, 40)
        : undefined,
      description: d?.k === 'string' ? d.value : undefined,
      required: required.has(name),
    });
  }
  return { schema: 'json-schema', params, known: true };
}

/**
 * Reads a JSON Schema object literal (TS object or Python dict): its `properties` and `required`. `clean`:
 * the file has no syntax error, so a plain literal is read from its text.
 */
export function readJsonSchema(node: SgNode, root: SgNode, clean = false): SchemaRead {
  if (clean) {
    const read = readJsonSchemaText(node.text());
    if (read) return read;
  }
  const obj = follow(node, root);
  if (!obj || (obj.kind() !== 'object' && obj.kind() !== 'dictionary'))
    return { schema: 'json-schema', params: [], known: false };
  const entries = literalEntries(obj);
  const propsNode = entries.get('properties');
  const props = propsNode ? follow(propsNode, root) : undefined;
  if (propsNode && (!props || (props.kind() !== 'object' && props.kind() !== 'dictionary')))
    return { schema: 'json-schema', params: [], known: false };
  const requiredNode = entries.get('required');
  const required = new Set(
    requiredNode
      ? requiredNode
          .namedChildren() // brackets and commas are never strings
          .map((c) => stringValue(c))
          .filter((s): s is string => !!s)
      : [],
  );
  const params: ToolParameter[] = [];
  for (const [name, value] of literalEntries(props)) {
    const p = literalEntries(value);
    const description = stringValue(p.get('description'));
    const typeNode = JSON_TYPE_KEYS.map((k) => p.get(k)).find(Boolean);
    params.push({
      name,
      type: typeNode ? (stringValue(typeNode) ?? typeNode.text().slice(0, 40)) : undefined,
      description,
      required: required.has(name),
    });
  }
  return { schema: 'json-schema', params, known: true };
}

/** Follows one same-file binding: `input_schema: SCHEMA` → the literal assigned to SCHEMA. */
export function follow(node: SgNode, root: SgNode): SgNode | undefined {
  const n = unwrap(node);
  if (n.kind() === 'identifier') return resolveLocal(root, n.text());
  return n;
}

const ZOD_CALL = /^(?:z|zod)\.[a-zA-Z]+\(/;

/** `z.object({...})`, a raw zod shape `{a: z.string()}`, or `jsonSchema({...})` (Vercel). */
export function readSchemaValue(node: SgNode, root: SgNode): SchemaRead {
  const n = follow(node, root);
  if (!n) return { schema: 'zod', params: [], known: false };
  const text = n.text();
  if (n.kind() === 'call_expression' && /^(?:jsonSchema|z\.fromJSONSchema)\(/.test(text)) {
    // The first named child, after the `(`.
    const arg = n.field('arguments')?.namedChildren()[0];
    return arg ? readJsonSchema(arg, root) : { schema: 'json-schema', params: [], known: false };
  }
  if (n.kind() === 'object') {
    const entries = literalEntries(n);
    if (entries.has('properties') || entries.get('type')?.text().includes('object'))
      return readJsonSchema(n, root);
    if ([...entries.values()].some((v) => isZodValue(v, root))) return readZodShape(n, root);
    if (entries.size === 0) return { schema: 'zod', params: [], known: true };
    return { schema: 'none', params: [], known: false };
  }
  if (ZOD_CALL.test(text)) {
    // z.object({...}) possibly followed by .strict()/.describe(); take the first object argument.
    const objectCall = n.find({
      rule: {
        kind: 'call_expression',
        has: { field: 'function', regex: '^(z|zod)\\.(object|strictObject)$' },
      },
    });
    const shape = objectCall
      ?.field('arguments')
      ?.children()
      .find((c) => c.kind() === 'object');
    return shape ? readZodShape(shape, root) : { schema: 'zod', params: [], known: false };
  }
  return { schema: 'none', params: [], known: false };
}

/** `z.string()`, or `column.optional()` where `column` is a same-file zod constant. */
function isZodValue(value: SgNode, root: SgNode): boolean {
  const text = value.text().replace(/\s+/g, '');
  if (ZOD_CALL.test(text)) return true;
  const head = /^[A-Za-z_$][\w$]*/.exec(text)?.[0];
  const bound = head ? resolveLocal(root, head) : undefined;
  return !!bound && ZOD_CALL.test(bound.text().replace(/\s+/g, ''));
}

function readZodShape(obj: SgNode, root?: SgNode): SchemaRead {
  const params: ToolParameter[] = [];
  for (const [name, value] of literalEntries(obj)) {
    // `path: workspacePath.optional()` reuses a same-file zod constant: read through it.
    const own = value.text().replace(/\s+/g, '');
    const head = /^[A-Za-z_$][\w$]*/.exec(own)?.[0];
    const base = head && !/^(z|zod)$/.test(head) && root ? resolveLocal(root, head) : undefined;
    const text = base ? `${base.text().replace(/\s+/g, '')}${own.slice(head!.length)}` : own;
    const type = /^(?:z|zod)\.([a-zA-Z]+)/.exec(text)?.[1];
    const described = /\.describe\(\S|\bdescription:/.test(text);
    params.push({
      name,
      type,
      description: described ? describedText(value) : undefined,
      required: !/\.(optional|nullish|default)\(/.test(text),
    });
  }
  return { schema: 'zod', params, known: true };
}

function describedText(value: SgNode): string {
  const call = value.find({
    rule: { kind: 'call_expression', has: { field: 'function', regex: '\\.describe$' } },
  });
  const arg = call
    ?.field('arguments')
    ?.children()
    .find((c) => c.isNamed());
  return stringValue(arg) ?? 'described';
}
