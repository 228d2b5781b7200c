import { describe, expect, it } from 'vitest';
import { evaluate, factMatches, fieldPasses, indexFacts, usesDefaultRoles } from '../src/core/conditions.js';
import type { Fact, FactValue, FileRole } from '../src/core/types.js';

let line = 0;
const fact = (
  kind: string,
  data: Record<string, FactValue> = {},
  role: FileRole = 'source',
  file = 'src/a.ts',
): Fact => ({
  kind,
  file,
  line: ++line,
  role,
  detector: 'test',
  data,
});

describe('field tests', () => {
  it('compares scalars and treats a list field as membership', () => {
    expect(fieldPasses('zod', 'zod')).toBe(true);
    expect(fieldPasses('zod', 'json-schema')).toBe(false);
    expect(fieldPasses(['read', 'exec'], 'exec')).toBe(true);
    expect(fieldPasses(['read'], 'exec')).toBe(false);
    expect(fieldPasses(3, 3)).toBe(true);
    expect(fieldPasses('3', 3)).toBe(false);
    expect(fieldPasses(undefined, null)).toBe(true);
    expect(fieldPasses(false, false)).toBe(true);
    expect(fieldPasses(undefined, false)).toBe(false);
  });

  it('supports in, not, gte, lte, exists and regex, all of them together', () => {
    expect(fieldPasses('zod', { in: ['zod', 'json-schema'] })).toBe(true);
    expect(fieldPasses('none', { in: ['zod', 'json-schema'] })).toBe(false);
    expect(fieldPasses(['a', 'b'], { in: ['b'] })).toBe(true);
    expect(fieldPasses('deny', { not: 'allow' })).toBe(true);
    expect(fieldPasses('allow', { not: 'allow' })).toBe(false);
    expect(fieldPasses(['allow'], { not: 'allow' })).toBe(false);
    expect(fieldPasses(undefined, { not: 'allow' })).toBe(true);
    expect(fieldPasses(5, { gte: 5, lte: 5 })).toBe(true);
    expect(fieldPasses(4, { gte: 5 })).toBe(false);
    expect(fieldPasses(6, { lte: 5 })).toBe(false);
    expect(fieldPasses('5', { gte: 1 })).toBe(false);
    expect(fieldPasses(['x', 'y'], { gte: 2 })).toBe(true);
    expect(fieldPasses('text', { exists: true })).toBe(true);
    expect(fieldPasses('', { exists: true })).toBe(false);
    expect(fieldPasses([], { exists: true })).toBe(false);
    expect(fieldPasses(null, { exists: false })).toBe(true);
    expect(fieldPasses(0, { exists: true })).toBe(true);
    expect(fieldPasses('rm -rf', { regex: '^rm\\b' })).toBe(true);
    expect(fieldPasses(['ls', 'rm'], { regex: '^rm$' })).toBe(true);
    expect(fieldPasses(undefined, { regex: '.*' })).toBe(false);
    expect(fieldPasses('abc', { exists: true, regex: '^x' })).toBe(false);
  });

  it('reads fact fields from data first, then from the fact itself', () => {
    const f = fact('k', { name: 'x' }, 'test', 'test/a.test.ts');
    expect(factMatches(f, { name: 'x', role: 'test', file: { regex: '\\.test\\.ts$' } })).toBe(true);
    expect(factMatches({ ...f, data: { role: 'other' } }, { role: 'test' })).toBe(false);
  });
});

describe('evaluate', () => {
  const facts = [
    fact('tool.definition', { name: 'read', description: 'Reads a file', schema: 'zod' }),
    fact('tool.definition', { name: 'write', description: '', schema: 'none' }),
    fact('tool.definition', { name: 'demo', description: 'x', schema: 'zod' }, 'example', 'examples/a.ts'),
    fact('permission.gate', { decision: 'deny' }, 'test', 'test/gate.test.ts'),
    fact('ci.workflow', {}, 'ci', '.github/workflows/ci.yml'),
  ];
  const index = indexFacts(facts);

  it('counts facts of a kind in the default (primary) roles against min', () => {
    expect(evaluate({ fact: 'tool.definition' }, index).evidence).toHaveLength(2);
    expect(evaluate({ fact: 'tool.definition', min: 2 }, index).holds).toBe(true);
    expect(evaluate({ fact: 'tool.definition', min: 3 }, index).holds).toBe(false);
    expect(evaluate({ fact: 'tool.definition', min: 3 }, index, { withSecondary: true }).holds).toBe(true);
    expect(
      evaluate({ fact: 'tool.definition', where: { schema: 'zod' } }, index).evidence.map((f) => f.data.name),
    ).toEqual(['read']);
    expect(evaluate({ fact: 'nothing.here' }, index).holds).toBe(false);
  });

  it('honours explicit roles and ignores withSecondary for them', () => {
    expect(evaluate({ fact: 'ci.workflow' }, index).holds).toBe(false);
    expect(evaluate({ fact: 'ci.workflow', roles: ['ci'] }, index).holds).toBe(true);
    expect(evaluate({ fact: 'permission.gate' }, index).holds).toBe(false);
    expect(evaluate({ fact: 'permission.gate' }, index, { withSecondary: true }).holds).toBe(true);
    expect(
      evaluate({ fact: 'tool.definition', roles: ['source'] }, index, { withSecondary: true }).evidence,
    ).toHaveLength(2);
  });

  it('every: needs one fact, returns failing facts as offenders, respects share', () => {
    const r = evaluate({ every: 'tool.definition', where: { description: { exists: true } } }, index);
    expect(r.holds).toBe(false);
    expect(r.offenders.map((f) => f.data.name)).toEqual(['write']);
    expect(r.evidence.map((f) => f.data.name)).toEqual(['read']);
    expect(
      evaluate({ every: 'tool.definition', where: { description: { exists: true } }, share: 0.5 }, index)
        .holds,
    ).toBe(true);
    expect(evaluate({ every: 'missing.kind', where: {} }, index)).toEqual({
      holds: false,
      evidence: [],
      offenders: [],
    });
  });

  it('combines with all, any and not', () => {
    const tools = { fact: 'tool.definition' };
    const missing = { fact: 'missing.kind' };
    const described = { every: 'tool.definition', where: { description: { exists: true } } };
    expect(evaluate({ all: [tools, missing] }, index).holds).toBe(false);
    expect(evaluate({ all: [tools, tools] }, index).holds).toBe(true);
    const any = evaluate({ any: [missing, tools] }, index);
    expect(any.holds).toBe(true);
    expect(any.evidence).toHaveLength(2);
    expect(evaluate({ any: [missing, missing] }, index).holds).toBe(false);
    const not = evaluate({ not: missing }, index);
    expect(not).toEqual({ holds: true, evidence: [], offenders: [] });
    expect(evaluate({ not: tools }, index).holds).toBe(false);
    // Offenders travel up from the part that fails.
    expect(evaluate({ all: [tools, described] }, index).offenders.map((f) => f.data.name)).toEqual(['write']);
    expect(evaluate({ any: [missing, described] }, index).offenders.map((f) => f.data.name)).toEqual([
      'write',
    ]);
    expect(evaluate({ any: [tools, described] }, index).offenders).toEqual([]);
  });

  it('tells whether secondary roles could change the verdict', () => {
    expect(usesDefaultRoles({ fact: 'a' })).toBe(true);
    expect(usesDefaultRoles({ fact: 'a', roles: ['ci'] })).toBe(false);
    expect(
      usesDefaultRoles({ all: [{ fact: 'a', roles: ['ci'] }, { not: { every: 'b', where: {} } }] }),
    ).toBe(true);
  });
});
