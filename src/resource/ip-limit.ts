import type { Context, Middleware } from 'koa';
import { rateLimitRejections } from '../http/metrics.js';
import type { Store } from '../store/store.js';
import { createRateLimiter, rateLimitHeaders, type RateLimitDecision, type RateLimitPolicy } from './rate-limit.js';

export interface IpLimitOptions extends RateLimitPolicy {
  /** Which requests count (e.g. only POST); others pass untouched. Default: all. */
  applies?: (ctx: Context) => boolean;
  /** Custom refusal (an HTML page for sign-in forms); headers are already set. Default: JSON. */
  onLimited?: (ctx: Context, decision: RateLimitDecision) => void;
}

/**
 * Per-client-IP limit for unauthenticated endpoints (registration, token, sign-in POSTs), shared by
 * all instances through the store. `ctx.ip` honours X-Forwarded-For only when TRUST_PROXY is set,
 * so a client cannot pick its own bucket.
 *
 *   router.post('/register', perIpRateLimit(store, { name: 'register', limit: 20, windowMs: 3_600_000, bucketMs: 60_000 }), …)
 */
export function perIpRateLimit(store: Store, opts: IpLimitOptions): Middleware {
  const limiter = createRateLimiter(store, opts);
  return async (ctx, next) => {
    if (opts.applies && !opts.applies(ctx)) return next();
    const decision = await limiter.take(`ip:${ctx.ip}`);
    ctx.set(rateLimitHeaders(opts, decision));
    if (decision.allowed) return next();
    rateLimitRejections.inc({ limiter: opts.name });
    ctx.status = 429;
    if (opts.onLimited) return opts.onLimited(ctx, decision);
    ctx.body = {
      error: 'rate_limited',
      error_description: `Too many requests from this address; try again in ${decision.retryAfterSeconds} seconds.`,
    };
  };
}
