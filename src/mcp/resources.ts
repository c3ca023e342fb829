import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpServerOptions } from './server.js';

/** MCP resources (athlete profile, workout-text syntax guide, event categories). Owner: tools2. */
export function registerResources(_server: McpServer, _opts: McpServerOptions): void {}
