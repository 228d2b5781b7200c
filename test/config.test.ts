import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkConfigAgainstRubrics,
  findConfigFiles,
  loadConfigFile,
  loadProjectConfig,
} from '../src/config/load.js';
import { parseSize } from '../src/config/schema.js';
import { UsageError } from '../src/core/errors.js';
import { buildRubricSet } from '../src/rubrics/load.js';
import { PrimitiveRubricSchema } from '../src/rubrics/schema.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumbline-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function project(files: Record<string, string>): string {
  const dir = join(tmp, `p${n++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

const RUBRICS = buildRubricSet(
  [
    {
      file: 'permissions.yaml',
      value: PrimitiveRubricSchema.parse({
        id: 'permissions',
        phase: 'day-one',
        title: 'Permissions',
        present: 'p',
        why: 'w',
        add: 'plumbline add permissions',
        criteria: ['gate', 'deny-first'].map((name) => ({
          id: `permissions.${name}`,
          title: name,
          severity: 'high',
          rationale: 'r',
          remediation: 'r',
          pass: { fact: 'x' },
          reasons: { pass: 'a', fail: 'b' },
        })),
      }),
    },
  ],
  { core: false },
);

describe('finding the config', () => {
  it('returns an empty config when there is none', () => {
    const loaded = loadProjectConfig(project({ 'package.json': '{"name": "x"}' }));
    expect(loaded.config).toEqual({});
    expect(loaded.path).toBeUndefined();
    expect(loaded.rubricPaths).toEqual([]);
  });

  it('reads plumbline.config.yaml with every field', () => {
    const dir = project({
      'plumbline.config.yaml': `phase: week-one
rubrics: [packs/acme.yaml]
criteria:
  permissions.gate: {enabled: false, weight: 2, severity: low}
waivers:
  - criterion: permissions.deny-first
    file: src/legacy/**
    reason: Legacy code, replaced in Q3
    expires: 2030-01-31
ignore: ["generated/**"]
maxFileSize: 2MiB
failUnder: 6.5
failOn: high
eval: {anything: [1, 2]}
`,
    });
    const loaded = loadProjectConfig(dir);
    expect(loaded.config.phase).toBe('week-one');
    expect(loaded.rubricPaths).toEqual([join(dir, 'packs/acme.yaml')]);
    expect(loaded.maxFileBytes).toBe(2 * 1024 * 1024);
    expect(loaded.config.waivers?.[0]?.expires).toBe('2030-01-31');
    expect(loaded.config.eval).toEqual({ anything: [1, 2] });
    expect(loaded.display).toMatch(/plumbline\.config\.yaml$/);
    expect(() => checkConfigAgainstRubrics(loaded, RUBRICS)).not.toThrow();
  });

  it('reads JSON (with comments) and package.json#plumbline', () => {
    const json = loadProjectConfig(
      project({ 'plumbline.config.json': '{\n  // target\n  "phase": "day-one",\n}' }),
    );
    expect(json.config.phase).toBe('day-one');
    const pkg = loadProjectConfig(
      project({ 'package.json': '{"name": "x", "plumbline": {"failOn": "critical"}}' }),
    );
    expect(pkg.config.failOn).toBe('critical');
    expect(pkg.display).toMatch(/package\.json#plumbline$/);
  });

  it('looks in order and refuses two configs side by side', () => {
    const dir = project({ 'plumbline.config.yml': 'phase: day-one\n', 'package.json': '{"plumbline": {}}' });
    expect(findConfigFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual([
      'plumbline.config.yml',
      'package.json',
    ]);
    const e = usageError(() => loadProjectConfig(dir));
    expect(e.message).toMatch(/two plumbline configs found: .*plumbline\.config\.yml and .*package\.json$/);
    // A package.json without the section, or a broken one, does not count.
    expect(findConfigFiles(project({ 'plumbline.config.yaml': '', 'package.json': '{oops' }))).toHaveLength(
      1,
    );
  });

  it('treats an empty YAML file as an empty config', () => {
    expect(loadProjectConfig(project({ 'plumbline.config.yaml': '# nothing yet\n' })).config).toEqual({});
  });
});

describe('config errors name file:line:col and a hint', () => {
  it('unknown top-level key with a suggestion', () => {
    const dir = project({ 'plumbline.config.yaml': 'phase: day-one\nfailUnderr: 5\n' });
    const e = usageError(() => loadProjectConfig(dir));
    expect(e.message).toMatch(/plumbline\.config\.yaml:2:1: unknown key "failUnderr" in \(top level\)$/);
    expect(e.hint).toMatch(/^did you mean "failUnder"\? allowed keys: phase, rubrics, criteria, waivers/);
  });

  it('bad enum values and types, in JSON with positions from the parser', () => {
    const dir = project({ 'plumbline.config.json': '{\n  "phase": "weekone",\n  "failUnder": "high"\n}\n' });
    const e = usageError(() => loadProjectConfig(dir));
    expect(e.message).toMatch(
      /plumbline\.config\.json:2:12: "phase" is the string "weekone", which is not allowed here/,
    );
    expect(e.message).toMatch(/hint: did you mean "week-one"\? allowed values: day-one, week-one, month-one/);
    expect(e.message).toMatch(
      /plumbline\.config\.json:3:16: failUnder must be a number, not the string "high"/,
    );
  });

  it('positions inside package.json#plumbline', () => {
    const dir = project({
      'package.json': '{\n  "name": "x",\n  "plumbline": {\n    "failOn": "urgent"\n  }\n}\n',
    });
    const e = usageError(() => loadProjectConfig(dir));
    expect(e.message).toMatch(/package\.json:4:15: "failOn" is the string "urgent"/);
  });

  it('waivers need a non-empty reason and a real date', () => {
    const dir = project({
      'plumbline.config.yaml':
        'waivers:\n  - criterion: permissions.gate\n    reason: "  "\n    expires: 2025-02-30\n',
    });
    const e = usageError(() => loadProjectConfig(dir));
    expect(e.message).toMatch(/:3:13: "reason": a waiver needs a reason/);
    expect(e.message).toMatch(/:4:14: "expires": not a real calendar date/);
    const missing = usageError(() =>
      loadProjectConfig(project({ 'plumbline.config.yaml': 'waivers:\n  - criterion: x\n' })),
    );
    expect(missing.message).toMatch(/:2:5: missing required key "reason" in waivers\[0\]$/);
  });

  it('bad sizes and syntax errors', () => {
    const size = usageError(() =>
      loadProjectConfig(project({ 'plumbline.config.yaml': 'maxFileSize: 2 lightyears\n' })),
    );
    expect(size.message).toMatch(/:1:14: "maxFileSize": expected bytes or a size such as "2MiB"/);
    const syntax = usageError(() => loadProjectConfig(project({ 'plumbline.config.json': '{"phase": }' })));
    expect(syntax.message).toMatch(/plumbline\.config\.json:1:11: JSON syntax error: ValueExpected$/);
  });

  it('unknown criterion ids in criteria and waivers, with did-you-mean', () => {
    const dir = project({
      'plumbline.config.yaml':
        'criteria:\n  permissions.gates: {enabled: false}\nwaivers:\n  - criterion: permissions\n    reason: later\n',
    });
    const loaded = loadProjectConfig(dir);
    const e = usageError(() => checkConfigAgainstRubrics(loaded, RUBRICS));
    expect(e.message).toMatch(
      /plumbline\.config\.yaml:2:3: unknown criterion "permissions.gates"\n {2}hint: did you mean "permissions.gate"\?/,
    );
    expect(e.message).toMatch(
      /plumbline\.config\.yaml:4:16: unknown criterion "permissions"\n {2}hint: "permissions" is a primitive; name one of its criteria, e.g. "permissions.gate"/,
    );
  });

  it('an explicit config path that does not exist', () => {
    expect(usageError(() => loadConfigFile(join(tmp, 'missing.yaml'))).message).toMatch(
      /^cannot read config file .*missing\.yaml: ENOENT$/,
    );
  });
});

describe('sizes', () => {
  it('parses bytes and units', () => {
    expect(parseSize(1000)).toBe(1000);
    expect(parseSize('2MiB')).toBe(2097152);
    expect(parseSize('500 kB')).toBe(500000);
    expect(parseSize('1.5KiB')).toBe(1536);
    expect(() => parseSize('big')).toThrow();
  });
});
