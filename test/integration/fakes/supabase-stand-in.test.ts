import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startSupabaseStandIn, type SupabaseStandIn } from '../../fakes/supabase/server.js';
import { authClientFor, followOutOf } from '../../fakes/supabase/auth-client.js';

/** Conformance of the stand-in: the real @supabase/auth-js drives it and sees what it sees from GoTrue. */
describe('Supabase Auth stand-in, driven by the real auth-js', () => {
  let s: SupabaseStandIn;
  beforeAll(async () => {
    s = await startSupabaseStandIn({ redirectAllowList: ['https://app.example.com/**'] });
  });
  afterAll(async () => {
    await s.close();
  });

  it('signs up, refuses the unconfirmed address, confirms by emailed code, then signs in with the password', async () => {
    const { auth } = authClientFor(s);
    const up = await auth.signUp({ email: 'New@Example.com', password: 'correct horse' });
    expect(up.error).toBeNull();
    expect(up.data.session).toBeNull();
    expect(up.data.user).toMatchObject({
      email: 'new@example.com',
      aud: 'authenticated',
      identities: [expect.objectContaining({ provider: 'email' })],
    });
    const mail = s.lastOtpFor('new@example.com')!;
    expect(mail).toMatchObject({
      type: 'signup',
      otp: expect.stringMatching(/^\d{6}$/),
      tokenHash: expect.stringMatching(/^pkce_[0-9a-f]{56}$/),
    });

    const early = await auth.signInWithPassword({ email: 'new@example.com', password: 'correct horse' });
    expect(early.error).toMatchObject({ status: 400, code: 'email_not_confirmed', message: 'Email not confirmed' });

    const verified = await auth.verifyOtp({ email: 'new@example.com', token: mail.otp, type: 'email' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email_confirmed_at).toEqual(expect.any(String));

    const signedIn = await auth.signInWithPassword({ email: 'new@example.com', password: 'correct horse' });
    expect(signedIn.error).toBeNull();
    const jwks = createRemoteJWKSet(new URL(`${s.url}/auth/v1/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(signedIn.data.session!.access_token, jwks, {
      issuer: `${s.url}/auth/v1`,
      audience: 'authenticated',
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: expect.any(String) });
    expect(payload).toMatchObject({
      sub: signedIn.data.user!.id,
      email: 'new@example.com',
      role: 'authenticated',
      amr: [expect.objectContaining({ method: 'password' })],
    });
  });

  it('answers a repeated sign-up for a confirmed address with a look-alike user and no session (no account enumeration)', async () => {
    const existing = s.createConfirmedUser('taken@example.com', 'secret-pass');
    const { auth } = authClientFor(s);
    const again = await auth.signUp({ email: 'taken@example.com', password: 'another-pass' });
    expect(again.error).toBeNull();
    expect(again.data.session).toBeNull();
    expect(again.data.user?.id).not.toBe(existing.id);
    expect(again.data.user?.identities).toEqual([]);
  });

  it.each([
    [
      'wrong password',
      async (c: ReturnType<typeof authClientFor>['auth']) => c.signInWithPassword({ email: 'pw@example.com', password: 'nope' }),
      400,
      'invalid_credentials',
      'Invalid login credentials',
    ],
    [
      'unknown user',
      async (c: ReturnType<typeof authClientFor>['auth']) => c.signInWithPassword({ email: 'ghost@example.com', password: 'x' }),
      400,
      'invalid_credentials',
      'Invalid login credentials',
    ],
    [
      'weak password on sign-up',
      async (c: ReturnType<typeof authClientFor>['auth']) => c.signUp({ email: 'weak@example.com', password: '123' }),
      422,
      'weak_password',
      'Password should be at least 6 characters.',
    ],
    [
      'code for an unknown address without sign-up',
      async (c: ReturnType<typeof authClientFor>['auth']) =>
        c.signInWithOtp({ email: 'ghost@example.com', options: { shouldCreateUser: false } }),
      422,
      'otp_disabled',
      'Signups not allowed for otp',
    ],
    [
      'a wrong code',
      async (c: ReturnType<typeof authClientFor>['auth']) => c.verifyOtp({ email: 'pw@example.com', token: '000000', type: 'email' }),
      403,
      'otp_expired',
      'Token has expired or is invalid',
    ],
  ])('maps %s to the GoTrue error auth-js reports', async (_name, call, status, code, message) => {
    if (!s.users.size || ![...s.users.values()].some((u) => u.email === 'pw@example.com'))
      s.createConfirmedUser('pw@example.com', 'right-password');
    const { auth } = authClientFor(s);
    const { error } = await call(auth);
    expect(error).toMatchObject({ status, code, message });
  });

  it('reports weak-password reasons the way auth-js expects', async () => {
    const { auth } = authClientFor(s);
    const { error } = await auth.signUp({ email: 'weak2@example.com', password: 'abc' });
    expect(error?.name).toBe('AuthWeakPasswordError');
    expect((error as unknown as { reasons: string[] }).reasons).toEqual(['length']);
  });

  it('sends one code per address per minute, and codes expire', async () => {
    s.createConfirmedUser('otp@example.com', 'whatever1');
    const { auth } = authClientFor(s);
    expect((await auth.signInWithOtp({ email: 'otp@example.com' })).error).toBeNull();
    const first = s.lastOtpFor('otp@example.com')!;
    expect(first.type).toBe('magiclink');
    const again = await auth.signInWithOtp({ email: 'otp@example.com' });
    expect(again.error).toMatchObject({
      status: 429,
      code: 'over_email_send_rate_limit',
      message: expect.stringMatching(/^For security purposes, you can only request this after \d+ seconds\.$/),
    });
    s.advanceClock(s.settings.otpExpirySeconds + 1);
    const late = await auth.verifyOtp({ email: 'otp@example.com', token: first.otp, type: 'email' });
    expect(late.error).toMatchObject({ status: 403, code: 'otp_expired' });
    expect((await auth.signInWithOtp({ email: 'otp@example.com' })).error).toBeNull();
    const fresh = s.lastOtpFor('otp@example.com')!;
    const ok = await auth.verifyOtp({ email: 'otp@example.com', token: fresh.otp, type: 'email' });
    expect(ok.error).toBeNull();
    const reused = await auth.verifyOtp({ email: 'otp@example.com', token: fresh.otp, type: 'email' });
    expect(reused.error).toMatchObject({ status: 403, code: 'otp_expired' });
  });

  it('runs the provider PKCE flow: verifier kept in the given storage, code single-use, user linked by email', async () => {
    const { auth, storage } = authClientFor(s);
    const { data, error } = await auth.signInWithOAuth({
      provider: 'github',
      options: { redirectTo: 'https://app.example.com/cb', skipBrowserRedirect: true },
    });
    expect(error).toBeNull();
    expect(new URL(data.url!).searchParams.get('code_challenge_method')).toBe('s256');
    expect([...storage.keys()].some((k) => k.endsWith('-code-verifier'))).toBe(true);
    const back = new URL(await followOutOf(s, data.url!));
    expect(back.origin + back.pathname).toBe('https://app.example.com/cb');
    const code = back.searchParams.get('code')!;
    const exchanged = await auth.exchangeCodeForSession(code);
    expect(exchanged.error).toBeNull();
    expect(exchanged.data.user).toMatchObject({ email: 'github-user@example.com', app_metadata: { provider: 'github' } });
    const replay = await fetch(`${s.url}/auth/v1/token?grant_type=pkce`, {
      method: 'POST',
      headers: { apikey: s.anonKey, 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01' },
      body: JSON.stringify({ auth_code: code, code_verifier: 'x'.repeat(43) }),
    });
    expect(replay.status).toBe(404);
    expect(await replay.json()).toEqual({ code: 'flow_state_not_found', message: 'invalid flow state, no valid flow state found' });
  });

  it('falls back to SITE_URL for an unlisted redirect_to and reports a denied provider consent', async () => {
    const { auth } = authClientFor(s);
    const { data } = await auth.signInWithOAuth({
      provider: 'google',
      options: { redirectTo: 'https://evil.example.net/steal', skipBrowserRedirect: true },
    });
    expect(new URL(await followOutOf(s, data.url!)).origin).toBe(s.settings.siteUrl);
    s.setIdpDecision('google', 'deny');
    const denied = await auth.signInWithOAuth({
      provider: 'google',
      options: { redirectTo: 'https://app.example.com/cb', skipBrowserRedirect: true },
    });
    const back = new URL(await followOutOf(s, denied.data.url!));
    expect(back.searchParams.get('error')).toBe('access_denied');
    s.setIdpDecision('google', { email: 'google-user@example.com' });
  });

  it.each([
    ['2024-01-01', { code: 'validation_failed', message: 'Unsupported provider: provider is not enabled' }, '2024-01-01'],
    [undefined, { code: 400, error_code: 'validation_failed', msg: 'Unsupported provider: provider is not enabled' }, null],
  ])('error body for X-Supabase-Api-Version %s', async (version, body, echoed) => {
    const res = await fetch(`${s.url}/auth/v1/authorize?provider=gitlab&redirect_to=https://app.example.com/cb`, {
      redirect: 'manual',
      headers: version ? { 'x-supabase-api-version': version } : {},
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-supabase-api-version')).toBe(echoed);
    expect(res.headers.get('x-sb-error-code')).toBe('validation_failed');
    expect(await res.json()).toEqual(body);
  });

  it.each([
    [{}, 'No API key found in request'],
    [{ apikey: 'wrong-key' }, 'Invalid API key'],
  ])('requires the apikey like Supabase’s gateway: %j', async (headers, message) => {
    const res = await fetch(`${s.url}/auth/v1/settings`, { headers });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message });
  });

  it('publishes settings with the enabled providers', async () => {
    const res = await fetch(`${s.url}/auth/v1/settings`, { headers: { apikey: s.anonKey } });
    const body = (await res.json()) as { external: Record<string, boolean>; mailer_autoconfirm: boolean };
    expect(body.external).toMatchObject({ github: true, google: true, gitlab: false, email: true });
    expect(body.mailer_autoconfirm).toBe(false);
  });

  it('reads the user, rotates refresh tokens, rejects reuse, and signs out (session gone afterwards)', async () => {
    s.createConfirmedUser('session@example.com', 'session-pass');
    const { auth } = authClientFor(s);
    const { data } = await auth.signInWithPassword({ email: 'session@example.com', password: 'session-pass' });
    const token = data.session!.access_token;
    expect((await auth.getUser(token)).data.user?.email).toBe('session@example.com');
    const first = data.session!.refresh_token;
    const refreshed = await auth.refreshSession({ refresh_token: first });
    expect(refreshed.data.session?.refresh_token).not.toBe(first);
    const reuse = await fetch(`${s.url}/auth/v1/token?grant_type=refresh_token`, {
      method: 'POST',
      headers: { apikey: s.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: first }),
    });
    expect(await reuse.json()).toEqual({ code: 400, error_code: 'refresh_token_already_used', msg: 'Invalid Refresh Token: Already Used' });
    const out = await fetch(`${s.url}/auth/v1/logout?scope=global`, {
      method: 'POST',
      headers: { apikey: s.anonKey, authorization: `Bearer ${token}` },
    });
    expect(out.status).toBe(204);
    const after = await auth.getUser(token);
    expect(after.error?.name).toBe('AuthSessionMissingError');
  });

  it('bans: a banned user cannot sign in', async () => {
    s.createConfirmedUser('banned@example.com', 'banned-pass');
    s.banUser('banned@example.com');
    const { auth } = authClientFor(s);
    const { error } = await auth.signInWithPassword({ email: 'banned@example.com', password: 'banned-pass' });
    expect(error).toMatchObject({ status: 400, code: 'user_banned' });
  });

  it('without PKCE (implicit flow) puts the session in the URL fragment, as GoTrue does', async () => {
    s.createConfirmedUser('implicit@example.com', 'implicit-pass');
    const res = await fetch(`${s.url}/auth/v1/otp`, {
      method: 'POST',
      headers: { apikey: s.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'implicit@example.com', create_user: false }),
    });
    expect(res.status).toBe(200);
    const mail = s.lastOtpFor('implicit@example.com')!;
    expect(mail.tokenHash).toMatch(/^[0-9a-f]{56}$/); // no pkce_ prefix
    const link = new URL(mail.confirmationUrl);
    link.searchParams.set('redirect_to', 'https://app.example.com/landing');
    const landed = new URL(await followOutOf(s, link.href));
    const fragment = new URLSearchParams(landed.hash.slice(1));
    expect(landed.origin + landed.pathname).toBe('https://app.example.com/landing');
    expect(fragment.get('type')).toBe('magiclink');
    expect(fragment.get('access_token')).toMatch(/^eyJ/);
    // The link is single use: a second click lands with the otp_expired error instead.
    const again = new URL(await followOutOf(s, link.href));
    expect(new URLSearchParams(again.hash.slice(1)).get('error_code')).toBe('otp_expired');
  });

  it('verifies a token_hash alone (the server-side email template flow) and refuses extra fields', async () => {
    s.createConfirmedUser('hash@example.com', 'hash-pass');
    const { auth } = authClientFor(s);
    await auth.signInWithOtp({ email: 'hash@example.com' });
    const mail = s.lastOtpFor('hash@example.com')!;
    const mixed = await fetch(`${s.url}/auth/v1/verify`, {
      method: 'POST',
      headers: { apikey: s.anonKey, 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01' },
      body: JSON.stringify({ type: 'email', token_hash: mail.tokenHash, email: 'hash@example.com' }),
    });
    expect(await mixed.json()).toEqual({ code: 'validation_failed', message: 'Only the token_hash and type should be provided' });
    const ok = await auth.verifyOtp({ token_hash: mail.tokenHash, type: 'email' });
    expect(ok.error).toBeNull();
    expect(ok.data.user?.email).toBe('hash@example.com');
  });
});
