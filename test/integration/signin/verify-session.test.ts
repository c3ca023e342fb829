import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { SignJWT } from 'jose';
import { loadConfig } from '../../../src/config/load.js';
import { createSessionVerifier, SessionUnverifiedError } from '../../../src/signin/verify-session.js';
import { createSupabaseAuth, RequestStorage } from '../../../src/signin/supabase-client.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../../fakes/supabase/server.js';
import { authClientFor, supabaseEnv } from '../../fakes/supabase/auth-client.js';

/** Sessions are verified before anyone is signed in: signature and issuer (JWKS), audience, expiry, subject. */
describe('verifying a Supabase session', () => {
  let s: SupabaseStandIn;
  let other: SupabaseStandIn;
  beforeAll(async () => {
    [s, other] = await Promise.all([startSupabaseStandIn(), startSupabaseStandIn()]);
  });
  afterAll(async () => {
    await Promise.all([s.close(), other.close()]);
  });

  const setup = async () => {
    const config = loadConfig({ NODE_ENV: 'test', ...supabaseEnv(s) });
    return { verify: createSessionVerifier(config), auth: await createSupabaseAuth(config, new RequestStorage()) };
  };
  async function sessionFrom(standIn: SupabaseStandIn, email: string) {
    standIn.createConfirmedUser(email, 'verify-password');
    const { data } = await authClientFor(standIn).auth.signInWithPassword({ email, password: 'verify-password' });
    return data.session!;
  }

  it('accepts a session the project issued and returns its user id and email', async () => {
    const { verify, auth } = await setup();
    const session = await sessionFrom(s, 'Good@Example.com');
    await expect(verify(session, auth)).resolves.toEqual({ id: session.user.id, email: 'good@example.com' });
  });

  it.each([
    ['signed by another project', async () => sessionFrom(other, 'foreign@example.com')],
    [
      'whose token names someone else',
      async () => ({
        ...(await sessionFrom(s, 'swap@example.com')),
        user: { id: '00000000-0000-4000-8000-000000000000', email: 'x@example.com' },
      }),
    ],
    [
      'expired',
      async () => {
        s.advanceClock(-2 * s.settings.jwtExpirySeconds);
        try {
          return await sessionFrom(s, 'old@example.com');
        } finally {
          s.advanceClock(2 * s.settings.jwtExpirySeconds);
        }
      },
    ],
    ['that is not a JWT', async () => ({ access_token: 'not-a-jwt', user: { id: 'x' } })],
  ])('refuses a session %s', async (_name, make) => {
    const { verify, auth } = await setup();
    const session = await make();
    const err = await verify(session, auth).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionUnverifiedError);
    expect(err).toMatchObject({ code: 'session_unverified', status: 401 });
  });

  it('checks an HS256 (shared-secret) token with GET /auth/v1/user, which the JWKS cannot vouch for', async () => {
    const { verify, auth } = await setup();
    const forged = await new SignJWT({ sub: '11111111-1111-4111-8111-111111111111', aud: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(`${s.url}/auth/v1`)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-guessed-shared-secret-of-32-bytes!!'));
    const before = s.requests.filter((r) => r.path === '/auth/v1/user').length;
    const err = await verify({ access_token: forged, user: { id: '11111111-1111-4111-8111-111111111111' } }, auth).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'session_unverified' });
    expect(s.requests.filter((r) => r.path === '/auth/v1/user').length).toBe(before + 1);
  });
});
