import { describe, it, expect, afterAll, beforeAll } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { migrate, loadMigrations } from '../../src/store/migrate.js';
import type { Store } from '../../src/store/store.js';

describe(`store (${process.env.TEST_STORE ?? 'postgres'})`, () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = await db.open();
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('applies every migration once and records it', async () => {
    const all = await loadMigrations();
    expect(await migrate(store)).toEqual(all.map((m) => m.id));
    expect(await migrate(store)).toEqual([]);
    const rows = await store.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(all.map((m) => m.id));
  });
});
