import type { Config } from '../config/schema.js';
import { openPgStore } from './pg-store.js';
import type { Store } from './store.js';

/** DATABASE_URL set → node-postgres pool; unset → embedded PGlite under DATA_DIR. */
export async function openStore(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Store> {
  if (config.DATABASE_URL) return openPgStore({ connectionString: config.DATABASE_URL });
  // Loaded only when used: a PostgreSQL deployment never pays PGlite's module in memory.
  const { openPgliteStore } = await import('./pglite-store.js');
  return openPgliteStore({ dataDir: config.DATA_DIR });
}
