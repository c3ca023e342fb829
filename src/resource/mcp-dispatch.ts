import {
  CLIENT_CAPABILITIES_META_KEY,
  classifyInboundRequest,
  createMcpHandler,
  isJsonContentType,
  SUPPORTED_PROTOCOL_VERSIONS,
  type AuthInfo,
  type McpServer,
} from '@modelcontextprotocol/server';
import type { Person } from '../mcp/context.js';
import type { CreateServerOptions } from '../mcp/server.js';
import type { PreparedTool } from '../mcp/tool-binding.js';
import { UI_EXTENSION, viewOfTool } from '../mcp/views.js';
import { messagesIn } from './answer-messages.js';
import type { McpMessage } from './mcp-message.js';
import type { UiClients } from './ui-clients.js';

/** What /mcp serves: the SDK's server per request, and the prepared tools the fast lane may run itself. */
export interface McpBinding {
  /**
   * A fresh McpServer (src/mcp/server.ts); `ui`: with the MCP Apps views; `toolsets`: only those
   * sets' tools (omitted: every tool).
   */
  createServer(opts?: CreateServerOptions): McpServer;
  /** Where 2025-era MCP Apps declarations are remembered; without it only 2026-07-28 requests get views. */
  uiClients?: UiClients;
  /** The scope each tool needs (tools not listed need intervals:read). */
  toolScopes: ReadonlyMap<string, string>;
  /** The registry's prepared tools; without them every request goes to the SDK. */
  tools?: readonly PreparedTool[];
}

/** One POST, GET or DELETE on /mcp as the dispatcher needs it: already authenticated and read. */
export interface McpInbound {
  httpMethod: string;
  url: string;
  /** One request header (lower-case name), or null: read on the fast lane without building Headers. */
  header(name: string): string | null;
  /** All of them, for the SDK's web Request (built only when the SDK answers). */
  headers(): Headers;
  message: McpMessage;
  /** Aborts when the client goes away; the SDK then aborts the handler. */
  signal: AbortSignal;
}

/** An answer written as it is (the fast lane), or the SDK's own web Response. */
export type McpAnswer = { kind: 'json'; status: number; chunks: readonly Buffer[] } | { kind: 'sdk'; response: Response };

export interface McpDispatchOptions {
  /** Bodies above this are refused by the SDK with 413. */
  maxBodyBytes: number;
  /** false: every request goes to the SDK (the same-answer tests compare the two). Default true. */
  fastLane?: boolean;
  onerror?: (error: Error) => void;
}

export interface McpDispatch {
  dispatch(inbound: McpInbound, authInfo: AuthInfo): Promise<McpAnswer>;
  close(): Promise<void>;
}

/**
 * The one place that decides how a /mcp request is answered:
 * - the fast lane, for the two requests every conversation repeats, in the 2025 era the SDK serves
 *   statelessly: `tools/list` from a copy of the SDK's own answer (serialised once per protocol
 *   version), and a well-formed `tools/call` of one of our tools, run with the same argument schema
 *   and the same handler the SDK would use;
 * - the SDK (`createMcpHandler`, a fresh McpServer per request) for everything else: the
 *   handshakes (`initialize`, `server/discover`), the 2026-07-28 era with its per-request envelope
 *   and header checks, resources, prompts, and every error answer.
 * The fast lane exists because the SDK alone misses the performance targets: building a server per
 * request costs ~360 µs, a tools/call through it ~900 µs and a tools/list ~1.4 ms, against ~200 µs
 * for a call here (docs/PERFORMANCE.md). It takes a request only when the SDK would hand the same
 * request to the same handler; anything it is unsure of goes to the SDK, so every error keeps the
 * SDK's wording, code and status.
 *
 * MCP Apps: whether the client shows views (it declared UI_EXTENSION) picks one of two servers,
 * with and without the view links and ui:// resources (uiOf below); the cached tools/list is kept
 * per protocol version and that choice, so a client without the extension gets the same bytes.
 *
 * Tool sets: the caller's sets (`authInfo.extra.person.toolsets`, from its token) decide which
 * tools a server lists, and the cached tools/list is kept per set choice too. tools/call goes to a
 * server with every tool: each handler refuses a tool outside the caller's sets with an error
 * naming the set (src/mcp/tool-binding.ts), the same answer the fast lane gives with that handler.
 */
