/** Binds tool definitions to the SDK server: validated inputs, scope checks, one error shape, metrics. */
import { registerAppTool } from '@modelcontextprotocol/ext-apps/server';
import { z } from 'zod';
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  type AuthInfo,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  type McpServer,
  type ServerContext,
  type StandardSchemaWithJSON,
} from '@modelcontextprotocol/server';
import { describeError } from '../errors.js';
import { toolCalls } from '../http/metrics.js';
import { isIntervalsError } from '../intervals/errors.js';
import type { Logger } from '../logger.js';
import { AskPerson, type PersonAnswer, type PersonPrompt } from './confirmation.js';
import { hasScope, type ToolContext } from './context.js';
import { compactInputSchema, compactOutputSchema } from './schema-compact.js';
import { ToolInputError, type AnyToolDef } from './tool.js';
import { toolsetOffMessage } from './toolsets.js';
import { viewOfTool, type View } from './views.js';

/** Who is calling, as a transport hands it over: over HTTP the verified token's AuthInfo; nothing on stdio. */
export interface ToolCaller {
  authInfo?: AuthInfo;
  /** Sends notifications/progress for this call; present only when the client passed a progress token. */
  progress?: (progress: number, message: string) => Promise<void>;
  /** The client can ask the person (form elicitation) on this request: src/mcp/confirmation.ts. */
  prompt?: PersonPrompt;
  /** The client declared the MCP Apps extension, so a tool with a view has its chart shown beside the result. */
  ui?: boolean;
}

/**
 * While a tool runs, a caller that asked for progress hears from it this often: hosts restart their
 * request timeout on each notification, and a call that waits on several slow Intervals.icu
 * answers (100–500 ms each, more when throttled or retried) can take longer than their patience.
 */
export const PROGRESS_EVERY_MS = 1_000;
export type ResolveContext = (caller: ToolCaller) => Promise<ToolContext>;

/**
 * Added to every tool: omitted means the compact text; `json` returns the structured result as JSON
 * text. Explained once in the server instructions (FORMAT_NOTE) rather than in all ~35 tool schemas,
 * and optional rather than `.default('text')` so no tool's schema repeats the default.
 */
export const formatInput = z.enum(['text', 'json']).optional();

export const FORMAT_NOTE =
  'Every tool answers in compact text; pass format "json" for the full structured result (every row and field) as JSON.';

function textResult(text: string, isError = false): CallToolResult {
  return isError ? { content: [{ type: 'text', text }], isError: true } : { content: [{ type: 'text', text }] };
}

/**
 * Any failure inside a tool becomes an `isError` result naming the next step.
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

export interface BindingOptions {
  logger?: Logger;
  /**
   * Where the person turns a tool set on, completing "turn on <set> …": over HTTP the account
   * page, in stdio the TOOLSETS setting. Used by the refusal and the server instructions.
   */
  turnOnToolsets?: string;
}

export const DEFAULT_TURN_ON = 'for this connection on the account page';

/** A tool's answer: its result, or (only for a caller with a `prompt`) the question for the person. */
export type ToolHandler = (args: Record<string, unknown>, caller: ToolCaller) => Promise<CallToolResult | InputRequiredResult>;

/** A tool's arguments schema as clients see it: its own input plus the shared `format`. */
export function toolInputShape(def: AnyToolDef): z.ZodRawShape {
  return { ...def.input, format: formatInput };
}

/** One tool's handler: context, scope check, the tool itself and error mapping; it never throws. */
export function toolHandler(def: AnyToolDef, resolveContext: ResolveContext, opts: BindingOptions = {}): ToolHandler {
  return async (args, caller) => {
    const result = await runTool(def, args, caller, resolveContext, opts);
    toolCalls.inc({ tool: def.name, outcome: 'resultType' in result ? 'input_required' : result.isError ? 'tool_error' : 'ok' });
    return result;
  };
}

