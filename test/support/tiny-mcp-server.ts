import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Person } from '../../src/mcp/context.js';

/** Scopes of the tiny server's tools, in the shape of the registry's TOOL_SCOPES. */
export const TINY_TOOL_SCOPES: ReadonlyMap<string, string> = new Map([
  ['whoami', 'intervals:read'],
  ['add_note', 'intervals:write'],
  ['count_slowly', 'intervals:read'],
]);

/**
 * A real SDK McpServer (not a mock) with three tools, used until the tool registry is wired in:
 * `whoami` reports the caller the HTTP layer attached, `add_note` needs the write scope,
 * `count_slowly` reports progress.
 */
export function createTinyMcpServer(): McpServer {
  const server = new McpServer({ name: 'tiny', version: '1.0.0' }, { capabilities: { tools: {} }, instructions: 'test server' });
  const personOf = (extra: { authInfo?: { extra?: Record<string, unknown> } }) => extra.authInfo?.extra?.person as Person | undefined;
  server.registerTool(
    'whoami',
    { description: 'Who is calling', inputSchema: { echo: z.string().optional() } },
    async ({ echo }, extra) => ({
      content: [{ type: 'text', text: JSON.stringify({ accountId: personOf(extra)?.accountId ?? null, echo: echo ?? null }) }],
    }),
  );
  server.registerTool('add_note', { description: 'Writes', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text: `noted: ${text}` }],
  }));
  server.registerTool(
    'count_slowly',
    { description: 'Counts to n with progress', inputSchema: { n: z.number().int().min(1).max(10) } },
    async ({ n }, extra) => {
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= n; i++) {
        await new Promise((r) => setTimeout(r, 10));
        if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: n } });
      }
      return { content: [{ type: 'text', text: `counted to ${n}` }] };
    },
  );
  return server;
}
