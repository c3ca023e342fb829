import pg from 'pg';
import { isDependencyUnreachable } from '../errors.js';
import { StoreUnavailableError, type Queryable, type Store, type TransactionOptions } from './store.js';

// Return BIGINT / COUNT(*) as JS numbers (our counters stay far below 2^53) and
// timestamptz as Date (the default); both drivers then hand back the same shapes.
pg.types.setTypeParser(20, (v) => Number(v));

/** DATABASE_QUERY_TIMEOUT_MS's default, for stores opened without a configuration (tests). */
export const DEFAULT_QUERY_TIMEOUT_MS = 5000;
const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

export interface PgStoreOptions {
  connectionString: string;
  max?: number;
  /**
   * How long one query may wait for its answer before it fails with StoreUnavailableError (503)
   * and its connection is dropped; 0 = no limit (the admin CLI). Default DEFAULT_QUERY_TIMEOUT_MS.
   */
  queryTimeoutMillis?: number;
  /**
   * How long to wait for a connection: a new one to open, or a pooled one to come free. Fail fast
   * when the server is down instead of queuing requests for long. Default 3 s, or the query
   * timeout when that is shorter.
   */
  connectionTimeoutMillis?: number;
}

/**
 * Deadlines. A database that refuses or resets connections fails queries at once; one that stops
 * answering (a partition without RST, a frozen server, a lock that never frees) would hang them,
 * and with them every OAuth, page and /mcp request, until the client gave up. So:
 *
 * - Each query has node-postgres's `query_timeout`: a timer on our side, so it fires even when
 *   the server or the network is silent. We do not rely on `statement_timeout`: the server
 *   enforces it, which is no help when the server is what is stuck, and it would have to be a
 *   startup parameter or a session SET, which transaction-mode poolers (PgBouncer, Supabase's
 *   pooler) refuse or do not keep. The price: an abandoned statement may run on at the server
 *   until it notices the connection is gone.
 * - On that timeout node-postgres (8.x, non-pipelined) rejects the query but leaves its client
 *   waiting for the answer, and does not end it. `pool.query` then releases it with the error,
 *   which makes the pool destroy it; `transaction` below does the same, never returning such a
 *   connection to the pool, where the next request would queue behind the lost query.
 * - Waiting for a connection is bounded by `connectionTimeoutMillis`, both for a new connection
 *   (which a silent server never completes) and for a free pooled one (when all are stuck, each
 *   waiter gives up after it instead of queuing forever). A request thus fails within about one
 *   deadline, or two when it got a connection that then stopped answering.
 */
export function openPgStore(opts: PgStoreOptions): Store {
  const queryTimeout = opts.queryTimeoutMillis ?? DEFAULT_QUERY_TIMEOUT_MS;
  const connectTimeout =
    opts.connectionTimeoutMillis ?? (queryTimeout > 0 ? Math.min(DEFAULT_CONNECT_TIMEOUT_MS, queryTimeout) : DEFAULT_CONNECT_TIMEOUT_MS);
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    connectionTimeoutMillis: connectTimeout,
    query_timeout: queryTimeout > 0 ? queryTimeout : undefined,
    idleTimeoutMillis: 30_000,
    // Supabase's pooler (pgbouncer/supavisor in transaction mode) rejects named prepared statements;
    // node-postgres only prepares when given a `name`, which we never do.
  });
  // A dropped connection (server restart) surfaces here; the pool replaces it on next use.
  pool.on('error', () => undefined);

  // node-postgres's query_timeout error has no code; say in the logs what happened and what to tune.
  const explain = (err: unknown): unknown =>
    err instanceof Error && err.message === 'Query read timeout'
      ? new StoreUnavailableError(
          err,
          `PostgreSQL did not answer within ${queryTimeout} ms (DATABASE_QUERY_TIMEOUT_MS); the connection was dropped. If the database is only slow, not stuck, raise DATABASE_QUERY_TIMEOUT_MS.`,
        )
      : err;

  const query: Queryable['query'] = async (sql, params) => {
    try {
      return (await pool.query(sql, params as unknown[] | undefined)).rows;
    } catch (err) {
      throw explain(err);
    }
  };

  /** From the pool, with its deadlines. `release(true)` destroys the connection instead of pooling it. */
  const checkout = async () => {
    const client = await pool.connect();
    return { client, release: (destroy: boolean) => client.release(destroy) };
  };

  /**
   * A connection of its own, without a query deadline, for transactions that may legitimately run
   * long (migrations: a table rewrite, or waiting for another instance's migration lock during a
   * rolling deploy). Outside the pool, so it holds none of the connections requests need, and the
   * pool's clients keep their deadline. Opening it is still bounded; TCP keepalive eventually
   * notices a peer that vanished, but a frozen server can hold it: start-up then waits, as it
   * must, and the platform's health check decides.
   */
  const connectUntimed = async () => {
    const client = new pg.Client({ connectionString: opts.connectionString, connectionTimeoutMillis: connectTimeout, keepAlive: true });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return { client, release: () => void client.end().catch(() => undefined) };
  };

  return {
    driver: 'postgres',
    query,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>, txOpts?: TransactionOptions): Promise<T> {
      const { client, release } = txOpts?.noQueryTimeout ? await connectUntimed() : await checkout();
      // Set when the connection can no longer be trusted (timed out mid-query, reset): no ROLLBACK
      // (it would queue behind the lost query for another deadline; the server rolls back when the
      // connection closes), no further queries, and the connection is destroyed, not pooled.
      let broken: unknown;
      const run: Queryable['query'] = async (sql, params) => {
        if (broken !== undefined) throw new StoreUnavailableError(broken);
        try {
          return (await client.query(sql, params as unknown[] | undefined)).rows;
        } catch (err) {
          if (isDependencyUnreachable(err)) broken = err;
          throw explain(err);
        }
      };
      try {
        await run('BEGIN');
        const out = await fn({ query: run });
        await run('COMMIT');
        return out;
      } catch (err) {
        if (broken === undefined) {
          await client.query('ROLLBACK').catch((e: unknown) => {
            broken = e;
          });
        }
        throw err;
      } finally {
        release(broken !== undefined);
      }
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      // Resolves without waiting for each connection's goodbye (which a silent server never
      // acknowledges); connections still checked out are released within their query deadline.
      await pool.end();
    },
  };
}
