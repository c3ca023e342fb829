import type { Context, Middleware } from 'koa';
import { rateLimitRejections } from '../http/metrics.js';
import type { Store } from '../store/store.js';
import { createRateLimiter, rateLimitHeaders, type RateLimitDecision, type RateLimiter, type RateLimitPolicy } from './rate-limit.js';

export interface IpLimitOptions extends RateLimitPolicy {
  /** Which requests count (e.g. only POST); others pass untouched. Default: all. */
  applies?: (ctx: Context) => boolean;
  /** Custom refusal (an HTML page for sign-in forms, an OAuth error); status 429 and headers are already set. Default: JSON. */
  onLimited?: (ctx: Context, decision: RateLimitDecision) => void | Promise<void>;
}

/**
 * Per-client-IP limit for unauthenticated endpoints (registration, token, sign-in POSTs), shared by
 * all instances through the store: the one per-IP limiter of the service (an in-process counter
 * would give each instance its own budget). `ctx.ip` honours X-Forwarded-For only when TRUST_PROXY is set,
 * so a client cannot pick its own bucket.
 *
 *   router.post('/register', perIpRateLimit(store, { name: 'register', limit: 20, windowMs: 3_600_000, bucketMs: 60_000 }), …)
 */
export function perIpRateLimit(store: Store, opts: IpLimitOptions): Middleware {
  const limiter = createRateLimiter(store, opts);
  return async (ctx, next) => {
    if (opts.applies && !opts.applies(ctx)) return next();
    const decision = await takeForIp(limiter, ctx);
    if (decision.allowed) return next();
    if (opts.onLimited) return opts.onLimited(ctx, decision);
    ctx.body = {
      error: 'rate_limited',
      error_description: `Too many requests from this address; try again in ${decision.retryAfterSeconds} seconds.`,
    };
  };
}

/**
 * Takes one unit of the caller's per-IP budget and sets the RateLimit headers; when refused, also
 * sets status 429 (with Retry-After) and counts the refusal. The caller writes the body. For
 * routes that decide inside their handler whether an attempt counts.
 */
export async function takeForIp(limiter: RateLimiter, ctx: Context): Promise<RateLimitDecision> {
  const decision = await limiter.take(`ip:${ctx.ip}`);
  ctx.set(rateLimitHeaders(limiter.policy, decision));
  if (!decision.allowed) {
    rateLimitRejections.inc({ limiter: limiter.policy.name });
    ctx.status = 429;
  }
  return decision;
}
