import type { Middleware } from 'koa';
import type { Config } from '../config/schema.js';
import type { Queryable } from '../store/store.js';
import { hitRateLimit } from './rate-limit.js';
import { OAUTH_ROUTES } from './provider.js';
import { DEFAULT_SCOPE, RS_SCOPES } from './resource.js';

/** Registration bodies are small JSON documents; anything larger is abuse or a mistake. */
export const MAX_REGISTRATION_BYTES = 8 * 1024;

function oauthError(ctx: Parameters<Middleware>[0], status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}

/**
 * Guards in front of oidc-provider's open registration endpoint (its registration policies only
 * run with initial access tokens, so they cannot police anonymous DCR): a body size cap and a
 * per-IP rate limit shared by all instances. Field-level rules live in client-policy.ts.
 */
export function registrationGuard(config: Config, db: Queryable): Middleware {
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
    const limit = await hitRateLimit(db, `dcr:ip:${ctx.ip}`, config.REGISTRATION_RATE_LIMIT_PER_HOUR, 3600);
    if (!limit.allowed) {
      ctx.set('Retry-After', String(limit.retryAfterSeconds));
      return oauthError(ctx, 429, 'temporarily_unavailable', `Too many client registrations from this address; try again in ${limit.retryAfterSeconds} seconds.`);
    }
    return next();
  };
}

/**
 * A client that asks for no resource-server scope (none at all, or only openid/offline_access)
 * gets `intervals:read`: otherwise oidc-provider either fails with "no scope was granted" or
 * issues a token the MCP server must refuse (research §2.2 #10). Authorization requests are GETs
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