async function runTool(
  def: AnyToolDef,
  args: Record<string, unknown>,
  caller: ToolCaller,
  resolveContext: ResolveContext,
  opts: BindingOptions,
): Promise<CallToolResult | InputRequiredResult> {
  const { progress } = caller;
  let beats = 0;
  const heartbeat = progress
    ? setInterval(() => {
        beats += 1;
        // A notification that cannot be sent (the client went away) changes nothing about the call.
        progress(beats, `${def.name}: still working (${beats} s)`).catch(() => undefined);
      }, PROGRESS_EVERY_MS)
    : undefined;
  try {
    const resolved = await resolveContext(caller);
    const ctx: ToolContext = caller.prompt ? { ...resolved, prompt: caller.prompt } : resolved;
    // tools/list shows only the connection's sets; a call to a tool from another set (a client
    // that remembers an old list, or guesses) gets the set's name and where to turn it on.
    if (!ctx.person.toolsets.has(def.toolset))
      return textResult(toolsetOffMessage(def.name, def.toolset, opts.turnOnToolsets ?? DEFAULT_TURN_ON), true);
    // Defense in depth: the HTTP layer answers 403 insufficient_scope first, but stdio or a
    // future transport must not be able to skip the check.
    if (!hasScope(ctx.person, def.scope)) {
      return textResult(
        `Error (insufficient_scope): ${def.name} needs the ${def.scope} permission, which this connection was not granted.\nNext step: reconnect and approve ${def.scope} (write access) for this client.`,
        true,
      );
    }
    const { format, ...rest } = args;
    const out = await def.run(rest, ctx);
    const view = caller.ui ? viewOfTool(def.name) : undefined;
    return {
      content: [
        {
          type: 'text',
          text: format === 'json' ? JSON.stringify(out.structured) : view ? `${out.text}\n\n${chartShownNote(view)}` : out.text,
        },
      ],
      structuredContent: out.structured as Record<string, unknown>,
    };
  } catch (err) {
    if (err instanceof AskPerson && caller.prompt) return askPerson(err.question, err.what);
    return errorResult(def.name, err, opts.logger);
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }
}

/** The key of the one question a tool asks; the client's answer comes back under it. */
const CONFIRM_KEY = 'confirm';

/**
 * A yes/no question: a form with no fields, so the person's accept or decline is the answer (a
 * checkbox inside the form would make "accept" with the box unticked mean no).
 */
function askPerson(question: string, what: string): InputRequiredResult {
  // requestState comes back from the client unverified; it only says which change the answer was
  // given to, and the client's answer is what grants consent in the first place, so forging it
  // gains nothing a forged "accept" would not.
  return inputRequired({
    inputRequests: { [CONFIRM_KEY]: inputRequired.elicit({ message: question, requestedSchema: { type: 'object', properties: {} } }) },
    requestState: what,
  });
}

const ANSWERS: ReadonlySet<unknown> = new Set<PersonAnswer>(['accept', 'decline', 'cancel']);

/**
 * Whether this request can ask the person, and their answer when it carries one. Capabilities come
 * from the 2026-07-28 request's own envelope, else from the 2025-era initialize of a connection that
 * keeps a session (stdio); a stateless 2025-era HTTP request has neither, so it cannot ask.
 */
