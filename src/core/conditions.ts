import type { z } from 'zod';
import type { Condition, ROLES, WhereSchema } from '../rubrics/schema.js';
import { cachedRegex } from './regex-cache.js';
import { type Fact, type FactValue, type FileRole, PRIMARY_ROLES, SECONDARY_ROLES } from './types.js';

type Where = z.infer<typeof WhereSchema>;
type FieldTest = Where[string];
type Role = (typeof ROLES)[number];

/** Facts grouped by kind, built once per audit. */
export type FactIndex = ReadonlyMap<string, readonly Fact[]>;

export function indexFacts(facts: readonly Fact[]): FactIndex {
  const index = new Map<string, Fact[]>();
  for (const f of facts) {
    const list = index.get(f.kind);
    if (list) list.push(f);
    else index.set(f.kind, [f]);
  }
  return index;
}

export interface EvalOptions {
  /**
   * Add the secondary roles (test, example, script) to every `fact`/`every` that relies on the default
   * roles — how the scorer tells "only on a secondary path" from "missing".
   */
  withSecondary?: boolean;
}

export interface EvalResult {
  holds: boolean;
  /**
   * Facts that made the condition hold. When it does not hold, the facts its positive parts did match —
   * good for pointing a finding at something real. A `not` contributes none.
   */
  evidence: Fact[];
  /** Facts of an `every` that fail its test, from the parts that do not hold. */
  offenders: Fact[];
}

const PRIMARY: readonly FileRole[] = PRIMARY_ROLES;
const WITH_SECONDARY: readonly FileRole[] = [...PRIMARY_ROLES, ...SECONDARY_ROLES];

/** A fact's field: its data first, then the fact's own `file`, `role`, `line` and `detector`. */
function fieldOf(fact: Fact, field: string): FactValue | undefined {
  if (Object.hasOwn(fact.data, field)) return fact.data[field];
  if (field === 'file' || field === 'role' || field === 'detector') return fact[field];
  if (field === 'line') return fact.line;
  return undefined;
}

const isPresent = (v: FactValue | undefined) =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

const sameScalar = (v: FactValue | undefined, expected: string | number | boolean | null) =>
  expected === null ? v === null || v === undefined : v === expected;

/**
 * One field test. A bare scalar is equality (membership when the field is a list); the keys of a test
 * object all have to pass. `exists` means present and non-empty; `gte`/`lte` compare numbers, or the
 * length of a list.
 */
export function fieldPasses(value: FactValue | undefined, test: FieldTest): boolean {
  if (test === null || typeof test !== 'object') {
    return Array.isArray(value) ? value.includes(test as string) : sameScalar(value, test);
  }
  if (test.exists !== undefined && isPresent(value) !== test.exists) return false;
  if (test.in !== undefined) {
    const options = test.in;
    const ok = Array.isArray(value)
      ? value.some((v) => options.includes(v))
      : options.some((o) => sameScalar(value, o));
    if (!ok) return false;
  }
  if (test.not !== undefined) {
    const hit = Array.isArray(value) ? value.includes(test.not as string) : sameScalar(value, test.not);
    if (hit) return false;
  }
  if (test.gte !== undefined || test.lte !== undefined) {
    const n = Array.isArray(value) ? value.length : value;
    if (typeof n !== 'number') return false;
    if (test.gte !== undefined && n < test.gte) return false;
    if (test.lte !== undefined && n > test.lte) return false;
  }
  if (test.regex !== undefined) {
    const re = cachedRegex(test.regex);
    const ok = Array.isArray(value)
      ? value.some((v) => re.test(v))
      : typeof value === 'string'
        ? re.test(value)
        : typeof value === 'number' || typeof value === 'boolean'
          ? re.test(String(value))
          : false;
    if (!ok) return false;
  }
  return true;
}

export function factMatches(fact: Fact, where: Where | undefined): boolean {
  if (!where) return true;
  for (const field in where) if (!fieldPasses(fieldOf(fact, field), where[field] as FieldTest)) return false;
  return true;
}

function factsOf(
  index: FactIndex,
  kind: string,
  roles: readonly Role[] | undefined,
  opts: EvalOptions,
): Fact[] {
  const all = index.get(kind);
  if (!all) return [];
  const allowed = roles ?? (opts.withSecondary ? WITH_SECONDARY : PRIMARY);
  return all.filter((f) => allowed.includes(f.role));
}

const NONE: EvalResult = { holds: false, evidence: [], offenders: [] };

/** Evaluates a criterion condition over the project's facts. Pure; no I/O. */
export function evaluate(cond: Condition, index: FactIndex, opts: EvalOptions = {}): EvalResult {
  if ('fact' in cond) {
    const matching = factsOf(index, cond.fact, cond.roles, opts).filter((f) => factMatches(f, cond.where));
    return { holds: matching.length >= (cond.min ?? 1), evidence: matching, offenders: [] };
  }
  if ('every' in cond) {
    const facts = factsOf(index, cond.every, cond.roles, opts);
    if (facts.length === 0) return NONE;
    const passing: Fact[] = [];
    const failing: Fact[] = [];
    for (const f of facts) (factMatches(f, cond.where) ? passing : failing).push(f);
    const holds = passing.length / facts.length >= (cond.share ?? 1);
    return { holds, evidence: passing, offenders: failing };
  }
  if ('all' in cond) {
    const parts = cond.all.map((c) => evaluate(c, index, opts));
    const holds = parts.every((p) => p.holds);
    return {
      holds,
      evidence: parts.flatMap((p) => p.evidence),
      offenders: parts.filter((p) => !p.holds).flatMap((p) => p.offenders),
    };
  }
  if ('any' in cond) {
    const parts = cond.any.map((c) => evaluate(c, index, opts));
    const held = parts.filter((p) => p.holds);
    if (held.length > 0) return { holds: true, evidence: held.flatMap((p) => p.evidence), offenders: [] };
    return {
      holds: false,
      evidence: parts.flatMap((p) => p.evidence),
      offenders: parts.flatMap((p) => p.offenders),
    };
  }
  return { holds: !evaluate(cond.not, index, opts).holds, evidence: [], offenders: [] };
}

/** Whether any `fact`/`every` in the condition relies on the default roles (secondary paths can matter). */
export function usesDefaultRoles(cond: Condition): boolean {
  if ('fact' in cond || 'every' in cond) return cond.roles === undefined;
  if ('all' in cond) return cond.all.some(usesDefaultRoles);
  if ('any' in cond) return cond.any.some(usesDefaultRoles);
  return usesDefaultRoles(cond.not);
}
