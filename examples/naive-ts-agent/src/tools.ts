import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type Anthropic from '@anthropic-ai/sdk';

// The tools the model can use, in the shape the Messages API expects.
export const tools: Anthropic.Tool[] = [
  {
    name: 'read_file',
    description: 'Read a file',
    input_schema: {
      type: 'object',
      properties: { path: { type: 'string' } },
      required: ['path'],
    },
  },
  {
    name: 'write_file',
    description: 'Write a file',
    input_schema: {
      type: 'object',
      properties: { path: { type: 'string' }, content: { type: 'string' } },
      required: ['path', 'content'],
    },
  },
  {
    name: 'run_shell',
    description: 'Run a shell command and return what it prints',
    input_schema: {
      type: 'object',
      properties: { command: { type: 'string', description: 'The command line to run' } },
      required: ['command'],
    },
  },
];

export function runTool(name: string, input: Record<string, string>): string {
  switch (name) {
    case 'read_file':
      return readFileSync(input.path, 'utf8');
    case 'write_file':
      writeFileSync(input.path, input.content);
      return `Wrote ${input.path}`;
    case 'run_shell':
      return execSync(input.command, { encoding: 'utf8' });
    default:
      return `Unknown tool: ${name}`;
  }
}
