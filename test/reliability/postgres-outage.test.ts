import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SPARE_IDLE_MS } from '../../src/limits/rate-limit.js';
import { auth, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { TemporarilyUnavailableError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { spawnServer, stopProcess, type ServerProcess } from '../support/process.js';
import { createTestDatabase, PG_SERVER, TEST_STORE, type TestDatabase } from '../support/store.js';
import { CookieJar, findForm, submitForm, type FormPage } from '../support/http-forms.js';
import { authorizationUrl, authorizeOverHttp, exchangeCode, pkce, refreshTokens, type RegisteredClient } from '../support/oauth.js';
import type { Connect } from './support/connect.js';
import { eventually, startLoad } from './support/load.js';
import { startReliableService, type ReliableService } from './support/service.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

/**
 * PostgreSQL goes away under load and comes back (simulated with a TCP proxy we cut, so the
 * machine's shared server is never touched): requests fail fast with a clear 503 while it is
 * down, and the service recovers by itself, without a restart.
 * Only meaningful with DATABASE_URL; embedded PGlite cannot go away.
 */
const describePg = TEST_STORE === 'postgres' ? describe : describe.skip;

describePg('PostgreSQL outage under load', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startTcpProxy(PG_SERVER);
    server = await spawnServer({ DATABASE_URL: proxy.rewrite(db.env.DATABASE_URL!) });
  });

  afterAll(async () => {
    await stopProcess(server);
    await proxy.close();
    await db.drop();
  });

  const ready = async () => {
    const res = await fetch(`${server.url}/ready`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json()) as { status: string } };
  };

  it('answers 503 database_unavailable within 3 s while PostgreSQL is unreachable, then recovers without a restart', async () => {
    expect((await ready()).status).toBe(200);
    const load = startLoad(ready, { workers: 4, maxRequests: 5_000, maxMs: 30_000, pauseMs: 20 });
    await new Promise((r) => setTimeout(r, 500));
    const cutAt = Date.now();
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 3_000));
    const restoredAt = Date.now();
    await proxy.restore();
    const recoveredIn = await eventually(async () => (await ready()).status === 200, 15_000, '/ready after restore');
    await new Promise((r) => setTimeout(r, 500));
    const outcomes = await load.stop();

    // Requests that started while the database was cut (after a short grace for in-flight ones).
    const during = outcomes.filter((o) => o.startedAt > cutAt + 200 && o.startedAt < restoredAt - 100);
    expect(during.length).toBeGreaterThan(5);
    for (const o of during) {
      expect(o.error).toBeUndefined();
      expect(o.value).toEqual({ status: 503, body: { status: 'database_unavailable' } });
      expect(o.ms).toBeLessThan(3_000);
    }
    expect(recoveredIn).toBeLessThan(10_000);
    const after = outcomes.filter((o) => o.startedAt > restoredAt + recoveredIn + 200);
    expect(after.length).toBeGreaterThan(0);
    for (const o of after) expect(o.value?.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});

