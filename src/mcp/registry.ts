import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest, Tool } from '@modelcontextprotocol/sdk/types.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import { describeError } from '../errors.js';
import { isIntervalsError } from '../intervals/errors.js';
import type { Logger } from '../logger.js';
import { hasScope, type ToolContext } from './context.js';
import { compactInputSchema, compactOutputSchema } from './schema-compact.js';
import { ToolInputError, type AnyToolDef } from './tool.js';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
export type ResolveContext = (extra: ToolCallExtra) => Promise<ToolContext>;

/**
 * Added to every tool: omitted means the compact text; `json` returns the structured result as JSON
 * text. Explained once in the server instructions (FORMAT_NOTE) rather than in all ~35 tool schemas,
 * and optional rather than `.default('text')` so no tool's schema repeats the default.
 */
export const formatInput = z.enum(['text', 'json']).optional();

export const FORMAT_NOTE = 'Every tool answers in compact text; pass format "json" for the full structured result (every row and field) as JSON.';

function textResult(text: string, isError = false): CallToolResult {
  return isError ? { content: [{ type: 'text', text }], isError: true } : { content: [{ type: 'text', text }] };
}

/**
 * Any failure inside a tool becomes an `isError` result naming the next step (STYLE rule 8).
 * Unknown errors are logged and answered generically: their messages may hold anything.
 */
export function errorResult(tool: string, err: unknown, logger?: Logger): CallToolResult {
  if (isIntervalsError(err)) return textResult(`Error (${err.code}): ${err.message}\nNext step: ${err.nextStep}`, true);
  if (err instanceof ToolInputError) return textResult(`Invalid input: ${err.message}`, true);
  const d = describeError(err);
  if (d.status < 500) return textResult(`Error (${d.code}): ${d.message}`, true);
  logger?.error({ err, tool }, 'tool failed');
  return textResult(`Error (internal): ${tool} failed on our side; it has been logged. Try again, or use another tool.`, true);
}

/** What a tool handler needs from the request: who is calling (the HTTP layer's authInfo). */
export type ToolCallExtra = Pick<Extra, 'authInfo'>;
export type ToolHandler = (args: Record<string, unknown>, extra: ToolCallExtra) => Promise<CallToolResult>;

/** A tool's arguments schema as clients see it: its own input plus the shared `format`. */
export function toolInputShape(def: AnyToolDef): z.ZodRawShape {
  return { ...def.input, format: formatInput };
}

/** One tool's handler: context, scope check, the tool itself and error mapping; it never throws. */
export function toolHandler(def: AnyToolDef, resolveContext: ResolveContext, logger?: Logger): ToolHandler {
  return async (args, extra) => {
    try {
      const ctx = await resolveContext(extra);
      // Defense in depth: the HTTP layer answers 403 insufficient_scope first, but stdio or a
      // future transport must not be able to skip the check.
      if (!hasScope(ctx.person, def.scope)) {
        return textResult(`Error (insufficient_scope): ${def.name} needs the ${def.scope} permission, which this connection was not granted.\nNext step: reconnect and approve ${def.scope} (write access) for this client.`, true);
      }
      const { format, ...rest } = args;
      const out = await def.run(rest, ctx);
      return {
        content: [{ type: 'text', text: format === 'json' ? JSON.stringify(out.structured) : out.text }],
        structuredContent: out.structured as Record<string, unknown>,
      };
    } catch (err) {
      return errorResult(def.name, err, logger);
    }
  };
}

/** Register one tool definition on the server, wrapped with context, scope check and error mapping. */
export function registerTool(server: McpServer, def: AnyToolDef, resolveContext: ResolveContext, logger?: Logger): void {
  server.registerTool(
    def.name,
    {
      title: def.title,
      description: def.description,
      inputSchema: toolInputShape(def),
      // No outputSchema here: the SDK would re-parse every structured result against it on every
      // call (the largest allocation in a tools/call, docs/PERFORMANCE.md) only to check our own
      // formatters' output. The schema is still advertised (the cached tools/list below), clients
      // validate against it, and the tests do so for every tool call (test/support/mcp-harness.ts).
      annotations: { title: def.title, ...def.annotations },
    },
    toolHandler(def, resolveContext, logger),
  );
}

/** tools/list answers, computed once per tool list: the SDK converts every zod schema on every call. */
const listCache = new WeakMap<readonly AnyToolDef[], Tool[]>();

function describeTools(defs: readonly AnyToolDef[]): Tool[] {
  let tools = listCache.get(defs);
  if (!tools) {
    tools = defs.map((def) => ({
      name: def.name,
      title: def.title,
      description: def.description,
      inputSchema: compactInputSchema(toJsonSchemaCompat(z.object(toolInputShape(def)), { strictUnions: true, pipeStrategy: 'input' }) as Tool['inputSchema']),
      outputSchema: compactOutputSchema(toJsonSchemaCompat(z.object(def.output), { strictUnions: true, pipeStrategy: 'output' }) as Tool['outputSchema']),
      // The title is already the tool's own `title`; repeating it in annotations costs bytes only.
      annotations: def.annotations,
    }));
    listCache.set(defs, tools);
  }
  return tools;
}

/** Replace the SDK's tools/list handler with the cached one (same content; see perf-anchors.md surprise 6). */
export function useCachedToolList(server: McpServer, defs: readonly AnyToolDef[]): void {
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: describeTools(defs) }));
}
