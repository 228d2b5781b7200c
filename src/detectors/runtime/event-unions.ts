import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { correlationIds } from './ids.js';
import { calleeName, calleePath, objectEntries, positionalArgs, stringValue } from './syntax.js';

/**
 * Finds closed event families: a TS discriminated union (`type AgentEvent = {type:'a'} | {type:'b'}`,
 * members as inline objects, interfaces or aliases in the same file, intersections with a base), a zod
 * `discriminatedUnion`, or a Python family of dataclasses / TypedDicts / pydantic models with a
 * `type: Literal[...]` field.
 */
export interface EventUnion {
  node: SgNode;
  name: string;
  members: string[];
  hasTerminal: boolean;
  hasStopReason: boolean;
  /** Correlation ids every member carries. */
  ids: string[];
  /** Whether every member carries a sequence field. */
  seqOnEvery: boolean;
}

interface Shape {
  literals: string[];
  props: Set<string>;
}

const EVENT_NAME = /event|message|update|chunk|notification|signal|delta|frame/i;
const DISCRIMINATORS = ['type', 'kind', 'event'];
const TERMINAL =
  /^(?:(?:run|agent|session|stream|task|turn_?loop|message|response|conversation)[._:-]?)?(?:end|ended|done|complete|completed|finish|finished|result|final|stop|stopped)$/i;
const STOP_REASON = /^(stop_?reason|terminal_?reason|finish_?reason|end_?reason)$/i;
const SEQ_FIELD = /^(seq|seq_?no|seq_?num|sequence|sequence_?number|event_?seq|event_?index)$/i;

const isTerminal = (m: string) => TERMINAL.test(m);

function summarise(node: SgNode, name: string, shapes: Shape[]): EventUnion | undefined {
  const withLiterals = shapes.filter((s) => s.literals.length > 0);
  const members = [...new Set(withLiterals.flatMap((s) => s.literals))];
  if (members.length < 2) return undefined;
  const terminal = withLiterals.filter((s) => s.literals.some(isTerminal));
  const hasStopReason = shapes.some((s) => [...s.props].some((p) => STOP_REASON.test(p)));
  let common: Set<string> | undefined;
  for (const s of shapes) {
    if (!common) common = new Set(s.props);
    else for (const p of common) if (!s.props.has(p)) common.delete(p);
  }
  return {
    node,
    name,
    members,
    hasTerminal: terminal.length > 0,
    hasStopReason,
    ids: correlationIds(common ?? []),
    seqOnEvery: [...(common ?? [])].some((p) => SEQ_FIELD.test(p)),
  };
}

// ---- TypeScript -------------------------------------------------------------------------------------

function tsDeclarations(root: SgNode): Map<string, SgNode> {
  const out = new Map<string, SgNode>();
  for (const d of root.findAll({
    rule: { any: [{ kind: 'interface_declaration' }, { kind: 'type_alias_declaration' }] },
  })) {
    const name = d.field('name')?.text();
    if (name && !out.has(name)) out.set(name, d);
  }
  return out;
}

function literalsOf(typeNode: SgNode | null): string[] {
  if (!typeNode) return [];
  const out: string[] = [];
  for (const s of typeNode.findAll({ rule: { kind: 'string', inside: { kind: 'literal_type' } } })) {
    const v = stringValue(s);
    if (v !== undefined) out.push(v);
  }
  return out;
}

function propsOfBody(body: SgNode): Map<string, SgNode | null> {
  const out = new Map<string, SgNode | null>();
  for (const p of body.children()) {
    if (p.kind() !== 'property_signature') continue;
    const name = p.field('name');
    const key = name ? (stringValue(name) ?? name.text()) : undefined;
    if (key) out.set(key, p.field('type'));
  }
  return out;
}

function tsShape(node: SgNode, decls: Map<string, SgNode>, depth: number): Shape | undefined {
  if (depth > 6) return undefined;
  const kind = node.kind();
  if (kind === 'parenthesized_type') {
    const inner = node.children().find((c) => c.isNamed());
    return inner ? tsShape(inner, decls, depth + 1) : undefined;
  }
  if (kind === 'object_type' || kind === 'interface_body') {
    const props = propsOfBody(node);
    const disc = DISCRIMINATORS.find((d) => props.has(d));
    return { literals: disc ? literalsOf(props.get(disc) ?? null) : [], props: new Set(props.keys()) };
  }
  if (kind === 'type_identifier' || kind === 'generic_type') {
    const name = kind === 'generic_type' ? node.field('name')?.text() : node.text();
    const decl = name ? decls.get(name) : undefined;
    if (!decl) return undefined;
    if (decl.kind() === 'type_alias_declaration') {
      const value = decl.field('value');
      return value ? tsShape(value, decls, depth + 1) : undefined;
    }
    const body = decl.field('body');
    const own = body ? tsShape(body, decls, depth + 1) : undefined;
    const bases = decl
      .findAll({ rule: { kind: 'type_identifier', inside: { kind: 'extends_type_clause' } } })
      .map((b) => tsShape(b, decls, depth + 1))
      .filter((s): s is Shape => s !== undefined);
    return merge([own, ...bases].filter((s): s is Shape => s !== undefined));
  }
  if (kind === 'intersection_type') {
    const parts = node
      .children()
      .filter((c) => c.isNamed())
      .map((c) => tsShape(c, decls, depth + 1))
      .filter((s): s is Shape => s !== undefined);
    return merge(parts);
  }
  return undefined;
}

