import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { write } from '../helpers/ci-project.js';

/** Criterion ids the fixture templates may claim (the engine checks `satisfies` against a given set). */
export const FIXTURE_CRITERIA = new Set(['tool-registry.declared', 'permissions.gate']);

/**
 * A small template tree: a project skeleton, a tool registry and a permissions template that requires it
 * and adds zod. Files are a few lines each so tests can compare exact output.
 */
export function fixtureTemplates(root: string, overrides: Record<string, string> = {}): string {
  return write(root, {
    'typescript/project/template.yaml': `id: project
primitive: project
version: 1
description: Skeleton
devDependencies: { vitest: "^4.1.0", "@types/node": "^20.19.0" }
files:
  - { from: package.json.hbs, to: package.json }
  - { from: readme.hbs, to: README.md }
`,
    'typescript/project/package.json.hbs': '{\n  "name": "{{projectName}}",\n  "type": "module"\n}\n',
    'typescript/project/readme.hbs':
      '# {{projectName}}\n{{#if has.permissions}}with permissions\n{{/if}}{{#if (lookup has "tool-registry")}}with tools\n{{/if}}',
    'typescript/tool-registry/template.yaml': `id: tool-registry
primitive: tool-registry
version: 1
description: Tools as data
satisfies: [tool-registry.declared]
files:
  - { from: registry.ts.hbs, to: "{{harnessDir}}/tools/registry.ts" }
  - { from: registry.test.ts.hbs, to: "{{testDir}}/harness/tools/registry.test.ts" }
`,
    'typescript/tool-registry/registry.ts.hbs': "export const tools = ['read_file'];\n",
    'typescript/tool-registry/registry.test.ts.hbs':
      "import { tools } from '../../../{{srcDir}}/harness/tools/registry.js';\nvoid tools;\n",
    'typescript/permissions/template.yaml': `id: permissions
primitive: permissions
version: 1
description: Decisions
satisfies: [permissions.gate]
requires: [tool-registry]
dependencies: { zod: "^4.1.0" }
files:
  - { from: engine.ts.hbs, to: "{{srcDir}}/harness/permissions/engine.ts" }
`,
    'typescript/permissions/engine.ts.hbs': "export const phase = '{{phase}}';\n",
    ...overrides,
  });
}

/** Every file under a folder with its content and mode: equal snapshots mean nothing was written. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      const st = lstatSync(abs);
      const rel = relative(dir, abs);
      if (st.isSymbolicLink()) out[rel] = `link ${readlinkSync(abs)}`;
      else if (st.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(abs);
      } else out[rel] = `${(st.mode & 0o777).toString(8)} ${readFileSync(abs, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}
