import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { explain, listRubrics, renderCondition } from '../src/core/explain.js';
import { buildRubricSet } from '../src/rubrics/load.js';
import { PrimitiveRubricSchema } from '../src/rubrics/schema.js';

const RUBRICS = buildRubricSet(
  [
    {
      file: 'tool-registry.yaml',
      value: PrimitiveRubricSchema.parse({
        id: 'tool-registry',
        phase: 'day-one',
        title: 'Tool registry',
        present: 'tools are declared as data',
        why: 'The model sees tools through their declarations.',
        add: 'plumbline add tool-registry',
        criteria: [
          {
            id: 'tool-registry.declared',
            title: 'Tools are declared as data',
            required: true,
            weight: 3,
            severity: 'high',
            rationale: 'Data can be checked.',
            remediation: 'Declare tools with a schema.',
            pass: { fact: 'tool.definition', where: { schema: { in: ['zod', 'json-schema'] } } },
            reasons: { pass: 'Found.', fail: 'Missing.' },
          },
          {
            id: 'tool-registry.descriptions',
            title: 'Every tool is described',
            severity: 'medium',
            rationale: 'The model picks tools by description.',
            remediation: 'Describe each tool.',
            add: 'plumbline fix --descriptions',
            applicable: { fact: 'tool.definition' },
            pass: {
              all: [
                { every: 'tool.definition', where: { hasDescription: true, descriptionWords: { gte: 4 } } },
                { not: { fact: 'tool.duplicate-name' } },
                {
                  any: [
                    { fact: 'ci.guard', roles: ['ci'] },
                    { fact: 'x', min: 2 },
                  ],
                },
              ],
            },
            partial: { every: 'tool.definition', where: { hasDescription: true }, share: 0.5 },
            reasons: { pass: 'Described.', fail: 'Undescribed.' },
          },
        ],
      }),
    },
  ],
  { core: false },
);

describe('explain', () => {
  it('renders conditions in words', () => {
    expect(
      renderCondition({
        fact: 'a.b',
        where: { x: { exists: true }, y: 'z', n: { lte: 3 }, r: { regex: '^q' } },
      }),
    ).toBe('a a.b fact where x is set and y = z and n ≤ 3 and r matches /^q/');
    expect(renderCondition({ not: { all: [{ fact: 'a' }, { fact: 'b', roles: ['test'] }] } })).toBe(
      'none of:\n  - all of:\n      - a a fact\n      - a b fact in test files',
    );
  });

  it('explains a primitive with how each criterion passes', () => {
    const e = explain('tool-registry', RUBRICS);
    expect(e.kind).toBe('primitive');
    if (e.kind !== 'primitive') return;
    expect(e).toMatchObject({
      title: 'Tool registry',
      phase: 'day-one',
      add: 'plumbline add tool-registry',
      passScore: 6,
    });
    expect(e.criteria.map((c) => [c.id, c.required, c.add])).toEqual([
      ['tool-registry.declared', true, 'plumbline add tool-registry'],
      ['tool-registry.descriptions', false, 'plumbline fix --descriptions'],
    ]);
    expect(e.criteria[0]?.passes).toBe('a tool.definition fact where schema is one of zod, json-schema');
    expect(e.criteria[1]?.passes).toBe(
      [
        'all of:',
        '  - every tool.definition fact has hasDescription = true and descriptionWords ≥ 4 (and there is at least one)',
        '  - no tool.duplicate-name fact',
        '  - any of:',
        '      - a ci.guard fact in ci files',
        '      - at least 2 x facts',
      ].join('\n'),
    );
  });

  it('explains a criterion with rationale, remediation and conditions', () => {
    const e = explain('tool-registry.descriptions', RUBRICS);
    expect(e).toMatchObject({
      kind: 'criterion',
      primitive: { id: 'tool-registry', phase: 'day-one' },
      severity: 'medium',
      weight: 1,
      rationale: 'The model picks tools by description.',
      remediation: 'Describe each tool.',
      conditions: {
        applicable: 'a tool.definition fact',
        partial:
          'at least 50% of tool.definition facts have hasDescription = true (and there is at least one)',
      },
    });
  });

  it('suggests the id meant for an unknown one', () => {
    let error: unknown;
    try {
      explain('descriptions', RUBRICS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('unknown primitive or criterion "descriptions"');
    expect((error as UsageError).hint).toBe('did you mean "tool-registry.descriptions"?');
    expect(() => explain('tool-registy', RUBRICS)).toThrow(UsageError);
  });

  it('lists primitives by phase with criteria counts', () => {
    const list = listRubrics(RUBRICS);
    expect(list.map((p) => p.phase)).toEqual(['day-one', 'week-one', 'month-one']);
    expect(list[0]?.primitives).toEqual([
      {
        id: 'tool-registry',
        title: 'Tool registry',
        present: 'tools are declared as data',
        criteria: 2,
        required: 1,
      },
    ]);
    expect(list[1]?.primitives).toEqual([]);
  });
});
