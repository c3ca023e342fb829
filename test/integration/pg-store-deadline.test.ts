import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openAdminContext } from '../../src/admin/context.js';
import { isDependencyUnreachable, isTemporarilyUnavailable } from '../../src/errors.js';
import { migrate } from '../../src/store/migrate.js';
import { openPgStore } from '../../src/store/pg-store.js';
import { StoreUnavailableError, type Store } from '../../src/store/store.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from '../support/store.js';

/**
 * The per-query deadline (DATABASE_QUERY_TIMEOUT_MS) on a real PostgreSQL, with pg_sleep standing
 * in for a query the server never answers in time: it fails as a 503 StoreUnavailableError, the
 * connection it held is dropped rather than pooled, a pool whose connections are all stuck refuses
 * waiters instead of queuing them, and migrations and the admin CLI are not cut off by it.
 * PostgreSQL only: PGlite runs in-process and has no deadline.
 */
const describePg = TEST_STORE === 'postgres' ? describe : describe.skip;

describePg('PostgreSQL per-query deadline', () => {
  const DEADLINE_MS = 500;
  // Scheduling slack on a loaded 2-core machine; less than a deadline, so that waiting for a
  // second one (a ROLLBACK or a query queued behind the lost one) shows.
  const MARGIN_MS = 400;
  let db: TestDatabase;
  let url: string;
  const opened: Store[] = [];
  const open = (max = 10) => {
    const s = openPgStore({ connectionString: url, queryTimeoutMillis: DEADLINE_MS, max });
    opened.push(s);
    return s;
  };
  const settle = async <T>(p: Promise<T>) => {
    const t0 = Date.now();
    try {
      return { value: await p, ms: Date.now() - t0 };
    } catch (error) {
      return { error, ms: Date.now() - t0 };
    }
  };
  const pid = async (s: Store) => (await s.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;

  beforeAll(async () => {
    db = await createTestDatabase();
    url = db.env.DATABASE_URL!;
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await db.drop();
  });

  it('a query that outlives the deadline fails as a 503 StoreUnavailableError, and its connection is replaced, not reused', async () => {
    const store = open(1);
    const before = await pid(store);
    const r = await settle(store.query('SELECT pg_sleep(3)'));
    expect(r.error).toBeInstanceOf(StoreUnavailableError);
    expect((r.error as Error).message).toMatch(/did not answer within 500 ms \(DATABASE_QUERY_TIMEOUT_MS\)/);
    expect(isTemporarilyUnavailable(r.error)).toBe(true);
    expect(isDependencyUnreachable(r.error)).toBe(true);
    expect(r.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
    expect(r.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    // The pool's only connection was still waiting for pg_sleep: had it been pooled again, this
    // would queue behind it and time out too.
    const next = await settle(pid(store));
    expect(next.value).toEqual(expect.any(Number));
    expect(next.value).not.toBe(before);
    expect(next.ms).toBeLessThan(MARGIN_MS);
  });

  it('in a transaction: the timed-out statement fails the transaction fast (no ROLLBACK queued behind it), later queries in it are refused, and the connection is dropped', async () => {
    const store = open(1);
    await store.query('CREATE TABLE IF NOT EXISTS deadline_tx (x int)');
    let inside = 0;
    let afterTimeout: unknown;
    const r = await settle(
      store.transaction(async (tx) => {
        inside = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
        await tx.query('INSERT INTO deadline_tx VALUES (1)');
        await tx.query('SELECT pg_sleep(3)').catch((err: unknown) => {
          afterTimeout = err;
        });
        // Code that swallowed the timeout and carries on is stopped here.
        await tx.query('INSERT INTO deadline_tx VALUES (2)');
      }),
    );
    expect(afterTimeout).toBeInstanceOf(StoreUnavailableError);
    expect(r.error).toBeInstanceOf(StoreUnavailableError);
    expect(r.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    const next = await settle(pid(store));
    expect(next.value).toEqual(expect.any(Number));
    expect(next.value).not.toBe(inside);
    expect(next.ms).toBeLessThan(MARGIN_MS);
    // Nothing of the transaction was committed.
    expect(await store.query('SELECT x FROM deadline_tx')).toEqual([]);
  });

  it('a pool whose every connection is stuck: more callers than connections all fail within about the deadline, none queue for long', async () => {
    const store = open(2);
    const t0 = Date.now();
    const all = await Promise.all(Array.from({ length: 8 }, () => settle(store.query('SELECT pg_sleep(3)'))));
    for (const r of all) {
      expect(isTemporarilyUnavailable(r.error)).toBe(true);
      // A waiter gives up after connectionTimeoutMillis (the deadline, here), or gets a connection
      // freed by a timeout and then waits one deadline for its own query: two at most.
      expect(r.ms).toBeLessThan(2 * DEADLINE_MS + MARGIN_MS);
    }
    expect(Date.now() - t0).toBeLessThan(2 * DEADLINE_MS + MARGIN_MS);
    expect(await pid(store)).toEqual(expect.any(Number));
  });

  it('a migration longer than the deadline completes, on the same store', async () => {
    const store = open();
    const t0 = Date.now();
    const applied = await migrate(store, [
      { id: '0001_slow', sql: 'SELECT pg_sleep(0.8); CREATE TABLE slow_migration_done (x int)' },
      { id: '0002_slower', sql: 'SELECT pg_sleep(0.7); INSERT INTO slow_migration_done VALUES (1)' },
    ]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_500);
    expect(applied).toEqual(['0001_slow', '0002_slower']);
    expect(await store.query('SELECT x FROM slow_migration_done')).toEqual([{ x: 1 }]);
    expect((await store.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id')).map((r) => r.id)).toEqual([
      '0001_slow',
      '0002_slower',
    ]);
    // The same store still holds requests to the deadline.
    expect((await settle(store.query('SELECT pg_sleep(3)'))).error).toBeInstanceOf(StoreUnavailableError);
  });

  it('the admin CLI (release command, reencrypt) runs without the deadline, whatever DATABASE_QUERY_TIMEOUT_MS says', async () => {
    const ctx = await openAdminContext(
      { NODE_ENV: 'test', DATABASE_URL: url, DATABASE_QUERY_TIMEOUT_MS: '100' },
      { out: () => undefined, err: () => undefined },
    );
    try {
      expect(ctx.config.DATABASE_QUERY_TIMEOUT_MS).toBe(100);
      expect(await ctx.store.query('SELECT pg_sleep(0.5)::text AS slept')).toEqual([{ slept: '' }]);
    } finally {
      await ctx.close();
    }
  });
});