function promptOf(server: McpServer, ctx: ServerContext): PersonPrompt | undefined {
  const perRequest = (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[CLIENT_CAPABILITIES_META_KEY] as
    ClientCapabilities | undefined;
  // getClientCapabilities is deprecated, yet it is the only public view of a 2025-era session's initialize
  const elicitation = (perRequest ?? server.server.getClientCapabilities())?.elicitation;
  // A bare `elicitation: {}` means form support (the rule before modes existed); URL-only clients cannot show a form.
  if (!elicitation || (elicitation.url !== undefined && elicitation.form === undefined)) return undefined;
  const answer = (ctx.mcpReq.inputResponses?.[CONFIRM_KEY] as { action?: unknown } | undefined)?.action;
  const answered = ctx.mcpReq.requestState();
  return {
    answer: ANSWERS.has(answer) ? (answer as PersonAnswer) : undefined,
    answered: typeof answered === 'string' ? answered : undefined,
  };
}

/**
 * Said only when the host shows the view (the client declared the extension), so the model neither
 * claims a chart a text-only client never shows nor repeats, row by row, what the person already sees.
 */
export const chartShownNote = (view: View): string =>
  `Chart: the person sees this as the ${view.title} beside this answer; refer to it rather than repeating every value.`;

/**
 * A zod schema that validates as itself but advertises the lean JSON Schema of
 * src/mcp/schema-compact.ts: the SDK reads `~standard.jsonSchema` for tools/list and
 * `~standard.validate` for tools/call (Standard Schema, which v2's registerTool takes).
 */
function advertised<S extends z.ZodType>(schema: S, json: Record<string, unknown>): StandardSchemaWithJSON<Record<string, unknown>> {
  const std = schema['~standard'];
  return { '~standard': { ...std, jsonSchema: { input: () => json, output: () => json } } } as StandardSchemaWithJSON<
    Record<string, unknown>
  >;
}

/** A tool as the SDK registers it, prepared once per process: schemas converted, handler bound. */
export interface PreparedTool {
  def: AnyToolDef;
  /** The argument schema that both the SDK and the fast path parse with. */
  input: z.ZodObject;
  run: ToolHandler;
  config: {
    title: string;
    description: string;
    inputSchema: StandardSchemaWithJSON<Record<string, unknown>>;
    outputSchema: StandardSchemaWithJSON<Record<string, unknown>>;
    annotations: AnyToolDef['annotations'];
  };
}

export function prepareTools(defs: readonly AnyToolDef[], resolveContext: ResolveContext, opts: BindingOptions = {}): PreparedTool[] {
  return defs.map((def) => {
    const input = z.object(toolInputShape(def));
    const output = z.object(def.output);
    return {
      def,
      input,
      run: toolHandler(def, resolveContext, opts),
      config: {
        title: def.title,
        description: def.description,
        inputSchema: advertised(
          input,
          compactInputSchema({
            ...(z.toJSONSchema(input, { target: 'draft-7', io: 'input' }) as Record<string, unknown>),
            ...def.conditions,
          }),
        ),
        // The SDK checks every structured result against this on its path; the fast path
        // (src/resource/mcp-dispatch.ts) does not, and the tool tests' SDK client checks every
        // result against the advertised (looser) JSON Schema instead.
        outputSchema: advertised(
          output,
          compactOutputSchema(z.toJSONSchema(output, { target: 'draft-7', io: 'output' }) as Record<string, unknown>),
        ),
        // The title is already the tool's own `title`; repeating it in annotations costs bytes only.
        annotations: def.annotations,
      },
    };
  });
}

/**
 * Registers prepared tools on one server instance (cheap: nothing is converted again). With `ui`
 * (the client declared the MCP Apps extension) a tool that has a view carries its link,
 * `_meta.ui.resourceUri`, set through ext-apps' registerAppTool; without it every tool is
 * registered exactly as before, so such clients see the same tools/list.
 */
export function registerTools(server: McpServer, tools: readonly PreparedTool[], opts: { ui?: boolean } = {}): void {
  for (const tool of tools) {
    const view = opts.ui ? viewOfTool(tool.def.name) : undefined;
    const handler = (args: Record<string, unknown>, ctx: ServerContext) =>
      tool.run(args, { ...callerOf(server, ctx), ui: view !== undefined });
    if (view) registerAppTool(server, tool.def.name, { ...tool.config, _meta: { ui: { resourceUri: view.uri } } }, handler);
    else server.registerTool(tool.def.name, tool.config, handler);
  }
}

/** Who calls, and how to tell them about progress if they asked (`_meta.progressToken`). */
/** Who calls, whether the person can be asked (src/mcp/confirmation.ts), and how to tell them about progress if they asked (`_meta.progressToken`). */
function callerOf(server: McpServer, ctx: ServerContext): ToolCaller {
  const caller: ToolCaller = { authInfo: ctx.http?.authInfo };
  const prompt = promptOf(server, ctx);
  if (prompt) caller.prompt = prompt;
  const progressToken = ctx.mcpReq._meta?.progressToken;
  if (progressToken !== undefined) {
    caller.progress = (progress, message) =>
      ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress, message } });
  }
  return caller;
}
