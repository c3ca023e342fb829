import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { Store } from './store.js';

export interface Migration {
  id: string;
  sql: string;
}

/** The migrations folder lives in the source tree (plain SQL is not compiled), found from the package root. */
export function migrationsDir(): string {
  return join(packageRoot(), 'src', 'store', 'migrations');
}

export async function loadMigrations(dir = migrationsDir()): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(files.map(async (f) => ({ id: f.replace(/\.sql$/, ''), sql: await readFile(join(dir, f), 'utf8') })));
}

/**
 * Applies pending migrations in order, inside one transaction that holds an advisory lock, so two
 * instances starting at the same moment serialise: the second waits, then finds nothing to do.
 * Returns the ids applied by this call.
 *
 * Without the per-query deadline (DATABASE_QUERY_TIMEOUT_MS, meant for requests): a migration may
 * rewrite a large table, and the second instance waits on the lock for as long as the first one
 * migrates. Cut off, either would fail start-up (or the release command) for no fault of the
 * database. Nothing waits on this but start-up itself, which the platform's health check bounds.
 */
export async function migrate(store: Store, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  // Every restart finds the schema current: one round trip instead of the locked transaction's
  // five (begin, lock, create, select, commit), which on a database 10–40 ms away is start-up time.
  // A schema without the table yet (the first start) errors here and takes the full path.
  if (
    await migrationsApplied(
      store,
      all.map((m) => m.id),
    ).catch(() => false)
  )
    return [];
  return store.transaction(
    async (tx) => {
      // Keyed by schema so test runs in separate schemas of one database do not queue behind each other.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('intervals-mcp:migrate:' || current_schema()))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
      const done = new Set((await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id));
      const applied: string[] = [];
      for (const m of all) {
        if (done.has(m.id)) continue;
        await tx.query(m.sql);
        await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
        applied.push(m.id);
      }
      return applied;
    },
    { noQueryTimeout: true },
  );
}

/** True when every known migration is recorded: what /ready checks. */
export async function migrationsApplied(store: Store, expected: readonly string[]): Promise<boolean> {
  const rows = await store.query<{ id: string }>('SELECT id FROM schema_migrations');
  const done = new Set(rows.map((r) => r.id));
  return expected.every((id) => done.has(id));
}
