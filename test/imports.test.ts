import { describe, expect, test } from 'vitest';
import { importFromText } from '../src/core/import-text.js';
import { importsOf } from '../src/core/imports.js';
import { parseSource } from '../src/core/parse-source.js';
import { fileFromText } from './helpers/project.js';

const modules = (path: string, text: string) =>
  importsOf(parseSource(fileFromText(path, text))).map((b) => [b.module, b.imported, b.local, b.line]);

describe('import bindings', () => {
  test('ES imports, namespace and default, CommonJS and dynamic imports', () => {
    expect(
      modules(
        'src/a.ts',
        `import Anthropic, { type Tool as T } from '@anthropic-ai/sdk';
import * as fs from 'node:fs';
import './side-effect.js';
const { spawn } = require('node:child_process');
void import('./lazy.js');
`,
      ),
    ).toEqual([
      ['@anthropic-ai/sdk', 'default', 'Anthropic', 1],
      ['@anthropic-ai/sdk', 'Tool', 'T', 1],
      ['node:fs', '*', 'fs', 2],
      ['./side-effect.js', '', '', 3],
      ['node:child_process', 'spawn', 'spawn', 4],
      ['./lazy.js', '*', '', 5],
    ]);
  });

  test('imports nested in a module block are still found', () => {
    expect(
      modules('src/plugin.ts', "declare module 'plugin' {\n  import { Tool } from '@acme/tools';\n}\n"),
    ).toEqual([['@acme/tools', 'Tool', 'Tool', 2]]);
  });

  test('a file that never mentions import or require costs no walk and has no bindings', () => {
    expect(modules('src/plain.ts', 'export const x = 1;\n')).toEqual([]);
  });

  test('plain import statements are read from their text, the same bindings as from the tree', () => {
    const statements = [
      "import Anthropic from '@anthropic-ai/sdk';",
      'import a, { b as c, type d, } from "m"',
      "import * as ns from 'm';",
      "import x, * as ns from 'm';",
      "import type { Tool as T } from 'sdk';",
      "import {} from 'm';",
      "import 'side-effect';",
      "import {\n  a,\n  b as bee,\n} from 'multi';",
      "import { type } from 'm';",
      "import { type as t } from 'm';",
      'import { a /* note */ } from "m";',
      "import { 'a-b' as ab } from 'm';",
      "import data from './d.json' with { type: 'json' };",
      "import fs = require('fs');",
      "import type from 'm';",
    ];
    for (const stmt of statements.slice(0, 9)) {
      const viaText = importFromText(stmt, 1);
      // A lone syntax error below the statement makes importsOf read the tree, the reference reading.
      const viaTree = importsOf(parseSource(fileFromText('src/a.ts', `${stmt}\n)`)));
      expect(viaText, stmt).toEqual(viaTree);
    }
    // Left to the tree: `type as`, comments, string names, attributes, import-equals, a default named `type`.
    for (const stmt of statements.slice(9)) expect(importFromText(stmt, 1), stmt).toBeUndefined();
    expect(importFromText("import a, { b as c, type d, } from 'm'", 3)).toEqual([
      { module: 'm', imported: 'default', local: 'a', line: 3 },
      { module: 'm', imported: 'b', local: 'c', line: 3 },
      { module: 'm', imported: 'd', local: 'd', line: 3 },
    ]);
  });

  test('Python imports below the top level are found: in blocks, after `;` or `:`, across a backslash', () => {
    const local = (text: string) => modules('agent/run.py', text).map((b) => b[2]);
    expect(local('import os\nimport b\n')).toEqual(['os', 'b']);
    expect(local('import os\nif TYPE_CHECKING:\n    import sdk as tool\n')).toEqual(['os', 'tool']);
    expect(local('import os\ndef f():\n    import json\n')).toEqual(['os', 'json']);
    expect(local('import os; import sys\n')).toEqual(['os', 'sys']);
    expect(local('import os\nif x: import json\n')).toEqual(['os', 'json']);
    expect(local('import os\ndef f():\n    x = 1; \\\nimport b\n')).toEqual(['os', 'b']);
  });
  test('Python imports: a from-import binds its names, not its module; nested imports count', () => {
    expect(
      modules(
        'agent/main.py',
        'from foo.bar import baz, qux as q\nimport os, numpy as np\nfrom . import x\nfrom .m import *\n\ndef f():\n    from anthropic import Anthropic\n',
      ),
    ).toEqual([
      ['os', '*', 'os', 2],
      ['numpy', '*', 'np', 2],
      ['foo.bar', 'baz', 'baz', 1],
      ['foo.bar', 'qux', 'q', 1],
      ['.', 'x', 'x', 3],
      ['.m', '*', '*', 4],
      ['anthropic', 'Anthropic', 'Anthropic', 7],
    ]);
  });
});
