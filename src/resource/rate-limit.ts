import type { Store } from '../store/store.js';

/**
 * Rolling-window limits over the store, shared by every instance (migration 0200). The window is
 * split into sub-windows (buckets): a unit taken at time t is counted until its bucket's start
 * plus the window has passed, so the window rolls in bucket-sized steps.
 */
export interface RateLimitPolicy {
  /** Name in the RateLimit headers and metrics, e.g. "tool-calls". */
  name: string;
  limit: number;
  windowMs: number;
  bucketMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until at least one more unit is available (0 when some are left). */
  retryAfterSeconds: number;
  /** Seconds until the oldest counted unit leaves the window. */
  resetSeconds: number;
}

export interface RateLimiter {
  readonly policy: RateLimitPolicy;
  take(key: string): Promise<RateLimitDecision>;
}

export function createRateLimiter(store: Store, policy: RateLimitPolicy, now: () => number = Date.now): RateLimiter {
  return {
    policy,
    async take(key) {
      const t = now();
      const rows = await store.query<{ allowed: boolean; used: number; oldest_bucket: string | number | null }>(
        'SELECT allowed, used, oldest_bucket FROM rate_limit_take($1, $2, $3, $4, $5)',
        [`${policy.name}:${key}`, policy.limit, t, policy.windowMs, policy.bucketMs],
      );
      const row = rows[0]!;
      const oldest = row.oldest_bucket === null ? t : Number(row.oldest_bucket);
      const resetSeconds = Math.max(1, Math.ceil((oldest + policy.windowMs - t) / 1000));
      const remaining = Math.max(0, policy.limit - row.used);
      return {
        allowed: row.allowed,
        limit: policy.limit,
        remaining,
        retryAfterSeconds: row.allowed ? 0 : resetSeconds,
        resetSeconds,
      };
    },
  };
}

/** `RateLimit` / `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers) plus Retry-After on refusals. */
export function rateLimitHeaders(policy: RateLimitPolicy, d: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Policy': `"${policy.name}";q=${policy.limit};w=${Math.round(policy.windowMs / 1000)}`,
    RateLimit: `"${policy.name}";r=${d.remaining};t=${d.resetSeconds}`,
  };
  if (!d.allowed) headers['Retry-After'] = String(d.retryAfterSeconds);
  return headers;
}

/** Deletes sub-windows older than `maxWindowMs` for keys nobody has touched since. */
export async function sweepRateLimits(store: Store, maxWindowMs: number, now = Date.now()): Promise<number> {
  const rows = await store.query<{ n: number }>(
    'WITH d AS (DELETE FROM rate_limit_hits WHERE bucket_start <= $1 RETURNING 1) SELECT count(*)::integer AS n FROM d',
    [now - maxWindowMs],
  );
  return rows[0]?.n ?? 0;
}
