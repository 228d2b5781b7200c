import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { compiledPathFor } from '../src/rubrics/compiled.js';
import { CORE_PHASE, compileCoreRubrics, coreRubricDir, loadRubrics } from '../src/rubrics/load.js';
import { PRIMITIVES, type PrimitiveId } from '../src/rubrics/schema.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumbline-rubrics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function primitiveYaml(id: string, phase: string = CORE_PHASE[id as PrimitiveId], criterion = ''): string {
  return `id: ${id}
phase: ${phase}
title: Title of ${id}
present: ${id} is present
why: It matters.
add: plumbline add ${id}
criteria:
  - id: ${id}.present
    title: Present
    required: true
    severity: high
    rationale: Needed.
    remediation: Add it.
    pass:
      fact: ${id}.thing
    reasons:
      pass: Found.
      fail: Missing.
${criterion}`;
}

/** A core folder with all twelve primitives, some replaced. */
function coreDir(replace: Record<string, string | null> = {}): string {
  const dir = join(tmp, `core${n++}`);
  mkdirSync(dir);
  for (const id of PRIMITIVES) {
    const text = id in replace ? replace[id] : primitiveYaml(id);
    if (text !== null && text !== undefined) writeFileSync(join(dir, `${id}.yaml`), text);
  }
  return dir;
}

