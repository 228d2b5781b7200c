import { describe, expect, it } from 'vitest';
import { PRIMITIVES } from '../src/rubrics/ids.js';
import type { Condition } from '../src/rubrics/schema.js';
import { ALL_FACT_KINDS, kindsIn, loadCoreRubric } from './helpers/rubrics.js';

/** Conditions that hold on their own when a project has nothing: only `not`, or `every` hiding behind one. */
function positive(cond: Condition): boolean {
  if ('fact' in cond || 'every' in cond) return true;
  if ('all' in cond) return cond.all.some(positive);
  if ('any' in cond) return cond.any.every(positive);
  return false;
}

describe.each([...PRIMITIVES])('rubrics/core/%s.yaml', (id) => {
  const rubric = loadCoreRubric(id);

  it('parses against the schema with its id, an add command and a required criterion', () => {
    expect(rubric.id).toBe(id);
    expect(rubric.add).toBe(`plumbline add ${id}`);
    expect(rubric.criteria.filter((c) => c.required).length).toBeGreaterThanOrEqual(1);
    expect(rubric.criteria.every((c) => c.id.startsWith(`${id}.`))).toBe(true);
    expect(new Set(rubric.criteria.map((c) => c.id)).size).toBe(rubric.criteria.length);
    for (const c of rubric.criteria) {
      if (c.partial) expect(c.reasons.partial, c.id).toBeDefined();
      if (c.applicable) expect(c.reasons['not-applicable'], c.id).toBeDefined();
    }
    if (rubric.applicable) expect(rubric.notApplicableReason).toBeDefined();
  });

  it('references only fact kinds our detectors emit', () => {
    const kinds = rubric.criteria.flatMap((c) => [
      ...kindsIn(c.pass),
      ...kindsIn(c.partial),
      ...kindsIn(c.applicable),
    ]);
    kinds.push(...kindsIn(rubric.applicable));
    const unknown = kinds.filter((k) => !ALL_FACT_KINDS.has(k));
    expect(unknown).toEqual([]);
  });

  it('never passes a criterion on absence alone unless it has an applicability condition', () => {
    for (const c of rubric.criteria) if (!positive(c.pass)) expect(c.applicable, c.id).toBeDefined();
  });

  it('gives every criterion one-sentence reasons', () => {
    for (const c of rubric.criteria)
      for (const reason of Object.values(c.reasons))
        expect(
          (reason ?? '').split(/[.!?](\s|$)/).filter((s) => s?.trim()).length,
          `${c.id}: ${reason}`,
        ).toBe(1);
  });
});
