import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { withRequirements } from '../../src/scaffold/plan.js';
import { loadTemplates } from '../../src/scaffold/templates.js';
import { tempDir } from '../helpers/ci-project.js';
import { FIXTURE_CRITERIA, fixtureTemplates } from './fixtures.js';

const tmp = tempDir('plumbline-templates-');
afterAll(tmp.cleanup);
let n = 0;
const tree = (overrides: Record<string, string> = {}) => fixtureTemplates(`${tmp.dir}/t${++n}`, overrides);

function loadError(root: string): UsageError {
  try {
    loadTemplates('typescript', root, FIXTURE_CRITERIA);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected the templates to be refused');
}

describe('loadTemplates', () => {
  it('loads a valid tree and orders required templates first', () => {
    const set = loadTemplates('typescript', tree(), FIXTURE_CRITERIA);
    expect([...set.byId.keys()].sort()).toEqual(['permissions', 'project', 'tool-registry']);
    expect(set.byId.get('permissions')?.manifest.dependencies).toEqual({ zod: '^4.1.0' });
    expect(withRequirements(set, ['permissions']).map((t) => t.manifest.id)).toEqual([
      'tool-registry',
      'permissions',
    ]);
  });

  it('locates an unknown key with file:line:col and a suggestion', () => {
    const root = tree({
      'typescript/permissions/template.yaml':
        'id: permissions\nprimitive: permissions\nversion: 1\ndescription: d\nrequire: [tool-registry]\nfiles:\n  - { from: engine.ts.hbs, to: x.ts }\n',
    });
    const e = loadError(root);
    expect(e.message).toMatch(/permissions\/template\.yaml:5:1: unknown key "require"/);
    expect(e.hint).toContain('did you mean "requires"');
  });

  it('refuses requires of a template that does not exist, suggesting the closest', () => {
    const root = tree({
      'typescript/permissions/template.yaml':
        'id: permissions\nprimitive: permissions\nversion: 1\ndescription: d\nrequires: [tool-registy]\nfiles:\n  - { from: engine.ts.hbs, to: x.ts }\n',
    });
    const e = loadError(root);
    expect(e.message).toMatch(/template\.yaml:5:\d+: requires unknown template "tool-registy"/);
    expect(e.hint).toContain('did you mean "tool-registry"');
  });

  it('refuses satisfies of an unknown criterion and of another primitive', () => {
    const root = tree({
      'typescript/permissions/template.yaml':
        'id: permissions\nprimitive: permissions\nversion: 1\ndescription: d\nsatisfies:\n  - permissions.gates\n  - tool-registry.declared\nfiles:\n  - { from: engine.ts.hbs, to: x.ts }\n',
    });
    const e = loadError(root);
    expect(e.message).toContain('template.yaml:6:5: satisfies unknown criterion "permissions.gates"');
    expect(e.message).toContain(
      'template.yaml:7:5: criterion "tool-registry.declared" belongs to another primitive',
    );
  });

  it('allows only @anthropic-ai/sdk and zod as runtime dependencies', () => {
    const root = tree({
      'typescript/permissions/template.yaml':
        'id: permissions\nprimitive: permissions\nversion: 1\ndescription: d\ndependencies:\n  lodash: "^4.0.0"\nfiles:\n  - { from: engine.ts.hbs, to: x.ts }\n',
    });
    expect(loadError(root).message).toMatch(/template\.yaml:6:3: runtime dependency "lodash" is not allowed/);
  });

  it('refuses an id that is not its folder, a missing file and a requires cycle', () => {
    const root = tree({
      'typescript/tool-registry/template.yaml':
        'id: tool-registry\nprimitive: tool-registry\nversion: 1\ndescription: d\nrequires: [permissions]\nfiles:\n  - { from: gone.hbs, to: x.ts }\n',
      'typescript/session-persistence/template.yaml':
        'id: sessions\nprimitive: session-persistence\nversion: 1\ndescription: d\nfiles:\n  - { from: a.hbs, to: a.ts }\n',
      'typescript/session-persistence/a.hbs': 'a\n',
    });
    const e = loadError(root);
    expect(e.message).toContain('template id "sessions" does not match its folder "session-persistence"');
    expect(e.message).toContain('template file "gone.hbs" does not exist');
    expect(e.message).toMatch(
      /"requires" forms a cycle: (tool-registry → permissions → tool-registry|permissions → tool-registry → permissions)/,
    );
  });

  it('the shipped templates are valid against the real rubrics', () => {
    const set = loadTemplates();
    expect(set.byId.has('project')).toBe(true);
    for (const t of set.byId.values()) expect(t.manifest.files.length).toBeGreaterThan(0);
  });
});
