import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import type { Config } from '../config/schema.js';
import { AppError } from '../errors.js';
import { supabaseAuthUrl, type SupabaseAuth } from './supabase-client.js';

export interface SupabaseSessionLike {
  access_token: string;
  user: { id: string; email?: string | null };
}

export class SessionUnverifiedError extends AppError {
  constructor(reason: 'invalid' | 'unreachable', cause?: unknown) {
    super(
      reason === 'invalid' ? 'session_unverified' : 'supabase_unreachable',
      reason === 'invalid'
        ? 'We could not confirm your sign-in with the sign-in service. Please try again.'
        : 'The sign-in service is not reachable right now. Try again in a minute.',
      reason === 'invalid' ? 401 : 503,
      { cause, expose: true },
    );
  }
}

/**
 * Checks a session Supabase just issued before trusting who it names: the access token against
 * the project's JWKS (iss = <SUPABASE_URL>/auth/v1, aud = authenticated, exp), or — for projects
 * still on HS256 shared-secret tokens, which the JWKS does not list — by asking GET /auth/v1/user.
 * The token's `sub` must be the user the session came with.
 */
export function createSessionVerifier(config: Config) {
  const issuer = supabaseAuthUrl(config);
  // jose caches the key set and refetches on an unknown kid (key rotation), with a cooldown.
  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`), { timeoutDuration: 5_000, cooldownDuration: 30_000 });

  return async function verifySession(session: SupabaseSessionLike, auth: SupabaseAuth): Promise<{ id: string; email: string | null }> {
    let sub: unknown;
    let email: unknown;
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(session.access_token);
    } catch (err) {
      throw new SessionUnverifiedError('invalid', err);
    }
    if ((header.alg === 'ES256' || header.alg === 'RS256') && header.kid) {
      try {
        const { payload } = await jwtVerify(session.access_token, jwks, {
          issuer,
          audience: 'authenticated',
          algorithms: ['ES256', 'RS256'],
        });
        ({ sub, email } = payload as { sub?: unknown; email?: unknown });
      } catch (err) {
        const network = err instanceof joseErrors.JWKSTimeout || (err instanceof TypeError && /fetch/i.test(err.message));
        throw new SessionUnverifiedError(network ? 'unreachable' : 'invalid', err);
      }
    } else {
      const { data, error } = await auth.getUser(session.access_token);
      if (error || !data.user)
        throw new SessionUnverifiedError(error?.status === 0 || (error?.status ?? 0) >= 500 ? 'unreachable' : 'invalid', error);
      ({ id: sub, email } = data.user);
    }
    if (typeof sub !== 'string' || sub !== session.user.id) throw new SessionUnverifiedError('invalid');
    return { id: sub, email: typeof email === 'string' && email.length > 0 ? email.toLowerCase() : null };
  };
}

export type SessionVerifier = ReturnType<typeof createSessionVerifier>;