export function createMcpDispatch(binding: McpBinding, options: McpDispatchOptions): McpDispatch {
  const handlerOptions = {
    legacy: 'stateless',
    maxRequestBodySize: options.maxBodyBytes,
    ...(options.onerror ? { onerror: options.onerror } : {}),
  } as const;
  const listing = (ui: boolean) =>
    createMcpHandler((ctx) => {
      const toolsets = toolsetsOf(ctx.authInfo);
      return binding.createServer({ ui, ...(toolsets ? { toolsets } : {}) });
    }, handlerOptions);
  const plain = listing(false);
  const withViews = listing(true);
  const calls = createMcpHandler(() => binding.createServer(), handlerOptions);
  const callsWithViews = createMcpHandler(() => binding.createServer({ ui: true }), handlerOptions);
  const sdkFor = (ui: boolean, method: unknown) => (method === 'tools/call' ? (ui ? callsWithViews : calls) : ui ? withViews : plain);
  const tools = new Map((options.fastLane === false ? [] : (binding.tools ?? [])).map((t) => [t.def.name, t]));
  const lists = new Map<string, Promise<Buffer>>();

  /**
   * Whether this request is answered with the views. 2026-07-28 requests carry the client's
   * capabilities themselves; a 2025-era `initialize` declares them once, and is remembered
   * (binding.uiClients) for the later requests of the same account and client. Only the methods
   * whose answer differs look the declaration up.
   */
  const uiOf = async (inbound: McpInbound, authInfo: AuthInfo): Promise<boolean> => {
    if (inbound.message.kind !== 'parsed' || !isPlainObject(inbound.message.body)) return false;
    const { method, params } = inbound.message.body as {
      method?: unknown;
      params?: { capabilities?: unknown; _meta?: Record<string, unknown> };
    };
    const perRequest = isPlainObject(params) && isPlainObject(params._meta) ? params._meta[CLIENT_CAPABILITIES_META_KEY] : undefined;
    if (perRequest !== undefined) return declaresUi(perRequest);
    if (method === 'initialize') {
      const ui = declaresUi(isPlainObject(params) ? params.capabilities : undefined);
      await binding.uiClients?.remember(authInfo, ui);
      return ui;
    }
    const dependent = typeof method === 'string' && (VIEW_DEPENDENT.has(method) || (method === 'tools/call' && callsViewTool(params)));
    return dependent && binding.uiClients ? binding.uiClients.declared(authInfo) : false;
  };

  const toSdk = async (inbound: McpInbound, authInfo: AuthInfo, ui: boolean): Promise<McpAnswer> => {
    const { message } = inbound;
    const request = new Request(inbound.url, {
      method: inbound.httpMethod,
      headers: inbound.headers(),
      signal: inbound.signal,
      ...(message.kind === 'unparsed' && inbound.httpMethod === 'POST' ? { body: message.raw as BodyInit } : {}),
    });
    const method = message.kind === 'parsed' && isPlainObject(message.body) ? message.body.method : undefined;
    return {
      kind: 'sdk',
      response: await sdkFor(ui, method).fetch(request, { authInfo, ...(message.kind === 'parsed' ? { parsedBody: message.body } : {}) }),
    };
  };

  /** tools/list as the SDK answers it for this protocol version, views and tool sets, asked once and kept as bytes. */
  const listFor = (version: string | null, ui: boolean, authInfo: AuthInfo): Promise<Buffer> => {
    const toolsets = toolsetsOf(authInfo);
    const key = `${ui ? 'ui' : ''}:${version ?? ''}:${toolsets ? [...toolsets].sort().join(' ') : '*'}`;
    let list = lists.get(key);
    if (!list) {
      const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
      if (version) headers.set('mcp-protocol-version', version);
      const body = { jsonrpc: '2.0', id: 0, method: 'tools/list' };
      list = sdkFor(ui, 'tools/list')
        .fetch(new Request('http://self/mcp', { method: 'POST', headers, body: JSON.stringify(body) }), { authInfo, parsedBody: body })
        .then(async (response) => Buffer.from(JSON.stringify(resultOf(await response.text(), response.headers.get('content-type')))));
      list.catch(() => lists.delete(key));
      lists.set(key, list);
    }
    return list;
  };

  async function dispatch(inbound: McpInbound, authInfo: AuthInfo): Promise<McpAnswer> {
    const lane = tools.size > 0 ? fastLaneOf(inbound) : undefined;
    // A tools/call answer differs only for a tool with a view (its text says the chart is shown).
    const ui = lane?.method === 'tools/call' && !callsViewTool(lane.params) ? false : await uiOf(inbound, authInfo);
    if (lane?.method === 'tools/list') {
      const result = await listFor(lane.version, ui, authInfo);
      return {
        kind: 'json',
        status: 200,
        chunks: [Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(lane.id)},"result":`), result, CLOSE_BRACE],
      };
    }
    if (lane?.method === 'tools/call') {
      const { name, arguments: args } = (lane.params ?? {}) as { name?: unknown; arguments?: unknown };
      const tool = typeof name === 'string' ? tools.get(name) : undefined;
      const parsed = tool && (args === undefined || isPlainObject(args)) ? tool.input.safeParse(args ?? {}) : undefined;
      if (tool && parsed?.success) {
        const result = await tool.run(parsed.data, { authInfo, ui });
        return { kind: 'json', status: 200, chunks: [Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: lane.id, result }))] };
      }
    }
    return toSdk(inbound, authInfo, ui);
  }

  return { dispatch, close: async () => void (await Promise.all([plain, withViews, calls, callsWithViews].map((h) => h.close()))) };
}

/** The tool sets of the verified caller; undefined when the binding's callers carry none (every tool). */
function toolsetsOf(authInfo: AuthInfo | undefined): Person['toolsets'] | undefined {
  return (authInfo?.extra?.person as Person | undefined)?.toolsets;
}

interface FastLane {
  method: 'tools/list' | 'tools/call';
  id: string | number;
  params: unknown;
  version: string | null;
}

/**
 * Whether the SDK would serve this request statelessly in the 2025 era and reach the handler:
 * the SDK's own era classification says legacy, and the preconditions its legacy transport checks
 * first hold (JSON body, Accept naming both JSON and event streams, a protocol version it speaks).
 */
function fastLaneOf(inbound: McpInbound): FastLane | undefined {
  const { message, header } = inbound;
  if (inbound.httpMethod !== 'POST' || message.kind !== 'parsed' || !isJsonContentType(header('content-type'))) return undefined;
  const body = message.body as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
  if (!isPlainObject(body) || body.jsonrpc !== '2.0' || (body.method !== 'tools/list' && body.method !== 'tools/call')) return undefined;
  // Safe integers only: the SDK's request id schema (zod int) refuses the rest.
  if (!(typeof body.id === 'string' || Number.isSafeInteger(body.id))) return undefined;
  if (body.params !== undefined && !isPlainObject(body.params)) return undefined;
  if (body.method === 'tools/list' && (body.params as { cursor?: unknown } | undefined)?.cursor !== undefined) return undefined;
  const accept = header('accept') ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  const version = header('mcp-protocol-version');
  if (version !== null && !(SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(version)) return undefined;
  // The era depends on the envelope (params._meta) and the headers, not on the tool's arguments:
  // the SDK classifies a copy without them, so its message-shape checks do not walk the arguments.
  const meta = (body.params as { _meta?: unknown } | undefined)?._meta;
  // A call that asked for progress goes to the SDK, which can stream notifications before the answer.
  if (isPlainObject(meta) && meta.progressToken !== undefined) return undefined;
  const mcpMethod = header('mcp-method');
  const mcpName = header('mcp-name');
  // Without an envelope or the 2026 headers, that copy is one of a few (method × supported
  // version, the id's shape already checked above): its era is asked once and remembered, which
  // spares each request the SDK's three message-schema parses (~6 KB of garbage per request).
  const memoKey = meta === undefined && mcpMethod === null && mcpName === null ? `${body.method} ${version ?? ''}` : undefined;
  let legacy = memoKey === undefined ? undefined : legacyEra.get(memoKey);
  if (legacy === undefined) {
    legacy =
      classifyInboundRequest({
        httpMethod: 'POST',
        body: { jsonrpc: body.jsonrpc, id: body.id, method: body.method, ...(meta === undefined ? {} : { params: { _meta: meta } }) },
        ...(version !== null ? { protocolVersionHeader: version } : {}),
        ...optionalHeader('mcpMethodHeader', mcpMethod),
        ...optionalHeader('mcpNameHeader', mcpName),
      }).kind === 'legacy';
    if (memoKey !== undefined) legacyEra.set(memoKey, legacy);
  }
  if (!legacy) return undefined;
  return { method: body.method, id: body.id as string | number, params: body.params, version };
}

/** classifyInboundRequest's answer (legacy or not) for an envelope-less copy, by method and protocol version header. */
const legacyEra = new Map<string, boolean>();

const optionalHeader = (key: 'mcpMethodHeader' | 'mcpNameHeader', value: string | null) => (value === null ? {} : { [key]: value });

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const CLOSE_BRACE = Buffer.from('}');

/** The 2025-era methods whose answer depends on the client showing views. */
const VIEW_DEPENDENT = new Set(['tools/list', 'resources/list', 'resources/read', 'resources/templates/list']);

/** A tools/call of a tool that has a view. */
const callsViewTool = (params: unknown): boolean =>
  isPlainObject(params) && typeof params.name === 'string' && viewOfTool(params.name) !== undefined;

/** Client capabilities that declare the MCP Apps extension (`extensions["io.modelcontextprotocol/ui"]`). */
function declaresUi(capabilities: unknown): boolean {
  const extensions = isPlainObject(capabilities) ? capabilities.extensions : undefined;
  return isPlainObject(extensions) && isPlainObject(extensions[UI_EXTENSION]);
}

/** The `result` of a JSON-RPC answer the SDK sent as JSON or as a one-event SSE stream. */
function resultOf(text: string, contentType: string | null): unknown {
  const data = messagesIn(text, contentType)[0];
  const reply = data?.startsWith('{') ? (JSON.parse(data) as { result?: unknown }) : undefined;
  if (!reply?.result) throw new Error(`the MCP server did not list its tools: ${text.slice(0, 200)}`);
  return reply.result;
}
