import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { Config } from '../config/schema.js';
import { IntervalsError } from '../intervals/errors.js';
import { INTERVALS_OAUTH_REQUESTED_SCOPES } from '../intervals/oauth-scopes.js';
import { exchangeIntervalsCode, type ExchangedToken } from '../intervals/oauth-token.js';
import { LinkCheckError } from './intervals-check.js';
import { secureCookies } from './sessions.js';

/**
 * "Connect with Intervals.icu", the browser's side: authorize at
 * `${INTERVALS_OAUTH_BASE_URL}/oauth/authorize`, then exchange the code
 * (src/intervals/oauth-token.ts).
 *
 * One redirect URI serves both entry points (Intervals.icu needs each registered, and the sign-in
 * flow's path holds a per-interaction uid): `BASE_URL/account/link/callback`. The signed state
 * cookie records where the flow started; the callback forwards to the interaction when needed.
 */
const STATE_COOKIE = 'intervals_oauth';
const STATE_MINUTES = 10;

export type OAuthTarget = { kind: 'account' } | { kind: 'interaction'; uid: string };

export function intervalsOAuthEnabled(config: Config): boolean {
  return Boolean(config.INTERVALS_OAUTH_CLIENT_ID && config.INTERVALS_OAUTH_CLIENT_SECRET);
}

export function intervalsRedirectUri(config: Config): string {
  return `${config.BASE_URL}/account/link/callback`;
}

const encodeTarget = (t: OAuthTarget) => (t.kind === 'account' ? 'account' : `i:${t.uid}`);

/** Sets the state cookie and returns the Intervals.icu authorize URL to send the browser to. */
export function startIntervalsOAuth(ctx: Context, config: Config, target: OAuthTarget): string {
  const state = randomBytes(24).toString('base64url');
  // Path '/' because the browser comes back to /account/link/callback and, in the sign-in flow,
  // goes on to /interaction/<uid>/link/callback; Lax is sent on that top-level GET from intervals.icu.
  ctx.cookies.set(STATE_COOKIE, `${state}|${encodeTarget(target)}`, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(ctx, config.isProduction),
    path: '/',
    maxAge: STATE_MINUTES * 60_000,
    overwrite: true,
  });
  const url = new URL('/oauth/authorize', config.INTERVALS_OAUTH_BASE_URL);
  url.searchParams.set('client_id', config.INTERVALS_OAUTH_CLIENT_ID ?? '');
  url.searchParams.set('redirect_uri', intervalsRedirectUri(config));
  url.searchParams.set('scope', INTERVALS_OAUTH_REQUESTED_SCOPES.join(','));
  url.searchParams.set('state', state);
  return url.toString();
}

/** Where the flow that owns this callback started, if the state matches (without consuming it). */
export function readOAuthTarget(ctx: Context): OAuthTarget | undefined {
  const raw = ctx.cookies.get(STATE_COOKIE, { signed: true }) ?? '';
  const [state, target] = raw.split('|');
  const got = typeof ctx.query.state === 'string' ? ctx.query.state : '';
  if (!state || !target || Buffer.byteLength(got) !== Buffer.byteLength(state) || !timingSafeEqual(Buffer.from(got), Buffer.from(state))) {
    return undefined;
  }
  return target === 'account' ? { kind: 'account' } : target.startsWith('i:') ? { kind: 'interaction', uid: target.slice(2) } : undefined;
}

export type OAuthLink = ExchangedToken;

/**
 * Handles the callback for `target`: checks the state, clears it, exchanges the code. Every
 * failure is a LinkCheckError whose message says what to do; nothing is saved here.
 */
export async function finishIntervalsOAuth(
  ctx: Context,
  config: Config,
  target: OAuthTarget,
  fetchImpl: typeof fetch = fetch,
): Promise<OAuthLink> {
  const found = readOAuthTarget(ctx);
  if (!found || encodeTarget(found) !== encodeTarget(target)) {
    throw new LinkCheckError(
      'intervals_oauth_state',
      'This Intervals.icu sign-in link has expired or was started in another browser. Start again with "Connect with Intervals.icu".',
    );
  }
  ctx.cookies.set(STATE_COOKIE, null, {
    path: '/',
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(ctx, config.isProduction),
  });
  if (ctx.query.error !== undefined) {
    throw new LinkCheckError(
      'intervals_oauth_denied',
      ctx.query.error === 'access_denied'
        ? 'You cancelled on Intervals.icu, so nothing was linked. Choose "Connect with Intervals.icu" again to allow access, or use an API key instead.'
        : 'Intervals.icu did not grant access, so nothing was linked. Try again, or use an API key instead.',
    );
  }
  const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
  if (!/^[A-Za-z0-9._~-]{1,512}$/.test(code)) {
    throw new LinkCheckError(
      'intervals_oauth_no_code',
      'Intervals.icu sent the browser back without a usable code. Start again with "Connect with Intervals.icu".',
    );
  }
  try {
    return await exchangeIntervalsCode({
      oauthBaseUrl: config.INTERVALS_OAUTH_BASE_URL,
      clientId: config.INTERVALS_OAUTH_CLIENT_ID ?? '',
      clientSecret: config.INTERVALS_OAUTH_CLIENT_SECRET ?? '',
      code,
      timeoutMs: config.INTERVALS_TIMEOUT_MS,
      fetch: fetchImpl,
    });
  } catch (err) {
    if (!(err instanceof IntervalsError)) throw err;
    throw exchangeFailure(err);
  }
}

/** The person-facing message for a failed exchange; nothing was saved. */
function exchangeFailure(err: IntervalsError): LinkCheckError {
  const { code } = err;
  switch (code) {
    case 'timeout':
    case 'unreachable':
      return new LinkCheckError(
        `intervals_${code}`,
        `${code === 'timeout' ? 'Intervals.icu did not answer in time' : 'We could not reach Intervals.icu'}, so nothing was linked. Try "Connect with Intervals.icu" again in a minute.`,
        code === 'timeout' ? 504 : 502,
      );
    case 'not_found':
      // "Client and/or secret not found": our configuration, not the person's doing.
      return new LinkCheckError(
        'intervals_oauth_client',
        'This service is not set up correctly for Intervals.icu sign-in (the operator must check INTERVALS_OAUTH_CLIENT_ID / _SECRET). Use an API key instead for now.',
        502,
      );
    case 'invalid_request':
      return new LinkCheckError(
        'intervals_oauth_code',
        'Intervals.icu did not accept the sign-in code (it lasts two minutes and works once). Start again with "Connect with Intervals.icu".',
      );
    default:
      return new LinkCheckError(
        'intervals_unexpected',
        'Intervals.icu answered in a way we did not expect, so nothing was linked. Try again in a few minutes.',
        502,
      );
  }
}
