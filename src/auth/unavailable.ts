import type { Middleware } from 'koa';
import { errors } from 'oidc-provider';
import { isTemporarilyUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Queryable, Store } from '../store/store.js';

/**
 * The authorization server while its database is unreachable. Every OAuth artefact (clients,
 * codes, refresh tokens, interactions, grants) lives in the store, so nothing but discovery and
 * the JWKS can be served; what matters is how the refusal reads to a client.
 *
 * `temporarily_unavailable` with 503 and Retry-After, not oidc-provider's default for a failing
 * adapter (500 `server_error`): RFC 6749 §4.1.2.1 names it for exactly this, and the MCP SDK
 * (client/auth.js `auth()`) treats the two differently on a refresh. `server_error` makes it give
 * up on the refresh token and start a new browser sign-in, which fails too while the database is
 * down; `temporarily_unavailable` is thrown to the caller with the stored tokens kept, so the
 * next attempt after the outage simply refreshes. RFC 6749 §5.2 has no "try later" code for the
 * token endpoint; this one is what clients understand there (guards.ts answers its rate limit so too).
 */
export const UNAVAILABLE_DESCRIPTION = 'The authorization server cannot reach its database right now. Try again in a few seconds.';

/**
 * Thrown inside oidc-provider instead of the driver's error. oidc-provider answers an error by
 * its `statusCode`, `expose`, `message` (the OAuth code) and `error_description`, so this one
 * comes out as 503 `{ error: 'temporarily_unavailable', error_description }` on the JSON
 * endpoints, and at /authorize, once the client and its redirect_uri are known, as a redirect
 * back to the client with `error=temporarily_unavailable` (`allow_redirect`). It carries no
 * cause: the driver's message names hosts and ports.
 */
export class AuthorizationServerUnavailable extends errors.OIDCProviderError {
  constructor() {
    super(503, 'temporarily_unavailable');
    this.expose = true; // the constructor marks every 5xx unexposed, which would turn it back into server_error
    this.error_description = UNAVAILABLE_DESCRIPTION;
  }
}

/**
 * The store as oidc-provider's configuration sees it (adapter, findAccount, interaction policy,
 * remembered grants): a database that cannot be reached surfaces as AuthorizationServerUnavailable;
 * every other error passes unchanged.
 */
export function storeForProvider(store: Store, logger: Logger): Store {
  const translate = (err: unknown): never => {
    if (!isTemporarilyUnavailable(err)) throw err;
    logger.warn({ err }, 'authorization server: database unreachable; answering 503 temporarily_unavailable');
    throw new AuthorizationServerUnavailable();
  };
  return {
    driver: store.driver,
    query: <R extends Record<string, unknown>>(sql: string, params?: readonly unknown[]) => store.query<R>(sql, params).catch(translate),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => store.transaction(fn).catch(translate),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

/**
 * In front of the OAuth endpoints (before the guards, whose rate limits count in the store): an
 * unreachable database becomes the same OAuth error body oidc-provider gives, for clients; people
 * on pages (Accept: text/html) get the app's error page from requestContext instead. Retry-After
 * on every 503 is requestContext's.
 */
export const answerUnavailable: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!isTemporarilyUnavailable(err) || ctx.accepts('json', 'html') === 'html') throw err;
    ctx.state.log?.warn({ err }, 'authorization server: database unreachable; answering 503 temporarily_unavailable');
    ctx.status = 503;
    ctx.body = { error: 'temporarily_unavailable', error_description: UNAVAILABLE_DESCRIPTION };
  }
  // Ours and oidc-provider's (AuthorizationServerUnavailable), which comes without it: nothing should keep a refusal.
  if (ctx.status === 503) ctx.set('Cache-Control', 'no-store');
};
