import { randomBytes } from 'node:crypto';
import { readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/store/migrate.js';
import { openPgStore } from '../../src/store/pg-store.js';
import { openPgliteStore } from '../../src/store/pglite-store.js';
import type { Store } from '../../src/store/store.js';

/** Which store this run exercises: scripts/test.mjs runs the whole suite once per driver. */
export const TEST_STORE: 'postgres' | 'pglite' = process.env.TEST_STORE === 'pglite' ? 'pglite' : 'postgres';
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Where that PostgreSQL listens (scripts/test.mjs may point TEST_DATABASE_URL at a throwaway one on another port). */
export const PG_SERVER = { host: new URL(PG_ADMIN_URL).hostname, port: Number(new URL(PG_ADMIN_URL).port || 5432) };

export interface TestDatabase {
  driver: 'postgres' | 'pglite';
  /** Environment that points a service (in-process or child process) at this database. */
  env: Record<string, string>;
  /** Opens a store on it (each call a new connection/pool; PGlite: only one open at a time). */
  open(): Promise<Store>;
  /** Opens a store and applies every migration: the usual start of a test that needs the schema. */
  openMigrated(): Promise<Store>;
  /** Drops the schema / removes the directory. */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a new schema in PostgreSQL's `test` database, or a
 * new PGlite directory started from the run's template. Runs and files never see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await createEmptyDatabase();
  return {
    ...db,
    async openMigrated() {
      const store = await db.open();
      await migrate(store);
      return store;
    },
  };
}

async function createEmptyDatabase(): Promise<Omit<TestDatabase, 'openMigrated'>> {
  if (TEST_STORE === 'postgres') {
    const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = `${PG_ADMIN_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return {
      driver: 'postgres',
      env: { DATABASE_URL: url },
      open: async () => openPgStore({ connectionString: url }),
      drop: async () => {
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'intervals-mcp-pglite-'));
  const dataDir = join(dir, 'db');
  // Materialise the data directory from the run's template now, so both in-process stores and
  // spawned server processes open an existing database instead of running initdb.
  const template = process.env.PGLITE_TEMPLATE;
  if (template && existsSync(template)) {
    const seeded = await openPgliteStore({ dataDir, loadDataDir: new Blob([readFileSync(template)]) });
    await seeded.close();
  }
  return {
    driver: 'pglite',
    env: { DATA_DIR: dataDir },
    open: async () => openPgliteStore({ dataDir }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
