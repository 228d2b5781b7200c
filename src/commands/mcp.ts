import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';

interface McpArgs {
  root: string;
}

export const mcpCommand = defineCommand<McpArgs>({
  command: 'mcp',
  describe: 'Serve plumbline to AI agents over MCP (stdio): audit, explain, plan_scaffold, eval, decide',
  builder: (y) =>
    y
      .option('root', {
        type: 'string',
        default: '.',
        describe: 'Folder the server works in: client paths resolve against it and must stay inside it',
      })
      .example('claude mcp add plumbline -- npx --no plumbline mcp', 'Register it with Claude Code')
      .example('$0 mcp --root ~/agents', 'Let clients audit any project under ~/agents') as never,
  handler: async (args) => {
    const [{ serveStdio }, { packageVersion }] = await Promise.all([
      import('../mcp/server.js'),
      import('./version.js'),
    ]);
    await serveStdio({ root: args.root, version: packageVersion() });
    return ExitCode.Ok;
  },
});
