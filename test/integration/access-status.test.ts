import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAccessStatusCache, statusKey } from '../../src/resource/access-status.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

/**
 * The access-status cache against the real database, on a clock the test moves: a status in use is
 * read again in the background past half its time (so a busy person does not wait for the
 * database at each expiry), and still never relied on past its full time.
 */
let db: TestDatabase;
let store: Store;
let clock = Date.UTC(2026, 11, 3, 12, 0, 0);
const now = () => clock;
const TTL_MS = 10_000;

async function until(probe: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !probe(); i++) await new Promise((r) => setTimeout(r, 20));
  return probe();
}

beforeAll(async () => {
  db = await createTestDatabase();
  store = await db.openMigrated();
  await store.query(`INSERT INTO accounts (id, email) VALUES ('acct-1', 'one@example.com')`);
  await store.query(
    `INSERT INTO oidc_payloads (model, id, payload) VALUES ('Grant', 'grant-1', '{"accountId":"acct-1","clientId":"app-1"}'::jsonb)`,
  );
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

describe('access status, read again ahead of expiry', () => {
  it('past half its time a status in use is refreshed in the background; a revocation then shows without a blocking read', async () => {
    const cache = createAccessStatusCache({ store, ttlMs: TTL_MS, now });
    const key = statusKey('acct-1', 'app-1');
    const first = await cache.load(key, 'acct-1', 'app-1');
    expect(first.refusal).toBeNull();

    clock += TTL_MS / 2 - 1_000; // not yet half: no background read
    expect(cache.get(key)?.checkedAt).toBe(first.checkedAt);
    await new Promise((r) => setTimeout(r, 100));
    expect(cache.get(key)?.checkedAt).toBe(first.checkedAt);

    // The app is revoked elsewhere (another instance deleted the grant).
    await store.query(`DELETE FROM oidc_payloads WHERE model = 'Grant' AND id = 'grant-1'`);
    clock += 2_000; // past half: get() still answers from memory, and reads again behind it
    expect(cache.get(key)?.refusal).toBeNull();
    expect(await until(() => cache.get(key)?.refusal === 'grant_revoked')).toBe(true);
    expect(cache.get(key)?.checkedAt).toBe(clock / 1000);
    cache.close();
  });

  it('personal access token statuses are not refreshed by the grant query (their own lookup is the status)', async () => {
    const cache = createAccessStatusCache({ store, ttlMs: TTL_MS, now });
    const key = statusKey('acct-1', 'pat:pat_1');
    const t = cache.ticket();
    cache.remember(key, { refusal: null, grantSince: 0, toolsetsRevision: 0, checkedAt: clock / 1000 }, t);
    clock += TTL_MS / 2 + 1_000;
    expect(cache.get(key)?.refusal).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect(cache.get(key)?.refusal).toBeNull();
    clock += TTL_MS; // past its full time: gone, the caller must look again
    expect(cache.get(key)).toBeUndefined();
    cache.close();
  });
});
