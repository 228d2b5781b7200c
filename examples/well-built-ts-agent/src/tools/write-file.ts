import { mkdir, writeFile as write } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveInWorkspace, type ToolContext } from './context.js';

export interface WriteFileInput {
  path: string;
  content: string;
}

export async function writeFile(input: WriteFileInput, ctx: ToolContext): Promise<string> {
  const target = resolveInWorkspace(ctx, input.path);
  await mkdir(dirname(target), { recursive: true });
  await write(target, input.content, { encoding: 'utf8', signal: ctx.signal });
  return `Wrote ${Buffer.byteLength(input.content)} bytes to ${input.path}.`;
}
