import type { Queryable } from '../store/store.js';

/**
 * Fixed-window counter shared by every instance (one row per bucket and window). Returns whether
 * this hit is within `limit` and, if not, how many seconds until the window resets.
 */
export async function hitRateLimit(
  db: Queryable,
  bucket: string,
  limit: number,
  windowSeconds: number,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const rows = await db.query<{ hits: number; retry_after: number }>(
    `INSERT INTO auth_rate_limits (bucket, window_start, hits)
     VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2::float8) * $2::float8), 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = auth_rate_limits.hits + 1
     RETURNING hits, ceil(extract(epoch FROM window_start) + $2::float8 - extract(epoch FROM now()))::int AS retry_after`,
    [bucket, windowSeconds],
  );
  const row = rows[0]!;
  return { allowed: row.hits <= limit, retryAfterSeconds: Math.max(1, row.retry_after) };
}

/** Forget windows that ended long ago. */
export async function sweepRateLimits(db: Queryable): Promise<void> {
  await db.query(`DELETE FROM auth_rate_limits WHERE window_start < now() - interval '1 day'`);
}
