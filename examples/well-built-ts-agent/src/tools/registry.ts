import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { ToolContext } from './context.js';
import type { FetchUrlInput } from './fetch-url.js';
import type { ReadFileInput } from './read-file.js';
import type { SearchInput } from './search.js';
import type { WriteFileInput } from './write-file.js';

/**
 * Every tool the model can call, declared as data. The registry can be listed, rendered for the API or
 * inspected by tests without loading a single implementation: `load()` imports the code only when the
 * tool first runs.
 */

export type Capability = 'read' | 'write' | 'network' | 'destructive';

type ToolImpl<I> = (input: I, ctx: ToolContext) => Promise<string>;

interface ToolSpec<I extends object> {
  name: string;
  description: string;
  inputSchema: z.ZodType<I>;
  capabilities: readonly Capability[];
  load: () => Promise<ToolImpl<I>>;
}

/** A call whose input has been validated and is ready to run. */
export interface PreparedCall {
  /** The validated input, for the permission gate, the ledger and the logs. */
  input: Record<string, unknown>;
  execute(ctx: ToolContext): Promise<string>;
}

export interface RegisteredTool {
  name: string;
  description: string;
  capabilities: readonly Capability[];
  /** True when running the tool changes something outside the conversation. */
  hasSideEffects: boolean;
  definition(): Anthropic.Tool;
  /** Validates raw model input; throws an error the model can act on when it does not fit. */
  prepare(raw: unknown): PreparedCall;
}

function defineTool<I extends object>(spec: ToolSpec<I>): RegisteredTool {
  let impl: ToolImpl<I> | undefined;
  return {
    name: spec.name,
    description: spec.description,
    capabilities: spec.capabilities,
    hasSideEffects: spec.capabilities.some((c) => c === 'write' || c === 'destructive'),
    definition() {
      const { $schema: _, ...schema } = z.toJSONSchema(spec.inputSchema, { io: 'input' });
      return { name: spec.name, description: spec.description, input_schema: { ...schema, type: 'object' } };
    },
    prepare(raw) {
      const parsed = spec.inputSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`Invalid input for ${spec.name}: ${z.prettifyError(parsed.error)}`);
      const input = parsed.data;
      return {
        input: Object.fromEntries(Object.entries(input)),
        async execute(ctx) {
          impl ??= await spec.load();
          return impl(input, ctx);
        },
      };
    },
  };
}

const workspacePath = z
  .string()
  .min(1)
  .describe('Path relative to the workspace root, e.g. "src/index.ts". Absolute paths and ".." are refused.');

export const TOOLS: readonly RegisteredTool[] = [
  defineTool<ReadFileInput>({
    name: 'read_file',
    description:
      'Read a UTF-8 text file from the workspace. Use it to inspect code, configuration or notes before you answer or edit.',
    inputSchema: z.object({
      path: workspacePath,
      maxBytes: z
        .number()
        .int()
        .positive()
        .max(1_000_000)
        .optional()
        .describe('Stop after this many bytes (default 200000); the result says when it was cut.'),
    }),
    capabilities: ['read'],
    load: async () => (await import('./read-file.js')).readFile,
  }),
  defineTool<WriteFileInput>({
    name: 'write_file',
    description:
      'Create or overwrite a UTF-8 text file in the workspace, creating parent folders. Prefer small, complete files.',
    inputSchema: z.object({
      path: workspacePath,
      content: z.string().describe('The complete new content of the file.'),
    }),
    capabilities: ['write', 'destructive'],
    load: async () => (await import('./write-file.js')).writeFile,
  }),
  defineTool<SearchInput>({
    name: 'search',
    description:
      'Search workspace files line by line with a JavaScript regular expression. Returns "path:line: text" matches.',
    inputSchema: z.object({
      pattern: z.string().min(1).describe('Regular expression, e.g. "export (async )?function \\w+".'),
      path: workspacePath.optional().describe('Folder to search in (default: the whole workspace).'),
      maxResults: z.number().int().positive().max(500).optional().describe('Stop after this many matches (default 50).'),
    }),
    capabilities: ['read'],
    load: async () => (await import('./search.js')).search,
  }),
  defineTool<FetchUrlInput>({
    name: 'fetch_url',
    description: 'Fetch a web page or API response over HTTP(S) with GET and return its status and text body.',
    inputSchema: z.object({
      url: z.url().describe('Absolute http:// or https:// URL.'),
      maxBytes: z
        .number()
        .int()
        .positive()
        .max(1_000_000)
        .optional()
        .describe('Keep at most this many characters of the body (default 100000).'),
    }),
    capabilities: ['network'],
    load: async () => (await import('./fetch-url.js')).fetchUrl,
  }),
];

const byName = new Map(TOOLS.map((tool) => [tool.name, tool]));

export function findTool(name: string): RegisteredTool | undefined {
  return byName.get(name);
}

export function toolDefinitions(): Anthropic.Tool[] {
  return TOOLS.map((tool) => tool.definition());
}
