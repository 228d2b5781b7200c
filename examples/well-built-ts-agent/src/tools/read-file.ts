import { open } from 'node:fs/promises';
import { resolveInWorkspace, type ToolContext } from './context.js';

export interface ReadFileInput {
  path: string;
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 200_000;

export async function readFile(input: ReadFileInput, ctx: ToolContext): Promise<string> {
  const limit = input.maxBytes ?? DEFAULT_MAX_BYTES;
  const file = await open(resolveInWorkspace(ctx, input.path), 'r');
  try {
    // Read one byte past the limit so we can tell the model the file was cut short.
    const buffer = Buffer.alloc(limit + 1);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, Math.min(bytesRead, limit)).toString('utf8');
    return bytesRead > limit ? `${text}\n[truncated after ${limit} bytes]` : text;
  } finally {
    await file.close();
  }
}
