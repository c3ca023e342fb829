import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startSupabaseStandIn, type SupabaseStandIn } from '../../fakes/supabase/server.js';
import { supabaseEnv } from '../../fakes/supabase/auth-client.js';
import { HARNESS_START_MS, startSignInHarness, type SignInHarness } from '../../support/signin-harness.js';
import { FormClient, alertText, csrfFrom, noticeText, type FormResponse } from '../../support/form-client.js';
import { freePort } from '../../support/process.js';

const PAGE = '/interaction/abc/signin';

/** Opens the sign-in page in a fresh "browser" and posts one of its forms. */
async function submit(
  h: SignInHarness,
  path: string,
  fields: Record<string, string>,
  c = new FormClient(),
): Promise<FormResponse & { client: FormClient }> {
  const page = await c.get(`${h.url}${PAGE}`);
  const res = await c.post(`${h.url}${PAGE}${path}`, { _csrf: csrfFrom(page.text), ...fields });
  return Object.assign(res, { client: c });
}

describe('sign-in with Supabase Auth (stand-in), over real HTTP', () => {
  let s: SupabaseStandIn;
  let h: SignInHarness;
  beforeAll(async () => {
    const port = await freePort();
    s = await startSupabaseStandIn({ siteUrl: `http://127.0.0.1:${port}` });
    h = await startSignInHarness({ ...supabaseEnv(s), PORT: String(port) });
  }, HARNESS_START_MS);
  afterAll(async () => {
    await h.close();
    await s.close();
  }, HARNESS_START_MS);

  it('offers each configured provider, email + password with sign-up, and the emailed code — and no development sign-in', async () => {
    const page = await new FormClient().get(`${h.url}${PAGE}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="${PAGE}/provider/github">Continue with GitHub</a>`);
    expect(page.text).toContain(`href="${PAGE}/provider/google">Continue with Google</a>`);
    for (const s of [
      '<label for="email">Email</label>',
      '<label for="password">Password</label>',
      '>Sign in</button>',
      '>Create account</button>',
      '>Email me a code</button>',
    ]) {
      expect(page.text).toContain(s);
    }
    expect(page.text).not.toContain('Local development sign-in');
  });

  it('signs in with email + password: account upserted under the Supabase user id, Supabase session revoked and never handed out', async () => {
    const user = s.createConfirmedUser('rider@example.com', 'correct horse battery');
    const res = await submit(h, '/password', { email: 'Rider@Example.com', password: 'correct horse battery' });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${h.url}/interaction/abc/done`);
    expect(h.signedIn.at(-1)).toEqual({ id: user.id, email: 'rider@example.com', method: 'password' });
    expect(await h.store.query('SELECT id, email FROM accounts WHERE id = $1', [user.id])).toEqual([
      { id: user.id, email: 'rider@example.com' },
    ]);
    const sessions = [...s.sessions.values()].filter((x) => x.userId === user.id);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.revoked).toBe(true);
    // Nothing of the Supabase session reaches the browser or the logs.
    expect(res.headers.getSetCookie().join('\n')).not.toMatch(/eyJ|sb-/);
    expect(h.logs()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    // Requests to Supabase carry the anon key and the 2024-01-01 API version, never anything of ours.
    const tokenCall = s.requests.findLast((r) => r.path === '/auth/v1/token')!;
    expect(tokenCall.headers).toMatchObject({ apikey: s.anonKey, 'x-supabase-api-version': '2024-01-01' });
  });

  it.each([
    [
      'a wrong password',
      () => s.createConfirmedUser('wrongpw@example.com', 'right-password'),
      { email: 'wrongpw@example.com', password: 'wrong-password' },
      401,
      'That email and password do not match. Check them and try again, or choose “Email me a code”.',
    ],
    [
      'an unknown address',
      () => undefined,
      { email: 'nobody@example.com', password: 'whatever1' },
      401,
      'That email and password do not match. Check them and try again, or choose “Email me a code”.',
    ],
    [
      'an unconfirmed address',
      () => s.createUser({ email: 'unconfirmed@example.com', password: 'pending-pass' }),
      { email: 'unconfirmed@example.com', password: 'pending-pass' },
      403,
      'Your email address is not confirmed yet. Open the link in the confirmation email we sent you, or choose “Email me a code”.',
    ],
    [
      'a banned user',
      () => (s.createConfirmedUser('banned@example.com', 'banned-pass'), s.banUser('banned@example.com')),
      { email: 'banned@example.com', password: 'banned-pass' },
      403,
      'This account is suspended. Contact the operator of this service if you think that is a mistake.',
    ],
    [
      'Supabase rate limiting',
      () => s.failNext('/auth/v1/token', { status: 429, code: 'over_request_rate_limit', message: 'Request rate limit reached' }),
      { email: 'x@example.com', password: 'whatever1' },
      429,
      'Too many sign-in attempts. Wait a few minutes and try again.',
    ],
    [
      'a Supabase outage (500)',
      () => s.failNext('/auth/v1/token', { status: 500, code: 'unexpected_failure', message: 'Unexpected failure' }),
      { email: 'x@example.com', password: 'whatever1' },
      503,
      'The sign-in service is not reachable right now. Try again in a minute.',
    ],
    [
      'no password',
      () => undefined,
      { email: 'x@example.com', password: '' },
      400,
      'Enter your password, or choose “Email me a code” to sign in without one.',
    ],
    [
      'no email address',
      () => undefined,
      { email: 'not-an-address', password: 'whatever1' },
      400,
      'Enter your email address, such as you@example.com.',
    ],
  ])('password sign-in with %s → a clear message, the email kept, the password not', async (_name, arrange, fields, status, message) => {
    arrange();
    const before = h.signedIn.length;
    const res = await submit(h, '/password', fields);
    expect(res.status).toBe(status);
    expect(alertText(res.text)).toBe(message);
    expect(res.text).toContain(`value="${fields.email}"`);
    if (fields.password) expect(res.text).not.toContain(fields.password);
    expect(res.text).not.toMatch(/at .+\.(ts|js):\d+/); // no stack trace
    expect(h.signedIn.length).toBe(before);
  });

  it('says so when email sign-in is switched off in Supabase', async () => {
    s.settings.emailEnabled = false;
    try {
      const res = await submit(h, '/password', { email: 'x@example.com', password: 'whatever1' });
      expect(alertText(res.text)).toBe('Signing in with email is turned off for this service. Use one of the other options on this page.');
    } finally {
      s.settings.emailEnabled = true;
    }
  });

  it('creates an account: "check your inbox", and the confirmation link opened in the same browser finishes sign-in', async () => {
    const res = await submit(h, '/signup', { email: 'newbie@example.com', password: 'a fine password' });
    expect(res.status).toBe(200);
    expect(noticeText(res.text)).toBe(
      'Check your inbox: if newbie@example.com can be registered, we sent it a confirmation link. Open the link in this browser to finish signing in, or confirm and then sign in here with your password.',
    );
    expect(res.text).not.toContain('a fine password');
    const mail = s.lastOtpFor('newbie@example.com')!;
    expect(mail.redirectTo).toBe(`${h.url}${PAGE}/callback`);
    // The person clicks the link: Supabase confirms and redirects to our callback with ?code=.
    const atSupabase = await res.client.get(mail.confirmationUrl);
    expect(atSupabase.status).toBe(303);
    expect(atSupabase.location).toMatch(new RegExp(`^${h.url}${PAGE}/callback\\?code=`));
    const done = await res.client.get(atSupabase.location!);
    expect(done.location).toBe(`${h.url}/interaction/abc/done`);
    const user = [...s.users.values()].find((u) => u.email === 'newbie@example.com')!;
    expect(h.signedIn.at(-1)).toEqual({ id: user.id, email: 'newbie@example.com', method: 'email_link' });
    expect(await h.store.query('SELECT count(*)::int AS n FROM signin_flows')).toEqual([{ n: 0 }]);
  });

  it('a confirmation link opened in another browser confirms the address and asks the person to sign in', async () => {
    await submit(h, '/signup', { email: 'elsewhere@example.com', password: 'another fine one' });
    const other = new FormClient();
    const atSupabase = await other.get(s.lastOtpFor('elsewhere@example.com')!.confirmationUrl);
    const page = await other.get(atSupabase.location!);
    expect(page.status).toBe(400);
    expect(noticeText(page.text)).toBe(
      'We could not finish signing you in in this browser. If you just confirmed your email address, it is confirmed now: sign in below.',
    );
    const res = await submit(h, '/password', { email: 'elsewhere@example.com', password: 'another fine one' }, other);
    expect(res.status).toBe(302);
  });

  it('answers sign-up for an existing address exactly like a new one (no account enumeration)', async () => {
    s.createConfirmedUser('exists@example.com', 'exists-pass');
    const res = await submit(h, '/signup', { email: 'exists@example.com', password: 'something-else' });
    expect(res.status).toBe(200);
    expect(noticeText(res.text)).toMatch(/^Check your inbox: if exists@example.com can be registered/);
  });

  it.each([
    [
      'a weak password',
      () => undefined,
      { email: 'weak@example.com', password: '123' },
      400,
      'Choose a stronger password. Password should be at least 6 characters.',
    ],
    [
      'sign-ups switched off',
      () => (s.settings.disableSignup = true),
      { email: 'closed@example.com', password: 'good-password' },
      403,
      'New accounts cannot be created here at the moment. Sign in with an existing account.',
    ],
    [
      'no password',
      () => undefined,
      { email: 'nopw@example.com', password: '' },
      400,
      'Choose a password for your new account, then select “Create account”.',
    ],
  ])('sign-up with %s → a clear message', async (_name, arrange, fields, status, message) => {
    arrange();
    try {
      const res = await submit(h, '/signup', fields);
      expect(res.status).toBe(status);
      expect(alertText(res.text)).toBe(message);
      expect(res.text).toContain(`value="${fields.email}"`);
    } finally {
      s.settings.disableSignup = false;
    }
  });

  it('signs in at once when the project confirms sign-ups automatically', async () => {
    s.settings.mailerAutoconfirm = true;
    try {
      const res = await submit(h, '/signup', { email: 'instant@example.com', password: 'instant-pass' });
      expect(res.status).toBe(302);
      expect(h.signedIn.at(-1)).toMatchObject({ email: 'instant@example.com', method: 'password' });
    } finally {
      s.settings.mailerAutoconfirm = false;
    }
  });

  it('signs in with an emailed code: "Email me a code", then "Code" and "Verify"', async () => {
    const user = s.createConfirmedUser('coder@example.com', 'unused-pass');
    const sent = await submit(h, '/otp', { email: 'coder@example.com', password: '' });
    expect(sent.status).toBe(200);
    expect(noticeText(sent.text)).toBe(
      'We emailed a sign-in code to coder@example.com. Enter it below. (The email also has a link you can open in this browser instead.)',
    );
    expect(sent.text).toContain('<label for="code">Code</label>');
    expect(sent.text).toContain('>Verify</button>');
    const res = await sent.client.post(`${h.url}${PAGE}/otp/verify`, {
      _csrf: csrfFrom(sent.text),
      email: 'coder@example.com',
      code: s.lastOtpFor('coder@example.com')!.otp,
    });
    expect(res.status).toBe(302);
    expect(h.signedIn.at(-1)).toEqual({ id: user.id, email: 'coder@example.com', method: 'otp' });
  });

  it('an emailed code also creates the account for a new address', async () => {
    const sent = await submit(h, '/otp', { email: 'fresh@example.com' });
    const res = await sent.client.post(`${h.url}${PAGE}/otp/verify`, {
      _csrf: csrfFrom(sent.text),
      email: 'fresh@example.com',
      code: s.lastOtpFor('fresh@example.com')!.otp,
    });
    expect(res.status).toBe(302);
    expect(h.signedIn.at(-1)).toMatchObject({ email: 'fresh@example.com', method: 'otp' });
  });

  it.each([
    [
      'a wrong code',
      (_otp: string) => '000000',
      () => undefined,
      401,
      'That code is wrong or has expired. Check the most recent email from us, or send a new code.',
    ],
    [
      'an expired code',
      (otp: string) => otp,
      () => s.advanceClock(s.settings.otpExpirySeconds + 5),
      401,
      'That code is wrong or has expired. Check the most recent email from us, or send a new code.',
    ],
    ['something that is not a code', (_otp: string) => 'abc', () => undefined, 400, 'Enter the 6-digit code from the email we sent you.'],
  ])('verifying %s → a clear message, still on the code step', async (_name, code, arrange, status, message) => {
    const email = `code-${Math.random().toString(36).slice(2, 8)}@example.com`;
    s.createConfirmedUser(email, 'unused-pass');
    const sent = await submit(h, '/otp', { email });
    arrange();
    const res = await sent.client.post(`${h.url}${PAGE}/otp/verify`, {
      _csrf: csrfFrom(sent.text),
      email,
      code: code(s.lastOtpFor(email)!.otp),
    });
    expect(res.status).toBe(status);
    expect(alertText(res.text)).toBe(message);
    expect(res.text).toContain('<label for="code">Code</label>');
    expect(res.text).toContain(`value="${email}"`);
  });

  it('asking for a second code within a minute → "wait a minute"', async () => {
    s.createConfirmedUser('impatient@example.com', 'unused-pass');
    const first = await submit(h, '/otp', { email: 'impatient@example.com' });
    expect(first.status).toBe(200);
    const again = await first.client.post(`${h.url}${PAGE}/otp`, { _csrf: csrfFrom(first.text), email: 'impatient@example.com' });
    expect(again.status).toBe(429);
    expect(alertText(again.text)).toBe('We emailed this address moments ago. Wait a minute before asking for another email.');
  });

  it('continues with a provider: server-side PKCE round trip through Supabase and back to the callback under the prefix', async () => {
    s.setIdpDecision('github', { email: 'octo@example.com', subject: 'gh-42' });
    const c = new FormClient();
    const start = await c.get(`${h.url}${PAGE}/provider/github`);
    expect(start.status).toBe(303);
    const authorize = new URL(start.location!);
    expect(authorize.origin + authorize.pathname).toBe(`${s.url}/auth/v1/authorize`);
    expect(authorize.searchParams.get('redirect_to')).toBe(`${h.url}${PAGE}/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('s256');
    expect(start.headers.getSetCookie().find((x) => x.startsWith('signin_flow='))).toMatch(
      /path=\/interaction\/abc;.*samesite=lax; httponly/i,
    );
    const hops = await c.follow(start);
    const callback = hops.find((r) => r.url.startsWith(`${h.url}${PAGE}/callback`))!;
    expect(callback.location).toBe(`${h.url}/interaction/abc/done`);
    const user = [...s.users.values()].find((u) => u.email === 'octo@example.com')!;
    expect(h.signedIn.at(-1)).toEqual({ id: user.id, email: 'octo@example.com', method: 'oauth:github' });
    // The callback is single use: replaying it finds no flow.
    const replay = await c.get(callback.url);
    expect(replay.status).toBe(400);
    expect(noticeText(replay.text)).toMatch(/^We could not finish signing you in in this browser/);
  });

  it('a provider sign-in cancelled at the provider → "was cancelled" on our page', async () => {
    s.setIdpDecision('google', 'deny');
    const c = new FormClient();
    const hops = await c.follow(await c.get(`${h.url}${PAGE}/provider/google`));
    const last = hops.at(-1)!;
    expect(last.status).toBe(400);
    expect(alertText(last.text)).toBe('Signing in with Google was cancelled. Choose an option below to try again.');
    s.setIdpDecision('google', { email: 'google-user@example.com' });
  });

  it('a provider flow that took longer than Supabase allows → "expired, start again"', async () => {
    const c = new FormClient();
    const start = await c.get(`${h.url}${PAGE}/provider/github`);
    const toIdp = await c.get(start.location!);
    const toCallback = await c.get(toIdp.location!);
    const back = await c.get(toCallback.location!); // GoTrue → our /callback?code=
    expect(back.location).toMatch(/\/callback\?code=/);
    s.advanceClock(s.settings.flowStateExpirySeconds + 1);
    const res = await c.get(back.location!);
    expect(res.status).toBe(400);
    expect(alertText(res.text)).toBe('This sign-in attempt expired or was already used. Start again below.');
  });

  it('refuses a provider that is not offered here', async () => {
    const res = await new FormClient().get(`${h.url}${PAGE}/provider/gitlab`);
    expect(res.status).toBe(404);
    expect(alertText(res.text)).toBe('That sign-in option is not offered here. Choose one of the options below.');
  });

  it.each(['/password', '/signup', '/otp', '/otp/verify'])(
    'refuses POST %s without the CSRF field (403, nothing sent to Supabase)',
    async (path) => {
      const before = s.requests.length;
      const res = await new FormClient().post(`${h.url}${PAGE}${path}`, { email: 'x@example.com', password: 'whatever1', code: '123456' });
      expect(res.status).toBe(403);
      expect(s.requests.length).toBe(before);
    },
  );
});

