import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { perIpRateLimit } from '../../src/limits/ip-limit.js';
import { createRateLimiter, LONGEST_WINDOW_MS } from '../../src/limits/rate-limit.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

/** The store-backed per-IP limit other parts put in front of unauthenticated POSTs. */
let db: TestDatabase;
let store: Store;
let server: Server;
let url: string;

beforeAll(async () => {
  db = await createTestDatabase();
  store = await db.openMigrated();
  const app = new Koa({ proxy: true }); // as behind Fly's proxy (TRUST_PROXY): X-Forwarded-For names the client
  app.use(
    perIpRateLimit(store, { name: 'register', limit: 3, windowMs: 3_600_000, bucketMs: 60_000, applies: (ctx) => ctx.method === 'POST' }),
  );
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
  await db.drop();
});

const post = (ip: string) => fetch(url, { method: 'POST', headers: { 'x-forwarded-for': ip } });

describe('perIpRateLimit', () => {
  it('lets `limit` requests through per address, then answers 429 with Retry-After and RateLimit headers', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('203.0.113.7')).status);
    const refused = await post('203.0.113.7');
    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(refused.headers.get('ratelimit')).toBe(`"register";r=0;t=${retryAfter}`);
    expect(refused.headers.get('ratelimit-policy')).toBe('"register";q=3;w=3600');
    expect(await refused.json()).toMatchObject({ error: 'rate_limited' });
  });

  it('another address has its own budget, and requests it does not apply to pass untouched', async () => {
    expect((await post('198.51.100.9')).status).toBe(200);
    const get = await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('ratelimit')).toBeNull();
  });
});

describe('createRateLimiter (the window every per-IP limit uses)', () => {
  it('allows `limit` per window, then says how long to wait; other keys are separate; the window rolls on', async () => {
    let now = 1_000_040_000; // 20 s into a one-minute bucket
    const limiter = createRateLimiter(store, { name: 'clock-test', limit: 2, windowMs: 600_000, bucketMs: 60_000 }, () => now);
    expect(await limiter.take('ip:1.1.1.1')).toMatchObject({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    expect(await limiter.take('ip:1.1.1.1')).toMatchObject({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    now += 15_000;
    // The first bucket started 35 s ago, so its units leave the ten-minute window in 565 s.
    expect(await limiter.take('ip:1.1.1.1')).toEqual({ allowed: false, limit: 2, remaining: 0, retryAfterSeconds: 565, resetSeconds: 565 });
    expect(await limiter.take('ip:2.2.2.2')).toMatchObject({ allowed: true, remaining: 1 });
    now += 565_000;
    expect(await limiter.take('ip:1.1.1.1')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('refuses a window longer than the sweeps keep', () => {
    expect(() => createRateLimiter(store, { name: 'too-long', limit: 1, windowMs: LONGEST_WINDOW_MS + 1, bucketMs: 60_000 })).toThrow(
      /longer than the swept/,
    );
  });
});
