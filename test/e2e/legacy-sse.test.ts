import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, SSEClientTransport, type CallToolResult } from '@modelcontextprotocol/client';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { startFlyProxy, type FlyProxy } from '../fakes/fly-proxy.js';
import { connectOnce } from '../reliability/support/connect.js';
import { startReliableService, type ReliableService } from '../reliability/support/service.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from '../support/store.js';

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05) across two instances behind a stand-in of Fly's
 * proxy: the stream is opened on instance A, every POST /messages reaches instance B first, which
 * answers fly-replay: instance=a, and the proxy replays it to A. The SDK's own SSE client
 * transport drives it. PostgreSQL only: two processes share one database.
 */
const describePg = TEST_STORE === 'postgres' ? describe : describe.skip;

describePg('legacy SSE transport through two instances', () => {
  let db: TestDatabase;
  let fake: FakeIntervals;
  let proxy: FlyProxy;
  let a: ReliableService;
  let b: ReliableService;
  const instances: Record<string, string> = {};
  let ann: string;
  let ben: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await startFakeIntervals();
    // Streams and sign-in on A; every POST to /messages goes to B first.
    proxy = await startFlyProxy(instances, (req) => (req.method === 'POST' && req.url?.startsWith('/messages') ? 'b' : 'a'));
    const env = (id: string) => ({ BASE_URL: proxy.url, FLY_MACHINE_ID: id, SSE_MAX_STREAMS_PER_PERSON: '2', LOG_LEVEL: 'info' });
    a = await startReliableService({ db, fake, env: env('a') });
    b = await startReliableService({ db, fake, env: env('b') });
    instances.a = a.url;
    instances.b = b.url;
    ann = (await connectOnce(proxy.url, { email: 'sse-ann@example.com', athlete: fake.athletes[0]! })).accessToken;
    ben = (await connectOnce(proxy.url, { email: 'sse-ben@example.com', athlete: fake.athletes[1]! })).accessToken;
  }, 120_000);
  let stoppedA = false;
  afterAll(async () => {
    if (!stoppedA) await a?.close();
    await b?.close();
    await proxy?.close();
    await fake?.close();
    await db?.drop();
  });

  const withToken = (token: string) => (url: string | URL, init?: RequestInit) =>
    fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } });

  async function connect(token: string): Promise<{ client: Client; transport: SSEClientTransport }> {
    const transport = new SSEClientTransport(new URL(`${proxy.url}/sse`), {
      fetch: withToken(token),
      eventSourceInit: { fetch: withToken(token) },
    });
    const client = new Client({ name: 'legacy-sse-e2e', version: '1.0.0' });
    await client.connect(transport);
    return { client, transport };
  }

  const sessionOf = (t: SSEClientTransport) => (t as unknown as { _endpoint?: URL })._endpoint?.searchParams.get('sessionId') ?? '';

  it('lists and calls tools with the stream on A and the POSTs replayed from B to A', async () => {
    proxy.hops.length = 0;
    const { client } = await connect(ann);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('get_athlete');
    const r = (await client.callTool({ name: 'get_athlete', arguments: {} })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r.content)).toContain(fake.athletes[0]!.name);
    await client.close();
    const posts = proxy.hops.filter((h) => h.method === 'POST' && h.path === '/messages');
    // Each message: first to B (which replays), then to A.
    expect(posts.filter((h) => h.instance === 'b' && !h.replayed).length).toBeGreaterThanOrEqual(3);
    expect(posts.filter((h) => h.instance === 'a' && h.replayed).length).toBe(posts.filter((h) => h.instance === 'b').length);
    expect(proxy.hops.filter((h) => h.path === '/sse').every((h) => h.instance === 'a')).toBe(true);
  });

  it("refuses a POST to an unknown session with 404, and to someone else's with 403, and leaks nothing", async () => {
    const { client, transport } = await connect(ann);
    const session = sessionOf(transport);
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    const post = (token: string, id: string) =>
      fetch(`${proxy.url}/messages?sessionId=${id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    const unknown = await post(ann, '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found', error_description: expect.stringContaining('GET /sse') });
    const foreign = await post(ben, session);
    expect(foreign.status).toBe(403);
    const body = await foreign.text();
    expect(body).not.toContain(fake.athletes[0]!.name);
    expect(body).not.toContain(session);
    await client.close();
  });

  it('bounds open streams per person across instances and frees a stream on disconnect', async () => {
    const first = await connect(ben);
    const second = await connect(ben);
    const third = await fetch(`${proxy.url}/sse`, { headers: { authorization: `Bearer ${ben}` } });
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ error: 'too_many_streams' });
    await first.client.close();
    // The row goes when A sees the disconnect; then a new stream fits again.
    let again: Response | undefined;
    for (let i = 0; i < 20; i++) {
      again = await fetch(`${proxy.url}/sse`, { headers: { authorization: `Bearer ${ben}` } });
      if (again.status === 200) break;
      await again.body?.cancel();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(again?.status).toBe(200);
    await again?.body?.cancel();
    await second.client.close();
  });

  it('without a token, GET /sse is a 401 challenge naming the resource metadata', async () => {
    const res = await fetch(`${proxy.url}/sse`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it('on shutdown an instance ends its streams at once (the stop drains) and removes their rows', async () => {
    const { client } = await connect(ann);
    const store = await db.open();
    try {
      const before = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM sse_sessions WHERE instance_id = 'a'`);
      expect(before[0]!.n).toBeGreaterThanOrEqual(1);
      await a.close();
      stoppedA = true;
      // An open stream would otherwise hold the graceful stop until SHUTDOWN_TIMEOUT_MS ("drained": false).
      expect(a.proc.stdout()).toMatch(/"drained":true[^\n]*"msg":"stopped"/);
      const after = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM sse_sessions WHERE instance_id = 'a'`);
      expect(after[0]!.n).toBe(0);
    } finally {
      await client.close(); // the SSE client would otherwise keep trying to reconnect
      await store.close();
    }
  });
});
