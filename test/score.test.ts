import { describe, expect, it } from 'vitest';
import { indexFacts } from '../src/core/conditions.js';
import { fingerprint, overallScore, type ScoreInput, score } from '../src/core/score.js';
import type { Fact, FactValue, FileRole } from '../src/core/types.js';
import { buildRubricSet } from '../src/rubrics/load.js';
import { type PrimitiveRubric, PrimitiveRubricSchema } from '../src/rubrics/schema.js';

const reasons = (what: string) => ({ pass: `${what} found.`, fail: `No ${what}.`, partial: `Some ${what}.` });

function rubric(id: string, phase: string, criteria: object[], extra: object = {}): PrimitiveRubric {
  return PrimitiveRubricSchema.parse({
    id,
    phase,
    title: `Title of ${id}`,
    present: `${id} is present`,
    why: 'because',
    add: `plumbline add ${id}`,
    criteria: criteria.map((c) => ({
      severity: 'medium',
      rationale: 'r',
      remediation: 'Do the thing. Then more.',
      ...c,
    })),
    ...extra,
  });
}

const RUBRICS = buildRubricSet(
  [
    rubric('tool-registry', 'day-one', [
      {
        id: 'tool-registry.declared',
        title: 'Tools are declared',
        required: true,
        weight: 3,
        severity: 'high',
        pass: { fact: 'tool.definition' },
        reasons: reasons('tool definitions'),
      },
      {
        id: 'tool-registry.described',
        title: 'Every tool has a description',
        weight: 1,
        pass: { every: 'tool.definition', where: { description: { exists: true } } },
        partial: { every: 'tool.definition', where: { description: { exists: true } }, share: 0.5 },
        reasons: reasons('descriptions'),
      },
    ]),
    rubric('permissions', 'day-one', [
      {
        id: 'permissions.gate',
        title: 'A permission gate',
        required: true,
        severity: 'critical',
        pass: { fact: 'permission.gate' },
        reasons: reasons('permission gate'),
      },
    ]),
    rubric('token-budget', 'week-one', [
      {
        id: 'token-budget.limit',
        title: 'A hard limit',
        required: true,
        pass: { fact: 'budget.limit' },
        reasons: reasons('budget limit'),
        add: 'plumbline add token-budget --limit',
      },
    ]),
    rubric('compaction', 'month-one', [
      {
        id: 'compaction.tiers',
        title: 'Compaction tiers',
        required: true,
        pass: { fact: 'compaction.tier' },
        reasons: reasons('compaction'),
      },
    ]),
    rubric(
      'shell-security',
      'month-one',
      [
        {
          id: 'shell-security.parse',
          title: 'Commands are parsed',
          required: true,
          pass: { fact: 'shell.parse' },
          reasons: reasons('command parsing'),
        },
      ],
      {
        applicable: { fact: 'tool.capability', where: { capability: 'exec' } },
        notApplicableReason: 'There is no shell tool.',
      },
    ),
  ].map((value) => ({ file: `${value.id}.yaml`, value })),
  { core: false },
);

let nextLine = 1;
const fact = (
  kind: string,
  data: Record<string, FactValue> = {},
  role: FileRole = 'source',
  file = 'src/agent.ts',
): Fact => ({
  kind,
  file,
  line: nextLine++,
  role,
  detector: 'test',
  data,
});

/** The scored project uses a supported framework unless a test says otherwise. */
const FRAMEWORK: Fact = {
  kind: 'framework.use',
  file: 'package.json',
  line: 1,
  role: 'config',
  detector: 'test',
  data: { id: 'anthropic-sdk' },
};

function run(facts: Fact[], extra: Partial<ScoreInput> = {}) {
  return score({
    rubrics: RUBRICS,
    facts: indexFacts(facts.some((f) => f.kind === 'framework.use') ? facts : [FRAMEWORK, ...facts]),
    parsedSources: 3,
    fallback: { file: 'package.json', line: 1 },
    now: new Date('2025-06-01T12:00:00Z'),
    ...extra,
  });
}

const prim = (r: ReturnType<typeof run>, id: string) => r.primitives.find((p) => p.id === id)!;
const crit = (r: ReturnType<typeof run>, id: string) =>
  r.primitives.flatMap((p) => p.criteria).find((c) => c.id === id)!;

