import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ToolContext } from './context.js';
import { ServerRoot } from './root.js';
import { registerAudit } from './tools/audit.js';
import { registerDecide } from './tools/decide.js';
import { registerEval } from './tools/eval.js';
import { registerExplain } from './tools/explain.js';
import { registerPlanScaffold } from './tools/plan-scaffold.js';

/** Every tool, in the order clients list them. Adding a tool: one module in tools/, one line here. */
const TOOLS: readonly ((ctx: ToolContext) => void)[] = [
  registerAudit,
  registerExplain,
  registerPlanScaffold,
  registerEval,
  registerDecide,
];

const INSTRUCTIONS = `plumbline audits, scaffolds and guards the harness of AI-agent projects: twelve primitives in three phases (day-one, week-one, month-one).
Start with audit; fix the earliest incomplete phase first and heed premature-complexity warnings; use explain on a primitive or criterion id before changing code; plan_scaffold is a dry run unless confirm is true; eval and decide put tool calls to the project's permission engine without executing them.
Paths are relative to the server root; tools refuse paths outside it.`;

export function createServer(o: { root: string; version: string }): McpServer {
  const server = new McpServer({ name: 'plumbline', version: o.version }, { instructions: INSTRUCTIONS });
  const ctx: ToolContext = { server, root: new ServerRoot(o.root), version: o.version };
  for (const register of TOOLS) register(ctx);
  return server;
}

/** Serves over stdio until the client closes the connection. stdout carries protocol messages only. */
export async function serveStdio(o: { root: string; version: string }): Promise<void> {
  const server = createServer(o);
  // A module adapter runs in this process; a stray console.log in it must not corrupt the protocol stream.
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((done) => {
    transport.onclose = () => done();
    process.stdin.once('end', () => done());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
