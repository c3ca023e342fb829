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
  /** Hands the spare units this instance holds back to the database; takes after it ask the database each time. */
  close(): Promise<void>;
}

/**
 * The most spare units one instance holds for one key. It bounds the spurious refusals the leases
 * allow: another instance may refuse a person while up to this many of their units sit unused
 * here (and never more than an eighth of what was left when they were leased, migration 0700).
 */
export const MAX_SPARE_UNITS = 64;
/** Spare units not used this long after the key's last take here go back to the database. */
export const SPARE_IDLE_MS = 2_000;
/** How often idle spare units are looked for and handed back. */
const GIVE_BACK_EVERY_MS = 500;

interface Waiter {
  resolve: (d: RateLimitDecision) => void;
  reject: (err: unknown) => void;
}

interface KeyState {
  /** The database key: `<policy>:<key>`. */
  dbKey: string;
  /** The sub-window the spare units are counted in; they may only be used inside it. */
  bucket: number;
  /** Units the database counted for this instance that no request has used yet. */
  spare: number;
  /** The database's count for the key after our last lease (spare units included) and its oldest sub-window. */
  used: number;
  oldest: number;
  /** Spare units the next lease asks for: doubles while the key is busy, back to 1 when idle. */
  want: number;
  lastTakeAt: number;
  waiters: Waiter[];
  leasing: boolean;
}

interface LeaseRow extends Record<string, unknown> {
  granted: number;
  spare: number;
  used_after: number;
  oldest_bucket: string | number | null;
}

/**
 * Concurrent takes for one key in this instance are coalesced: while one database call for the
 * key is in flight, later requests queue and the next call asks for all of them at once, so one
 * busy person never serialises the instance on a database lock.
 *
 * Each call also leases spare units (rate_limit_lease, migration 0700) that later takes use without
 * a round trip: on a database 10 ms away a warm call would otherwise wait 10 ms for its own
 * admission. The promise stays exact — every admitted call was counted by the database in the
 * sub-window of its admission, so across any number of instances no more than `limit` pass in
 * the window — because spare units are only used inside the sub-window they were counted in, and
 * the unused ones are handed back (subtracted from that sub-window) at its end, after
 * SPARE_IDLE_MS without a take, and on close. What leases cost is spurious refusals: another
 * instance may refuse while budget sits here as spare, at most MAX_SPARE_UNITS per instance and
 * per key, for at most SPARE_IDLE_MS after the person's last call here (one sub-window if calls
 * keep coming). Spare units are leased only while more than 8× as many remain, so a person near
 * their limit is decided call by call, exactly as without leases. An instance that dies holding
 * spare units leaves them counted until they leave the window.
 */
export interface RateLimiterOptions {
  /**
   * The most spare units held per key (at most MAX_SPARE_UNITS). Default 0: every take asks the
   * database, as the sign-in, registration and metadata-fetch limits do — they are not on a hot
   * path, and an instance that stops without handing units back would strand them for the window.
   */
  spareUnits?: number;
}

