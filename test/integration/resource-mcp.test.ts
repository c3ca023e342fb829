import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { INIT_PARAMS, rpcOf, startResourceHarness, type ResourceHarness } from '../support/resource.js';

/** /mcp as MCP Streamable HTTP (stateless), PRM, Origin/Host, CORS and metrics, over real HTTP. */
let h: ResourceHarness;
let token: string;
beforeAll(async () => {
  h = await startResourceHarness({ ALLOWED_ORIGINS: 'https://claude.ai,http://localhost' });
  token = await h.issuer.sign({ scope: 'intervals:read intervals:write' });
});
afterAll(async () => h.close());

const STATELESS_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};
const v2026 = { 'mcp-protocol-version': '2026-07-28' };

async function sseEvents(res: Response): Promise<Record<string, unknown>[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .map((block) => block.split('\n').find((l) => l.startsWith('data: ')))
    .filter((l): l is string => l !== undefined)
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
}

describe('protected resource metadata (RFC 9728)', () => {
  it.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])('%s', async (path) => {
    const res = await fetch(`${h.base}${path}`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      resource: `${h.base}/mcp`,
      authorization_servers: [h.issuer.url],
      scopes_supported: ['intervals:read', 'intervals:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'Intervals.icu MCP',
    });
    expect(doc.scopes_supported).not.toContain('offline_access');
  });
});

