import { z } from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger.js';
import { toolHandler, toolInputShape, type ResolveContext, type ToolCallExtra, type ToolHandler } from './registry.js';
import type { AnyToolDef } from './tool.js';

/**
 * Runs a well-formed tools/call for one of our tools, or answers `undefined` to leave the request
 * to the SDK. Returns a promise that never rejects.
 */
export type DirectToolCall = (params: unknown, extra: ToolCallExtra) => Promise<CallToolResult> | undefined;

/**
 * The hot path of every tools/call, without the SDK's per-call work that checks only our own
 * code: it parses the request against CallToolRequestSchema twice and the result against
 * CallToolResultSchema once, about a sixth of what a call allocated (docs/PERFORMANCE.md). What
 * a client sends is still checked exactly as the SDK checks it: the same argument schema, parsed
 * the same way. Anything this path does not take (an unknown tool, invalid arguments, a task
 * request, missing params) goes to the SDK, so every error a client can see keeps the SDK's
 * wording and code.
 */
export function createDirectToolCalls(defs: readonly AnyToolDef[], resolveContext: ResolveContext, logger?: Logger): DirectToolCall {
  const tools = new Map<string, { input: z.ZodObject; run: ToolHandler }>(
    defs.map((def) => [def.name, { input: z.object(toolInputShape(def)), run: toolHandler(def, resolveContext, logger) }]),
  );
  return (params, extra) => {
    if (typeof params !== 'object' || params === null) return undefined;
    const { name, arguments: args, task } = params as { name?: unknown; arguments?: unknown; task?: unknown };
    const tool = typeof name === 'string' ? tools.get(name) : undefined;
    if (!tool || task !== undefined) return undefined;
    if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) return undefined;
    let parsed;
    try {
      parsed = tool.input.safeParse(args ?? {});
    } catch {
      return undefined; // a schema that needs async parsing: the SDK parses those
    }
    if (!parsed.success) return undefined;
    return tool.run(parsed.data, extra);
  };
}
