import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/client';
import { createToolRegistry, TOOL_SCOPES } from '../../src/mcp/server.js';
import { VIEWS } from '../../src/mcp/views.js';
import { createMcpDispatch } from '../../src/resource/mcp-dispatch.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { dispatchFetch } from '../support/mcp-dispatch-fetch.js';
import { getTokens, linkIntervals, startOAuthService, type OAuthService } from '../support/oauth.js';
import { connectMcp, postMcp } from '../support/views.js';

/**
 * MCP Apps gating on the real service: the view links (`_meta.ui.resourceUri`) and ui:// resources
 * reach only clients that declared io.modelcontextprotocol/ui — per request under 2026-07-28,
 * remembered per (account, OAuth client) from `initialize` in the 2025 era — and every other
 * client sees the tools/list it saw before views existed.
 */
let fake: FakeIntervals;
let svc: OAuthService;
const tokens: Record<'host' | 'plain' | 'modern', string> = { host: '', plain: '', modern: '' };
// Another person (their own hourly allowance of 3) for the chart note on view tools' results.
const benTokens: Record<'host' | 'plain' | 'modern', string> = { host: '', plain: '', modern: '' };
const clients: Client[] = [];

beforeAll(async () => {
  fake = await startFakeIntervals();
  svc = await startOAuthService({ INTERVALS_API_BASE_URL: fake.url, RATE_LIMIT_PER_HOUR: '3' });
  // One person, three OAuth clients (each getTokens registers its own), each with every tool set
  // on: the views belong to tools of several sets, and the byte-for-byte check compares full lists.
  for (const k of Object.keys(tokens) as (keyof typeof tokens)[]) {
    tokens[k] = (
      await getTokens(svc, {
        email: 'ann@example.com',
        link: linkIntervals(svc, { athleteId: 'i1001', apiKey: 'ann-key-3f9a1c7e5b2d' }),
        toolsets: ['planning', 'coach', 'analysis'],
      })
    ).access_token;
    benTokens[k] = (
      await getTokens(svc, {
        email: 'ben@example.com',
        link: linkIntervals(svc, { athleteId: 'i2002', apiKey: 'ben-key-7d2e4a9c1f6b' }),
        toolsets: ['planning', 'coach', 'analysis'],
      })
    ).access_token;
  }
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await svc?.close();
  await fake?.close();
});

const connect = async (token: string, opts: Parameters<typeof connectMcp>[2]) => {
  const c = await connectMcp(svc.resource, token, opts);
  clients.push(c);
  return c;
};
const linkOf = (tools: { name: string; _meta?: Record<string, unknown> }[], name: string) =>
  (tools.find((t) => t.name === name)?._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;

/** tools/list exactly as the dispatch answers it without any view support (the code before MCP Apps). */
async function listWithoutViews(): Promise<string> {
  const registry = createToolRegistry({ resolveContext: async () => Promise.reject(new Error('not called')) });
  const dispatcher = createMcpDispatch(
    { createServer: () => registry.createServer(), toolScopes: TOOL_SCOPES, tools: registry.tools },
    { maxBodyBytes: 1 << 20 },
  );
  const fetchIt = dispatchFetch(dispatcher, { token: 't', clientId: 'c', scopes: ['intervals:read'] });
  const res = await fetchIt('http://self/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }),
  });
  await dispatcher.close();
  return res.text();
}

