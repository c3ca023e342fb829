import type { IncomingMessage } from 'node:http';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { JSONRPCRequest, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../config/schema.js';
import { rateLimitRejections, toolCalls } from '../http/metrics.js';
import { hasScope, READ_SCOPE, WRITE_SCOPE, type Person, type Scope } from '../mcp/context.js';
import { InsufficientScopeError } from './challenge.js';
import { writeReply, responseModes } from './mcp-response.js';
import { answeredDirectly, MultiplexTransport, type JsonRpcReply } from './mcp-transport.js';
import type { DirectToolCall } from '../mcp/direct-tool-calls.js';
import {
  checkStandardHeaders,
  decorateStatelessResult,
  dialectOf,
  JSONRPC,
  META_SERVER_INFO,
  negotiateInitialize,
  PROTOCOL_VERSIONS,
  ProtocolError,
  REMOVED_IN_STATELESS,
  statelessCapabilities,
  type Dialect,
} from './protocol-version.js';
import { rateLimitHeaders, type RateLimiter } from './rate-limit.js';
import type { VerifiedToken } from './verify-token.js';

export interface McpEndpointDeps {
  config: Config;
  server: McpServer;
  limiter: RateLimiter;
  /** The scope each tool needs (tool registry's TOOL_SCOPES). */
  toolScopes: ReadonlyMap<string, string>;
  /** Well-formed tools/call requests for known tools, without the SDK (src/mcp/direct-tool-calls.ts). */
  callTool?: DirectToolCall;
  /** Runs before everything else on /mcp: Origin/Host, then bearer verification (throws challenges). */
  authenticate: (ctx: Context) => Promise<VerifiedToken>;
}

/** JSON-RPC bodies above this are refused with 413 (tool arguments are small). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Methods that do work against Intervals.icu: each one counts against the person's hourly limit. */
const METERED = new Set(['tools/call', 'resources/read']);

interface ServerDescription {
  capabilities: Record<string, unknown>;
  serverInfo: Record<string, unknown>;
  instructions?: string;
}

/**
 * POST /mcp: MCP Streamable HTTP, stateless. One long-lived McpServer behind one
 * MultiplexTransport serves every request; the handshake (`initialize`, `server/discover`) is
 * answered here from the server's own description, so no per-client state ever lands in it.
 */
export function buildMcpEndpoint(deps: McpEndpointDeps): { router: Router; close(): Promise<void> } {
  const transport = new MultiplexTransport();
  const connected = deps.server.connect(transport);
  /** The server's own answer to a request that is the same for every caller (asked with no person). */
  const askSelf = async (method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>> => {
    await connected;
    const reply = await transport.dispatch({ jsonrpc: '2.0', id: 0, method, ...(params ? { params } : {}) }, {}).reply;
    if (!('result' in reply)) throw new Error(`MCP server failed to answer its own ${method}: ${reply.error.message}`);
    return reply.result;
  };
  let description: Promise<ServerDescription> | undefined;
  const describe = () =>
    (description ??= askSelf('initialize', { protocolVersion: PROTOCOL_VERSIONS[1], capabilities: {}, clientInfo: { name: 'self', version: '0' } }).then((result) => {
      const { capabilities, serverInfo, instructions } = result as unknown as ServerDescription;
      // Without sessions or a GET stream there is no channel for list_changed or resource updates.
      return { capabilities: statelessCapabilities(capabilities), serverInfo, instructions };
    }));
  const resource = new URL(deps.config.MCP_RESOURCE);

  // tools/list is the same for everyone and for the life of the process, and at ~50–80 KB it was
  // the costliest answer to build: serialised once per dialect, then only the id is spliced in.
  const listAnswers = new Map<boolean, Promise<Buffer>>();
  const listAnswer = (stateless: boolean): Promise<Buffer> => {
    let answer = listAnswers.get(stateless);
    if (!answer) {
      answer = askSelf('tools/list').then((result) => Buffer.from(JSON.stringify(stateless ? decorateStatelessResult('tools/list', result) : result)));
      listAnswers.set(stateless, answer);
    }
    return answer;
  };

  function requiredScopes(req: JSONRPCRequest): Scope[] {
    if (req.method !== 'tools/call') return [READ_SCOPE];
    const name = (req.params as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && deps.toolScopes.get(name) === WRITE_SCOPE ? [READ_SCOPE, WRITE_SCOPE] : [READ_SCOPE];
  }

  async function handleRequest(ctx: Context, req: JSONRPCRequest, dialect: Dialect, token: VerifiedToken): Promise<void> {
    const person = token.person;
    if (dialect.stateless) checkStandardHeaders(req.method, req.params, (name) => ctx.get(name) || undefined);
    if (dialect.stateless && REMOVED_IN_STATELESS.has(req.method))
      throw new ProtocolError(404, JSONRPC.methodNotFound, `Method not found: ${req.method} (removed in protocol ${dialect.version})`);
    if (req.method === 'initialize' || req.method === 'server/discover') {
      if (req.method === 'server/discover' && !dialect.stateless)
        throw new ProtocolError(404, JSONRPC.methodNotFound, 'Method not found: server/discover (use initialize with this protocol version)');
      const d = await describe();
      const result =
        req.method === 'initialize'
          ? { protocolVersion: negotiateInitialize((req.params as { protocolVersion?: unknown } | undefined)?.protocolVersion), ...d }
          : decorateStatelessResult('server/discover', { supportedVersions: [...PROTOCOL_VERSIONS], ...d, _meta: { [META_SERVER_INFO]: d.serverInfo } });
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ jsonrpc: '2.0', id: req.id, result });
      return;
    }
    const needed = requiredScopes(req);
    if (!needed.every((s) => hasScope(person, s)))
      throw new InsufficientScopeError(needed, req.method === 'tools/call' ? `The tool ${toolName(req)}` : req.method);
    if (METERED.has(req.method)) {
      const decision = await deps.limiter.take(person.accountId ?? token.fingerprint);
      ctx.set(rateLimitHeaders(deps.limiter.policy, decision));
      if (!decision.allowed) {
        rateLimitRejections.inc({ limiter: deps.limiter.policy.name });
        const minutes = Math.ceil(decision.retryAfterSeconds / 60);
        throw new ProtocolError(
          429,
          -32029,
          `Rate limit reached: ${decision.limit} calls per hour for this account. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}; until then, answer from what you already have.`,
          { retryAfterSeconds: decision.retryAfterSeconds, limit: decision.limit },
        );
      }
    }
    const modes = responseModes(ctx.get('accept') || undefined);
    if (req.method === 'tools/list' && (req.params as { cursor?: unknown } | undefined)?.cursor === undefined && modes.json && !modes.prefersSse) {
      const result = await listAnswer(dialect.stateless);
      const head = Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(req.id)},"result":`);
      ctx.status = 200;
      ctx.type = 'application/json';
      ctx.length = head.length + result.length + CLOSE_BRACE.length;
      // Written in three pieces (one writev) rather than copied into a new ~50 KB buffer per request.
      ctx.respond = false;
      ctx.res.cork();
      ctx.res.write(head);
      ctx.res.write(result);
      ctx.res.end(CLOSE_BRACE);
      return;
    }
    await connected;
    const extra: MessageExtraInfo = { authInfo: authInfo(person, token, resource) };
    const direct = req.method === 'tools/call' ? deps.callTool?.(req.params, extra) : undefined;
    await writeReply(
      ctx,
      modes,
      (onNotification) => (direct ? answeredDirectly(req.id, direct as Promise<Record<string, unknown>>) : transport.dispatch(req, extra, onNotification)),
      (reply) => finish(req, dialect, reply, deps.toolScopes),
    );
  }

  const router = new Router();
  router.post('/mcp', async (ctx) => {
    const token = await deps.authenticate(ctx);
    let id: unknown = null;
    try {
      if (!ctx.is('application/json')) throw new ProtocolError(415, JSONRPC.invalidRequest, 'Send the JSON-RPC message with Content-Type: application/json.');
      const modes = responseModes(ctx.get('accept') || undefined);
      if (!modes.json && !modes.sse) throw new ProtocolError(406, JSONRPC.invalidRequest, 'Accept must include application/json or text/event-stream.');
      const message = await readJson(ctx.req);
      if (Array.isArray(message))
        throw new ProtocolError(400, JSONRPC.invalidRequest, 'JSON-RPC batches are not supported (removed in MCP 2025-06-18); send one message per request.');
      if (typeof message !== 'object' || message === null || (message as { jsonrpc?: unknown }).jsonrpc !== '2.0')
        throw new ProtocolError(400, JSONRPC.invalidRequest, 'Expected a JSON-RPC 2.0 message object.');
      const msg = message as { id?: unknown; method?: unknown; result?: unknown; error?: unknown; params?: unknown };
      id = validId(msg.id) ? msg.id : null;
      const isRequest = typeof msg.method === 'string' && validId(msg.id);
      const isNotification = typeof msg.method === 'string' && msg.id === undefined;
      const isResponse = validId(msg.id) && (msg.result !== undefined || msg.error !== undefined) && msg.method === undefined;
      if (!isRequest && !isNotification && !isResponse) throw new ProtocolError(400, JSONRPC.invalidRequest, 'Not a valid JSON-RPC request, notification or response.');
      // By-position (array) params are JSON-RPC but not MCP: the SDK drops such a message without
      // answering, which would leave this request waiting forever.
      if (msg.params !== undefined && (typeof msg.params !== 'object' || msg.params === null || Array.isArray(msg.params)))
        throw new ProtocolError(400, JSONRPC.invalidParams, 'params must be an object.');
      const args = (msg.params as { arguments?: unknown } | undefined)?.arguments;
      if (msg.method === 'tools/call' && args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args)))
        throw new ProtocolError(400, JSONRPC.invalidParams, 'params.arguments must be an object of named arguments.');
      const dialect = dialectOf(ctx.get('mcp-protocol-version') || undefined, msg as { method?: string; id?: unknown; params?: unknown });
      if (!isRequest) {
        // Notifications and responses: nothing to answer. A stateless server sends no requests, and a
        // cancellation can only concern a request still streaming on its own connection.
        ctx.status = 202;
        ctx.body = ''; // Koa would otherwise send the status text
        return;
      }
      await handleRequest(ctx, msg as JSONRPCRequest, dialect, token);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      ctx.status = err.status;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ jsonrpc: '2.0', id, error: { code: err.rpcCode, message: err.message, ...(err.data === undefined ? {} : { data: err.data }) } });
    }
  });
  // No standalone SSE stream and no sessions in a stateless server: GET and DELETE are 405.
  router.get('/mcp', async (ctx) => methodNotAllowed(ctx, await deps.authenticate(ctx)));
  router.delete('/mcp', async (ctx) => methodNotAllowed(ctx, await deps.authenticate(ctx)));

  return { router, close: () => transport.close() };
}

function methodNotAllowed(ctx: Context, _token: VerifiedToken): void {
  ctx.status = 405;
  ctx.set('Allow', 'POST');
  ctx.body = { error: 'method_not_allowed', error_description: 'This MCP server is stateless: POST JSON-RPC messages to /mcp.' };
}

function authInfo(person: Person, token: VerifiedToken, resource: URL): NonNullable<MessageExtraInfo['authInfo']> {
  return {
    // The bearer token itself never travels further than verification (no passthrough, no logs).
    token: token.fingerprint,
    clientId: person.clientId ?? '',
    scopes: [...person.scopes],
    expiresAt: token.expiresAt,
    resource,
    extra: { person },
  };
}

function finish(req: JSONRPCRequest, dialect: Dialect, reply: JsonRpcReply, known: ReadonlyMap<string, unknown>): { status: number; reply: JsonRpcReply } {
  if (req.method === 'tools/call') {
    // The name comes from the client: only our own tools become label values, or every made-up
    // name would add a time series for the life of the process.
    const name = toolName(req);
    const tool = known.has(name) ? name : '(unknown)';
    const outcome = 'error' in reply ? (reply.error.code === -32800 ? 'cancelled' : 'protocol_error') : reply.result.isError ? 'tool_error' : 'ok';
    toolCalls.inc({ tool, outcome });
  }
  if ('error' in reply && req.method === 'resources/read') reply = withMissingUri(req, reply);
  if (!dialect.stateless) return { status: 200, reply };
  if ('error' in reply) return { status: reply.error.code === JSONRPC.methodNotFound ? 404 : 200, reply };
  return { status: 200, reply: { ...reply, result: decorateStatelessResult(req.method, reply.result) } };
}

/** SEP-2164: a resource-not-found error names the URI in `data.uri` (the SDK says it only in prose). */
function withMissingUri(req: JSONRPCRequest, reply: JsonRpcReply): JsonRpcReply {
  const uri = (req.params as { uri?: unknown } | undefined)?.uri;
  if (!('error' in reply) || typeof uri !== 'string' || reply.error.data !== undefined) return reply;
  if (!reply.error.message.endsWith(`Resource ${uri} not found`)) return reply;
  return { ...reply, error: { ...reply.error, data: { uri } } };
}

const CLOSE_BRACE = Buffer.from('}');

/** tools/call may arrive without params (the SDK answers it with invalid params): never assume them. */
const toolName = (req: JSONRPCRequest): string => String((req.params as { name?: unknown } | undefined)?.name);

const validId = (id: unknown): boolean => typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));

async function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ProtocolError(413, JSONRPC.invalidRequest, `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ProtocolError(413, JSONRPC.invalidRequest, `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return JSON.parse(text.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  } catch {
    throw new ProtocolError(400, JSONRPC.parseError, 'Parse error: the body is not valid UTF-8 JSON.');
  }
}
