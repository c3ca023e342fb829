/**
 * A small fixed-window counter per client IP for the sign-in POSTs, held in this process. It blunts
 * password guessing and code spraying from one address; Supabase applies its own limits behind it.
 * Deliberately separate from the store-backed per-person limiter of the resource server.
 */
export interface IpLimiter {
  /** Counts one attempt; `retryAfterSeconds` is set when the address is over its limit. */
  hit(ip: string): { allowed: boolean; retryAfterSeconds: number };
}

export interface IpLimitOptions {
  max: number;
  windowMs: number;
  /** Most addresses tracked at once; the oldest windows are dropped first (bounded memory). */
  maxTracked?: number;
  now?: () => number;
}

export function createIpLimiter(opts: IpLimitOptions): IpLimiter {
  const now = opts.now ?? Date.now;
  const maxTracked = opts.maxTracked ?? 10_000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(ip) {
      const t = now();
      let w = windows.get(ip);
      if (!w || t - w.start >= opts.windowMs) {
        windows.delete(ip);
        w = { start: t, count: 0 };
        windows.set(ip, w); // re-inserted: Map order stays oldest-window-first
        while (windows.size > maxTracked) windows.delete(windows.keys().next().value!);
      }
      w.count += 1;
      const allowed = w.count <= opts.max;
      return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((w.start + opts.windowMs - t) / 1000)) };
    },
  };
}