describe('MCP Apps views are advertised only to clients that declare the extension', () => {
  it('a 2025-era host that declared io.modelcontextprotocol/ui at initialize gets the links on a later tools/list', async () => {
    const host = await connect(tokens.host, { ui: true });
    const { tools } = await host.listTools();
    expect(linkOf(tools, 'get_fitness')).toBe('ui://intervals/fitness.html');
    expect(linkOf(tools, 'get_activity_streams')).toBe('ui://intervals/activity.html');
    // ext-apps' registerAppTool also writes the legacy flat key older hosts read.
    expect(tools.find((t) => t.name === 'get_fitness')?._meta?.['ui/resourceUri']).toBe('ui://intervals/fitness.html');
    expect(linkOf(tools, 'get_athlete')).toBeUndefined();
    // Remembered in Postgres for this account and this OAuth client only.
    const rows = await svc.store.query<{ n: string }>('SELECT count(*)::text AS n FROM mcp_ui_clients');
    expect(rows[0]!.n).toBe('1');
    // A bare fast-lane tools/list (no initialize in this request) still carries them.
    const raw = (await (await postMcp(svc.resource, tokens.host, { jsonrpc: '2.0', id: 3, method: 'tools/list' })).json()) as {
      result: { tools: { name: string; _meta?: Record<string, unknown> }[] };
    };
    expect(linkOf(raw.result.tools, 'get_fitness')).toBe('ui://intervals/fitness.html');
  });

  it("the same person through a client without the extension gets today's tools/list byte for byte", async () => {
    const plain = await connect(tokens.plain, {});
    const { tools } = await plain.listTools();
    expect(tools.every((t) => t._meta === undefined)).toBe(true);
    const before = await listWithoutViews();
    const now = await (await postMcp(svc.resource, tokens.plain, { jsonrpc: '2.0', id: 7, method: 'tools/list' })).text();
    expect(now).toBe(before);
    expect(now).not.toContain('ui://');
    // …and no ui:// resource is listed or readable for it.
    expect((await plain.listResources()).resources.map((r) => r.uri).filter((u) => u.startsWith('ui://'))).toEqual([]);
  });

  it('a host that initializes again without the extension loses the links (the memory follows the last initialize)', async () => {
    const again = await connect(tokens.host, {});
    expect(linkOf((await again.listTools()).tools, 'get_fitness')).toBeUndefined();
    const host = await connect(tokens.host, { ui: true });
    expect(linkOf((await host.listTools()).tools, 'get_fitness')).toBe('ui://intervals/fitness.html');
  });

  it('under 2026-07-28 the capabilities in each request decide, with nothing remembered', async () => {
    const withUi = await connect(tokens.modern, { ui: true, era: 'modern' });
    expect(linkOf((await withUi.listTools()).tools, 'get_fitness')).toBe('ui://intervals/fitness.html');
    const without = await connect(tokens.modern, { era: 'modern' });
    expect(linkOf((await without.listTools()).tools, 'get_fitness')).toBeUndefined();
    const rows = await svc.store.query<{ client_id: string }>('SELECT client_id FROM mcp_ui_clients');
    expect(rows).toHaveLength(1); // still only the 2025-era host
  });

  it('a ui:// view reads as one self-contained MCP App document, without spending the hourly limit', async () => {
    const host = await connect(tokens.host, { ui: true });
    const listed = (await host.listResources()).resources.filter((r) => r.uri.startsWith('ui://'));
    expect(listed.map((r) => r.uri).sort()).toEqual(VIEWS.map((v) => v.uri).sort());
    // RATE_LIMIT_PER_HOUR is 3: five reads would be refused if they counted.
    for (let i = 0; i < 5; i++) {
      const { contents } = await host.readResource({ uri: 'ui://intervals/fitness.html' });
      const [doc] = contents as { mimeType?: string; text?: string; _meta?: { ui?: { csp?: Record<string, string[]> } } }[];
      expect(doc!.mimeType).toBe('text/html;profile=mcp-app');
      expect(doc!.text).toMatch(/^<!doctype html>.*<script>.+<\/script><\/body><\/html>$/s);
      // Nothing to load and nothing that fetches; the one URL is the SVG namespace.
      expect(doc!.text).not.toMatch(
        /<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org\/2000\/svg)|\bfetch\(|XMLHttpRequest|WebSocket|EventSource/,
      );
      expect(doc!._meta?.ui?.csp).toEqual({ connectDomains: [], resourceDomains: [] });
    }
    const res = await postMcp(svc.resource, tokens.host, {
      jsonrpc: '2.0',
      id: 9,
      method: 'resources/read',
      params: { uri: 'ui://intervals/activity.html' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toBeNull();
    // A tool call still counts: the first one shows the full allowance minus one.
    const call = await postMcp(svc.resource, tokens.host, {
      jsonrpc: '2.0',
      id: 10,
      method: 'tools/call',
      params: { name: 'get_athlete', arguments: {} },
    });
    expect(call.headers.get('ratelimit')).toMatch(/;r=2;/);
  });
});

describe("a view tool's text says a chart is shown only to clients that declared the extension", () => {
  const NOTE =
    '\n\nChart: the person sees this as the Fitness chart (CTL / ATL / TSB) beside this answer; refer to it rather than repeating every value.';
  const textOf = (result: { content?: unknown }) => (result.content as { type: string; text: string }[])[0]!.text;
  const fitness = { name: 'get_fitness', arguments: { oldest: '2026-05-01', newest: '2026-05-14' } };

  it('the same get_fitness answer, with the note for hosts only, on the fast lane and through the SDK', async () => {
    // 2025 era: the fast lane answers both; the host's declaration is remembered from initialize.
    const plain = textOf(await (await connect(benTokens.plain, {})).callTool(fitness));
    const host = textOf(await (await connect(benTokens.host, { ui: true })).callTool(fitness));
    // 2026-07-28: the SDK answers, the capabilities come with the request.
    const modern = textOf(await (await connect(benTokens.modern, { ui: true, era: 'modern' })).callTool(fitness));
    expect(plain).not.toMatch(/chart/i);
    expect(host).toBe(plain + NOTE);
    expect(modern).toBe(plain + NOTE);
  });
});
