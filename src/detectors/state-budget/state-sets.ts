import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import {
  calleeText,
  functionName,
  isPython,
  lastSegment,
  pairsOf,
  positionalArgs,
  stringValue,
} from './syntax.js';

/**
 * Closed sets of string names declared in code: TS string-literal unions, enums, `as const` objects and
 * arrays, `z.enum([...])`, Python `Enum` classes and `Literal[...]`. Callers decide what the names mean
 * (task states, stop reasons).
 */

export interface NameSet {
  node: SgNode;
  name: string;
  values: string[];
  how: 'union' | 'enum' | 'object' | 'array' | 'literal';
}

const cache = new WeakMap<ParsedSource, NameSet[]>();

const QUOTED_NAME_HINT =
  /['"`](pending|running|done|completed?|failed|cancell?ed|awaiting_?approval|executing|planned|queued|in_progress|waiting|succeeded|finished|max_turns|max_tokens|budget\w*|end_turn|\w*exceeded|\w*exhausted|timeout)['"`]/i;

export function nameSets(src: ParsedSource): NameSet[] {
  let out = cache.get(src);
  if (!out) {
    // Speed gate: a quoted state/reason word, or an enum (whose members may be bare names).
    const text = src.file.text;
    const worth = QUOTED_NAME_HINT.test(text) || /\benum\b|Enum\b/.test(text);
    out = !worth ? [] : isPython(src) ? pySets(src.root) : jsSets(src.root);
    cache.set(src, out);
  }
  return out;
}

function strings(nodes: SgNode[]): string[] {
  return nodes.map((n) => stringValue(n)).filter((v): v is string => v !== undefined);
}

/** Words that occur in task states and stop reasons; a cheap filter before reading a literal's entries. */
const NAME_HINT =
  '(?i)(pend|run|done|complet|fail|cancel|approv|execut|wait|progress|plan|queue|succe|finish|abort|skip|error|max_|budget|limit|exceed|exhaust|timeout|timed_out|deadline|end_turn)';

function jsSets(root: SgNode): NameSet[] {
  const out: NameSet[] = [];
  for (const alias of root.findAll({
    rule: { kind: 'type_alias_declaration', has: { field: 'value', kind: 'union_type' } },
  })) {
    const values = strings(
      alias.field('value')!.findAll({ rule: { kind: 'string', inside: { kind: 'literal_type' } } }),
    );
    if (values.length >= 2)
      out.push({ node: alias, name: alias.field('name')?.text() ?? '', values, how: 'union' });
  }
  for (const e of root.findAll({ rule: { kind: 'enum_declaration' } })) {
    const body = e.field('body');
    if (!body) continue;
    const values: string[] = [];
    for (const m of body.children()) {
      if (m.kind() === 'property_identifier') values.push(m.text());
      else if (m.kind() === 'enum_assignment') {
        const v = m.field('value');
        values.push((v && stringValue(v)) ?? m.field('name')?.text() ?? '');
      }
    }
    out.push({ node: e, name: e.field('name')?.text() ?? '', values: values.filter(Boolean), how: 'enum' });
  }
  // Only declarations with at least one string that could name a state or a stop reason.
  const hinted = {
    kind: 'variable_declarator',
    has: { field: 'value', has: { stopBy: 'end' as const, kind: 'string', regex: NAME_HINT } },
  };
  for (const d of root.findAll({ rule: hinted })) {
    let value = d.field('value');
    while (
      value &&
      (value.kind() === 'as_expression' ||
        value.kind() === 'satisfies_expression' ||
        value.kind() === 'parenthesized_expression')
    )
      value = value.child(0);
    if (value?.kind() === 'call_expression' && /^Object\.freeze$/.test(calleeText(value)))
      value = positionalArgs(value)[0] ?? null;
    if (!value) continue;
    const name = d.field('name')?.text() ?? '';
    if (value.kind() === 'object') {
      const values = strings(pairsOf(value).map((p) => p.value));
      if (values.length >= 2) out.push({ node: d, name, values, how: 'object' });
    } else if (value.kind() === 'array') {
      const values = strings(value.children().filter((c) => c.isNamed()));
      if (values.length >= 2) out.push({ node: d, name, values, how: 'array' });
    }
  }
  for (const call of root.findAll({
    rule: { kind: 'call_expression', has: { field: 'function', regex: '(^|\\.)(enum|literal|union)$' } },
  })) {
    const arr = positionalArgs(call)[0];
    if (arr?.kind() !== 'array') continue;
    const values = strings(arr.children().filter((c) => c.isNamed()));
    if (values.length >= 2) out.push({ node: call, name: declaredName(call), values, how: 'array' });
  }
  return out;
}

function declaredName(node: SgNode): string {
  for (let p = node.parent(); p; p = p.parent()) {
    if (p.kind() === 'variable_declarator') return p.field('name')?.text() ?? '';
    if (p.kind() === 'statement_block' || p.kind() === 'program') break;
  }
  return '';
}

const PY_ENUM_BASES = /^(Enum|StrEnum|IntEnum|enum\.Enum|enum\.StrEnum|Flag)$/;

function pySets(root: SgNode): NameSet[] {
  const out: NameSet[] = [];
  for (const cls of root.findAll({ rule: { kind: 'class_definition' } })) {
    const bases =
      cls
        .field('superclasses')
        ?.children()
        .filter((c) => c.isNamed()) ?? [];
    if (!bases.some((b) => PY_ENUM_BASES.test(b.text()))) continue;
    const values: string[] = [];
    for (const stmt of cls.field('body')?.children() ?? []) {
      const a = stmt.kind() === 'expression_statement' ? stmt.child(0) : null;
      if (a?.kind() !== 'assignment') continue;
      const right = a.field('right');
      values.push((right && stringValue(right)) ?? a.field('left')?.text() ?? '');
    }
    out.push({
      node: cls,
      name: cls.field('name')?.text() ?? '',
      values: values.filter(Boolean),
      how: 'enum',
    });
  }
  for (const g of root.findAll({
    rule: { kind: 'generic_type', has: { kind: 'identifier', regex: '^Literal$' } },
  })) {
    const values = strings(g.findAll({ rule: { kind: 'string' } }));
    if (values.length >= 2) out.push({ node: g, name: pyDeclaredName(g), values, how: 'literal' });
  }
  // `Literal[...]` in older grammars parses as a subscript expression
  for (const s of root.findAll({
    rule: { kind: 'subscript', has: { field: 'value', regex: '^(typing\\.)?Literal$' } },
  })) {
    const values = strings(s.findAll({ rule: { kind: 'string' } }));
    if (values.length >= 2) out.push({ node: s, name: pyDeclaredName(s), values, how: 'literal' });
  }
  return out;
}

function pyDeclaredName(node: SgNode): string {
  for (let p = node.parent(); p; p = p.parent()) {
    if (p.kind() === 'assignment') return lastSegment(p.field('left')?.text() ?? '');
    if (p.kind() === 'function_definition') return functionName(p);
    if (p.kind() === 'block' || p.kind() === 'module') break;
  }
  return '';
}
