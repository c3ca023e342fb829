import { describe, it, expect } from '@jest/globals';
import { createIpLimiter } from '../../../src/auth/signin/ip-limiter.js';

describe('per-IP sign-in limiter', () => {
  it('allows max attempts per window, then says how long to wait, then resets', () => {
    let now = 1_000_000;
    const limiter = createIpLimiter({ max: 2, windowMs: 60_000, now: () => now });
    expect(limiter.hit('1.1.1.1')).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(limiter.hit('1.1.1.1')).toEqual({ allowed: true, retryAfterSeconds: 0 });
    now += 15_000;
    expect(limiter.hit('1.1.1.1')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.hit('2.2.2.2')).toEqual({ allowed: true, retryAfterSeconds: 0 });
    now += 45_000;
    expect(limiter.hit('1.1.1.1')).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it('tracks a bounded number of addresses, forgetting the oldest windows first', () => {
    const limiter = createIpLimiter({ max: 1, windowMs: 60_000, maxTracked: 2, now: () => 0 });
    limiter.hit('a');
    limiter.hit('b');
    limiter.hit('c'); // evicts a
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.hit('c').allowed).toBe(false);
  });
});
