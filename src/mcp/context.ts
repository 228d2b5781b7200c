import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerRoot } from './root.js';

/** What every tool module gets: the server to register on, the folder it may touch, plumbline's version. */
export interface ToolContext {
  server: McpServer;
  root: ServerRoot;
  version: string;
}
