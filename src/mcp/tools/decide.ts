import { z } from 'zod';
import { PERMISSION_MODES } from '../../evals/modes.js';
import type { ToolContext } from '../context.js';
import { guarded, success } from '../result.js';

export function registerDecide({ server, root }: ToolContext): void {
  server.registerTool(
    'decide',
    {
      title: 'Ask the permission engine for one decision',
      description:
        "Ask a project's permission engine whether one tool call would be allowed, asked or denied, and why (the deciding rule, its file and line, and the evaluation trace for Claude Code settings). Nothing is executed: the tool call is only described to the engine. The engine is the project's configured adapter (eval.adapter in plumbline.config.yaml — a module or command the user set up, which this runs), else the built-in simulator of Claude Code's settings files (.claude/settings.json, settings.local.json, the user's settings). Use it to check a permission rule before or after editing it.",
      inputSchema: {
        path: z
          .string()
          .default('.')
          .describe('Project folder, relative to the server root. Default: the root.'),
        tool: z
          .string()
          .min(1)
          .describe('Tool name as the harness sees it: Bash, Read, Edit, WebFetch, mcp__server__tool …'),
        input: z
          .record(z.string(), z.unknown())
          .describe(
            'The tool input, e.g. {"command": "git push --force"} for Bash or {"file_path": ".env"} for Read',
          ),
        mode: z
          .enum(PERMISSION_MODES)
          .optional()
          .describe("Permission mode of the request (default: the engine's)"),
        cwd: z.string().optional().describe('Working directory stated in the request (default: the project)'),
        adapter: z
          .enum(['claude-settings'])
          .optional()
          .describe(
            "Force the built-in Claude Code settings simulator; otherwise the project's configured adapter",
          ),
      },
      annotations: {
        title: 'Ask the permission engine for one decision',
        readOnlyHint: true,
        openWorldHint: false,
      },
    },
    (args) =>
      guarded(async () => {
        const folder = root.folder(args.path);
        const [{ loadProjectConfig }, { evalConfigOf }, { adapterSpecFor }, { decideOnce }] =
          await Promise.all([
            import('../../config/load.js'),
            import('../../evals/config.js'),
            import('../../evals/adapters/index.js'),
            import('../../evals/decide-once.js'),
          ]);
        const config = evalConfigOf(loadProjectConfig(folder));
        // Only `claude-settings` or nothing: any module or command adapter comes from the project's config.
        const spec = adapterSpecFor(args.adapter, config, folder);
        const request = {
          tool: args.tool,
          input: args.input,
          context: { ...(args.mode ? { mode: args.mode } : {}), ...(args.cwd ? { cwd: args.cwd } : {}) },
        };
        const out = await decideOnce(folder, config, spec, request);
        const where = out.rule
          ? ` by ${out.rule}${out.file ? ` (${out.file}${out.line ? `:${out.line}` : ''})` : ''}`
          : '';
        return success(out, `${out.decision.toUpperCase()}${where}: ${out.reason} [via ${out.adapter}]`);
      }),
  );
}
