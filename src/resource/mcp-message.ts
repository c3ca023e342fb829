import type { Context } from 'koa';

/**
 * A /mcp request body as read once, before the gate: parsed JSON, or the bytes as they came
 * (the SDK answers a body that is not JSON with its own parse error), or none (GET, DELETE).
 */
export type McpMessage = { kind: 'parsed'; body: unknown } | { kind: 'unparsed'; raw: Uint8Array } | { kind: 'none' };

/** A request refused while reading it: HTTP status plus the JSON-RPC error to answer with. */
export class McpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly rpcCode: number,
    message: string,
    readonly data?: unknown,
    /** Sent with the refusal, e.g. the RateLimit headers of a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** One for every request: a non-streaming decode keeps no state between calls. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Answers a refused request, the same on /mcp and the legacy /messages: the refusal's status and
 * headers, and a JSON-RPC error carrying the request's id when it had one (null otherwise).
 */
export function sendRefusal(ctx: Context, err: McpRefusal, message: McpMessage): void {
  const id = requestOf(message) ? ((message as { body: { id?: unknown } }).body.id ?? null) : null;
  const error = { code: err.rpcCode, message: err.message, ...(err.data === undefined ? {} : { data: err.data }) };
  ctx.set(err.headers);
  ctx.status = err.status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify({ jsonrpc: '2.0', id, error });
}

/**
 * Reads the body under a size cap (the gate needs the method and tool name before anything runs,
 * so the body is read here and handed to the SDK already parsed). Batches are refused: MCP
 * removed them in 2025-06-18, and the gate meters and scopes one message per request.
 */
export async function readMcpMessage(
  httpMethod: string,
  declaredLength: number,
  body: AsyncIterable<Uint8Array> | null,
  maxBytes: number,
): Promise<McpMessage> {
  if (httpMethod !== 'POST' || !body) return { kind: 'none' };
  const tooLarge = () => new McpRefusal(413, -32600, `The request body exceeds ${maxBytes} bytes.`);
  if (declaredLength > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  let parsed: unknown;
  try {
    parsed = JSON.parse(STRICT_UTF8.decode(bytes));
  } catch {
    return { kind: 'unparsed', raw: bytes };
  }
  if (Array.isArray(parsed))
    throw new McpRefusal(400, -32600, 'JSON-RPC batches are not supported (removed in MCP 2025-06-18); send one message per request.');
  return { kind: 'parsed', body: parsed };
}

/** The method and tool name of a parsed single request, for the gate; undefined for anything else. */
export function requestOf(message: McpMessage): { method: string; name?: unknown; uri?: unknown } | undefined {
  if (message.kind !== 'parsed') return undefined;
  const body = message.body as { method?: unknown; id?: unknown; params?: { name?: unknown; uri?: unknown } } | null;
  if (typeof body !== 'object' || body === null || typeof body.method !== 'string' || body.id === undefined) return undefined;
  const params = typeof body.params === 'object' && body.params !== null ? body.params : undefined;
  return { method: body.method, name: params?.name, uri: params?.uri };
}
