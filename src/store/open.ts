import type { Config } from '../config/schema.js';
import { openPgStore } from './pg-store.js';
import { openPgliteStore } from './pglite-store.js';
import type { Store } from './store.js';

/** DATABASE_URL set → node-postgres pool; unset → embedded PGlite under DATA_DIR. */
export async function openStore(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Store> {
  if (config.DATABASE_URL) return openPgStore({ connectionString: config.DATABASE_URL });
  return openPgliteStore({ dataDir: config.DATA_DIR });
}
