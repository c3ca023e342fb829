import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** MCP prompts (weekly review, plan next week, activity deep-dive, recovery check). Owner: tools2. */
export function registerPrompts(_server: McpServer): void {}