function merge(parts: Shape[]): Shape | undefined {
  if (parts.length === 0) return undefined;
  return {
    literals: parts.flatMap((p) => p.literals),
    props: new Set(parts.flatMap((p) => [...p.props])),
  };
}

/** Union members, flattening nested unions and an intersection that distributes a base over them. */
function tsUnionShapes(node: SgNode, decls: Map<string, SgNode>, depth = 0): Shape[] | undefined {
  if (depth > 6) return undefined;
  const kind = node.kind();
  if (kind === 'union_type') {
    const out: Shape[] = [];
    for (const c of node.children().filter((c) => c.isNamed())) {
      const nested = c.kind() === 'union_type' || c.kind() === 'parenthesized_type';
      // `A | B | C` parses as nested unions: that nesting is the union's length, not alias depth.
      const sub = nested ? tsUnionShapes(c, decls, c.kind() === 'union_type' ? depth : depth + 1) : undefined;
      if (sub) out.push(...sub);
      else {
        const s = tsShape(c, decls, depth + 1);
        if (s) out.push(s);
      }
    }
    return out;
  }
  if (kind === 'parenthesized_type') {
    const inner = node.children().find((c) => c.isNamed());
    return inner ? tsUnionShapes(inner, decls, depth + 1) : undefined;
  }
  if (kind === 'intersection_type') {
    const parts = node.children().filter((c) => c.isNamed());
    const unionPart = parts.find((p) => tsUnionShapes(p, decls, depth + 1));
    if (!unionPart) return undefined;
    const members = tsUnionShapes(unionPart, decls, depth + 1) ?? [];
    const base = merge(
      parts
        .filter((p) => p !== unionPart)
        .map((p) => tsShape(p, decls, depth + 1))
        .filter((s): s is Shape => s !== undefined),
    );
    return members.map((m) => ({
      literals: m.literals,
      props: new Set([...m.props, ...(base?.props ?? [])]),
    }));
  }
  return undefined;
}

function zodShape(node: SgNode, consts: Map<string, SgNode>, depth = 0): Shape | undefined {
  let target: SgNode | undefined = node;
  if (node.kind() === 'identifier') target = consts.get(node.text());
  if (target?.kind() !== 'call_expression' || depth > 4) return undefined;
  // z.object({...}).extend(...) / .strict(): find the z.object call at the head of the chain.
  const objectCall = [target, ...target.findAll({ rule: { kind: 'call_expression' } })].find(
    (c) => calleeName(c) === 'object',
  );
  const obj = objectCall ? positionalArgs(objectCall)[0] : undefined;
  if (obj?.kind() !== 'object') return undefined;
  const entries = objectEntries(obj);
  const disc = DISCRIMINATORS.find((d) => entries.has(d));
  const literals: string[] = [];
  const discValue = disc ? entries.get(disc) : null;
  if (discValue?.kind() === 'call_expression' && calleeName(discValue) === 'literal') {
    const v = stringValue(positionalArgs(discValue)[0]);
    if (v !== undefined) literals.push(v);
  }
  return { literals, props: new Set(entries.keys()) };
}

function tsUnions(src: ParsedSource): EventUnion[] {
  const root = src.root;
  const out: EventUnion[] = [];
  if (src.file.text.includes('|')) {
    const decls = tsDeclarations(root);
    for (const alias of root.findAll({ rule: { kind: 'type_alias_declaration' } })) {
      const name = alias.field('name')?.text() ?? '';
      const value = alias.field('value');
      if (!value || !EVENT_NAME.test(name)) continue;
      const shapes = tsUnionShapes(value, decls);
      const u = shapes && summarise(alias, name, shapes);
      if (u) out.push(u);
    }
  }
  if (src.file.text.includes('discriminatedUnion')) {
    const consts = new Map<string, SgNode>();
    for (const d of root.findAll({ rule: { kind: 'variable_declarator' } })) {
      const v = d.field('value');
      const n = d.field('name');
      if (v && n?.kind() === 'identifier') consts.set(n.text(), v);
    }
    for (const call of root.findAll({ rule: { kind: 'call_expression' } })) {
      if (!/(^|\.)discriminatedUnion$/.test(calleePath(call))) continue;
      const decl = call.parent()?.kind() === 'variable_declarator' ? call.parent() : null;
      const name = decl?.field('name')?.text() ?? '';
      if (!EVENT_NAME.test(name)) continue;
      const list = positionalArgs(call)[1];
      if (list?.kind() !== 'array') continue;
      const shapes = list
        .children()
        .filter((c) => c.isNamed())
        .map((c) => zodShape(c, consts))
        .filter((s): s is Shape => s !== undefined);
      const u = summarise(call, name, shapes);
      if (u) out.push(u);
    }
  }
  return out;
}