describePg('PostgreSQL outage during tool calls', () => {
  let proxy: TcpProxy;
  let svc: ReliableService;

  beforeAll(async () => {
    proxy = await startTcpProxy(PG_SERVER);
    svc = await startReliableService({ databaseUrl: (u) => proxy.rewrite(u), env: { RATE_LIMIT_PER_HOUR: '100000' } });
  });
  afterAll(async () => {
    await svc?.close();
    await proxy?.close();
  });

  it('fails tool calls fast with 503 while the database is away, then serves the same people with nothing lost', async () => {
    const before = await svc.connect('outage@example.com');
    expect((await svc.callTool(before.accessToken, 'get_athlete')).status).toBe(200);

    await proxy.cut();
    const during: { status: number; ms: number; text: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = Date.now();
      const r = await svc.callTool(before.accessToken, 'get_athlete', {}, { timeoutMs: 15_000 });
      during.push({ status: r.status, ms: Date.now() - t0, text: r.text });
    }
    await proxy.restore();

    // The call before the cut leased one spare unit (src/limits/rate-limit.ts): the instance had
    // already admitted one more call, which it serves without the database. Every later one is 503.
    const served = during.findIndex((d) => d.status !== 200);
    expect(served).toBeLessThanOrEqual(1);
    for (const d of during.slice(served)) {
      expect(d.status).toBe(503);
      expect(d.ms).toBeLessThan(5_000);
      expect(d.text).toMatch(/unavailable|try again/i);
    }
    // Recovers by itself; the client, grant, refresh token and Intervals.icu link all survived.
    await eventually(async () => (await svc.callTool(before.accessToken, 'get_athlete')).status === 200, 15_000, 'tool call after restore');
    const refreshed = await refreshTokens(svc.url, before.client, before.refreshToken);
    expect(refreshed.status).toBe(200);
    const after = await svc.callTool(refreshed.body.access_token!, 'get_athlete');
    expect(after.status).toBe(200);
    expect(after.json?.result?.isError).not.toBe(true);
    expect(svc.alive()).toBe(true);
  }, 90_000);
});

/** What an MCP host keeps for one connection (the SDK's OAuthClientProvider), in memory. */
class StoredConnection implements OAuthClientProvider {
  tokensNow: OAuthTokens;
  info: OAuthClientInformationMixed;
  browserFlow?: URL;
  readonly redirectUrl: string;
  constructor(c: Connect, issuer: string) {
    this.redirectUrl = c.client.redirect_uris[0]!;
    this.info = { ...(c.client as OAuthClientInformationMixed), issuer } as OAuthClientInformationMixed;
    this.tokensNow = { access_token: c.accessToken, refresh_token: c.refreshToken, token_type: 'Bearer', issuer } as OAuthTokens;
  }
  get clientMetadata() {
    return { redirect_uris: [this.redirectUrl], client_name: 'Reliability SDK client' };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.tokensNow;
  }
  saveTokens(tokens: OAuthTokens) {
    this.tokensNow = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.browserFlow = url;
  }
  saveCodeVerifier() {}
  codeVerifier(): string {
    throw new Error('no authorization flow was expected');
  }
}

interface Answer {
  status: number;
  ms: number;
  headers: Headers;
  text: string;
}

async function timedFetch(url: string, init: RequestInit = {}): Promise<Answer> {
  const t0 = Date.now();
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000), ...init });
  const text = await res.text();
  return { status: res.status, ms: Date.now() - t0, headers: res.headers, text };
}

/** What an OAuth client must see from the authorization server while the database is away. */
function expectTemporarilyUnavailable(r: Answer, withinMs: number): void {
  expect(r.status).toBe(503);
  expect(r.headers.get('retry-after')).toBe('5');
  expect(r.headers.get('cache-control')).toContain('no-store');
  expect(JSON.parse(r.text)).toEqual({
    error: 'temporarily_unavailable',
    error_description: 'The authorization server cannot reach its database right now. Try again in a few seconds.',
  });
  expect(r.ms).toBeLessThan(withinMs);
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
});

/**
 * The authorization server while PostgreSQL is away: discovery and the JWKS need no database and
 * keep answering; every step that needs one (registration, /authorize, /token, /revoke, the
 * sign-in and account pages) refuses within a few seconds with 503 and Retry-After — for clients
 * the OAuth error `temporarily_unavailable` (the MCP SDK then keeps its tokens instead of starting
 * a new sign-in), for people a plain page — never a 500, a stack or a secret. Nothing is consumed
 * meanwhile: afterwards the same code, refresh token, sign-in page and account session work.
 */
