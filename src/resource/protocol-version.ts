/**
 * MCP protocol versions and the per-request rules that differ between them. 2025-06-18 and
 * 2025-11-25 open with `initialize` (answered per request here: the server is stateless);
 * 2026-07-28 has no handshake: every request carries its version and client capabilities in
 * `_meta`, and `server/discover` replaces `initialize` (SEP-2575).
 */
export const STATELESS_VERSION = '2026-07-28';
export const INITIALIZE_VERSIONS = ['2025-11-25', '2025-06-18'] as const;
/** Newest first. */
export const PROTOCOL_VERSIONS = [STATELESS_VERSION, ...INITIALIZE_VERSIONS] as const;

export const META_PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
export const META_CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
export const META_SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

/** Methods 2026-07-28 removed; a stateless server answers them 404 / -32601. */
export const REMOVED_IN_STATELESS = new Set(['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']);
/** Results a 2026-07-28 client may cache; they carry `ttlMs` and `cacheScope` (SEP-2549). */
const CACHEABLE = new Set(['server/discover', 'tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read']);

export const JSONRPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  headerMismatch: -32020,
  unsupportedVersion: -32022,
} as const;

/** A request refused before it reaches the server: HTTP status plus a JSON-RPC error. */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly rpcCode: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export type Dialect = { stateless: true; version: typeof STATELESS_VERSION } | { stateless: false; version: string | undefined };

const unsupported = (requested: string) =>
  new ProtocolError(400, JSONRPC.unsupportedVersion, `Unsupported protocol version ${requested}; this server speaks ${PROTOCOL_VERSIONS.join(', ')}.`, {
    supported: [...PROTOCOL_VERSIONS],
    requested,
  });

/**
 * Which protocol a request speaks, from the MCP-Protocol-Version header and the request's
 * `_meta`; throws ProtocolError for the combinations the spec says to reject with 400.
 */
export function dialectOf(header: string | undefined, message: { method?: string; id?: unknown; params?: unknown }): Dialect {
  const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
  const metaVersion = meta?.[META_PROTOCOL_VERSION];
  const isRequest = message.method !== undefined && message.id !== undefined;
  if (isRequest && (header === STATELESS_VERSION || metaVersion !== undefined)) {
    if (!header) throw new ProtocolError(400, JSONRPC.headerMismatch, 'Missing MCP-Protocol-Version header.');
    const missing = [META_PROTOCOL_VERSION, META_CLIENT_CAPABILITIES].filter((k) => meta?.[k] === undefined);
    if (missing.length > 0) throw new ProtocolError(400, JSONRPC.invalidParams, `Invalid params: missing _meta keys: ${missing.join(', ')}`);
    if (metaVersion !== header) throw new ProtocolError(400, JSONRPC.headerMismatch, 'MCP-Protocol-Version header does not match _meta protocolVersion.');
    if (header === STATELESS_VERSION) return { stateless: true, version: STATELESS_VERSION };
    if (!(PROTOCOL_VERSIONS as readonly string[]).includes(header)) throw unsupported(header);
    return { stateless: false, version: header };
  }
  if (header !== undefined && !(PROTOCOL_VERSIONS as readonly string[]).includes(header)) throw unsupported(header);
  return { stateless: false, version: header };
}

/** Where each method carries the name its `Mcp-Name` header must repeat (SEP-2243). */
const NAMED_BY: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/**
 * 2026-07-28 standard headers (SEP-2243): `Mcp-Method` must repeat the body's method, and
 * `Mcp-Name` the tool/prompt name or resource URI, so intermediaries can route on headers alone.
 * Values are case-sensitive; surrounding whitespace is not part of the value (RFC 9110 §5.5).
 */
export function checkStandardHeaders(method: string, params: unknown, header: (name: string) => string | undefined): void {
  const mismatch = (what: string) => new ProtocolError(400, JSONRPC.headerMismatch, what);
  const m = header('mcp-method')?.trim();
  if (m === undefined || m === '') throw mismatch('Missing Mcp-Method header.');
  if (m !== method) throw mismatch('Mcp-Method header does not match the body method.');
  const field = NAMED_BY[method];
  const named = field ? (params as Record<string, unknown> | undefined)?.[field] : undefined;
  if (typeof named !== 'string') return;
  const n = header('mcp-name')?.trim();
  if (n === undefined || n === '') throw mismatch(`Missing Mcp-Name header (it must repeat params.${field}).`);
  if (n !== named) throw mismatch(`Mcp-Name header does not match params.${field}.`);
}

/** Capabilities as a stateless server can honour them: no list-changed or subscription pushes. */
export function statelessCapabilities(capabilities: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(capabilities)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const { listChanged: _l, subscribe: _s, ...rest } = v as Record<string, unknown>;
      out[k] = rest;
    } else out[k] = v;
  }
  return out;
}

/** The version an `initialize` answers with: the client's if we speak it, else our newest handshake version. */
export function negotiateInitialize(requested: unknown): string {
  return (INITIALIZE_VERSIONS as readonly string[]).includes(requested as string) ? (requested as string) : INITIALIZE_VERSIONS[0];
}

/** Fields every 2026-07-28 result carries. */
export function decorateStatelessResult(method: string, result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...result, resultType: result.resultType ?? 'complete' };
  if (CACHEABLE.has(method)) {
    out.ttlMs ??= 0;
    // Tool lists are the same for everyone, but results such as resources/read are per person.
    out.cacheScope ??= 'private';
  }
  return out;
}
