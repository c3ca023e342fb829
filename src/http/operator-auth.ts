import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Config } from '../config/schema.js';

/**
 * Guard for operator endpoints (/metrics, /config): they reveal how the service is set up and
 * used, so they are never public in production.
 *
 * - METRICS_TOKEN set → `Authorization: Bearer <METRICS_TOKEN>` required (401 otherwise).
 * - unset in production → 404, as if the endpoint did not exist (nothing to probe).
 * - unset elsewhere → open, for local development.
 */
export function requireOperator(config: Pick<Config, 'METRICS_TOKEN' | 'isProduction'>): Middleware {
  // Compare digests: equal length for timingSafeEqual, and no early exit on the token's length.
  const expected = config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : undefined;
  return async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    if (!expected) {
      if (config.isProduction) {
        ctx.status = 404;
        ctx.body = { error: 'not_found' };
        return;
      }
      return next();
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (!m || !timingSafeEqual(digest(m[1]!), expected)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer realm="operator"');
      ctx.body = { error: 'unauthorized', error_description: 'Send Authorization: Bearer <METRICS_TOKEN>.' };
      return;
    }
    return next();
  };
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
