import type { Context, Middleware } from 'koa';
import type { Config } from '../config/schema.js';
import { perIpRateLimit } from '../limits/ip-limit.js';
import type { Store } from '../store/store.js';
import { OAUTH_ROUTES } from './provider.js';
import { DEFAULT_SCOPE, RS_SCOPES } from '../scopes.js';

/** Registration bodies are small JSON documents; anything larger is abuse or a mistake. */
export const MAX_REGISTRATION_BYTES = 8 * 1024;

const HOUR_MS = 3_600_000;

/**
 * Token requests (code exchanges and refreshes) accepted per client IP per hour. Generous: one
 * person refreshes about once an hour per client, but claude.ai and other hosted clients send
 * every user's refresh from a few shared egress addresses. This only stops a single address from
 * hammering the endpoint (client-secret or code guessing, runaway refresh loops).
 */
export const TOKEN_REQUESTS_PER_IP_PER_HOUR = 300;

function oauthError(ctx: Context, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}

/**
 * Guards in front of oidc-provider's open registration endpoint (its registration policies only
 * run with initial access tokens, so they cannot police anonymous DCR): a body size cap and a
 * per-IP rate limit shared by all instances. Field-level rules live in client-policy.ts.
 */
export function registrationGuard(config: Config, store: Store): Middleware {
  const limitPerIp = perIpRateLimit(store, {
    name: 'register',
    limit: config.REGISTRATION_RATE_LIMIT_PER_HOUR,
    windowMs: HOUR_MS,
    bucketMs: 60_000,
    onLimited: (ctx, d) =>
      oauthError(
        ctx,
        429,
        'temporarily_unavailable',
        `Too many client registrations from this address; try again in ${d.retryAfterSeconds} seconds.`,
      ),
  });
  return async (ctx, next) => {
    if (ctx.path !== OAUTH_ROUTES.registration) return next();
    // Browser-based MCP clients (Inspector in direct mode, web IDEs) register from their own origin;
    // oidc-provider sends no CORS headers here. Registration carries no cookies or credentials, so any origin may call it.
    ctx.set('Access-Control-Allow-Origin', '*');
    if (ctx.method === 'OPTIONS') {
      ctx.set('Access-Control-Allow-Methods', 'POST');
      ctx.set('Access-Control-Allow-Headers', 'Content-Type, Authorization');
      ctx.set('Access-Control-Max-Age', '3600');
      ctx.status = 204;
      return;
    }
    if (ctx.method !== 'POST') return next();
    const length = Number(ctx.get('content-length') || 0);
    if (length > MAX_REGISTRATION_BYTES) {
      return oauthError(ctx, 413, 'invalid_client_metadata', `The registration document is larger than ${MAX_REGISTRATION_BYTES} bytes.`);
    }
    return limitPerIp(ctx, next);
  };
}

/**
 * Per-IP limit on POST /token, shared by all instances. The refusal is a 429 with Retry-After and
 * an RFC 6749 error body. RFC 6749 §5.2 has no rate-limit code; `temporarily_unavailable` (its
 * authorization-endpoint code for "try later") is what our registration limit answers too, and
 * clients treat it as a transient failure: the MCP SDK keeps the stored tokens (unlike
 * `invalid_grant`, which makes it throw them away), and `slow_down` belongs to the device flow.
 */
export function tokenRateLimit(store: Store): Middleware {
  const limitPerIp = perIpRateLimit(store, {
    name: 'token',
    limit: TOKEN_REQUESTS_PER_IP_PER_HOUR,
    windowMs: HOUR_MS,
    bucketMs: 60_000,
    onLimited: (ctx, d) =>
      oauthError(
        ctx,
        429,
        'temporarily_unavailable',
        `Too many token requests from this address; try again in ${d.retryAfterSeconds} seconds.`,
      ),
  });
  return async (ctx, next) => {
    if (ctx.path !== OAUTH_ROUTES.token || ctx.method !== 'POST') return next();
    return limitPerIp(ctx, next);
  };
}

/**
 * A client that asks for no resource-server scope (none at all, or only openid/offline_access)
 * gets `intervals:read`: otherwise oidc-provider either fails with "no scope was granted" or
 * issues a token the MCP server must refuse (clients that send no `scope`, or only OIDC scopes). Authorization requests are GETs
 * in every MCP client; a POSTed request is left as sent.
 */
export const defaultScope: Middleware = async (ctx, next) => {
  if (ctx.path === OAUTH_ROUTES.authorization && ctx.method === 'GET') {
    const query = new URLSearchParams(ctx.querystring);
    const asked = (query.get('scope') ?? '').split(' ').filter(Boolean);
    if (!asked.some((s) => (RS_SCOPES as readonly string[]).includes(s)) && query.getAll('scope').length <= 1) {
      query.set('scope', [...asked, DEFAULT_SCOPE].join(' '));
      ctx.querystring = query.toString();
    }
  }
  return next();
};