describePg('PostgreSQL outage: the authorization server', () => {
  const FAST_MS = 3_000;
  const DB_DETAILS = /ECONNREFUSED|ECONNRESET|postgres|\d+\.\d+\.\d+\.\d+:\d+|\n\s+at /i;
  let proxy: TcpProxy;
  let svc: ReliableService;
  // Artefacts made before the outage, used during and after it.
  let person: Connect;
  let sdk: StoredConnection;
  let pending: { client: RegisteredClient; code: string; verifier: string };
  let signInPage: { jar: CookieJar; url: string };
  let accountJar: CookieJar;

  beforeAll(async () => {
    proxy = await startTcpProxy(PG_SERVER);
    svc = await startReliableService({ databaseUrl: (u) => proxy.rewrite(u), env: { RATE_LIMIT_PER_HOUR: '100000' } });
    person = await svc.connect('as-outage@example.com');
    sdk = new StoredConnection(await svc.connect('as-outage-sdk@example.com'), svc.url);
    // A code the client has not exchanged yet (the person is linked and consent is remembered).
    const { verifier, challenge } = pkce();
    const callback = await authorizeOverHttp(authorizationUrl(svc.url, { client: person.client, challenge }), {
      email: 'as-outage@example.com',
    });
    pending = { client: person.client, code: callback.searchParams.get('code')!, verifier };
    expect(pending.code).toEqual(expect.any(String));
    // Someone halfway through connecting: on the sign-in page.
    const jar = new CookieJar();
    const page = (await jar.browse(authorizationUrl(svc.url, { client: person.client, challenge: pkce().challenge }), svc.url)) as FormPage;
    expect([page.url.pathname, page.status]).toEqual([expect.stringMatching(/^\/interaction\/[^/]+\/signin$/), 200]);
    signInPage = { jar, url: page.url.href };
    // Someone signed in to the account page.
    accountJar = new CookieJar();
    const signin = (await accountJar.browse(`${svc.url}/account/signin`, svc.url)) as FormPage;
    const account = (await submitForm(
      accountJar,
      signin,
      findForm(signin, (f) => /\/dev$/.test(f.action))!,
      { email: 'as-outage@example.com' },
      svc.url,
    )) as FormPage;
    expect([account.url.pathname, account.status]).toEqual(['/account', 200]);
  }, 60_000);

  afterAll(async () => {
    await svc?.close();
    await proxy?.close();
  });

  describe('while PostgreSQL is unreachable', () => {
    beforeAll(async () => {
      await proxy.cut();
    });

    it.each([
      ['/.well-known/oauth-authorization-server', 'issuer'],
      ['/.well-known/openid-configuration', 'issuer'],
      ['/.well-known/oauth-protected-resource/mcp', 'authorization_servers'],
      ['/jwks', 'keys'],
    ])('%s still answers 200 (it needs no database)', async (path, field) => {
      const r = await timedFetch(`${svc.url}${path}`);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text)).toHaveProperty(field);
      expect(r.ms).toBeLessThan(FAST_MS);
    });

    it.each([
      [
        'dynamic client registration',
        () =>
          timedFetch(`${svc.url}/register`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              client_name: 'During the outage',
              redirect_uris: ['http://127.0.0.1:9/callback'],
              token_endpoint_auth_method: 'none',
            }),
          }),
      ],
      [
        '/token, authorization code',
        () =>
          timedFetch(
            `${svc.url}/token`,
            form({
              client_id: pending.client.client_id,
              grant_type: 'authorization_code',
              code: pending.code,
              code_verifier: pending.verifier,
              redirect_uri: pending.client.redirect_uris[0]!,
            }),
          ),
      ],
      [
        '/token, refresh token',
        () =>
          timedFetch(
            `${svc.url}/token`,
            form({ client_id: person.client.client_id, grant_type: 'refresh_token', refresh_token: person.refreshToken }),
          ),
      ],
      // /register and /token fail first in their per-IP rate limits (counted in the store); /revoke has
      // no such guard, so this is oidc-provider's own answer to a failing adapter.
      ['/revoke', () => timedFetch(`${svc.url}/revoke`, form({ client_id: person.client.client_id, token: person.refreshToken }))],
    ])('%s: 503 temporarily_unavailable with Retry-After, fast, nothing leaked', async (_name, send) => {
      expectTemporarilyUnavailable(await send(), FAST_MS);
    });

    it('/authorize for a registered client: a 503 page for the person, no redirect', async () => {
      const r = await timedFetch(authorizationUrl(svc.url, { client: person.client, challenge: pkce().challenge }), {
        headers: { accept: 'text/html' },
      });
      expect(r.status).toBe(503);
      expect(r.headers.get('location')).toBeNull();
      expect(r.headers.get('retry-after')).toBe('5');
      expect(r.text).toContain('<h1>Temporarily unavailable</h1>');
      expect(r.text).toContain(
        'This service cannot reach its database right now. Go back to the app you were connecting and try again in a minute.',
      );
      expect(r.text).not.toMatch(DB_DETAILS);
      expect(r.ms).toBeLessThan(FAST_MS);
    });

    it('/authorize for a pinned client (claude.ai): back to the client with error=temporarily_unavailable (RFC 6749 §4.1.2.1)', async () => {
      const claude = {
        client_id: 'https://claude.ai/oauth/mcp-oauth-client-metadata',
        redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
      };
      const r = await timedFetch(authorizationUrl(svc.url, { client: claude, challenge: pkce().challenge, state: 'outage-state' }));
      expect(r.status).toBe(303);
      const back = new URL(r.headers.get('location')!);
      expect(`${back.origin}${back.pathname}`).toBe('https://claude.ai/api/mcp/auth_callback');
      expect(Object.fromEntries(back.searchParams)).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The authorization server cannot reach its database right now. Try again in a few seconds.',
        state: 'outage-state',
        iss: svc.url,
      });
      expect(r.ms).toBeLessThan(FAST_MS);
    });

    it.each([
      [
        'the sign-in page of a connect in progress',
        () => timedFetch(signInPage.url, { headers: { accept: 'text/html', cookie: signInPage.jar.header(new URL(signInPage.url)) } }),
      ],
      [
        'the account page of a signed-in person',
        () =>
          timedFetch(`${svc.url}/account`, { headers: { accept: 'text/html', cookie: accountJar.header(new URL(`${svc.url}/account`)) } }),
      ],
    ])('%s: a 503 page that says to try again, fast', async (_name, send) => {
      const r = await send();
      expect(r.status).toBe(503);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(r.headers.get('retry-after')).toBe('5');
      expect(r.text).toContain('<h1>Temporarily unavailable</h1>');
      expect(r.text).toContain('The service is temporarily unavailable; try again shortly.');
      expect(r.text).not.toMatch(DB_DETAILS);
      expect(r.ms).toBeLessThan(FAST_MS);
    });

    it('the MCP SDK (auth()) gets TemporarilyUnavailableError on its refresh: it keeps its tokens and starts no browser sign-in', async () => {
      const before = sdk.tokensNow;
      const t0 = Date.now();
      const err = await auth(sdk, { serverUrl: `${svc.url}/mcp` }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TemporarilyUnavailableError);
      expect(Date.now() - t0).toBeLessThan(FAST_MS);
      expect(sdk.tokensNow).toBe(before);
      expect(sdk.browserFlow).toBeUndefined();
    });
  });

  describe('after PostgreSQL is back', () => {
    beforeAll(async () => {
      await proxy.restore();
      await eventually(async () => (await timedFetch(`${svc.url}/ready`)).status === 200, 15_000, '/ready after restore');
    });

    it('the code and the refresh token from before the outage still work, and so do the pages', async () => {
      const exchanged = await exchangeCode(svc.url, pending.client, { code: pending.code, verifier: pending.verifier });
      expect(exchanged.status).toBe(200);
      const refreshed = await refreshTokens(svc.url, person.client, person.refreshToken);
      expect(refreshed.status).toBe(200);
      expect((await svc.callTool(refreshed.body.access_token!, 'get_athlete')).status).toBe(200);

      const signIn = await timedFetch(signInPage.url, {
        headers: { accept: 'text/html', cookie: signInPage.jar.header(new URL(signInPage.url)) },
      });
      expect(signIn.status).toBe(200);
      expect(findForm({ url: new URL(signInPage.url), status: 200, html: signIn.text }, (f) => /\/dev$/.test(f.action))).toBeDefined();
      const account = await timedFetch(`${svc.url}/account`, {
        headers: { accept: 'text/html', cookie: accountJar.header(new URL(`${svc.url}/account`)) },
      });
      expect(account.status).toBe(200);
      expect(account.text).toContain('as-outage@example.com');
    });

    it('the MCP SDK refreshes with the refresh token it kept', async () => {
      const kept = sdk.tokensNow.refresh_token;
      expect(await auth(sdk, { serverUrl: `${svc.url}/mcp` })).toBe('AUTHORIZED');
      expect(sdk.tokensNow.refresh_token).not.toBe(kept);
      expect(sdk.browserFlow).toBeUndefined();
      expect((await svc.callTool(sdk.tokensNow.access_token, 'get_athlete')).status).toBe(200);
    });

    it('a new person connects from scratch (register, sign in, consent, link, token)', async () => {
      const fresh = await svc.connect('after-outage@example.com');
      expect((await svc.callTool(fresh.accessToken, 'get_athlete')).status).toBe(200);
      expect(svc.alive()).toBe(true);
    });
  });
});

