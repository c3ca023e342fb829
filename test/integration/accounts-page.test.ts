import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { devPersonId } from '../../src/signin/dev-identity.js';
import { onAccountChange } from '../../src/accounts/events.js';
import { markLinkBroken } from '../../src/accounts/links.js';
import { verifyPersonalAccessToken } from '../../src/accounts/pats.js';
import { FormClient, alertText, csrfFrom, noticeText } from '../support/form-client.js';
import { freePort } from '../support/process.js';
import { startTestService, type TestService } from '../support/service.js';
import { defaultAthletes, startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { notFound } from '../fakes/intervals/server.js';
import { postAccountForm, rowsMentioning, signInToAccount } from './accounts-support.js';

const [ANN, BOB] = defaultAthletes() as [ReturnType<typeof defaultAthletes>[number], ReturnType<typeof defaultAthletes>[number]];
/** Every secret the tests handled: none may appear in the service's logs. */
const seen: string[] = [ANN.apiKey, BOB.apiKey];

describe('account page over real HTTP', () => {
  let fake: FakeIntervals;
  let svc: TestService;
  /** Change notifications the service sent (the service runs in this process). */
  const changes: string[] = [];
  const changesFor = (accountId: string) => changes.filter((c) => c.startsWith(`${accountId} `)).map((c) => c.split(' ')[1]);
  onAccountChange((accountId, change) => changes.push(`${accountId} ${change}`));
  beforeAll(async () => {
    fake = await startFakeIntervals();
    svc = await startTestService({ INTERVALS_API_BASE_URL: fake.url, INTERVALS_TIMEOUT_MS: '1500' });
  });
  afterAll(async () => {
    await svc?.close();
    await fake?.close();
  });
  const athleteRequests = () => fake.requestsTo('GET', /^\/athlete\//).length;
  const links = () => svc.store.query<Record<string, unknown>>('SELECT * FROM intervals_links');

  it('sends a visitor without a session to the sign-in, and signs in with a scoped, HttpOnly, Lax session cookie stored hashed', async () => {
    const c = new FormClient();
    const anon = await c.get(`${svc.url}/account`);
    expect(anon.status).toBe(302);
    expect(anon.location).toBe(`${svc.url}/account/signin`);
    const signin = await c.get(`${svc.url}/account/signin`);
    const res = await c.post(`${svc.url}/account/signin/dev`, { _csrf: csrfFrom(signin.text), email: 'cookie@example.com' });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((s) => s.startsWith('account_session='))!;
    expect(cookie).toMatch(/path=\/account;/i);
    expect(cookie).toMatch(/samesite=lax/i);
    expect(cookie).toMatch(/httponly/i);
    const value = /^account_session=([^;]+)/.exec(cookie)![1]!;
    const rows = await svc.store.query<Record<string, unknown>>('SELECT * FROM account_sessions WHERE account_id = $1', [
      devPersonId('cookie@example.com'),
    ]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(value);
    const page = await c.get(`${svc.url}/account`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Signed in as <strong>cookie@example.com</strong>');
    expect(page.text).toContain('Not linked yet.');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  describe('link form: bad input gets a specific message and nothing is saved', () => {
    let c: FormClient;
    beforeAll(async () => {
      ({ client: c } = await signInToAccount(svc.url, 'badinput@example.com'));
    });

    it.each([
      ['empty athlete id', { athlete_id: '', api_key: ANN.apiKey }, 400, /^Enter your Intervals.icu athlete ID/, false],
      ['empty API key', { athlete_id: 'i1001', api_key: '' }, 400, /^Enter your Intervals.icu API key/, false],
      [
        'oversized athlete id',
        { athlete_id: '1'.repeat(300), api_key: ANN.apiKey },
        400,
        /^That athlete ID is too long \(300 characters\)/,
        false,
      ],
      [
        'oversized API key',
        { athlete_id: 'i1001', api_key: 'k'.repeat(5000) },
        400,
        /^That is too long for an Intervals.icu API key \(5000 characters/,
        false,
      ],
      [
        'odd characters in the athlete id',
        { athlete_id: 'i10<01>', api_key: ANN.apiKey },
        400,
        /^An Intervals.icu athlete ID is the letter i followed by digits/,
        false,
      ],
      [
        'odd characters in the API key',
        { athlete_id: 'i1001', api_key: 'key with spaces"<>' },
        400,
        /^That API key contains characters Intervals.icu keys never have/,
        false,
      ],
      [
        'wrong key (stand-in 401)',
        { athlete_id: 'i1001', api_key: 'wrongkey0123456789' },
        400,
        /^Intervals.icu rejected this API key for athlete i1001/,
        true,
      ],
      [
        'wrong key for this athlete (stand-in 403)',
        { athlete_id: 'i1001', api_key: BOB.apiKey },
        400,
        /^Intervals.icu rejected this API key for athlete i1001. Check that the key is current/,
        true,
      ],
      ['unknown athlete (stand-in 404)', { athlete_id: 'i9999', api_key: ANN.apiKey }, 400, /^Intervals.icu has no athlete i9999/, true],
    ])('%s', async (_label, fields, status, message, reachesNetwork) => {
      const before = athleteRequests();
      fake.inject({ path: '/athlete/i9999' }, { status: 404, body: notFound('/athlete/i9999').body });
      const res = await postAccountForm(c, svc.url, '/account/link', fields);
      fake.clearFaults();
      expect(res.status).toBe(status);
      expect(alertText(res.text)).toMatch(message);
      if (fields.api_key) expect(res.text).not.toContain(fields.api_key);
      expect(athleteRequests() - before).toBe(reachesNetwork ? 1 : 0);
      expect(await links()).toEqual([]);
    });

    it('Intervals.icu timing out', async () => {
      fake.inject({ path: '/athlete/0' }, { delayMs: 4_000 });
      const res = await postAccountForm(c, svc.url, '/account/link', { athlete_id: '0', api_key: ANN.apiKey });
      expect(res.status).toBe(504);
      expect(alertText(res.text)).toBe(
        'Intervals.icu did not answer within 2 seconds, so nothing was saved. It may be busy: try again in a minute.',
      );
      expect(await links()).toEqual([]);
    });
  });

  it('Intervals.icu down (closed port): its own message, nothing saved', async () => {
    const down = await startTestService({ INTERVALS_API_BASE_URL: `http://127.0.0.1:${await freePort()}/api/v1` });
    try {
      const { client } = await signInToAccount(down.url, 'down@example.com');
      const res = await postAccountForm(client, down.url, '/account/link', { athlete_id: '0', api_key: ANN.apiKey });
      expect(res.status).toBe(502);
      expect(alertText(res.text)).toBe(
        'We could not reach Intervals.icu (ECONNREFUSED), so nothing was saved. It may be down or restarting: try again in a few minutes.',
      );
      expect(await down.store.query('SELECT * FROM intervals_links')).toEqual([]);
    } finally {
      await down.close();
    }
  });

  it('links with athlete 0, stores the real id sealed, shows it; broken state; re-link; unlink', async () => {
    const { client: c } = await signInToAccount(svc.url, 'ann@example.com');
    const accountId = devPersonId('ann@example.com');
    const res = await postAccountForm(c, svc.url, '/account/link', { athlete_id: '0', api_key: ANN.apiKey });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${svc.url}/account?done=linked`);
    const page = await c.get(res.location!);
    expect(noticeText(page.text)).toBe('Your Intervals.icu account is linked.');
    expect(page.text).toContain('Ann Example <code>i1001</code>');
    expect(page.text).toContain('<td>personal API key</td>');
    expect(page.text).not.toContain(ANN.apiKey);
    const rows = await svc.store.query<Record<string, unknown>>('SELECT * FROM intervals_links WHERE account_id = $1', [accountId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ athlete_id: 'i1001', athlete_name: 'Ann Example', method: 'api_key' });
    expect(JSON.stringify(rows)).not.toContain(ANN.apiKey);

    await markLinkBroken(svc.store, accountId, 'Intervals.icu rejected the API key (403 Access denied).');
    const broken = await c.get(`${svc.url}/account`);
    expect(alertText(broken.text)).toMatch(/^Broken since .* UTC: Intervals.icu rejected the API key \(403 Access denied\)\./);
    expect(broken.text).toContain('<span class="badge">broken</span>');

    const relinked = await postAccountForm(c, svc.url, '/account/link', { athlete_id: 'i1001', api_key: ANN.apiKey });
    expect(relinked.status).toBe(303);
    expect((await c.get(`${svc.url}/account`)).text).toContain('<span class="badge">working</span>');

    const unlinked = await postAccountForm(c, svc.url, '/account/unlink', {});
    expect(unlinked.location).toBe(`${svc.url}/account?done=unlinked`);
    expect(await svc.store.query('SELECT 1 FROM intervals_links WHERE account_id = $1', [accountId])).toEqual([]);
    expect(changesFor(accountId)).toEqual(['link_changed', 'link_changed', 'link_changed']);
  });

  it('personal access tokens: created with scopes and expiry, shown once, listed, revoked', async () => {
    const { client: c } = await signInToAccount(svc.url, 'pat@example.com');
    const created = await postAccountForm(c, svc.url, '/account/tokens', {
      name: 'Cursor',
      scopes: 'intervals:read',
      expires_in_days: '30',
    });
    expect(created.status).toBe(201);
    const token = /<code id="new-token-value">(imcp_pat_[A-Za-z0-9_-]+)<\/code>/.exec(created.text)![1]!;
    seen.push(token);
    expect(await verifyPersonalAccessToken(svc.store, token)).toMatchObject({
      accountId: devPersonId('pat@example.com'),
      scopes: ['intervals:read'],
    });
    const later = await c.get(`${svc.url}/account`);
    expect(later.text).not.toContain(token);
    const row = /<tr data-pat="(pat_[^"]+)"><td data-label="Name">Cursor<\/td><td data-label="Access">intervals:read<\/td>/.exec(
      later.text,
    );
    expect(row).not.toBeNull();
    const bad = await postAccountForm(c, svc.url, '/account/tokens', { name: '', scopes: 'intervals:read', expires_in_days: '30' });
    expect(bad.status).toBe(400);
    expect(alertText(bad.text)).toBe('Give the token a name, such as the app it is for ("Cursor on my laptop").');

    const revoked = await postAccountForm(c, svc.url, `/account/tokens/${row![1]}/revoke`, {});
    expect(revoked.location).toBe(`${svc.url}/account?done=revoked_token`);
    expect(await verifyPersonalAccessToken(svc.store, token)).toBeUndefined();
    expect((await c.get(`${svc.url}/account`)).text).toMatch(/<td data-label="Status">revoked \d{4}-\d\d-\d\d/);
    expect(changesFor(devPersonId('pat@example.com'))).toEqual(['token_revoked']);
  });

  it('refuses a form without the CSRF token, and another person cannot revoke my token', async () => {
    const { client: mallory } = await signInToAccount(svc.url, 'mallory@example.com');
    const forged = await mallory.post(`${svc.url}/account/unlink`, {});
    expect(forged.status).toBe(403);
    expect(alertText(forged.text)).toMatch(/^This form has expired or was not sent from this site/);

    const { client: c } = await signInToAccount(svc.url, 'victim@example.com');
    const created = await postAccountForm(c, svc.url, '/account/tokens', { name: 'mine', scopes: 'intervals:read', expires_in_days: '7' });
    const patId = /data-pat="(pat_[^"]+)"/.exec(created.text)![1]!;
    const attempt = await postAccountForm(mallory, svc.url, `/account/tokens/${patId}/revoke`, {});
    expect(attempt.status).toBe(404);
    expect(await svc.store.query('SELECT revoked_at FROM personal_access_tokens WHERE id = $1', [patId])).toEqual([{ revoked_at: null }]);
  });

  it('signs out: the session row goes and the cookie no longer works', async () => {
    const { client: c } = await signInToAccount(svc.url, 'leaver@example.com');
    const out = await postAccountForm(c, svc.url, '/account/signout', {});
    expect(out.status).toBe(200);
    expect(await svc.store.query('SELECT 1 FROM account_sessions WHERE account_id = $1', [devPersonId('leaver@example.com')])).toEqual([]);
    expect((await c.get(`${svc.url}/account`)).location).toBe(`${svc.url}/account/signin`);
  });

  it('deletes the account after a confirm step: no row anywhere mentions the person afterwards', async () => {
    const email = 'delete.me@example.com';
    const accountId = devPersonId(email);
    const { client: c } = await signInToAccount(svc.url, email);
    await postAccountForm(c, svc.url, '/account/link', { athlete_id: '0', api_key: BOB.apiKey });
    const created = await postAccountForm(c, svc.url, '/account/tokens', { name: 'x', scopes: 'intervals:read', expires_in_days: 'never' });
    const token = /<code id="new-token-value">(imcp_pat_[A-Za-z0-9_-]+)<\/code>/.exec(created.text)![1]!;
    expect((await rowsMentioning(svc.store, accountId)).map((r) => r.table).sort()).toEqual([
      'account_sessions',
      'accounts',
      'intervals_links',
      'personal_access_tokens',
    ]);

    const confirm = await c.get(`${svc.url}/account/delete`);
    expect(confirm.text).toContain('I understand, delete everything');
    const unconfirmed = await c.post(`${svc.url}/account/delete`, { _csrf: csrfFrom(confirm.text) });
    expect(unconfirmed.status).toBe(400);
    expect(await rowsMentioning(svc.store, accountId)).toHaveLength(4);

    const gone = await c.post(`${svc.url}/account/delete`, { _csrf: csrfFrom(confirm.text), confirm: 'yes' });
    expect(gone.status).toBe(200);
    expect(gone.text).toContain('Your account is deleted');
    expect(await rowsMentioning(svc.store, accountId)).toEqual([]);
    expect(await rowsMentioning(svc.store, email)).toEqual([]);
    expect(await verifyPersonalAccessToken(svc.store, token)).toBeUndefined();
    expect(changesFor(accountId)).toEqual(['link_changed', 'deleted']);
    expect((await c.get(`${svc.url}/account`)).location).toBe(`${svc.url}/account/signin`);
  });

  it('never logs an API key or a personal access token', () => {
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const secret of seen) expect(svc.logs()).not.toContain(secret);
    expect(svc.logs()).toContain('"msg":"intervals account linked"');
  });
});
