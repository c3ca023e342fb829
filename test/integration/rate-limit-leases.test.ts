import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRateLimiter, MAX_SPARE_UNITS, SPARE_IDLE_MS, type RateLimiter, type RateLimitPolicy } from '../../src/limits/rate-limit.js';
import type { Queryable, Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

/**
 * The leases of src/limits/rate-limit.ts against the real database: two limiters on one store are
 * two instances (each has only its own memory), on a clock the test moves. What is pinned: never
 * more than the limit admitted across both, the database asked rarely in steady state, and the
 * spurious refusals bounded by MAX_SPARE_UNITS for SPARE_IDLE_MS.
 */
let db: TestDatabase;
let store: Store;
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
let clock = T0;
const now = () => clock;
/** As the tool-call limiter is built (src/resource/resource-server.ts). */
const SPARE = { spareUnits: MAX_SPARE_UNITS };
const policy = (limit: number): RateLimitPolicy => ({ name: 'calls', limit, windowMs: 3_600_000, bucketMs: 60_000 });

/** The real store, counting the statements it is given (to see the round trips a take costs). */
function counting(inner: Store): Store & { queries: number } {
  const counted = {
    queries: 0,
    driver: inner.driver,
    query: ((sql: string, params?: readonly unknown[]) => {
      counted.queries += 1;
      return inner.query(sql, params);
    }) as Queryable['query'],
    transaction: inner.transaction.bind(inner),
    ping: inner.ping.bind(inner),
    close: inner.close.bind(inner),
  };
  return counted;
}

const counted = async (key: string): Promise<Array<{ bucket: number; hits: number }>> =>
  (
    await store.query<{ bucket_start: string; hits: number }>(
      'SELECT bucket_start, hits FROM rate_limit_hits WHERE key = $1 ORDER BY bucket_start',
      [`calls:${key}`],
    )
  ).map((r) => ({ bucket: Number(r.bucket_start), hits: r.hits }));
const total = async (key: string) => (await counted(key)).reduce((n, r) => n + r.hits, 0);

async function takeSequentially(limiter: RateLimiter, key: string, n: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < n; i++) if ((await limiter.take(key)).allowed) allowed += 1;
  return allowed;
}

async function untilCounted(key: string, expected: number): Promise<number> {
  const deadline = Date.now() + 3_000;
  let seen = await total(key);
  while (seen !== expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    seen = await total(key);
  }
  return seen;
}

beforeAll(async () => {
  db = await createTestDatabase();
  store = await db.openMigrated();
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

describe('rate-limit leases across two instances', () => {
  it('admits exactly the limit across both under 3× concurrent demand', async () => {
    clock = T0;
    const a = createRateLimiter(store, policy(200), now, SPARE);
    const b = createRateLimiter(store, policy(200), now, SPARE);
    const decisions = await Promise.all(Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? a : b).take('burst')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(200);
    const refused = decisions.filter((d) => !d.allowed);
    expect(refused).toHaveLength(400);
    expect(refused.every((d) => d.remaining === 0 && d.retryAfterSeconds === 3600)).toBe(true);
    await Promise.all([a.close(), b.close()]);
    expect(await total('burst')).toBe(200);
  });

  it('asks the database about once per 64 calls in steady state, and counts only what it admitted', async () => {
    clock = T0;
    const db1 = counting(store);
    const a = createRateLimiter(db1, policy(1_000_000), now, SPARE);
    expect(await takeSequentially(a, 'steady', 1_000)).toBe(1_000);
    // Leases double 1, 2, 4 … 64: 7 round trips to reach 64, then one per ~32–64 calls.
    expect(db1.queries).toBeLessThanOrEqual(40);
    await a.close();
    expect(await total('steady')).toBe(1_000);
  });

  it('uses spare units only in the sub-window they were counted in', async () => {
    clock = T0 + 5_000;
    const a = createRateLimiter(store, policy(1_000_000), now, SPARE);
    expect(await takeSequentially(a, 'roll', 100)).toBe(100);
    clock = T0 + 65_000; // the next sub-window
    expect(await takeSequentially(a, 'roll', 3)).toBe(3);
    await a.close();
    expect(await counted('roll')).toEqual([
      { bucket: T0, hits: 100 },
      { bucket: T0 + 60_000, hits: 3 },
    ]);
  });

  it(`bounds spurious refusals: at most ${MAX_SPARE_UNITS} units held elsewhere, back within ${SPARE_IDLE_MS} ms`, async () => {
    clock = T0;
    const a = createRateLimiter(store, policy(1_000), now, SPARE);
    const b = createRateLimiter(store, policy(1_000), now, SPARE);
    expect(await takeSequentially(a, 'spurious', 100)).toBe(100);
    // The person moves to B (a load balancer's choice) and uses up what B can get.
    const onB = await takeSequentially(b, 'spurious', 1_000);
    const heldByA = 1_000 - 100 - onB;
    expect(heldByA).toBeGreaterThanOrEqual(0);
    expect(heldByA).toBeLessThanOrEqual(MAX_SPARE_UNITS);
    expect((await b.take('spurious')).allowed).toBe(false);
    // A has seen no take for SPARE_IDLE_MS: its spare units go back, and B admits exactly those.
    clock += SPARE_IDLE_MS;
    expect(await untilCounted('spurious', 100 + onB)).toBe(100 + onB);
    expect(await takeSequentially(b, 'spurious', heldByA + 5)).toBe(heldByA);
    await Promise.all([a.close(), b.close()]);
    expect(await total('spurious')).toBe(1_000);
  });

  it('near the limit decides call by call: small limits lease nothing, so nothing is refused spuriously', async () => {
    clock = T0;
    const a = createRateLimiter(store, policy(6), now, SPARE);
    const b = createRateLimiter(store, policy(6), now, SPARE);
    const answers: boolean[] = [];
    for (let i = 0; i < 8; i++) answers.push((await (i % 2 === 0 ? a : b).take('small')).allowed);
    expect(answers).toEqual([true, true, true, true, true, true, false, false]);
    await Promise.all([a.close(), b.close()]);
    expect(await total('small')).toBe(6);
  });

  it('without spare units (the sign-in and registration limits) every take asks the database', async () => {
    clock = T0;
    const db1 = counting(store);
    const a = createRateLimiter(db1, policy(1_000_000), now);
    expect(await takeSequentially(a, 'exact', 50)).toBe(50);
    expect(db1.queries).toBe(50);
    await a.close();
    expect(await total('exact')).toBe(50);
  });
});
