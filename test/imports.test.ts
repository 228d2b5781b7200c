import { describe, expect, test } from 'vitest';
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
});
