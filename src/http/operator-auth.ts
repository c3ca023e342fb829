import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Config } from '../config/schema.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Guard for the operator endpoints (/metrics, /config): they reveal how the service is set up and
 * used, so they are never public.
 *
 * - `Authorization: Bearer <METRICS_TOKEN>` always passes.
 * - Production without METRICS_TOKEN → 404, as if the endpoint did not exist (nothing to probe);
 *   with a token but a wrong or missing header → 401.
 * - Outside production, callers on loopback pass without the token (local development); others
 *   need it. The socket's own address is checked, never X-Forwarded-For.
 */
export function requireOperator(config: Pick<Config, 'METRICS_TOKEN' | 'isProduction'>, realm: string): Middleware {
  // Compare digests: equal length for timingSafeEqual, and no early exit on the token's length.
  const expected = config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : undefined;
  return async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    const tokenOk = expected !== undefined && m !== null && timingSafeEqual(digest(m[1]!), expected);
    const loopback = LOOPBACK.has(ctx.req.socket.remoteAddress ?? '');
    if (tokenOk || (!config.isProduction && loopback)) return next();
    if (config.isProduction && !expected) {
      ctx.status = 404;
      ctx.body = { error: 'not_found' };
      return;
    }
    ctx.status = 401;
    ctx.set('WWW-Authenticate', `Bearer realm="${realm}"`);
    ctx.body = { error: 'unauthorized', error_description: 'Send Authorization: Bearer <METRICS_TOKEN>.' };
  };
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
