/**
 * The one small interface every part of the service uses to reach Postgres. Two drivers
 * implement it: PGlite (embedded, the default) and node-postgres (DATABASE_URL). SQL is plain
 * Postgres with $1-style parameters and runs unchanged on both.
 */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface TransactionOptions {
  /**
   * Exempt this transaction from the per-query deadline (DATABASE_QUERY_TIMEOUT_MS), for work that
   * may legitimately take long, such as migrations. Requests must never use it: it is what lets
   * a silent database hang them.
   */
  noQueryTimeout?: boolean;
}

export interface Store extends Queryable {
  readonly driver: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /** Cheap liveness query for /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The database cannot serve this request right now (503). Callers see only the generic 503 text
 * (errors.ts describeError); `message` is for the logs.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
  readonly status = 503;
  readonly expose = true;
  constructor(cause?: unknown, message = 'The database is unavailable; try again shortly.') {
    super(message, { cause });
  }
}
