import type { z } from 'zod';
import type { Scope, Toolset, ToolContext } from './context.js';

export type { Toolset };

/**
 * A tool is plain data plus a `run` function: name, the words the model reads, schemas, honest
 * annotations and the scope it needs. The registry (server.ts) turns these into MCP tools, adds
 * the shared `format` argument, checks scopes and maps errors, so tool files hold only their logic.
 */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  /** True for every tool that talks to Intervals.icu (an external service); false for local checks. */
  openWorldHint: boolean;
}

export interface ToolOutput<S> {
  /**
   * Sent as `structuredContent`. Checked against `output` on the SDK's path only; the fast lane
   * (src/resource/mcp-dispatch.ts) sends it as it is (docs/TOOLS-FRAMEWORK.md).
   */
  structured: S;
  /** The compact rendering the model reads by default. */
  text: string;
}

export interface ToolDef<I extends z.ZodRawShape, O extends z.ZodRawShape> {
  name: string;
  title: string;
  /** When to use it, when not (name the better tool), what it returns. */
  description: string;
  scope: Scope;
  /** The set that carries it; tools/list per connection shows core plus the sets the person chose. */
  toolset: Toolset;
  annotations: ToolAnnotations;
  input: I;
  /**
   * Requirements that depend on other fields, as top-level `if`/`then`/`else` JSON Schema added to
   * the advertised input schema (src/mcp/schema-conditions.ts builds them). `run` still checks them.
   */
  conditions?: Record<string, unknown>;
  output: O;
  run(args: z.output<z.ZodObject<I>>, ctx: ToolContext): Promise<ToolOutput<z.input<z.ZodObject<O>>>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyToolDef = ToolDef<any, any>;

/** Identity with inference: `defineTool({...})` checks `run` against the schemas. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(def: ToolDef<I, O>): AnyToolDef {
  return def as AnyToolDef;
}

/** Annotation presets; pick one and override what differs. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
/**
 * Overwrites fields in place. MCP defines destructiveHint=false as "only additive updates", which an
 * overwrite is not (the old name or description is gone), so updates say destructive honestly.
 */
export const UPDATE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };
/** Adds something new (a message, an event) and changes nothing that existed; repeating adds again. */
export const APPEND: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
export const DESTRUCTIVE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };

/**
 * Bad input the schema could not catch (a range with oldest after newest, an update with no
 * fields). Becomes an `isError` result whose message says what to change.
 */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
}
