import { athleteIdFrom, type IntervalsCredentials } from './credentials.js';
import { IntervalsError, timeoutError, unreachableError } from './errors.js';
import { parseIntervalsScopes } from './oauth-scopes.js';

/**
 * The code-for-token exchange of "Connect with Intervals.icu": a form POST of client_id,
 * client_secret and code to `${oauthBaseUrl}/api/oauth/token`, within two minutes of the
 * redirect. The token does not expire on a timer and comes with no refresh token; the person may
 * untick scopes, so the `scope` actually granted is kept. Failures are IntervalsErrors:
 * `not_found` (Intervals.icu knows no such client: the operator's configuration),
 * `invalid_request` (the code was refused), `upstream_error` (an answer we cannot use),
 * `timeout`, `unreachable`.
 */
export interface TokenExchange {
  /** INTERVALS_OAUTH_BASE_URL, e.g. https://intervals.icu */
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  code: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface ExchangedToken {
  athleteId: string;
  athleteName: string | null;
  credentials: Extract<IntervalsCredentials, { kind: 'oauth' }>;
}

const ROUTE = '/api/oauth/token';

export async function exchangeIntervalsCode(x: TokenExchange): Promise<ExchangedToken> {
  const doFetch = x.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(new URL(ROUTE, x.oauthBaseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: x.clientId, client_secret: x.clientSecret, code: x.code }),
      signal: AbortSignal.timeout(x.timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    // The cause may quote the request (and so the client secret): only its kind leaves here.
    if ((err as { name?: string }).name === 'TimeoutError') throw timeoutError('POST', ROUTE, x.timeoutMs);
    throw unreachableError('POST', ROUTE);
  }
  const text = await res.text().catch(() => '');
  if (res.status === 404) {
    // "Client and/or secret not found".
    throw new IntervalsError(
      'not_found',
      404,
      'Intervals.icu knows no OAuth client with this id and secret.',
      'The operator must check INTERVALS_OAUTH_CLIENT_ID / _SECRET.',
    );
  }
  if (!res.ok)
    throw new IntervalsError(
      'invalid_request',
      res.status,
      'Intervals.icu did not accept the authorisation code.',
      'Start the authorisation again: a code lasts two minutes and works once.',
    );
  let body: { access_token?: unknown; scope?: unknown; athlete?: { id?: unknown; name?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = {};
  }
  const athleteId = athleteIdFrom(body?.athlete?.id);
  if (typeof body?.access_token !== 'string' || body.access_token === '' || !athleteId) {
    throw new IntervalsError(
      'upstream_error',
      res.status,
      'Intervals.icu answered the token request without an access token or athlete.',
      'Try again in a few minutes.',
    );
  }
  return {
    athleteId,
    athleteName: typeof body.athlete?.name === 'string' ? body.athlete.name.slice(0, 200) : null,
    credentials: { kind: 'oauth', accessToken: body.access_token, scopes: parseIntervalsScopes(body.scope) },
  };
}