const tools = (...described: boolean[]) =>
  described.map((d, i) => fact('tool.definition', { name: `tool${i}`, description: d ? 'Does things' : '' }));

describe('criterion status', () => {
  it('passes on primary facts, with their evidence', () => {
    const r = run(tools(true, true));
    expect(crit(r, 'tool-registry.declared')).toMatchObject({
      status: 'pass',
      reason: 'tool definitions found.',
    });
    expect(crit(r, 'tool-registry.declared').evidence).toHaveLength(2);
    expect(crit(r, 'tool-registry.declared').evidence[0]?.file).toBe('src/agent.ts');
  });

  it('is partial when the partial condition holds, and names the offenders when it fails', () => {
    expect(crit(run(tools(true, false)), 'tool-registry.described')).toMatchObject({
      status: 'partial',
      reason: 'Some descriptions.',
    });
    const failed = crit(run(tools(true, false, false)), 'tool-registry.described');
    expect(failed.status).toBe('fail');
    expect(failed.reason).toBe('No descriptions: tool1, tool2.');
    expect(failed.evidence).toHaveLength(2);
  });

  it('is partial when pass holds only once secondary roles are added', () => {
    const r = run([...tools(true), fact('permission.gate', {}, 'example', 'examples/demo.ts')]);
    expect(crit(r, 'permissions.gate')).toMatchObject({
      status: 'partial',
      reason: 'permission gate found, but only on a secondary path: examples/demo.ts.',
      evidence: [{ file: 'examples/demo.ts', line: expect.any(Number) }],
    });
    expect(prim(r, 'permissions').status).toBe('partial');
  });

  it('ignores roles that are never secondary (docs, fixtures)', () => {
    const r = run([...tools(true), fact('permission.gate', {}, 'fixture', 'test/fixtures/a.ts')]);
    expect(crit(r, 'permissions.gate').status).toBe('fail');
  });
});

describe('primitive scores, phases and maturity', () => {
  it('weights criteria (pass 1, partial 0.5, fail 0) on a 0–10 scale with one decimal', () => {
    const r = run(tools(true, false)); // declared pass (w3), described partial (w1)
    expect(prim(r, 'tool-registry').score).toBe(8.8);
    expect(prim(r, 'tool-registry').status).toBe('pass');
    expect(prim(r, 'permissions')).toMatchObject({ status: 'fail', score: 0, reason: 'No permission gate.' });
  });

  it('needs score >= passScore for pass, and fails only when every required criterion fails', () => {
    const strict = buildRubricSet(
      [{ file: 'x.yaml', value: { ...RUBRICS.primitive.get('tool-registry')!, passScore: 9 } }],
      { core: false },
    );
    const r = run(tools(true, false), { rubrics: strict });
    expect(prim(r, 'tool-registry').status).toBe('partial');
    expect(prim(r, 'tool-registry').reason).toContain('weakest: Every tool has a description');
  });

  it('is not-applicable (score null) when the primitive does not apply, and that does not block the phase', () => {
    const r = run([...tools(true), fact('permission.gate'), fact('budget.limit'), fact('compaction.tier')]);
    expect(prim(r, 'shell-security')).toMatchObject({
      status: 'not-applicable',
      score: null,
      reason: 'There is no shell tool.',
    });
    expect(r.phases.map((p) => p.status)).toEqual(['complete', 'complete', 'complete']);
    expect(r.phases.find((p) => p.id === 'month-one')?.score).toBe(10);
    expect(r.maturity).toBe('month-one');
  });

  it('stops maturity at the first incomplete phase even when later ones are complete', () => {
    const r = run([...tools(true), fact('budget.limit')]);
    expect(r.phases.map((p) => p.status)).toEqual(['incomplete', 'complete', 'incomplete']);
    expect(r.phases[0]?.score).toBe(5);
    expect(r.maturity).toBe('none');
  });

  it('marks everything inconclusive with no score when no source was parsed', () => {
    const r = run([], { parsedSources: 0 });
    expect(r.primitives.every((p) => p.status === 'inconclusive' && p.score === null)).toBe(true);
    expect(r.primitives[0]?.criteria[0]?.status).toBe('inconclusive');
    expect(r.findings).toEqual([]);
    expect(r.maturity).toBe('none');
    expect(overallScore(r.primitives)).toBeNull();
  });
});

