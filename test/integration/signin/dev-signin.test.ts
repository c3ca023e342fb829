import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { loadConfig } from '../../../src/config/load.js';
import { createLogger } from '../../../src/logger.js';
import { upsertAccount } from '../../../src/accounts/account-store.js';
import { buildSignInRouter } from '../../../src/signin/router.js';
import { devPersonId } from '../../../src/signin/dev-identity.js';
import type { Store } from '../../../src/store/store.js';
import { HARNESS_START_MS, startSignInHarness, type SignInHarness } from '../../support/signin-harness.js';
import { FormClient, alertText, csrfFrom } from '../../support/form-client.js';

describe('local development sign-in (no SUPABASE_URL, not production)', () => {
  let h: SignInHarness;
  beforeAll(async () => {
    h = await startSignInHarness({});
  }, HARNESS_START_MS);
  afterAll(async () => {
    await h.close();
  }, HARNESS_START_MS);

  it('shows a clearly labelled development form with security headers and a CSRF cookie scoped to the interaction', async () => {
    const c = new FormClient();
    const page = await c.get(`${h.url}/interaction/abc/signin`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2 id="dev-heading">Local development sign-in</h2>');
    expect(page.text).toContain('<label for="email">Email</label>');
    expect(page.text).toContain('action="/interaction/abc/signin/dev"');
    expect(page.text).toContain('Sign in to continue to Test Client');
    expect(page.text).not.toContain('Create account');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.getSetCookie().find((s) => s.startsWith('csrf='))).toMatch(/path=\/interaction\/abc;.*samesite=strict/i);
  });

  it('signs in with any email, upserts the account under a stable UUIDv5 id and calls onSignedIn', async () => {
    const c = new FormClient();
    const page = await c.get(`${h.url}/interaction/abc/signin`);
    const res = await c.post(`${h.url}/interaction/abc/signin/dev`, { _csrf: csrfFrom(page.text), email: ' Dev.Person@Example.com ' });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${h.url}/interaction/abc/done`);
    const id = devPersonId('dev.person@example.com');
    expect(h.signedIn.at(-1)).toEqual({ id, email: 'dev.person@example.com', method: 'dev' });
    expect(await h.store.query('SELECT id, email FROM accounts WHERE id = $1', [id])).toEqual([{ id, email: 'dev.person@example.com' }]);

    // Signing in again (other case, other mount) reaches the same account.
    const c2 = new FormClient();
    const page2 = await c2.get(`${h.url}/account/signin`);
    const again = await c2.post(`${h.url}/account/signin/dev`, { _csrf: csrfFrom(page2.text), email: 'DEV.PERSON@example.com' });
    expect(again.location).toBe(`${h.url}/account/done`);
    expect(h.signedIn.at(-1)?.id).toBe(id);
    expect(await h.store.query('SELECT count(*)::int AS n FROM accounts')).toEqual([{ n: 1 }]);
  });

  it('keeps what was typed and says what is wrong when the email is not an address', async () => {
    const c = new FormClient();
    const page = await c.get(`${h.url}/account/signin`);
    const res = await c.post(`${h.url}/account/signin/dev`, { _csrf: csrfFrom(page.text), email: 'not-an-email' });
    expect(res.status).toBe(400);
    expect(alertText(res.text)).toBe('Enter an email address such as you@example.com.');
    expect(res.text).toContain('value="not-an-email"');
  });

  it.each([
    ['no CSRF field', (_t: string) => ({ email: 'x@example.com' })],
    ['a wrong CSRF field', (t: string) => ({ email: 'x@example.com', _csrf: `${t.slice(0, -2)}xx` })],
  ])('refuses a post with %s: 403 page, nobody signed in', async (_name, fields) => {
    const c = new FormClient();
    const page = await c.get(`${h.url}/account/signin`);
    const before = h.signedIn.length;
    const res = await c.post(`${h.url}/account/signin/dev`, fields(csrfFrom(page.text)));
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(alertText(res.text)).toMatch(/This form has expired or was not sent from this site/);
    expect(h.signedIn.length).toBe(before);
  });

  it('answers an oversized form with a plain 413 page, not JSON', async () => {
    const c = new FormClient();
    const page = await c.get(`${h.url}/account/signin`);
    const res = await c.post(`${h.url}/account/signin/dev`, {
      _csrf: csrfFrom(page.text),
      email: 'x@example.com',
      filler: 'x'.repeat(20_000),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(alertText(res.text)).toBe('This form could not be read. Go back, reload the page and try again.');
  });

  it('refuses a disabled account with a plain page', async () => {
    const email = 'disabled@example.com';
    await h.store.query('INSERT INTO accounts (id, email, disabled_at) VALUES ($1, $2, now())', [devPersonId(email), email]);
    const c = new FormClient();
    const page = await c.get(`${h.url}/account/signin`);
    const before = h.signedIn.length;
    const res = await c.post(`${h.url}/account/signin/dev`, { _csrf: csrfFrom(page.text), email });
    expect(res.status).toBe(403);
    expect(alertText(res.text)).toMatch(/^This account has been disabled/);
    expect(h.signedIn.length).toBe(before);
  });

  it('shows the guard’s message when the surrounding flow has expired, for GET and POST', async () => {
    const c = new FormClient();
    const page = await c.get(`${h.url}/interaction/expired/signin`);
    expect(page.status).toBe(400);
    expect(alertText(page.text)).toBe('This sign-in link has expired. Go back to your app and connect again.');
    const post = await c.post(`${h.url}/interaction/expired/signin/dev`, { email: 'x@example.com' });
    expect(post.status).toBe(400);
  });
});

describe('per-IP limit on sign-in posts', () => {
  let h: SignInHarness;
  beforeAll(async () => {
    h = await startSignInHarness({}, { rateLimit: { max: 2, windowMs: 60_000 } });
  }, HARNESS_START_MS);
  afterAll(async () => {
    await h.close();
  }, HARNESS_START_MS);

  it('answers 429 with Retry-After and a plain message once an address is over its limit', async () => {
    const c = new FormClient();
    const csrf = csrfFrom((await c.get(`${h.url}/account/signin`)).text);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await c.post(`${h.url}/account/signin/dev`, { _csrf: csrf, email: 'bad' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([400, 400, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(alertText(last!.text)).toBe('Too many sign-in attempts from your network. Wait 1 minute and try again.');
    expect(last!.text).toContain('value="bad"');
  });
});

describe('when the development sign-in is offered', () => {
  const store = {} as Store; // never queried: these tests only build the router
  const logger = createLogger('silent');
  const routes = (env: Record<string, string>) => {
    const config = loadConfig({ NODE_ENV: 'test', ...env });
    const r = buildSignInRouter(
      { config, store, logger, upsertAccount: (person) => upsertAccount(store, person) },
      { prefix: '/s', cookiePath: () => '/', onSignedIn: async () => {} },
    );
    return r.stack.map((l) => `${l.methods.filter((m) => m !== 'HEAD').join(',')} ${l.path}`).filter((s) => !s.startsWith(' '));
  };

  it('registers POST /dev only when SUPABASE_URL is unset', () => {
    expect(routes({})).toContain('POST /s/dev');
    expect(routes({ SUPABASE_URL: 'http://127.0.0.1:9', SUPABASE_ANON_KEY: 'anon-key-0123456789abcdef' })).not.toContain('POST /s/dev');
  });

  it('refuses to build without SUPABASE_URL in production, even if configuration were bypassed', () => {
    const config = { ...loadConfig({ NODE_ENV: 'test' }), isProduction: true };
    expect(() =>
      buildSignInRouter(
        { config, store, logger, upsertAccount: (person) => upsertAccount(store, person) },
        { prefix: '/s', cookiePath: () => '/', onSignedIn: async () => {} },
      ),
    ).toThrow('SUPABASE_URL is required in production');
  });
});
