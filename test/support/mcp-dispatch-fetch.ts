import type { AuthInfo } from '@modelcontextprotocol/server';
import type { McpDispatch } from '../../src/resource/mcp-dispatch.js';
import { MAX_BODY_BYTES } from '../../src/resource/mcp-endpoint.js';
import { McpRefusal, readMcpMessage } from '../../src/resource/mcp-message.js';

/**
 * A `fetch` that hands each request to the /mcp dispatcher in process, the way POST /mcp does
 * after authentication (same reader, same dispatch function), for SDK clients in tests and
 * scripts: `new StreamableHTTPClientTransport(url, { fetch: dispatchFetch(d, authInfo) })`.
 */
export function dispatchFetch(
  dispatcher: McpDispatch,
  authInfo: AuthInfo,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const request = new Request(input, init);
    let message;
    try {
      message = await readMcpMessage(
        request.method,
        Number(request.headers.get('content-length') ?? 0),
        request.body as AsyncIterable<Uint8Array> | null,
        MAX_BODY_BYTES,
      );
    } catch (err) {
      if (!(err instanceof McpRefusal)) throw err;
      return Response.json({ jsonrpc: '2.0', id: null, error: { code: err.rpcCode, message: err.message } }, { status: err.status });
    }
    const answer = await dispatcher.dispatch(
      {
        httpMethod: request.method,
        url: request.url,
        header: (name) => request.headers.get(name),
        headers: () => request.headers,
        message,
        signal: request.signal,
      },
      authInfo,
    );
    if (answer.kind === 'sdk') return answer.response;
    return new Response(Buffer.concat(answer.chunks), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
}