/**
 * PostgreSQL stops answering without refusing (a partition without a reset, a frozen server, a
 * lock that never frees): the proxy keeps every connection open, accepts new ones and forwards
 * nothing. Without a deadline each request that needs the database would hang until its client
 * gave up. With DATABASE_QUERY_TIMEOUT_MS (1 s here) each is refused with the same 503 as when the
 * database is unreachable, within the deadline plus a margin — also when more arrive at once than
 * the pool has connections — and afterwards everything works again, with the same refresh token,
 * without a restart. A shutdown during a stall still exits.
 */
describePg('PostgreSQL stops answering (connections held open, nothing forwarded)', () => {
  const DEADLINE_MS = 1_000;
  // The deadline, plus a margin for a loaded 2-core machine; without a deadline these would only
  // end at timedFetch's 15 s abort.
  const WITHIN_MS = DEADLINE_MS + 1_000;
  let proxy: TcpProxy;
  let svc: ReliableService;
  let person: Connect;
  let signInPage: { jar: CookieJar; url: string };

  beforeAll(async () => {
    proxy = await startTcpProxy(PG_SERVER);
    svc = await startReliableService({
      databaseUrl: (u) => proxy.rewrite(u),
      env: { RATE_LIMIT_PER_HOUR: '100000', DATABASE_QUERY_TIMEOUT_MS: String(DEADLINE_MS) },
    });
    person = await svc.connect('stall@example.com');
    const jar = new CookieJar();
    const page = (await jar.browse(authorizationUrl(svc.url, { client: person.client, challenge: pkce().challenge }), svc.url)) as FormPage;
    expect([page.url.pathname, page.status]).toEqual([expect.stringMatching(/^\/interaction\/[^/]+\/signin$/), 200]);
    signInPage = { jar, url: page.url.href };
    // Every pooled connection busy until now, so the stall catches some open and idle.
    expect((await svc.callTool(person.accessToken, 'get_athlete')).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await proxy?.restore();
    await svc?.close();
    await proxy?.close();
  });

  const signIn = () =>
    timedFetch(signInPage.url, { headers: { accept: 'text/html', cookie: signInPage.jar.header(new URL(signInPage.url)) } });
  const refresh = () =>
    timedFetch(
      `${svc.url}/token`,
      form({ client_id: person.client.client_id, grant_type: 'refresh_token', refresh_token: person.refreshToken }),
    );
  const toolCall = async () => {
    const t0 = Date.now();
    const r = await svc.callTool(person.accessToken, 'get_athlete', {}, { timeoutMs: 15_000 });
    return { ...r, ms: Date.now() - t0 };
  };

  describe('while PostgreSQL is stalled', () => {
    beforeAll(async () => {
      // Spare rate-limit units from the calls before go back after SPARE_IDLE_MS without a call;
      // then the next tool call asks the database (a call admitted ahead would not).
      await new Promise((r) => setTimeout(r, SPARE_IDLE_MS + 1_000));
      await proxy.stall();
    });

    it('/ready: 503 database_unavailable within the deadline', async () => {
      const r = await timedFetch(`${svc.url}/ready`);
      expect([r.status, JSON.parse(r.text)]).toEqual([503, { status: 'database_unavailable' }]);
      expect(r.ms).toBeLessThan(WITHIN_MS);
    });

    it('a tool call on /mcp: 503 within the deadline', async () => {
      const r = await toolCall();
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect(r.text).toMatch(/unavailable|try again/i);
      expect(r.ms).toBeLessThan(WITHIN_MS);
    });

    it('/token, refresh token: 503 temporarily_unavailable within the deadline', async () => {
      expectTemporarilyUnavailable(await refresh(), WITHIN_MS);
    });

    it('the sign-in page of a connect in progress: a 503 page within the deadline', async () => {
      const r = await signIn();
      expect(r.status).toBe(503);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(r.headers.get('retry-after')).toBe('5');
      expect(r.text).toContain('<h1>Temporarily unavailable</h1>');
      expect(r.ms).toBeLessThan(WITHIN_MS);
    });

    // Tool calls and refreshes for one person (one rate-limit key) are coalesced into one database
    // call at a time (limits/rate-limit.ts); when it times out, those queued behind it get the
    // 503 with it instead of sending another call, so nobody waits a second deadline.
    it('more requests at once than the pool has connections (10): every one 503, none queued for long', async () => {
      const timed = async <T extends { status: number }>(kind: string, send: () => Promise<T>) => {
        const t0 = Date.now();
        const r = await send();
        return { kind, status: r.status, ms: Date.now() - t0 };
      };
      const t0 = Date.now();
      const answers = await Promise.all([
        ...Array.from({ length: 12 }, () => timed('tool call', toolCall)),
        ...Array.from({ length: 6 }, () => timed('/ready', () => timedFetch(`${svc.url}/ready`))),
        ...Array.from({ length: 6 }, () => timed('/token', refresh)),
      ]);
      expect(answers.filter((a) => a.status !== 503)).toEqual([]);
      expect(answers.filter((a) => a.ms >= WITHIN_MS)).toEqual([]);
      expect(Date.now() - t0).toBeLessThan(WITHIN_MS);
    });
  });

  describe('after PostgreSQL answers again', () => {
    beforeAll(async () => {
      await proxy.restore();
    });

    it('everything works again without a restart: /ready, the same refresh token, tool calls, the sign-in page', async () => {
      const recoveredIn = await eventually(
        async () => (await timedFetch(`${svc.url}/ready`)).status === 200,
        15_000,
        '/ready after the stall',
      );
      expect(recoveredIn).toBeLessThan(5_000);
      const refreshed = await refreshTokens(svc.url, person.client, person.refreshToken);
      expect(refreshed.status).toBe(200);
      const after = await svc.callTool(refreshed.body.access_token!, 'get_athlete');
      expect(after.status).toBe(200);
      expect(after.json?.result?.isError).not.toBe(true);
      const page = await signIn();
      expect(page.status).toBe(200);
      expect(findForm({ url: new URL(signInPage.url), status: 200, html: page.text }, (f) => /\/dev$/.test(f.action))).toBeDefined();
      expect(svc.alive()).toBe(true);
    });

    it('a shutdown while PostgreSQL is stalled still exits, promptly and cleanly', async () => {
      expect((await timedFetch(`${svc.url}/ready`)).status).toBe(200);
      await proxy.stall();
      const t0 = Date.now();
      svc.proc.child.kill('SIGTERM');
      expect(await svc.proc.exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(WITHIN_MS + 1_000);
    });
  });
});