export function createRateLimiter(
  store: Store,
  policy: RateLimitPolicy,
  now: () => number = Date.now,
  options: RateLimiterOptions = {},
): RateLimiter {
  const maxSpare = Math.min(MAX_SPARE_UNITS, Math.max(0, options.spareUnits ?? 0));
  if (policy.windowMs > LONGEST_WINDOW_MS) {
    throw new Error(`rate limit "${policy.name}": window ${policy.windowMs} ms is longer than the swept ${LONGEST_WINDOW_MS} ms`);
  }
  const states = new Map<string, KeyState>();
  /** Unused spare units to subtract, per `<dbKey>\n<bucket>`. */
  const giveBacks = new Map<string, { dbKey: string; bucket: number; units: number }>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const bucketOf = (t: number) => t - (t % policy.bucketMs);

  const decision = (allowed: boolean, used: number, oldest: number, t: number): RateLimitDecision => {
    const resetSeconds = Math.max(1, Math.ceil((oldest + policy.windowMs - t) / 1000));
    return {
      allowed,
      limit: policy.limit,
      remaining: Math.max(0, policy.limit - used),
      retryAfterSeconds: allowed ? 0 : resetSeconds,
      resetSeconds,
    };
  };

  function handBack(s: KeyState, bucket: number, units: number): void {
    if (units <= 0) return;
    const id = `${s.dbKey}\n${bucket}`;
    const entry = giveBacks.get(id);
    if (entry) entry.units += units;
    else giveBacks.set(id, { dbKey: s.dbKey, bucket, units });
    ensureTimer();
  }

  /** Give-backs in flight, so close() can wait for them. */
  const flushing = new Set<Promise<unknown>>();
  async function flushGiveBacks(): Promise<void> {
    const entries = [...giveBacks.values()];
    giveBacks.clear();
    // Subtracting never admits anything; a row already swept (out of the window) has nothing to give back to.
    const done = Promise.all(
      entries.map(
        (e) =>
          store
            .query('UPDATE rate_limit_hits SET hits = greatest(0, hits - $3) WHERE key = $1 AND bucket_start = $2', [
              e.dbKey,
              e.bucket,
              e.units,
            ])
            .catch(() => undefined), // the database is away: the units stay counted until they leave the window
      ),
    );
    flushing.add(done);
    await done;
    flushing.delete(done);
  }

  function tick(): void {
    const t = now();
    for (const [key, s] of states) {
      const idle = t - s.lastTakeAt >= SPARE_IDLE_MS;
      if (s.spare > 0 && (idle || bucketOf(t) !== s.bucket)) {
        handBack(s, s.bucket, s.spare);
        s.spare = 0;
        s.want = 1;
      }
      if (idle && s.spare === 0 && !s.leasing && s.waiters.length === 0) states.delete(key);
    }
    if (giveBacks.size > 0) void flushGiveBacks();
    if (states.size === 0 && giveBacks.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  function ensureTimer(): void {
    if (timer || closed) return;
    timer = setInterval(tick, GIVE_BACK_EVERY_MS);
    timer.unref();
  }

  /** Leases in flight, so close() can hand back what they bring. */
  const leasing = new Set<Promise<void>>();
  function startLease(s: KeyState): void {
    const p = lease(s);
    leasing.add(p);
    void p.then(() => leasing.delete(p));
  }

  async function lease(s: KeyState): Promise<void> {
    s.leasing = true;
    for (let first = true; first || s.waiters.length > 0; first = false) {
      const batch = s.waiters.splice(0);
      // Never more than MAX_SPARE_UNITS held at once, counting those still unused.
      const want = closed ? 0 : Math.max(0, Math.min(s.want, maxSpare) - s.spare);
      try {
        const t = now();
        const rows = await store.query<LeaseRow>(
          'SELECT granted, spare, used_after, oldest_bucket FROM rate_limit_lease($1, $2, $3, $4, $5, $6, $7)',
          [s.dbKey, policy.limit, batch.length, want, t, policy.windowMs, policy.bucketMs],
        );
        const row = rows[0]!;
        const oldest = row.oldest_bucket === null ? t : Number(row.oldest_bucket);
        const usedBefore = row.used_after - row.granted - row.spare;
        batch.forEach((w, i) => w.resolve(decision(i < row.granted, usedBefore + Math.min(i + 1, row.granted), oldest, t)));
        s.used = row.used_after;
        s.oldest = oldest;
        const leasedIn = bucketOf(t);
        if (row.spare > 0) {
          // Usable only in the sub-window they were counted in (a take may have moved on meanwhile).
          if (leasedIn === s.bucket && leasedIn === bucketOf(now()) && !closed) s.spare += row.spare;
          else handBack(s, leasedIn, row.spare);
          if (row.spare === want) s.want = Math.min(maxSpare, s.want * 2);
          ensureTimer();
        }
        // Requests that queued during the round trip use the new spare units first.
        while (s.spare > 0 && s.waiters.length > 0) {
          s.spare -= 1;
          s.waiters.shift()!.resolve(decision(true, s.used - s.spare, s.oldest, now()));
        }
      } catch (err) {
        for (const w of batch) w.reject(err);
        // The database is down or silent: those queued meanwhile would only wait another full
        // deadline to learn the same; they get the 503 now.
        if (isTemporarilyUnavailable(err)) for (const w of s.waiters.splice(0)) w.reject(err);
      }
    }
    s.leasing = false;
  }

  return {
    policy,
    take(key) {
      const t = now();
      const bucket = bucketOf(t);
      let s = states.get(key);
      if (!s) {
        s = { dbKey: `${policy.name}:${key}`, bucket, spare: 0, used: 0, oldest: t, want: 1, lastTakeAt: t, waiters: [], leasing: false };
        states.set(key, s);
        ensureTimer();
      } else if (s.bucket !== bucket) {
        handBack(s, s.bucket, s.spare);
        s.spare = 0;
        s.bucket = bucket;
      }
      s.lastTakeAt = t;
      if (s.spare > 0 && s.waiters.length === 0) {
        s.spare -= 1;
        const d = decision(true, s.used - s.spare, s.oldest, t);
        // Lease the next spare units before these run out, while there is room for any.
        if (!s.leasing && maxSpare > 0 && s.spare <= s.want / 2 && policy.limit - s.used >= 16) startLease(s);
        return Promise.resolve(d);
      }
      const state = s;
      return new Promise<RateLimitDecision>((resolve, reject) => {
        state.waiters.push({ resolve, reject });
        if (!state.leasing) startLease(state);
      });
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await Promise.all(leasing);
      for (const s of states.values()) {
        handBack(s, s.bucket, s.spare);
        s.spare = 0;
      }
      await Promise.all([flushGiveBacks(), ...flushing]);
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
