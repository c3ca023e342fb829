import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport, type CallToolResult } from '@modelcontextprotocol/client';
import { createPersonalAccessToken } from '../../src/accounts/pats.js';
import { toolsFor } from '../../src/mcp/toolsets.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { getTokens, linkIntervals, startOAuthService, type OAuthService } from '../support/oauth.js';

/**
 * The product end to end on the resource side: real access tokens from our authorization server,
 * the real tool registry behind /mcp, the Intervals.icu stand-in behind the tools.
 */
let fake: FakeIntervals;
let svc: OAuthService;
let readToken: string;

beforeAll(async () => {
  fake = await startFakeIntervals();
  svc = await startOAuthService({ INTERVALS_API_BASE_URL: fake.url });
  readToken = (
    await getTokens(svc, {
      email: 'ann@example.com',
      scope: 'intervals:read',
      link: linkIntervals(svc, { athleteId: 'i1001', apiKey: 'ann-key-3f9a1c7e5b2d' }),
    })
  ).access_token;
});
afterAll(async () => {
  await svc?.close();
  await fake?.close();
});

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'registry-test', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(svc.resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

describe('the tool registry behind /mcp with real tokens', () => {
  it('an access token from our AS lists the tools and calls one as the linked athlete', async () => {
    const client = await connect(readToken);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['get_athlete', 'get_activities', 'update_wellness']));
    const result = (await client.callTool({ name: 'get_athlete', arguments: {} })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('Ann Example');
    // The stand-in saw Ann's own Intervals.icu key, never our bearer token.
    const seen = fake.requestsTo('GET', /^\/athlete\//);
    expect(seen.at(-1)).toMatchObject({ auth: 'basic', caller: 'i1001' });
    await client.close();
  });

  it('a read-only token on a write tool → 403 insufficient_scope before the tool runs', async () => {
    const before = fake.requestsTo('PUT', /./).length;
    const res = await fetch(svc.resource, {
      method: 'POST',
      headers: { authorization: `Bearer ${readToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'update_wellness', arguments: { date: '2026-11-20', weight: 70 } },
      }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer error="insufficient_scope", scope="intervals:read intervals:write", resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/mcp"/,
    );
    expect(fake.requestsTo('PUT', /./).length).toBe(before);
  });

  it('a personal access token works as a bearer token', async () => {
    const rows = await svc.store.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', ['ann@example.com']);
    const { token } = await createPersonalAccessToken(svc.store, rows[0]!.id, {
      name: 'cli',
      scopes: ['intervals:read'],
      expiresInDays: 7,
    });
    const client = await connect(token);
    const result = (await client.callTool({ name: 'get_athlete', arguments: {} })) as CallToolResult;
    expect(text(result)).toContain('Ann Example');
    await client.close();
  });

  it("tools/list comes as JSON from the fast lane, under each caller's own id", async () => {
    const list = (id: unknown) =>
      fetch(svc.resource, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${readToken}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' }),
      });
    const [a, b] = await Promise.all([list('list-"a"'), list(42)]);
    expect(a.headers.get('content-type')).toMatch(/^application\/json/);
    const [ja, jb] = (await Promise.all([a.json(), b.json()])) as [
      { id: unknown; result: { tools: { name: string }[] } },
      { id: unknown; result: unknown },
    ];
    expect(ja.id).toBe('list-"a"');
    expect(jb.id).toBe(42);
    expect(jb.result).toEqual(ja.result);
    // A connection that never chose carries core only (src/mcp/toolsets.ts).
    expect(ja.result.tools.map((t) => t.name)).toEqual(toolsFor(['core']).map((t) => t.name));
  });

  it('upstream calls are in /metrics by route template', async () => {
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toMatch(/intervals_upstream_duration_seconds_count\{method="GET",route="\/athlete\/\{id\}[^"]*",status="200"\} \d+/);
    expect(metrics).toMatch(/mcp_tool_calls_total\{tool="get_athlete",outcome="ok"\} \d+/);
  });
});
