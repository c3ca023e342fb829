import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { request } from 'node:http';
import { startReliableService, toolCall, type ReliableService } from './support/service.js';

/**
 * Abuse: what a careless or hostile client sends. Every answer is a 4xx (or, for a well-formed
 * JSON-RPC message the server simply does not support, a JSON-RPC error) — never a 5xx, never a
 * crash — and the server keeps serving real people throughout.
 */

/** POST with a raw body and no client-side checks (fetch would refuse some of these). */
function rawPost(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs = 30_000,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const u = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = request(u, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // A server that answers 413 early may close before the whole body is sent; that is fine.
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EPIPE' || err.code === 'ECONNRESET' ? resolve({ status: 413, headers: {}, text: 'closed early' }) : reject(err),
    );
    req.end(body);
  });
}

describe('abuse', () => {
  let svc: ReliableService;
  let token: string;
  const mcpHeaders = () => ({
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${token}`,
  });
  const stillServing = async () => {
    const r = await svc.callTool(token, 'get_athlete');
    expect(r.status).toBe(200);
    expect(r.json?.result?.isError).not.toBe(true);
    expect(svc.alive()).toBe(true);
  };

  beforeAll(async () => {
    svc = await startReliableService();
    token = (await svc.connect('abuse@example.com')).accessToken;
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('answers 2,000 random bodies on /mcp with no 5xx; non-JSON gets 400 with a JSON-RPC parse error', async () => {
    const bodies = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        fc
          .record(
            {
              jsonrpc: fc.oneof(fc.constant('2.0'), fc.string()),
              id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
              method: fc.oneof(
                fc.constantFrom(
                  'tools/call',
                  'tools/list',
                  'initialize',
                  'ping',
                  'resources/read',
                  'prompts/get',
                  'notifications/initialized',
                ),
                fc.string(),
              ),
              params: fc.jsonValue({ maxDepth: 3 }),
            },
            { requiredKeys: [] },
          )
          .map((v) => JSON.stringify(v)),
        fc
          .array(fc.record({ jsonrpc: fc.constant('2.0'), id: fc.integer(), method: fc.constant('tools/list') }), { maxLength: 5 })
          .map((v) => JSON.stringify(v)),
      ),
      { numRuns: 2_000, seed: 8 },
    );
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    // Stops early once a handful of problems are known: each hang costs its timeout.
    for (let i = 0; i < bodies.length && problems.length < 8; i += 20) {
      const batch = bodies.slice(i, i + 20);
      const answers = await Promise.all(
        batch.map((b) =>
          rawPost(svc.url, '/mcp', mcpHeaders(), Buffer.from(b), 5_000).catch((e: Error) => ({ status: 0, headers: {}, text: e.message })),
        ),
      );
      answers.forEach((a, j) => {
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        if (a.status >= 500 || a.status === 0) problems.push(`${batch[j]!.slice(0, 120)} → ${a.status} ${a.text.slice(0, 200)}`);
        let parses = true;
        try {
          JSON.parse(batch[j]!);
        } catch {
          parses = false;
        }
        if (!parses && a.status !== 400) problems.push(`${batch[j]!.slice(0, 120)} (not JSON) → ${a.status}`);
      });
    }
    // Every body answered (no hang), none with a 5xx.
    expect(problems.slice(0, 8)).toEqual([]);
    expect([...statuses.keys()].every((s) => s > 0 && s < 500)).toBe(true);
    await stillServing();
  }, 180_000);

  it('refuses a body over the documented limit with 413', async () => {
    const big = Buffer.from(JSON.stringify({ ...toolCall('get_athlete'), pad: 'x'.repeat(5 * 1024 * 1024) }));
    const r = await rawPost(svc.url, '/mcp', mcpHeaders(), big);
    expect(r.status).toBe(413);
    await stillServing();
  });

  it.each([
    ['deeply nested arrays', '['.repeat(200_000) + ']'.repeat(200_000)],
    ['deeply nested objects', '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)],
  ])('answers %s with a 4xx', async (_name, body) => {
    const r = await rawPost(svc.url, '/mcp', mcpHeaders(), Buffer.from(body));
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    await stillServing();
  });

  it.each([
    ['an array', []],
    ['a string', 'athlete_id=0'],
    ['a number', 7],
    ['null', null],
  ])("answers tools/call whose arguments are %s with JSON-RPC invalid params (the SDK's answer)", async (_name, args) => {
    const r = await svc.mcp(token, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'get_athlete', arguments: args } });
    expect(r.status).toBe(200);
    expect(r.json?.error?.code).toBe(-32602);
    await stillServing();
  });

  it('answers a valid call carrying a 2,000-deep unknown argument without a 5xx (unknown keys are dropped)', async () => {
    const nested = JSON.parse('{"x":'.repeat(2_000) + '1' + '}'.repeat(2_000)) as unknown;
    const r = await svc.callTool(token, 'get_athlete', { deep: nested });
    expect(r.status).toBe(200);
    expect(r.json?.result).toBeDefined();
    await stillServing();
  });

  it('answers invalid UTF-8 inside a JSON string without a 5xx', async () => {
    const head = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_athlete","arguments":{"athlete_id":"');
    const body = Buffer.concat([head, Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}}}')]);
    const r = await rawPost(svc.url, '/mcp', mcpHeaders(), body);
    expect(r.status).toBeLessThan(500);
    expect(r.text).not.toMatch(/\bat .+\.js:\d+/);
    await stillServing();
  });

  it.each([
    ['redirect_uri', { redirect_uri: 'http://127.0.0.1:9/callback\r\nSet-Cookie: injected=1' }],
    ['state', { state: 'abc\r\nSet-Cookie: injected=1\r\nX-Injected: 1' }],
  ])('does not let CR/LF in %s reach a header', async (_name, extra) => {
    const client = await fetch(`${svc.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'CRLF',
        redirect_uris: ['http://127.0.0.1:9/callback'],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      }),
    }).then((r) => r.json() as Promise<{ client_id: string }>);
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: 'http://127.0.0.1:9/callback',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 's',
      ...extra,
    });
    const res = await fetch(`${svc.url}/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('x-injected')).toBeNull();
    expect(res.headers.getSetCookie().some((c) => c.startsWith('injected='))).toBe(false);
    expect(res.headers.get('location') ?? '').not.toMatch(/[\r\n]/);
    await stillServing();
  });

  it('refuses CR/LF in a registered redirect URI with 400 invalid_redirect_uri', async () => {
    const res = await fetch(`${svc.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:9/cb\r\nX-Injected: 1'], token_endpoint_auth_method: 'none' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_redirect_uri');
  });

  it.each([
    ['a 2 MB client_name', { client_name: 'x'.repeat(2 * 1024 * 1024), redirect_uris: ['http://127.0.0.1:9/callback'] }],
    [
      '10,000 redirect URIs',
      { client_name: 'many', redirect_uris: Array.from({ length: 10_000 }, (_, i) => `http://127.0.0.1:9/cb/${i}`) },
    ],
    ['a 5,000-character redirect URI', { client_name: 'long', redirect_uris: [`http://127.0.0.1:9/${'a'.repeat(5_000)}`] }],
    [
      '200 unknown metadata fields',
      {
        client_name: 'fields',
        redirect_uris: ['http://127.0.0.1:9/callback'],
        ...Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`x_${i}`, 'y'.repeat(1_000)])),
      },
    ],
  ])('refuses huge registration metadata (%s) with a 4xx', async (_name, metadata) => {
    const r = await rawPost(
      svc.url,
      '/register',
      { 'content-type': 'application/json' },
      Buffer.from(JSON.stringify({ token_endpoint_auth_method: 'none', ...metadata })),
    );
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    await stillServing();
  });
});
