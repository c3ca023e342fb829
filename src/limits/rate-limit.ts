import { isTemporarilyUnavailable } from '../errors.js';
import type { Store } from '../store/store.js';

/**
 * Rolling-window limits over the store, shared by every instance (migration 0200). The window is
 * split into sub-windows (buckets): a unit taken at time t is counted until its bucket's start
 * plus the window has passed, so the window rolls in bucket-sized steps.
 */
/**
 * The longest window any policy may use. The sweeps (resource server, `admin sweep`) delete every
 * sub-window older than this, whatever its key, so a longer window would lose counts early.
 */
export const LONGEST_WINDOW_MS = 3_600_000;

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
  /** Seconds until at least one more unit is available (0 when allowed). */
  retryAfterSeconds: number;
  /** Seconds until the oldest counted unit leaves the window. */
  resetSeconds: number;
}

export interface RateLimiter {
  readonly policy: RateLimitPolicy;
  take(key: string): Promise<RateLimitDecision>;
}

interface Waiter {
  resolve: (d: RateLimitDecision) => void;
  reject: (err: unknown) => void;
}

/**
 * Concurrent takes for one key in this instance are coalesced: while one database call for the
 * key is in flight, later requests queue and the next call asks for all of them at once. The
 * database still decides how many fit (exactly, across instances); this only turns N round trips
 * and N turns on the key's lock into one, which is what keeps one busy person from serialising
 * the whole instance on a database lock.
 */
export function createRateLimiter(store: Store, policy: RateLimitPolicy, now: () => number = Date.now): RateLimiter {
  if (policy.windowMs > LONGEST_WINDOW_MS) {
    throw new Error(`rate limit "${policy.name}": window ${policy.windowMs} ms is longer than the swept ${LONGEST_WINDOW_MS} ms`);
  }
  const queues = new Map<string, Waiter[]>();

  async function drain(key: string, queue: Waiter[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        const t = now();
        const rows = await store.query<{ granted: number; used_before: number; oldest_bucket: string | number | null }>(
          'SELECT granted, used_before, oldest_bucket FROM rate_limit_take($1, $2, $3, $4, $5, $6)',
          [`${policy.name}:${key}`, policy.limit, batch.length, t, policy.windowMs, policy.bucketMs],
        );
        const row = rows[0]!;
        const oldest = row.oldest_bucket === null ? t : Number(row.oldest_bucket);
        const resetSeconds = Math.max(1, Math.ceil((oldest + policy.windowMs - t) / 1000));
        batch.forEach((w, i) => {
          const allowed = i < row.granted;
          const used = row.used_before + Math.min(i + 1, row.granted);
          w.resolve({
            allowed,
            limit: policy.limit,
            remaining: Math.max(0, policy.limit - used),
            retryAfterSeconds: allowed ? 0 : resetSeconds,
            resetSeconds,
          });
        });
      } catch (err) {
        for (const w of batch) w.reject(err);
        // The database is down or silent: those queued meanwhile would only wait another full
        // deadline to learn the same; they get the 503 now.
        if (isTemporarilyUnavailable(err)) for (const w of queue.splice(0)) w.reject(err);
      }
    }
    queues.delete(key);
  }

  return {
    policy,
    take(key) {
      return new Promise<RateLimitDecision>((resolve, reject) => {
        const existing = queues.get(key);
        if (existing) {
          existing.push({ resolve, reject });
          return;
        }
        const queue: Waiter[] = [{ resolve, reject }];
        queues.set(key, queue);
        void drain(key, queue);
      });
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
