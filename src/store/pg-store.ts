import pg from 'pg';
import type { Queryable, Store } from './store.js';

// Return BIGINT / COUNT(*) as JS numbers (our counters stay far below 2^53) and
// timestamptz as Date (the default); both drivers then hand back the same shapes.
pg.types.setTypeParser(20, (v) => Number(v));

export interface PgStoreOptions {
  connectionString: string;
  max?: number;
  /** Fail fast when the server is down instead of queuing requests for long. */
  connectionTimeoutMillis?: number;
}

export function openPgStore(opts: PgStoreOptions): Store {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 3000,
    idleTimeoutMillis: 30_000,
    // Supabase's pooler (pgbouncer/supavisor in transaction mode) rejects named prepared statements;
    // node-postgres only prepares when given a `name`, which we never do.
  });
  // A dropped connection (server restart) surfaces here; the pool replaces it on next use.
  pool.on('error', () => undefined);

  const query: Queryable['query'] = async (sql, params) => {
    const res = await pool.query(sql, params as unknown[] | undefined);
    return res.rows;
  };

  return {
    driver: 'postgres',
    query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: async (sql, params) => (await client.query(sql, params as unknown[] | undefined)).rows,
        };
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
