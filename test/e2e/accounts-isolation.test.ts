import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { Browser } from 'playwright-core';
import { devPersonId } from '../../src/signin/dev-identity.js';
import {
  exchangeCode,
  launchChromium,
  pkce,
  refreshTokens,
  registerClient,
  startOAuthService,
  type OAuthService,
  type TokenSet,
} from '../support/oauth.js';
import { alertText, csrfFrom } from '../support/form-client.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { postAccountForm, rowsMentioning, signInToAccount } from '../integration/accounts-support.js';
import { contextCatching, linkWithApiKey, signInAndConsent, waitFor } from './accounts-browser-support.js';

/**
 * The whole product for two people: sign in → consent → link Intervals.icu with an API key (in
 * headless Chromium) → tokens → MCP tools over Streamable HTTP. Each person only ever reaches
 * Intervals.icu with their own credentials, whatever athlete ids they pass; deleting an account
 * cuts its tokens off at the next call.
 */
describe('end to end: two people, each with their own Intervals.icu account', () => {
  let fake: FakeIntervals;
  let svc: OAuthService;
  let browser: Browser;
  const people: Record<'ann' | 'ben', { email: string; tokens?: TokenSet }> = {
    ann: { email: 'e2e.ann@example.com' },
    ben: { email: 'e2e.ben@example.com' },
  };

  beforeAll(async () => {
    fake = await startFakeIntervals();
    svc = await startOAuthService({ INTERVALS_API_BASE_URL: fake.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
    await fake?.close();
  });

  /** One person's first connection, clicking through the pages; returns the client's tokens. */
  async function connect(email: string, athleteId: string, apiKey: string): Promise<TokenSet> {
    const client = await registerClient(svc.url, { client_name: `MCP client of ${email}` });
    const { verifier, challenge } = pkce();
    const { context, page, landed } = await contextCatching(browser, client.redirect_uris[0]!);
    try {
      await signInAndConsent(page, svc.url, client, challenge, email, 'intervals:read intervals:write');
      await linkWithApiKey(page, athleteId, apiKey);
      const callback = await waitFor(landed);
      const res = await exchangeCode(svc.url, client, { code: callback.searchParams.get('code')!, verifier });
      if (res.status !== 200) throw new Error(`token exchange: ${res.status} ${JSON.stringify(res.body)}`);
      return { ...(res.body as unknown as Omit<TokenSet, 'client'>), client };
    } finally {
      await context.close();
    }
  }

  async function callTool(token: string, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${svc.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    try {
      return (await client.callTool({ name, arguments: args })) as CallToolResult;
    } finally {
      await client.close();
    }
  }

  /** Calls a tool and returns the Intervals.icu requests it caused. */
  async function traced(token: string, name: string, args: Record<string, unknown> = {}) {
    const before = fake.requests.length;
    const result = await callTool(token, name, args);
    return { result, upstream: fake.requests.slice(before) };
  }

  it('each person signs in, consents, links in the browser and gets tokens', async () => {
    people.ann.tokens = await connect(people.ann.email, '0', fake.athlete('i1001').apiKey);
    people.ben.tokens = await connect(people.ben.email, 'i2002', fake.athlete('i2002').apiKey);
    expect(people.ann.tokens.access_token).not.toBe(people.ben.tokens.access_token);
    const links = await svc.store.query<{ account_id: string; athlete_id: string }>(
      'SELECT account_id, athlete_id FROM intervals_links ORDER BY athlete_id',
    );
    expect(links).toEqual([
      { account_id: devPersonId(people.ann.email), athlete_id: 'i1001' },
      { account_id: devPersonId(people.ben.email), athlete_id: 'i2002' },
    ]);
  });

  it("a tool returns each person's own athlete, fetched with their own key", async () => {
    const ann = await traced(people.ann.tokens!.access_token, 'get_athlete');
    expect(ann.result.isError).toBeFalsy();
    expect(ann.result.structuredContent).toMatchObject({ id: 'i1001', name: 'Ann Example' });
    expect(ann.upstream.map((r) => r.caller)).toEqual(['i1001']);

    const ben = await traced(people.ben.tokens!.access_token, 'get_athlete');
    expect(ben.result.structuredContent).toMatchObject({ id: 'i2002', name: 'Ben Example' });
    expect(ben.upstream.map((r) => [r.path, r.caller])).toEqual([['/athlete/i2002', 'i2002']]);
  });

  it.each([['i1001'], ['1001'], ['0']])("Ben passing athlete_id %s never reaches Ann's data or credentials", async (athleteId) => {
    const ben = await traced(people.ben.tokens!.access_token, 'get_athlete', { athlete_id: athleteId });
    expect(ben.upstream.length).toBeGreaterThan(0);
    for (const r of ben.upstream) expect(r).toMatchObject({ auth: 'basic', caller: 'i2002' });
    if (athleteId === '0') {
      expect(ben.result.structuredContent).toMatchObject({ id: 'i2002' });
    } else {
      expect(ben.result.isError).toBe(true);
      expect(JSON.stringify(ben.result)).not.toContain('Ann Example');
    }
  });

  it("Ann, Ben's coach on Intervals.icu, may read Ben — with her own key, because Intervals.icu allows it", async () => {
    const ann = await traced(people.ann.tokens!.access_token, 'get_athlete', { athlete_id: 'i2002' });
    expect(ann.result.structuredContent).toMatchObject({ id: 'i2002', name: 'Ben Example' });
    for (const r of ann.upstream) expect(r).toMatchObject({ auth: 'basic', caller: 'i1001' });
  });

  it('a personal access token from the account page acts as its owner only', async () => {
    const { client } = await signInToAccount(svc.url, people.ben.email);
    const created = await postAccountForm(client, svc.url, '/account/tokens', {
      name: 'CLI',
      scopes: 'intervals:read',
      expires_in_days: '7',
    });
    const pat = /<code id="new-token-value">(imcp_pat_[A-Za-z0-9_-]+)<\/code>/.exec(created.text)![1]!;
    const ben = await traced(pat, 'get_athlete');
    expect(ben.result.structuredContent).toMatchObject({ id: 'i2002' });
    for (const r of ben.upstream) expect(r.caller).toBe('i2002');
  });

  it('when Intervals.icu rejects a key, the tool says to re-link at BASE_URL/account and the page shows the link broken; re-linking fixes it', async () => {
    const ben = fake.athlete('i2002');
    const oldKey = ben.apiKey;
    ben.apiKey = 'ben-key-regenerated-on-intervals';
    // A core tool (the connection carries only core) not called before, so no cached read answers.
    const refused = await callTool(people.ben.tokens!.access_token, 'get_gear');
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain(`${svc.url}/account`);
    expect(JSON.stringify(refused.content)).not.toContain('toolset_off');
    const { client } = await signInToAccount(svc.url, people.ben.email);
    const page = await waitFor(async () => {
      const p = await client.get(`${svc.url}/account`);
      return p.text.includes('id="link-broken"') ? p : undefined;
    });
    expect(alertText(page.text)).toMatch(/^Broken since .* UTC: Intervals.icu rejected the stored credentials \(HTTP 401\)/);

    const relinked = await postAccountForm(client, svc.url, '/account/link', { athlete_id: 'i2002', api_key: ben.apiKey });
    expect(relinked.status).toBe(303);
    const again = await callTool(people.ben.tokens!.access_token, 'get_gear');
    expect(again.isError).toBeFalsy();
    const gear = again.structuredContent as { count: number; gear: { id: string }[] };
    expect(gear.count).toBeGreaterThan(0);
    expect(gear.gear).toHaveLength(gear.count);
    expect((await client.get(`${svc.url}/account`)).text).toContain('<span class="badge">working</span>');
    expect(oldKey).not.toBe(ben.apiKey);
  });

  it("deleting Ann's account cuts her access token, refresh token and rows at once; Ben is unaffected", async () => {
    const ann = people.ann.tokens!;
    const { client } = await signInToAccount(svc.url, people.ann.email);
    const confirm = await client.get(`${svc.url}/account/delete`);
    const gone = await client.post(`${svc.url}/account/delete`, { _csrf: csrfFrom(confirm.text), confirm: 'yes' });
    expect(gone.status).toBe(200);

    const before = fake.requests.length;
    const res = await fetch(`${svc.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ann.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_athlete', arguments: {} } }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    expect(fake.requests.length).toBe(before);
    const refreshed = await refreshTokens(svc.url, ann.client, ann.refresh_token);
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_grant');
    expect(await rowsMentioning(svc.store, devPersonId(people.ann.email))).toEqual([]);

    const ben = await callTool(people.ben.tokens!.access_token, 'get_athlete');
    expect(ben.structuredContent).toMatchObject({ id: 'i2002' });
  });
});
