import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FACT_KINDS as FRAMEWORK_KINDS } from '../src/detectors/frameworks.js';
import { FACT_KINDS as GATE_KINDS } from '../src/detectors/permission-gates.js';
import { FACT_KINDS as SETTINGS_KINDS } from '../src/detectors/permission-settings.js';
import { FACT_KINDS as SUBAGENT_KINDS } from '../src/detectors/sub-agents.js';
import { FACT_KINDS as POOL_KINDS } from '../src/detectors/tool-pool.js';
import { FACT_KINDS as TOOL_KINDS } from '../src/detectors/tools.js';
import { type Condition, PrimitiveRubricSchema } from '../src/rubrics/schema.js';

const EMITTED = new Set<string>([
  ...FRAMEWORK_KINDS,
  ...TOOL_KINDS,
  ...SETTINGS_KINDS,
  ...GATE_KINDS,
  ...POOL_KINDS,
  ...SUBAGENT_KINDS,
]);

function kindsIn(cond: Condition | undefined): string[] {
  if (!cond) return [];
  if ('fact' in cond) return [cond.fact];
  if ('every' in cond) return [cond.every];
  if ('all' in cond) return cond.all.flatMap(kindsIn);
  if ('any' in cond) return cond.any.flatMap(kindsIn);
  return kindsIn(cond.not);
}

/** Conditions that hold on their own when a project has nothing: only `not`, or `every` hiding behind one. */
function positive(cond: Condition): boolean {
  if ('fact' in cond || 'every' in cond) return true;
  if ('all' in cond) return cond.all.some(positive);
  if ('any' in cond) return cond.any.every(positive);
  return false;
}

const FILES = ['tool-registry', 'permissions', 'tool-pool', 'sub-agents'];

describe.each(FILES)('rubrics/core/%s.yaml', (id) => {
  const rubric = PrimitiveRubricSchema.parse(parse(readFileSync(`rubrics/core/${id}.yaml`, 'utf8')));

  it('parses against the schema with its id, an add command and a required criterion', () => {
    expect(rubric.id).toBe(id);
    expect(rubric.add).toBe(`plumbline add ${id}`);
    expect(rubric.criteria.filter((c) => c.required).length).toBeGreaterThanOrEqual(1);
    expect(rubric.criteria.every((c) => c.id.startsWith(`${id}.`))).toBe(true);
    expect(new Set(rubric.criteria.map((c) => c.id)).size).toBe(rubric.criteria.length);
  });

  it('references only fact kinds our detectors emit', () => {
    const kinds = rubric.criteria.flatMap((c) => [
      ...kindsIn(c.pass),
      ...kindsIn(c.partial),
      ...kindsIn(c.applicable),
    ]);
    const unknown = kinds.filter((k) => !EMITTED.has(k));
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
