import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { frameworksDetector } from '../../src/detectors/frameworks.js';
import { toolsDetector } from '../../src/detectors/tools.js';
import { projectFromFiles } from '../helpers/project.js';

const tools = (files: Record<string, string>) => {
  const analysis = analyze(projectFromFiles(files), [frameworksDetector, toolsDetector]);
  expect(analysis.skipped).toEqual([]);
  return analysis.inventory.tools.map((t) => ({
    file: t.file,
    line: t.line,
    name: t.name,
    schema: t.schema,
    params: t.parameters.map((p) => p.name),
    description: t.description,
    capabilities: t.capabilities,
  }));
};

describe('tool classes of a harness’s own hierarchy', () => {
  it('reads a TypeScript tool class named through super() with a constant from elsewhere', () => {
    expect(
      tools({
        'src/tools/read-file.ts': `import { BaseDeclarativeTool, Kind } from './tools.js';
import { READ_FILE_TOOL_NAME, READ_FILE_DEFINITION } from './definitions.js';
import { readFile } from 'node:fs/promises';

export class ReadFileTool extends BaseDeclarativeTool {
  static Name = READ_FILE_TOOL_NAME;
  constructor(config, bus) {
    super(ReadFileTool.Name, 'ReadFile', READ_FILE_DEFINITION.description, Kind.Read, READ_FILE_DEFINITION.parametersJsonSchema, bus);
  }
  createInvocation(params) {
    return { execute: () => readFile(params.file_path, 'utf8') };
  }
}
`,
      }),
    ).toEqual([
      {
        file: 'src/tools/read-file.ts',
        line: 5,
        name: 'ReadFileTool',
        schema: 'json-schema',
        params: [],
        description: undefined,
        capabilities: ['read'],
      },
    ]);
  });

  it('reads literal fields, a same-file constant name and a JSON Schema field', () => {
    const [t] = tools({
      'src/shell.ts': `import { Tool } from './base';
const NAME = 'run_shell';
export class ShellTool extends Tool {
  name = NAME;
  description = 'Run a shell command in the workspace.';
  inputSchema = { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] };
  async execute({ command }) { return spawnSync('sh', ['-c', command]); }
}
`,
    });
    expect(t).toMatchObject({
      name: 'run_shell',
      schema: 'json-schema',
      params: ['command'],
      description: 'Run a shell command in the workspace.',
    });
  });

  it('reads a Python tool class with a dict schema', () => {
    expect(
      tools({
        'agent/tools.py': `from .base import BaseTool

class WriteNote(BaseTool):
    name = "write_note"
    description = "Write a note to disk."
    parameters = {"type": "object", "properties": {"text": {"type": "string"}}}

    def run(self, text: str) -> str:
        open("notes.txt", "a").write(text)
        return "ok"
`,
      }),
    ).toMatchObject([{ name: 'write_note', line: 3, schema: 'json-schema', params: ['text'] }]);
  });

  it('leaves out abstract bases, nameless subclasses, invocation classes and classes with only a name', () => {
    expect(
      tools({
        'src/tools.ts': `export class DeclarativeTool { constructor(name, description) { this.name = name; } }
export class BaseDeclarativeTool extends DeclarativeTool {
  build(params) { return this.createInvocation(params); }
}
export class ReadInvocation extends BaseToolInvocation { execute() { return 1; } }
export class LabelTool extends Tool { name = 'label'; }
class Tool extends Tool {}
`,
        'agent/base.py': `class BaseTool:
    pass

class FileTool(BaseTool):
    def run(self):
        pass
`,
      }),
    ).toEqual([]);
  });
});