describe('findings', () => {
  it('raises one finding per failing criterion at the manifest when something is missing', () => {
    const r = run(tools(true));
    const gate = r.findings.find((f) => f.criterion === 'permissions.gate')!;
    expect(gate).toMatchObject({
      id: 'permissions.gate',
      primitive: 'permissions',
      severity: 'critical',
      message: 'No permission gate.',
      file: 'package.json',
      line: 1,
      remediation: 'Do the thing. Then more.',
      add: 'plumbline add permissions',
    });
    expect(gate.fingerprint).toBe(fingerprint('permissions.gate', 'package.json', ''));
    expect(gate.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    // Sorted by severity: critical first.
    expect(r.findings[0]?.severity).toBe('critical');
  });

  it('raises one finding per offender of an every condition, fingerprinted without line numbers', () => {
    const r = run(tools(true, false, false));
    const offenders = r.findings.filter((f) => f.criterion === 'tool-registry.described');
    expect(offenders.map((f) => f.id)).toEqual([
      'tool-registry.described:tool1',
      'tool-registry.described:tool2',
    ]);
    expect(offenders[0]?.message).toBe('Every tool has a description: not met by "tool1".');
    expect(offenders[0]?.file).toBe('src/agent.ts');
    const moved = run(tools(true, false, false)); // same facts, new line numbers
    const again = moved.findings.filter((f) => f.criterion === 'tool-registry.described');
    expect(again[0]?.line).not.toBe(offenders[0]?.line);
    expect(again.map((f) => f.fingerprint)).toEqual(offenders.map((f) => f.fingerprint));
    expect(new Set(offenders.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('keeps unnamed offenders in one file apart', () => {
    const r = run([
      fact('tool.definition', { description: '' }),
      fact('tool.definition', { description: '' }),
    ]);
    const fps = r.findings.filter((f) => f.criterion === 'tool-registry.described').map((f) => f.fingerprint);
    expect(new Set(fps).size).toBe(2);
  });

  it('points at the secondary-path evidence for a secondary-only partial', () => {
    const r = run([...tools(true), fact('permission.gate', {}, 'test', 'test/gate.test.ts')]);
    expect(r.findings.find((f) => f.criterion === 'permissions.gate')?.file).toBe('test/gate.test.ts');
  });
});

describe('project config', () => {
  it('overrides severity and weight, and disables criteria', () => {
    const r = run(tools(true, false, false), {
      config: {
        criteria: {
          'tool-registry.described': { enabled: false },
          'permissions.gate': { severity: 'low', weight: 5 },
        },
      },
    });
    expect(crit(r, 'tool-registry.described')).toMatchObject({
      status: 'not-applicable',
      reason: 'Disabled in the project config.',
    });
    expect(prim(r, 'tool-registry').score).toBe(10);
    expect(crit(r, 'permissions.gate')).toMatchObject({ severity: 'low', weight: 5 });
    expect(r.findings.find((f) => f.criterion === 'permissions.gate')?.severity).toBe('low');
  });

  it('waives a whole criterion: marked, scored as pass, no finding', () => {
    const r = run(tools(true), {
      config: {
        waivers: [
          { criterion: 'permissions.gate', reason: 'Gate lives in the host app', expires: '2025-06-01' },
        ],
      },
    });
    expect(crit(r, 'permissions.gate')).toMatchObject({
      status: 'fail',
      waived: { reason: 'Gate lives in the host app', expires: '2025-06-01' },
    });
    expect(prim(r, 'permissions')).toMatchObject({ status: 'pass', score: 10 });
    expect(r.findings.some((f) => f.criterion === 'permissions.gate')).toBe(false);
    expect(r.warnings).toEqual([]);
  });

  it('stops applying a waiver after its expiry day and says so', () => {
    const r = run(tools(true), {
      config: { waivers: [{ criterion: 'permissions.gate', reason: 'later', expires: '2025-05-31' }] },
    });
    expect(crit(r, 'permissions.gate').waived).toBeUndefined();
    expect(r.findings.some((f) => f.criterion === 'permissions.gate')).toBe(true);
    expect(r.warnings).toContainEqual({
      kind: 'waiver-expired',
      message: expect.stringContaining('expired on 2025-05-31'),
    });
  });

  it('suppresses single findings by file glob or fingerprint, leaving the score alone', () => {
    const base = run(tools(true, false, false));
    const target = base.findings.find((f) => f.id === 'tool-registry.described:tool2')!;
    const r = run(tools(true, false, false), {
      config: {
        waivers: [
          { criterion: 'tool-registry.described', fingerprint: target.fingerprint, reason: 'internal tool' },
          { criterion: 'permissions.gate', file: '**/*.json', reason: 'gate is upstream' },
          { criterion: 'token-budget.limit', file: 'src/other/**', reason: 'matches nothing' },
        ],
      },
    });
    const ids = r.findings.map((f) => f.id);
    expect(ids).toContain('tool-registry.described:tool1');
    expect(ids).not.toContain('tool-registry.described:tool2');
    expect(ids).not.toContain('permissions.gate');
    expect(prim(r, 'tool-registry').score).toBe(prim(base, 'tool-registry').score);
    expect(r.warnings).toEqual([
      { kind: 'waiver-unused', message: expect.stringContaining('token-budget.limit') },
    ]);
  });
});

describe('next steps, warnings and the gate', () => {
  it('recommends the earliest incomplete phase first, by severity then weight, with add commands', () => {
    const r = run(tools(true, false, false));
    expect(r.nextSteps.map((s) => s.primitive)).toEqual([
      'permissions',
      'tool-registry',
      'token-budget',
      'compaction',
    ]);
    expect(r.nextSteps[0]).toEqual({
      primitive: 'permissions',
      phase: 'day-one',
      message: 'Add Title of permissions: permissions is present',
      command: 'plumbline add permissions',
    });
    expect(r.nextSteps[1]?.message).toBe(
      'Title of tool-registry — Every tool has a description: Do the thing.',
    );
    expect(r.nextSteps[1]?.command).toBeUndefined();
    expect(r.nextSteps[2]?.command).toBe('plumbline add token-budget');
  });

  it('puts complete phases after incomplete ones and keeps at most ten steps', () => {
    const r = run([...tools(true, false), fact('permission.gate')]);
    // day-one is complete (tool-registry passes with a partial criterion); week-one is not.
    expect(r.nextSteps[0]?.primitive).toBe('token-budget');
    expect(r.nextSteps.at(-1)?.primitive).toBe('tool-registry');
    expect(r.nextSteps.length).toBeLessThanOrEqual(10);
  });

  it('warns about month-one machinery built before day-one primitives', () => {
    const r = run([...tools(true), fact('compaction.tier')]);
    expect(r.warnings).toEqual([
      {
        kind: 'premature-complexity',
        message: expect.stringContaining('compaction'),
        primitives: ['compaction', 'permissions'],
      },
    ]);
    expect(run([...tools(true), fact('permission.gate'), fact('compaction.tier')]).warnings).toEqual([]);
  });

  it('fails the gate on score, severity and target phase, with reasons', () => {
    const facts = [...tools(true), fact('budget.limit')];
    expect(run(facts).gate).toEqual({ failed: false, reasons: [] });
    // Scores: tool-registry 10, permissions 0, token-budget 10, compaction 0 → 5.
    const r = run(facts, { gate: { failUnder: 6, failOn: 'critical', phase: 'week-one' } });
    expect(r.gate.failed).toBe(true);
    expect(r.gate.reasons).toEqual([
      'overall score 5 is below 6',
      '1 finding at severity critical or above',
      'target phase week-one not reached: day-one incomplete (permissions fail)',
    ]);
    expect(r.targetPhase).toBe('week-one');
    expect(
      run(facts, {
        gate: { failUnder: 5, failOn: 'critical' },
        config: { waivers: [{ criterion: 'permissions.gate', reason: 'x' }] },
      }).gate,
    ).toEqual({
      failed: false,
      reasons: [],
    });
    expect(run([], { parsedSources: 0, gate: { failUnder: 1 } }).gate.failed).toBe(true);
  });
});

describe('a project on no supported framework', () => {
  it('warns that failing primitives are unproven rather than absent', () => {
    const r = score({
      rubrics: RUBRICS,
      facts: indexFacts([]),
      parsedSources: 3,
      fallback: { file: 'package.json', line: 1 },
    });
    const w = r.warnings.find((x) => x.kind === 'no-known-framework');
    expect(w?.message).toMatch(/unproven rather than absent/);
    expect(w?.primitives?.length).toBeGreaterThan(0);
    expect(run([]).warnings.find((x) => x.kind === 'no-known-framework')).toBeUndefined();
  });
});
