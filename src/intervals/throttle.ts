/**
 * Client-side pacing so we stay inside Intervals.icu's limit ("10/s per IP with a short burst",
 * the maintainer on the Intervals.icu forum). Token buckets that reserve ahead: a caller that finds the bucket empty is told
 * how long to wait, and its token is already spoken for, so waiters are served in arrival order.
 * One bucket per Intervals.icu account plus one global bucket for the whole process (all athletes
 * share our egress IP).
 */
export interface ThrottleOptions {
  perKeyPerSecond: number;
  perKeyBurst: number;
  globalPerSecond: number;
  globalBurst: number;
}

/**
 * The documented limit is per IP, and every athlete we serve shares our egress IP, so the global
 * bucket is the real ceiling: 10/s with a burst of 30. Each account gets at most half of it
 * sustained (one athlete's summary burst cannot starve the others), with room for the handful of
 * parallel calls one tool makes.
 */
export const DEFAULT_THROTTLE: ThrottleOptions = { perKeyPerSecond: 5, perKeyBurst: 10, globalPerSecond: 10, globalBurst: 30 };

class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }
  /** Take one token; returns how many ms the caller must wait before using it. */
  reserve(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }
  idle(now: number): boolean {
    return this.tokens + ((now - this.last) / 1000) * this.rate >= this.burst;
  }
}

const MAX_KEYS = 10_000;

export class Throttle {
  private readonly perKey = new Map<string, Bucket>();
  private readonly global: Bucket;
  constructor(
    private readonly opts: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {
    this.global = new Bucket(opts.globalPerSecond, opts.globalBurst, now());
  }

  /** Resolves when one more request for `key` may go out. */
  async acquire(key: string): Promise<void> {
    const t = this.now();
    let bucket = this.perKey.get(key);
    if (!bucket) {
      if (this.perKey.size >= MAX_KEYS) this.sweep(t);
      bucket = new Bucket(this.opts.perKeyPerSecond, this.opts.perKeyBurst, t);
      this.perKey.set(key, bucket);
    }
    // The account's own pace first, the shared bucket only when its turn comes: reserving both at
    // once let one person's backlog (a coach's roster: three calls per athlete) spend the global
    // tokens seconds ahead, and everyone else waited behind it.
    const own = bucket.reserve(t);
    if (own > 0) await new Promise((r) => setTimeout(r, own));
    const shared = this.global.reserve(own > 0 ? this.now() : t);
    if (shared > 0) await new Promise((r) => setTimeout(r, shared));
  }

  private sweep(t: number): void {
    for (const [k, b] of this.perKey) if (b.idle(t)) this.perKey.delete(k);
  }
}

/** The process-wide throttle every client shares unless a test injects its own. */
export const sharedThrottle = new Throttle();
