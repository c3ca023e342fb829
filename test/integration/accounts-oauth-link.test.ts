import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { devPersonId } from '../../src/signin/dev-identity.js';
import { loadIntervalsCredentials } from '../../src/accounts/links.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { resolveSecrets } from '../../src/store/app-secrets.js';
import { FormClient, alertText } from '../support/form-client.js';
import { freePort } from '../support/process.js';
import { startTestService, type TestService } from '../support/service.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { startIntervalsOAuthStandIn, type IntervalsOAuthStandIn } from '../fakes/intervals/oauth.js';
import { signInToAccount } from './accounts-support.js';

const REQUESTED = 'ACTIVITY:WRITE,WELLNESS:WRITE,CALENDAR:WRITE,LIBRARY:WRITE,SETTINGS:WRITE';

describe('"Connect with Intervals.icu" (OAuth) from the account page', () => {
  let fake: FakeIntervals;
  let oauth: IntervalsOAuthStandIn;
  let svc: TestService;
  let base: string;
  beforeAll(async () => {
    fake = await startFakeIntervals();
    oauth = await startIntervalsOAuthStandIn(fake.athlete('i1001'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    svc = await startTestService({
      PORT: String(port),
      BASE_URL: base,
      INTERVALS_API_BASE_URL: fake.url,
      INTERVALS_OAUTH_BASE_URL: oauth.url,
      INTERVALS_OAUTH_CLIENT_ID: oauth.clientId,
      INTERVALS_OAUTH_CLIENT_SECRET: oauth.clientSecret,
    });
  });
  afterAll(async () => {
    await svc?.close();
    await oauth?.close();
    await fake?.close();
  });

  /** Starts the flow from the page and returns the authorize URL Intervals.icu would show. */
  async function startFlow(c: FormClient): Promise<URL> {
    const page = await c.get(`${base}/account`);
    expect(page.text).toContain('<a class="button" href="/account/link/oauth" id="connect-oauth">Connect with Intervals.icu</a>');
    const start = await c.get(`${base}/account/link/oauth`);
    expect(start.status).toBe(302);
    expect(start.headers.getSetCookie().find((s) => s.startsWith('intervals_oauth='))).toMatch(/path=\/;.*samesite=lax;.*httponly/i);
    return new URL(start.location!);
  }

  /** What the person does on the Intervals.icu consent page: tick some scopes, then allow or cancel. */
  async function decide(c: FormClient, authorize: URL, decision: 'allow' | 'deny', grant: string[]) {
    const q = new URLSearchParams({
      redirect_uri: authorize.searchParams.get('redirect_uri')!,
      state: authorize.searchParams.get('state')!,
      decision,
    });
    for (const g of grant) q.append('grant', g);
    const back = await c.get(`${oauth.url}/oauth/authorize/decide?${q}`);
    expect(back.status).toBe(302);
    return c.get(back.location!);
  }

  it('stores the token sealed with the scopes actually granted (the person unticked two)', async () => {
    const { client: c } = await signInToAccount(base, 'oauth.ann@example.com');
    const authorize = await startFlow(c);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${oauth.url}/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(oauth.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/account/link/callback`);
    expect(authorize.searchParams.get('scope')).toBe(REQUESTED);
    const consent = await c.get(authorize.href);
    expect(consent.text).toContain('<input type="checkbox" name="grant" value="SETTINGS:WRITE" checked>');

    const done = await decide(c, authorize, 'allow', ['ACTIVITY:WRITE', 'WELLNESS:WRITE', 'CALENDAR:READ']);
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${base}/account?done=linked`);
    expect(oauth.tokenRequests.at(-1)?.clientId).toBe(oauth.clientId);

    const accountId = devPersonId('oauth.ann@example.com');
    const rows = await svc.store.query<Record<string, unknown>>('SELECT * FROM intervals_links WHERE account_id = $1', [accountId]);
    expect(rows[0]).toMatchObject({
      athlete_id: 'i1001',
      athlete_name: 'Ann Example',
      method: 'oauth',
      scopes: ['ACTIVITY:WRITE', 'WELLNESS:WRITE', 'CALENDAR:READ'],
    });
    expect(JSON.stringify(rows)).not.toContain(fake.athlete('i1001').oauthToken);
    const box = createSecretBox(await resolveSecrets(svc.config, svc.store));
    expect(await loadIntervalsCredentials(svc.store, box, accountId)).toEqual({
      athleteId: 'i1001',
      credentials: {
        kind: 'oauth',
        accessToken: fake.athlete('i1001').oauthToken,
        scopes: ['ACTIVITY:WRITE', 'WELLNESS:WRITE', 'CALENDAR:READ'],
      },
    });
    const page = await c.get(done.location!);
    expect(page.text).toContain('Intervals.icu sign-in (permissions: ACTIVITY:WRITE, WELLNESS:WRITE, CALENDAR:READ)');
    expect(page.text).not.toContain(fake.athlete('i1001').oauthToken);
  });

  const failures: [string, 'allow' | 'deny', number | undefined, number, RegExp][] = [
    ['cancelled on Intervals.icu', 'deny', undefined, 400, /^You cancelled on Intervals.icu, so nothing was linked/],
    // A negative lifetime: every code is already past its window, however fast the exchange.
    [
      'code older than its 2-minute window',
      'allow',
      -1,
      400,
      /^Intervals.icu did not accept the sign-in code \(it lasts two minutes and works once\)/,
    ],
  ];
  it.each(failures)('%s: a specific message, nothing saved', async (_label, decision, ttl, status, message) => {
    const email = `oauth.${decision}.${ttl ?? 'x'}@example.com`;
    const { client: c } = await signInToAccount(base, email);
    oauth.codeTtlMs = ttl ?? 120_000;
    try {
      const res = await decide(c, await startFlow(c), decision, ['ACTIVITY:READ']);
      expect(res.status).toBe(status);
      expect(alertText(res.text)).toMatch(message);
    } finally {
      oauth.codeTtlMs = 120_000;
    }
    expect(await svc.store.query('SELECT 1 FROM intervals_links WHERE account_id = $1', [devPersonId(email)])).toEqual([]);
  });

  it('refuses a callback whose state does not match this browser (no token exchange)', async () => {
    const { client: c } = await signInToAccount(base, 'oauth.csrf@example.com');
    await startFlow(c);
    const before = oauth.tokenRequests.length;
    const res = await c.get(`${base}/account/link/callback?code=attackercode&state=not-the-state`);
    expect(res.status).toBe(400);
    expect(alertText(res.text)).toMatch(/^This Intervals.icu sign-in link has expired or was started in another browser/);
    expect(oauth.tokenRequests.length).toBe(before);
    expect(await svc.store.query('SELECT 1 FROM intervals_links WHERE account_id = $1', [devPersonId('oauth.csrf@example.com')])).toEqual(
      [],
    );
  });

  it('names the operator problem when Intervals.icu does not know our client', async () => {
    const { client: c } = await signInToAccount(base, 'oauth.client@example.com');
    const authorize = await startFlow(c);
    const secret = oauth.clientSecret;
    oauth.clientSecret = 'rotated-on-intervals';
    try {
      const res = await decide(c, authorize, 'allow', ['ACTIVITY:READ']);
      expect(res.status).toBe(502);
      expect(alertText(res.text)).toMatch(/operator must check INTERVALS_OAUTH_CLIENT_ID \/ _SECRET/);
      expect(res.text).not.toContain(secret);
    } finally {
      oauth.clientSecret = secret;
    }
  });
});