function loadError(dir: string, packs: string[] = []): UsageError {
  try {
    loadRubrics(packs, dir);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('core rubrics', () => {
  it('resolves the core folder two levels above the module', () => {
    expect(coreRubricDir().replace(/\\/g, '/')).toMatch(/\/rubrics\/core$/);
    expect(coreRubricDir()).not.toContain(`${join('src', 'rubrics')}`);
  });

  it('ships twelve valid core rubrics', () => {
    const set = loadRubrics();
    expect(set.primitives.map((p) => p.id).sort()).toEqual([...PRIMITIVES].sort());
    for (const p of set.primitives) expect(p.phase).toBe(CORE_PHASE[p.id as PrimitiveId]);
    expect(set.primitives.every((p) => p.criteria.some((c) => c.required))).toBe(true);
  });

  it('loads twelve primitives in phase order with defaults applied, and caches the set', () => {
    const dir = coreDir();
    const set = loadRubrics([], dir);
    expect(set.primitives.map((p) => p.id)).toEqual([...PRIMITIVES]);
    expect(set.criteria.size).toBe(12);
    const c = set.criteria.get('permissions.present');
    expect(c?.criterion.weight).toBe(1);
    expect(c?.primitive.id).toBe('permissions');
    expect(c?.file).toMatch(/permissions\.yaml$/);
    expect(set.primitive.get('permissions')?.passScore).toBe(6);
    expect(loadRubrics([], dir)).toBe(set);
  });

  it('names file:line:col of a YAML syntax error', () => {
    const e = loadError(coreDir({ permissions: 'id: permissions\nphase: [day-one\n' }));
    expect(e.message).toMatch(/permissions\.yaml:\d+:\d+: YAML syntax error: /);
    expect(e.file).toMatch(/permissions\.yaml$/);
  });

  it('locates an unknown key and lists the allowed ones', () => {
    const text = primitiveYaml('permissions').replace(
      '    severity: high',
      '    severity: high\n    wieght: 2',
    );
    const e = loadError(coreDir({ permissions: text }));
    expect(e.message).toMatch(/permissions\.yaml:12:5: unknown key "wieght" in criteria\[0\]$/);
    expect(e.hint).toMatch(/^did you mean "weight"\? allowed keys: id, title, required, weight, severity/);
  });

  it('lists allowed values of an enum with a suggestion', () => {
    const e = loadError(
      coreDir({ permissions: primitiveYaml('permissions').replace('severity: high', 'severity: hihg') }),
    );
    expect(e.message).toMatch(
      /permissions\.yaml:11:15: "severity" is the string "hihg", which is not allowed here$/,
    );
    expect(e.hint).toBe('did you mean "high"? allowed values: critical, high, medium, low, info');
  });

  it('explains a malformed condition by the branch the author meant', () => {
    const typo = primitiveYaml('permissions').replace(
      '      fact: permissions.thing',
      '      fact: permissions.thing\n      wehre: {}',
    );
    const e1 = loadError(coreDir({ permissions: typo }));
    expect(e1.message).toMatch(/:16:7: unknown key "wehre" in criteria\[0\]\.pass$/);
    expect(e1.hint).toMatch(/did you mean "where"\? allowed keys: fact, where, min, roles/);

    const nested = primitiveYaml('permissions').replace(
      '      fact: permissions.thing',
      '      all:\n        - fact: a\n        - every: b\n          where: {x: {gt: 1}}',
    );
    const e2 = loadError(coreDir({ permissions: nested }));
    expect(e2.message).toMatch(/:18:23: unknown key "gt" in criteria\[0\]\.pass\.all\[1\]\.where\.x$/);
    expect(e2.hint).toContain('allowed keys: in, not, gte, lte, exists, regex');

    const unknownForm = primitiveYaml('permissions').replace(
      '      fact: permissions.thing',
      '      fakt: permissions.thing',
    );
    const e3 = loadError(coreDir({ permissions: unknownForm }));
    expect(e3.message).toMatch(
      /:15:7: criteria\[0\]\.pass must be a mapping with "fact", .*"not", not a mapping$/,
    );
    expect(e3.hint).toBe('use exactly one of the keys: fact, every, all, any, not');
  });

  it('reports a missing key at its parent and collects several problems', () => {
    const text = primitiveYaml('permissions')
      .replace('    title: Present\n', '')
      .replace('phase: day-one', 'phase: 1');
    const e = loadError(coreDir({ permissions: text }));
    expect(e.message).toMatch(/^2 problems in .*permissions\.yaml:/);
    expect(e.message).toMatch(/permissions\.yaml:2:8: "phase" is the number 1, which is not allowed here/);
    expect(e.message).toMatch(
      /permissions\.yaml:8:5: missing required key "title" in criteria\[0\]\n {2}hint: add "title" \(a string\)/,
    );
  });

  it('checks the twelve primitives, their phases and criterion ids across files', () => {
    expect(loadError(coreDir({ compaction: null })).message).toMatch(/missing core rubric for compaction$/);
    const phase = loadError(coreDir({ permissions: primitiveYaml('permissions', 'week-one') }));
    expect(phase.message).toMatch(
      /permissions\.yaml:2:8: primitive "permissions" belongs to phase day-one, not week-one/,
    );
    expect(phase.hint).toBe('set "phase: day-one" (phases are fixed by DESIGN.md)');
    const dup = coreDir();
    writeFileSync(join(dup, 'zz-copy.yaml'), primitiveYaml('permissions'));
    expect(loadError(dup).message).toMatch(
      /zz-copy\.yaml:1:5: primitive "permissions" is defined twice: here and in .*permissions\.yaml/,
    );
    const unknown = coreDir();
    writeFileSync(join(unknown, 'x.yaml'), primitiveYaml('permisions', 'day-one'));
    const u = loadError(unknown);
    expect(u.message).toMatch(/"permisions" is not one of the twelve core primitives/);
    expect(u.hint).toMatch(/^did you mean "permissions"\?/);
    const prefix = primitiveYaml('permissions').replace(
      '  - id: permissions.present',
      '  - id: tools.present',
    );
    expect(loadError(coreDir({ permissions: prefix })).message).toMatch(
      /permissions\.yaml:8:9: criterion "tools.present" must start with its primitive's id "permissions\."/,
    );
    const twice = primitiveYaml(
      'permissions',
      undefined,
      `  - id: permissions.present
    title: Again
    severity: low
    rationale: r
    remediation: r
    pass: {fact: x}
    reasons: {pass: a, fail: b}
`,
    );
    expect(loadError(coreDir({ permissions: twice })).message).toMatch(
      /permissions\.yaml:19:9: criterion id "permissions.present" is already defined in .*permissions\.yaml/,
    );
  });
});

describe('compiled core rubrics', () => {
  it('uses the compiled JSON only while it matches the YAML byte for byte', () => {
    const dir = coreDir();
    const compiled = compileCoreRubrics(dir);
    expect(compiled.primitives.map((p) => p.name)).toHaveLength(12);
    expect(compiled.primitives[0]?.rubric.criteria[0]?.weight).toBe(1);
    // Mark the JSON so we can tell which source was read.
    for (const p of compiled.primitives) p.rubric.title = `compiled ${p.rubric.id}`;
    writeFileSync(compiledPathFor(dir), JSON.stringify(compiled));
    const fast = loadRubrics([], dir);
    expect(fast.primitive.get('permissions')?.title).toBe('compiled permissions');
    expect(fast.criteria.get('permissions.present')?.file).toMatch(/permissions\.yaml$/);

    const edited = coreDir();
    writeFileSync(compiledPathFor(edited), JSON.stringify(compileCoreRubrics(dir)));
    writeFileSync(
      join(edited, 'permissions.yaml'),
      primitiveYaml('permissions').replace('Title of', 'New title of'),
    );
    expect(loadRubrics([], edited).primitive.get('permissions')?.title).toBe('New title of permissions');
  });

  it('refuses to compile invalid rubrics', () => {
    expect(() => compileCoreRubrics(coreDir({ compaction: null }))).toThrow(
      /missing core rubric for compaction/,
    );
  });
});

describe('extension packs', () => {
  const pack = (primitive: string, id: string) => `pack: acme
extends:
  - primitive: ${primitive}
    criteria:
      - id: ${id}
        title: Acme rule
        severity: low
        rationale: House rule.
        remediation: Follow it.
        pass: {fact: acme.rule}
        reasons: {pass: Yes., fail: No.}
`;

  it('adds criteria to existing primitives, from a file or a folder', () => {
    const dir = coreDir();
    const core = loadRubrics([], dir);
    const packDir = join(tmp, `pack${n++}`);
    mkdirSync(packDir);
    writeFileSync(join(packDir, 'acme.yaml'), pack('permissions', 'permissions.acme'));
    writeFileSync(join(packDir, 'notes.txt'), 'not a rubric');
    const set = loadRubrics([packDir], dir);
    expect(set.primitive.get('permissions')?.criteria.map((c) => c.id)).toEqual([
      'permissions.present',
      'permissions.acme',
    ]);
    expect(set.criteria.get('permissions.acme')?.file).toMatch(/acme\.yaml$/);
    // The cached core set is not touched by packs.
    expect(core.primitive.get('permissions')?.criteria).toHaveLength(1);
    expect(loadRubrics([join(packDir, 'acme.yaml')], dir).criteria.has('permissions.acme')).toBe(true);
  });

  it('rejects unknown primitives, foreign prefixes, duplicate ids and missing paths', () => {
    const dir = coreDir();
    const file = (text: string) => {
      const p = join(tmp, `pack${n++}.yaml`);
      writeFileSync(p, text);
      return p;
    };
    const e = loadError(dir, [file(pack('permisions', 'permisions.acme'))]);
    expect(e.message).toMatch(/:3:16: pack "acme" extends unknown primitive "permisions"$/);
    expect(e.hint).toMatch(/^did you mean "permissions"\?/);
    expect(loadError(dir, [file(pack('permissions', 'compaction.acme'))]).message).toMatch(
      /criterion "compaction.acme" must start with its primitive's id "permissions\."/,
    );
    expect(loadError(dir, [file(pack('permissions', 'permissions.present'))]).message).toMatch(
      /criterion id "permissions.present" is already defined in .*permissions\.yaml/,
    );
    expect(loadError(dir, [join(tmp, 'nope.yaml')]).message).toMatch(/^rubric pack not found: /);
  });
});