// ---- Python -----------------------------------------------------------------------------------------

interface PyClass {
  node: SgNode;
  name: string;
  bases: string[];
  shape: Shape;
}

function pyClasses(root: SgNode): Map<string, PyClass> {
  const out = new Map<string, PyClass>();
  for (const cls of root.findAll({ rule: { kind: 'class_definition' } })) {
    const name = cls.field('name')?.text() ?? '';
    const bases = (cls.field('superclasses')?.children() ?? [])
      .filter((c) => c.isNamed())
      .map((c) => c.text());
    const props = new Set<string>();
    let literals: string[] = [];
    const body = cls.field('body');
    for (const stmt of body?.children() ?? []) {
      const assign = stmt.kind() === 'expression_statement' ? stmt.children()[0] : undefined;
      if (assign?.kind() !== 'assignment') continue;
      const left = assign.field('left');
      if (left?.kind() !== 'identifier') continue;
      props.add(left.text());
      const type = assign.field('type');
      if (DISCRIMINATORS.includes(left.text()) && type && /^Literal\b|\.Literal\b/.test(type.text())) {
        literals = type
          .findAll({ rule: { kind: 'string' } })
          .map((s) => stringValue(s))
          .filter((v): v is string => v !== undefined);
      }
    }
    out.set(name, { node: cls, name, bases, shape: { literals, props } });
  }
  // Inherit fields from base classes declared in the same file (a shared `EventBase` with ids and seq).
  for (const c of out.values()) {
    for (const b of c.bases) {
      const base = out.get(b);
      if (base && base !== c) for (const p of base.shape.props) c.shape.props.add(p);
    }
  }
  return out;
}

function pyUnionMembers(value: SgNode): string[] {
  const text = value.text();
  if (/^(typing\.)?Union\[/.test(text) || /^(typing\.)?Annotated\[/.test(text))
    return value.findAll({ rule: { kind: 'identifier' } }).map((i) => i.text());
  if (value.kind() === 'binary_operator' || value.kind() === 'type')
    return value.findAll({ rule: { kind: 'identifier' } }).map((i) => i.text());
  return [];
}

function pyUnions(src: ParsedSource): EventUnion[] {
  if (!src.file.text.includes('Literal')) return [];
  const classes = pyClasses(src.root);
  const literalClasses = [...classes.values()].filter((c) => c.shape.literals.length > 0);
  if (literalClasses.length === 0) return [];
  const out: EventUnion[] = [];
  const covered = new Set<string>();
  for (const node of src.root.findAll({
    rule: {
      any: [
        { kind: 'type_alias_statement' },
        { kind: 'assignment', inside: { kind: 'expression_statement', inside: { kind: 'module' } } },
      ],
    },
  })) {
    const isAlias = node.kind() === 'type_alias_statement';
    const nameNode = isAlias ? node.children().find((c) => c.kind() === 'type') : node.field('left');
    const name = nameNode?.text() ?? '';
    const value = isAlias ? node.children().filter((c) => c.kind() === 'type')[1] : node.field('right');
    if (!value || !EVENT_NAME.test(name)) continue;
    const members = pyUnionMembers(value)
      .map((m) => classes.get(m))
      .filter((c): c is PyClass => c !== undefined);
    const u = summarise(
      node,
      name,
      members.map((m) => m.shape),
    );
    if (u) {
      out.push(u);
      for (const m of members) covered.add(m.name);
    }
  }
  // A family without an alias: several Literal-tagged classes named or based like events.
  const family = literalClasses.filter(
    (c) => !covered.has(c.name) && (EVENT_NAME.test(c.name) || c.bases.some((b) => EVENT_NAME.test(b))),
  );
  const first = family[0];
  if (first) {
    const u = summarise(
      first.node,
      first.bases.find((b) => EVENT_NAME.test(b)) ?? first.name,
      family.map((c) => c.shape),
    );
    if (u) out.push(u);
  }
  return out;
}

export function eventUnions(src: ParsedSource): EventUnion[] {
  return src.language === 'python' ? pyUnions(src) : tsUnions(src);
}

export { SEQ_FIELD };
