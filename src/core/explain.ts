import type { z } from 'zod';
import { loadRubrics, type RubricSet } from '../rubrics/load.js';
import { type Condition, PHASES, type PhaseId, type Severity, type WhereSchema } from '../rubrics/schema.js';
import { closest } from './did-you-mean.js';
import { UsageError } from './errors.js';

type Where = z.infer<typeof WhereSchema>;

export interface CriterionSummary {
  id: string;
  title: string;
  required: boolean;
  severity: Severity;
  weight: number;
  /** How the criterion passes, in words (may span lines). */
  passes: string;
  add?: string;
}

export interface PrimitiveExplanation {
  kind: 'primitive';
  id: string;
  title: string;
  phase: PhaseId;
  present: string;
  why: string;
  add: string;
  passScore: number;
  /** When the primitive applies at all, in words; absent when it always does. */
  applicable?: string;
  criteria: CriterionSummary[];
}

export interface CriterionExplanation {
  kind: 'criterion';
  id: string;
  title: string;
  primitive: { id: string; title: string; phase: PhaseId };
  required: boolean;
  severity: Severity;
  weight: number;
  rationale: string;
  remediation: string;
  add?: string;
  conditions: { applicable?: string; pass: string; partial?: string };
  reasons: { pass: string; partial?: string; fail: string; 'not-applicable'?: string };
}

export type Explanation = PrimitiveExplanation | CriterionExplanation;

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function renderWhere(where: Where | undefined): string {
  if (!where) return '';
  const parts: string[] = [];
  for (const [field, test] of Object.entries(where)) {
    if (test === null || typeof test !== 'object') {
      parts.push(`${field} = ${show(test)}`);
      continue;
    }
    if (test.exists !== undefined) parts.push(test.exists ? `${field} is set` : `${field} is not set`);
    if (test.in !== undefined) parts.push(`${field} is one of ${test.in.map(show).join(', ')}`);
    if (test.not !== undefined) parts.push(`${field} ≠ ${show(test.not)}`);
    if (test.gte !== undefined) parts.push(`${field} ≥ ${test.gte}`);
    if (test.lte !== undefined) parts.push(`${field} ≤ ${test.lte}`);
    if (test.regex !== undefined) parts.push(`${field} matches /${test.regex}/`);
  }
  return parts.join(' and ');
}

const rolesNote = (roles: readonly string[] | undefined) => (roles ? ` in ${roles.join('/')} files` : '');

function renderLeaf(cond: Condition, negated: boolean): string | undefined {
  if ('fact' in cond) {
    const where = renderWhere(cond.where);
    const min = cond.min ?? 1;
    const head = negated
      ? `no ${cond.fact} fact`
      : min === 1
        ? `a ${cond.fact} fact`
        : `at least ${min} ${cond.fact} facts`;
    return `${head}${where ? ` where ${where}` : ''}${rolesNote(cond.roles)}`;
  }
  if ('every' in cond) {
    const share = cond.share ?? 1;
    const quant =
      share >= 1 ? `every ${cond.every} fact` : `at least ${Math.round(share * 100)}% of ${cond.every} facts`;
    const text = `${quant} ${share >= 1 ? 'has' : 'have'} ${renderWhere(cond.where) || 'no constraint'}${rolesNote(cond.roles)} (and there is at least one)`;
    return negated ? `not ${text}` : text;
  }
  return undefined;
}

/** A condition in words, nested combinators as an indented list. */
export function renderCondition(cond: Condition, indent = ''): string {
  const leaf = renderLeaf(cond, false);
  if (leaf) return leaf;
  if ('not' in cond) {
    const inner = renderLeaf(cond.not, true);
    return inner ?? `none of:\n${indent}  - ${renderCondition(cond.not, `${indent}    `)}`;
  }
  if (!('all' in cond) && !('any' in cond)) return '';
  const [label, parts] = 'all' in cond ? ['all of', cond.all] : ['any of', cond.any];
  return `${label}:${parts.map((p) => `\n${indent}  - ${renderCondition(p, `${indent}    `)}`).join('')}`;
}

function unknownId(id: string, rubrics: RubricSet): UsageError {
  const ids = [...rubrics.primitive.keys(), ...rubrics.criteria.keys()];
  const guess = closest(id, ids);
  return new UsageError(`unknown primitive or criterion "${id}"`, {
    hint: guess
      ? `did you mean "${guess}"?`
      : 'run `plumbline rubrics` to list primitives and their criteria',
  });
}

/** What `plumbline explain <id>` shows, for a primitive or a criterion id. */
export function explain(id: string, rubrics: RubricSet = loadRubrics()): Explanation {
  const prim = rubrics.primitive.get(id);
  if (prim)
    return {
      kind: 'primitive',
      id: prim.id,
      title: prim.title,
      phase: prim.phase,
      present: prim.present,
      why: prim.why,
      add: prim.add,
      passScore: prim.passScore,
      ...(prim.applicable ? { applicable: renderCondition(prim.applicable) } : {}),
      criteria: prim.criteria.map((c) => ({
        id: c.id,
        title: c.title,
        required: c.required,
        severity: c.severity,
        weight: c.weight,
        passes: renderCondition(c.pass),
        ...((c.add ?? prim.add) ? { add: c.add ?? prim.add } : {}),
      })),
    };
  const entry = rubrics.criteria.get(id);
  if (!entry) throw unknownId(id, rubrics);
  const { criterion: c, primitive: p } = entry;
  return {
    kind: 'criterion',
    id: c.id,
    title: c.title,
    primitive: { id: p.id, title: p.title, phase: p.phase },
    required: c.required,
    severity: c.severity,
    weight: c.weight,
    rationale: c.rationale,
    remediation: c.remediation,
    ...((c.add ?? p.add) ? { add: c.add ?? p.add } : {}),
    conditions: {
      ...(c.applicable ? { applicable: renderCondition(c.applicable) } : {}),
      pass: renderCondition(c.pass),
      ...(c.partial ? { partial: renderCondition(c.partial) } : {}),
    },
    reasons: c.reasons,
  };
}

export interface RubricListing {
  phase: PhaseId;
  primitives: { id: string; title: string; present: string; criteria: number; required: number }[];
}

/** What `plumbline rubrics` shows: primitives by phase with their criteria counts. */
export function listRubrics(rubrics: RubricSet = loadRubrics()): RubricListing[] {
  return PHASES.map((phase) => ({
    phase,
    primitives: rubrics.primitives
      .filter((p) => p.phase === phase)
      .map((p) => ({
        id: p.id,
        title: p.title,
        present: p.present,
        criteria: p.criteria.length,
        required: p.criteria.filter((c) => c.required).length,
      })),
  }));
}
