import type { Config } from '../config/schema.js';
import { openPgStore } from './pg-store.js';
import type { Store } from './store.js';
import { checkDatabaseReachable } from './connect-check.js';

export interface OpenStoreOptions {
  /** No per-query deadline (DATABASE_QUERY_TIMEOUT_MS): for the admin CLI, never for the server. */
  noQueryTimeout?: boolean;
}

/** DATABASE_URL set → node-postgres pool (checked with one query); unset → embedded PGlite under DATA_DIR (locked to this process). */
export async function openStore(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_QUERY_TIMEOUT_MS'>,
  opts: OpenStoreOptions = {},
): Promise<Store> {
  if (config.DATABASE_URL) {
    const store = openPgStore({
      connectionString: config.DATABASE_URL,
      queryTimeoutMillis: opts.noQueryTimeout ? 0 : config.DATABASE_QUERY_TIMEOUT_MS,
    });
    await checkDatabaseReachable(store, config.DATABASE_URL);
    return store;
  }
  // Loaded only when used: a PostgreSQL deployment never pays PGlite's module in memory.
  const { openPgliteStore } = await import('./pglite-store.js');
  return openPgliteStore({ dataDir: config.DATA_DIR });
}