describe('Supabase unreachable or misconfigured', () => {
  let s: SupabaseStandIn;
  let h: SignInHarness;
  let down: SignInHarness;
  beforeAll(async () => {
    s = await startSupabaseStandIn({ providers: ['google'] });
    const closedPort = await freePort(); // nothing listens there: the network is "down"
    [h, down] = await Promise.all([
      startSignInHarness(supabaseEnv(s)),
      startSignInHarness({
        SUPABASE_URL: `http://127.0.0.1:${closedPort}`,
        SUPABASE_ANON_KEY: 'anon-key-0123456789abcdef',
        SUPABASE_AUTH_PROVIDERS: 'github',
      }),
    ]);
  }, HARNESS_START_MS);
  afterAll(async () => {
    await Promise.all([h.close(), down.close()]);
    await s.close();
  }, HARNESS_START_MS);

  it.each([
    ['/password', { email: 'x@example.com', password: 'whatever1' }],
    ['/signup', { email: 'x@example.com', password: 'whatever1' }],
    ['/otp', { email: 'x@example.com' }],
  ])('POST %s with the network down → 503 "not reachable", input kept', async (path, fields) => {
    const res = await submit(down, path, fields);
    expect(res.status).toBe(503);
    expect(alertText(res.text)).toBe('The sign-in service is not reachable right now. Try again in a minute.');
    expect(res.text).toContain('value="x@example.com"');
  });

  it('a provider button with the network down → 503 "not reachable" on our page (no redirect)', async () => {
    const res = await new FormClient().get(`${down.url}${PAGE}/provider/github`);
    expect(res.status).toBe(503);
    expect(alertText(res.text)).toBe('The sign-in service is not reachable right now. Try again in a minute.');
  });

  it('a provider offered here but not enabled in the Supabase project → a message on our page, not Supabase’s JSON error', async () => {
    const res = await new FormClient().get(`${h.url}${PAGE}/provider/github`);
    expect(res.status).toBe(503);
    expect(alertText(res.text)).toBe('Signing in with GitHub is not available right now. Use another option below.');
    expect(s.requests.some((r) => r.path === '/auth/v1/authorize')).toBe(false);
    expect(h.logs()).toContain('provider offered but not enabled in Supabase');
  });
});