describe('Streamable HTTP, stateless', () => {
  it.each([
    ['2025-06-18', '2025-06-18'],
    ['2025-11-25', '2025-11-25'],
    ['2024-11-05', '2024-11-05'],
  ])('initialize asking for %s negotiates %s, with no session id', async (asked, answered) => {
    const res = await h.post(
      { jsonrpc: '2.0', id: 7, method: 'initialize', params: { ...INIT_PARAMS, protocolVersion: asked } },
      { token },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(await rpcOf(res)).toMatchObject({ id: 7, result: { protocolVersion: answered, serverInfo: { name: 'tiny' } } });
  });

  it.each([
    ['GET', 405],
    ['DELETE', 405],
  ])('%s /mcp → %i with Allow: POST (no standalone stream, no sessions)', async (method, status) => {
    const res = await fetch(`${h.base}/mcp`, { method, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
    expect(res.status).toBe(status);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('GET /mcp without a token is a 401 challenge first', async () => {
    const res = await fetch(`${h.base}/mcp`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it('a notification is accepted with 202 and no body', async () => {
    const res = await h.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { token });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
  });

  it.each([
    ['a batch', JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'ping' }]), 400, -32600],
    ['invalid JSON', '{"jsonrpc":', 400, -32700],
    ['not JSON-RPC 2.0', JSON.stringify({ id: 1, method: 'ping' }), 400, -32600],
    ['an unsupported MCP-Protocol-Version', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }), 400, -32000],
  ])('%s → %i with JSON-RPC error %i', async (name, body, status, code) => {
    const headers: Record<string, string> = name.includes('Protocol-Version') ? { 'mcp-protocol-version': '1999-01-01' } : {};
    const res = await h.post(body, { token, headers });
    expect(res.status).toBe(status);
    expect(await rpcOf(res)).toMatchObject({ jsonrpc: '2.0', error: { code } });
  });

  it('a body that is not JSON → 415', async () => {
    const res = await h.post('{}', { token, headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
  });

  it('a body over 1 MB → 413', async () => {
    const res = await h.post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(1_100_000) } }), { token });
    expect(res.status).toBe(413);
  });

  it('concurrent clients using the same JSON-RPC id each get their own answer, under their own id', async () => {
    const tokens = await Promise.all(['person-1', 'person-2'].map((sub) => h.issuer.sign({ sub })));
    const calls = Array.from({ length: 20 }, (_, i) => ({ who: `person-${(i % 2) + 1}`, t: tokens[i % 2]!, echo: `e${i}` }));
    const results = await Promise.all(calls.map((c) => h.post(h.call('whoami', { echo: c.echo }, 1), { token: c.t }).then(rpcOf)));
    results.forEach((body, i) => {
      const b = body as { id: number; result: { content: { text: string }[] } };
      expect(b.id).toBe(1);
      expect(JSON.parse(b.result.content[0]!.text)).toEqual({ accountId: calls[i]!.who, echo: calls[i]!.echo });
    });
  });

  it('a tool that reports progress answers as an SSE stream: progress events, then the result under the client id', async () => {
    const res = await h.post(
      {
        jsonrpc: '2.0',
        id: 'req-9',
        method: 'tools/call',
        params: { name: 'count_slowly', arguments: { n: 3 }, _meta: { progressToken: 'p1' } },
      },
      { token },
    );
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await sseEvents(res);
    expect(events.map((e) => (e.method as string | undefined) ?? `result:${String(e.id)}`)).toEqual([
      'notifications/progress',
      'notifications/progress',
      'notifications/progress',
      'result:req-9',
    ]);
    expect(events[2]).toMatchObject({ params: { progressToken: 'p1', progress: 3, total: 3 } });
  });

  it.each([
    ['only JSON', 'application/json'],
    ['only event streams', 'text/event-stream'],
  ])('a 2025-era client that accepts %s gets 406 (Streamable HTTP requires accepting both)', async (_name, accept) => {
    const res = await h.post(h.call('whoami', {}, 4), { token, headers: { accept } });
    expect(res.status).toBe(406);
    expect(await rpcOf(res)).toMatchObject({
      error: { message: expect.stringContaining('must accept both application/json and text/event-stream') },
    });
  });

  it("tools/list carries each caller's own id", async () => {
    const asText = await h.post({ jsonrpc: '2.0', id: 'list-"a"', method: 'tools/list' }, { token });
    const asNumber = await h.post({ jsonrpc: '2.0', id: 42, method: 'tools/list', params: {} }, { token });
    const a = (await rpcOf(asText)) as { id: unknown; result: { tools: { name: string }[] } };
    const b = (await rpcOf(asNumber)) as { id: unknown; result: unknown };
    expect(a.id).toBe('list-"a"');
    expect(b.id).toBe(42);
    expect(a.result.tools.map((t) => t.name).sort()).toEqual(['add_note', 'count_slowly', 'whoami']);
    expect(b.result).toEqual(a.result);
  });

  it('the SDK client connects, lists and calls tools', async () => {
    const client = new Client({ name: 'sdk-test', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(`${h.base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    expect(transport.sessionId).toBeUndefined();
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(['add_note', 'count_slowly', 'whoami']);
    const progress: number[] = [];
    const result = await client.callTool({ name: 'count_slowly', arguments: { n: 2 } }, { onprogress: (p) => progress.push(p.progress) });
    expect(result.content).toEqual([{ type: 'text', text: 'counted to 2' }]);
    expect(progress).toEqual([1, 2]);
    await client.close();
  });
});

describe('protocol 2026-07-28 (no handshake; version and capabilities in every request)', () => {
  const req = (method: string, params: Record<string, unknown> = {}, id = 1) => ({
    jsonrpc: '2.0',
    id,
    method,
    params: { ...params, _meta: STATELESS_META },
  });
  /** The standard headers a 2026-07-28 client sends (SEP-2243), unless a case overrides them. */
  const post = (body: { method?: string; params?: Record<string, unknown> }, headers: Record<string, string>) =>
    h.post(body, {
      token,
      headers: {
        ...(body.method ? { 'mcp-method': body.method } : {}),
        ...(typeof body.params?.name === 'string' ? { 'mcp-name': body.params.name } : {}),
        ...headers,
      },
    });

  it('server/discover lists the supported versions, capabilities and server info', async () => {
    const res = await post(req('server/discover'), v2026);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      result: {
        supportedVersions: ['2026-07-28'],
        capabilities: { tools: {} }, // listChanged dropped: a stateless server cannot push it
        resultType: 'complete',
        _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'tiny' } },
      },
    });
  });

  it('Mcp-Name with surrounding whitespace is accepted (RFC 9110 §5.5)', async () => {
    const res = await post(req('tools/call', { name: 'whoami', arguments: {} }), { ...v2026, 'mcp-name': '  whoami  ' });
    expect(res.status).toBe(200);
  });

  it('tools/list carries caching hints and tools/call a result type', async () => {
    const list = (await (await post(req('tools/list'), v2026)).json()) as { result: Record<string, unknown> };
    expect(list.result).toMatchObject({ ttlMs: 0, cacheScope: 'private', resultType: 'complete' });
    const call = await post(req('tools/call', { name: 'whoami', arguments: {} }), v2026);
    expect(await call.json()).toMatchObject({ result: { resultType: 'complete', content: [{ type: 'text' }] } });
  });

  type Case = [name: string, body: unknown, headers: Record<string, string>, status: number, code: number];
  const cases: Case[] = [
    ['missing _meta', { jsonrpc: '2.0', id: 2, method: 'server/discover', params: {} }, v2026, 400, -32602],
    [
      '_meta version differs from the header',
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'server/discover',
        params: { _meta: { ...STATELESS_META, 'io.modelcontextprotocol/protocolVersion': 'v9' } },
      },
      v2026,
      400,
      -32020,
    ],
    [
      'no header although _meta names a version',
      { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: STATELESS_META } },
      {},
      400,
      -32020,
    ],
    [
      'unknown version',
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'server/discover',
        params: { _meta: { ...STATELESS_META, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' } },
      },
      { 'mcp-protocol-version': 'v999.0.0' },
      400,
      -32022,
    ],
    [
      'removed method initialize',
      { jsonrpc: '2.0', id: 2, method: 'initialize', params: { ...INIT_PARAMS, _meta: STATELESS_META } },
      v2026,
      404,
      -32601,
    ],
    ['removed method ping', { jsonrpc: '2.0', id: 2, method: 'ping', params: { _meta: STATELESS_META } }, v2026, 404, -32601],
    ['unknown method', { jsonrpc: '2.0', id: 2, method: 'unknown/method', params: { _meta: STATELESS_META } }, v2026, 404, -32601],
    [
      'Mcp-Method header differs from the body',
      { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: STATELESS_META } },
      { ...v2026, 'mcp-method': 'prompts/list' },
      400,
      -32020,
    ],
    [
      'Mcp-Method value in another case',
      { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: STATELESS_META } },
      { ...v2026, 'mcp-method': 'TOOLS/LIST' },
      400,
      -32020,
    ],
    [
      'Mcp-Name header names another tool',
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {}, _meta: STATELESS_META } },
      { ...v2026, 'mcp-name': 'add_note' },
      400,
      -32020,
    ],
  ];
  it.each(cases)('%s → %i / %i, echoing the request id', async (_name, body, headers, status, code) => {
    const res = await post(body as { method?: string }, headers);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ id: 2, error: { code } });
  });

  it('the unsupported-version error lists what is supported and echoes what was asked', async () => {
    const res = await post(
      {
        jsonrpc: '2.0',
        id: 3,
        method: 'server/discover',
        params: { _meta: { ...STATELESS_META, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' } },
      } as { method: string },
      { 'mcp-protocol-version': 'v999.0.0' },
    );
    expect(await res.json()).toMatchObject({ error: { data: { supported: ['2026-07-28'], requested: 'v999.0.0' } } });
  });
});

describe('Origin and Host (DNS rebinding), CORS', () => {
  it.each([
    ['an Origin not on the list', { origin: 'https://evil.example' }, 403],
    ['Origin: null', { origin: 'null' }, 403],
    ['claude.ai', { origin: 'https://claude.ai' }, 200],
    ['localhost on any port (dev default entry without port)', { origin: 'http://localhost:6274' }, 200],
    ['no Origin (server-side client)', {}, 200],
  ])('%s → %i', async (_name, headers, status) => {
    const res = await h.post(h.call('whoami'), { token, headers });
    expect(res.status).toBe(status);
    if (status === 200 && 'origin' in headers) {
      expect(res.headers.get('access-control-allow-origin')).toBe(headers.origin);
      expect(res.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
      expect(res.headers.get('access-control-expose-headers')).toContain('MCP-Protocol-Version');
    }
  });

  it("a Host that is not BASE_URL's → 403 before any token check", async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const r = request(
        `${h.base}/mcp`,
        { method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      r.on('error', reject);
      r.end('{}');
    });
    expect(status).toBe(403);
  });

  it('preflight from an allowed origin is answered with the MCP headers', async () => {
    const res = await fetch(`${h.base}/mcp`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://claude.ai',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, mcp-protocol-version',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://claude.ai');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization.*MCP-Protocol-Version/);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('preflight from another origin is refused', async () => {
    const res = await fetch(`${h.base}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the metadata document is readable from any origin', async () => {
    const res = await fetch(`${h.base}/.well-known/oauth-protected-resource/mcp`, { headers: { origin: 'https://anything.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('/metrics (outside production: open on loopback)', () => {
  // Tool calls by name and outcome are counted by the registry's tools (resource-registry.test.ts).
  it('counts requests by route and status', async () => {
    await h.post(h.call('whoami'), { token });
    const res = await fetch(`${h.base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/http_request_duration_seconds_count\{route="\/mcp",method="POST",status="200"\} \d+/);
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).not.toContain(token);
  });
});
