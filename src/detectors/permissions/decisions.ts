import type { SgNode } from '@ast-grep/napi';
import { enclosingFunction, isFunctionNode, stringValue } from '../tooling/ast.js';

export const DECISIONS = ['allow', 'ask', 'deny'] as const;
export type Decision = (typeof DECISIONS)[number];
/** A decision literal and its offset in its file (deny-first compares offsets). */
export interface Literal {
  value: Decision;
  index: number;
}

const DECISION_KEYS =
  /^(decision|behavior|behaviour|effect|permissionDecision|permission_decision|verdict|action|result)$/;

/**
 * Decision literals a function produces or tests: in a return, a comparison, a switch/match case, or as the
 * value of a decision-shaped key. Literals in nested functions belong to those functions.
 */
export function decisionLiterals(fn: SgNode): Literal[] {
  const out: Literal[] = [];
  const owned = (n: SgNode) => {
    if (fn.kind() === 'lambda') return ownedByLambda(n, fn);
    const owner = enclosingFunction(n);
    return owner ? sameNode(owner, fn) : fn.kind() === 'program' || fn.kind() === 'module';
  };
  for (const s of fn.findAll({ rule: { kind: 'string' } })) {
    const v = stringValue(s);
    if (v !== 'allow' && v !== 'ask' && v !== 'deny') continue;
    if (!owned(s) || !inDecisionPosition(s, fn)) continue;
    out.push({ value: v, index: s.range().start.index });
  }
  // The Python Claude Agent SDK decides with result objects: `return PermissionResultDeny(message=…)`.
  if (fn.text().includes('PermissionResult')) {
    for (const c of fn.findAll({
      rule: { kind: 'call', has: { field: 'function', regex: 'PermissionResult(Allow|Deny)$' } },
    })) {
      const value = /Deny$/.test(c.field('function')?.text() ?? '') ? 'deny' : 'allow';
      if (owned(c) && inDecisionPosition(c, fn)) out.push({ value, index: c.range().start.index });
    }
    out.sort((a, b) => a.index - b.index);
  }
  return out;
}

/** No function or other lambda between `n` and the lambda `fn` (lambdas are not function nodes elsewhere). */
function ownedByLambda(n: SgNode, fn: SgNode): boolean {
  for (let p = n.parent(); p; p = p.parent()) {
    if (sameNode(p, fn)) return true;
    if (isFunctionNode(p) || p.kind() === 'lambda') return false;
  }
  return false;
}

function sameNode(a: SgNode | undefined, b: SgNode): boolean {
  return (
    !!a && a.range().start.index === b.range().start.index && a.range().end.index === b.range().end.index
  );
}

function inDecisionPosition(s: SgNode, fn: SgNode): boolean {
  let p = s.parent();
  for (; p && !sameNode(p, fn); p = p.parent()) {
    const k = p.kind();
    if (k === 'return_statement' || k === 'switch_case' || k === 'case_clause' || k === 'case_pattern')
      return true;
    if (k === 'binary_expression' && /^(===|!==|==|!=)$/.test(p.field('operator')?.text() ?? '')) return true;
    if (k === 'comparison_operator') return true;
    if (k === 'pair') {
      const key = p.field('key');
      const keyText = key ? (stringValue(key) ?? key.text()) : '';
      if (DECISION_KEYS.test(keyText)) return true;
    }
    if (k === 'keyword_argument' && DECISION_KEYS.test(p.field('name')?.text() ?? '')) return true;
    if (k === 'statement_block' || k === 'block' || k === 'expression_statement') return false;
  }
  // A Python lambda returns its body: reaching the lambda itself means the value is returned.
  return p !== null && fn.kind() === 'lambda';
}

/** Deny is tested before allow: the first deny literal comes before the first allow literal. */
export function denyFirst(literals: Literal[]): boolean {
  const deny = literals.find((l) => l.value === 'deny')?.index;
  const allow = literals.find((l) => l.value === 'allow')?.index;
  return deny !== undefined && (allow === undefined || deny < allow);
}

export function distinctDecisions(literals: { value: Decision }[]): Decision[] {
  return DECISIONS.filter((d) => literals.some((l) => l.value === d));
}

const TIERS: Record<string, string> = {
  builtin: 'builtin',
  'built-in': 'builtin',
  built_in: 'builtin',
  core: 'builtin',
  plugin: 'plugin',
  mcp: 'mcp',
  skill: 'skill',
  user: 'user',
  project: 'project',
  managed: 'managed',
  extension: 'plugin',
};

/** Trust tiers by provenance named in a function: string literals or enum-like members (`Source.Plugin`). */
export function tiersIn(fn: SgNode): string[] {
  const found = new Set<string>();
  for (const s of fn.findAll({ rule: { kind: 'string' } })) {
    const tier = TIERS[(stringValue(s) ?? '').toLowerCase()];
    if (tier) found.add(tier);
  }
  const py = fn.kind() === 'function_definition' || fn.kind() === 'module';
  for (const m of fn.findAll({ rule: { kind: py ? 'attribute' : 'member_expression' } })) {
    const obj = (m.field('object')?.text() ?? '').split('.').pop() ?? '';
    if (!/^(Tier|Trust|Provenance|Source|Origin|ToolSource|ToolOrigin|TrustLevel|TrustTier)$/i.test(obj))
      continue;
    const prop =
      m
        .field(py ? 'attribute' : 'property')
        ?.text()
        .toLowerCase() ?? '';
    const tier = TIERS[prop];
    if (tier) found.add(tier);
  }
  return [...found].sort();
}

const TIER_DECLARATION = '(?i)(tier|trust|provenance|origin)';

/**
 * Tiers declared next to an engine: a type or enum named like a trust tier (`type TrustTier = 'builtin' |
 * 'plugin'`), or a helper such as `tierOf()` / `trusts()` — counted when the engine names the declaration.
 */
export function declaredTiers(root: SgNode, engine: SgNode): string[] {
  const py = root.kind() === 'module';
  const kinds = py
    ? ['class_definition', 'function_definition']
    : ['type_alias_declaration', 'enum_declaration', 'function_declaration'];
  const decls = kinds.flatMap((kind) =>
    root.findAll({ rule: { kind, has: { field: 'name', regex: TIER_DECLARATION } } }),
  );
  // Follow references: the engine calls trusts(), which calls tierOf(), which returns a TrustTier.
  const texts = [engine.text()];
  const used = new Set<SgNode>();
  const found = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const decl of decls) {
      if (used.has(decl)) continue;
      const name = decl.field('name')?.text() ?? '';
      if (!name || !texts.some((t) => new RegExp(`\\b${name}\\b`).test(t))) continue;
      used.add(decl);
      texts.push(decl.text());
      for (const t of tiersIn(decl)) found.add(t);
      grew = true;
    }
  }
  return [...found].sort();
}
