import { McpServer, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Person } from '../../src/mcp/context.js';
import type { McpBinding } from '../../src/resource/mcp-dispatch.js';

/** Scopes of the tiny server's tools, in the shape of the registry's TOOL_SCOPES. */
export const TINY_TOOL_SCOPES: ReadonlyMap<string, string> = new Map([
  ['whoami', 'intervals:read'],
  ['add_note', 'intervals:write'],
  ['count_slowly', 'intervals:read'],
]);

/**
 * A real SDK McpServer (not a mock) with three tools, for the HTTP layer's tests:
 * `whoami` reports the caller the HTTP layer attached, `add_note` needs the write scope,
 * `count_slowly` reports progress.
 */
export function createTinyMcpServer(): McpServer {
  const server = new McpServer(
    { name: 'tiny', version: '1.0.0' },
    { capabilities: { tools: { listChanged: false } }, instructions: 'test server' },
  );
  const personOf = (ctx: ServerContext) => ctx.http?.authInfo?.extra?.person as Person | undefined;
  server.registerTool(
    'whoami',
    { description: 'Who is calling', inputSchema: z.object({ echo: z.string().optional() }) },
    async ({ echo }, ctx) => ({
      content: [{ type: 'text', text: JSON.stringify({ accountId: personOf(ctx)?.accountId ?? null, echo: echo ?? null }) }],
    }),
  );
  server.registerTool('add_note', { description: 'Writes', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: 'text', text: `noted: ${text}` }],
  }));
  server.registerTool(
    'count_slowly',
    { description: 'Counts to n with progress', inputSchema: z.object({ n: z.number().int().min(1).max(10) }) },
    async ({ n }, ctx) => {
      const token = ctx.mcpReq._meta?.progressToken;
      for (let i = 1; i <= n; i++) {
        await new Promise((r) => setTimeout(r, 10));
        if (token !== undefined)
          await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: n } });
      }
      return { content: [{ type: 'text', text: `counted to ${n}` }] };
    },
  );
  return server;
}

/** The tiny server as /mcp serves it: a fresh instance per request, no fast lane. */
export const TINY_BINDING: McpBinding = { createServer: createTinyMcpServer, toolScopes: TINY_TOOL_SCOPES };
