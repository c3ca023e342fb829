import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Queryable, Store } from './store.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';

export interface PgliteStoreOptions {
  /** Directory for the database files; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  /** Start from a dumped data directory (a tarball from `dumpDataDir`) instead of running initdb. */
  loadDataDir?: Blob;
}

/** Where `npm ci` (prepare) leaves an initialised data directory; see scripts/pglite-template.mjs. */
const TEMPLATE = new URL('../../pglite-template.tar.gz', import.meta.url);

/** A new, empty directory starts from the install-time template instead of running initdb (~4 s). */
function templateFor(dataDir: string): Blob | undefined {
  if (dataDir.startsWith('memory://') || existsSync(join(dataDir, 'PG_VERSION'))) return undefined;
  return existsSync(TEMPLATE) ? new Blob([readFileSync(TEMPLATE)]) : undefined;
}

export async function openPgliteStore(opts: PgliteStoreOptions): Promise<Store> {
  let lock: DataDirLock | undefined;
  if (!opts.dataDir.startsWith('memory://')) {
    mkdirSync(opts.dataDir, { recursive: true });
    lock = await lockDataDir(opts.dataDir);
  }
  const seed = opts.loadDataDir ?? templateFor(opts.dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(opts.dataDir, seed ? { loadDataDir: seed } : {});
  } catch (err) {
    await lock?.release();
    throw err;
  }
  // PGlite parses int8 to bigint by default; match the pg driver (numbers) so callers see one shape.
  const toRows = <R>(rows: unknown[]): R[] =>
    rows.map((r) => {
      const row = r as Record<string, unknown>;
      for (const k of Object.keys(row)) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
      return row as R;
    });

  const query: Queryable['query'] = async (sql, params) => {
    // Several statements without parameters (migrations) need exec(); query() takes exactly one.
    if ((!params || params.length === 0) && sql.includes(';')) {
      const results = await db.exec(sql);
      return toRows(results.at(-1)?.rows ?? []);
    }
    const res = await db.query(sql, params as unknown[] | undefined);
    return toRows(res.rows);
  };

  return {
    driver: 'pglite',
    query,
    async transaction(fn) {
      return db.transaction(async (t) =>
        fn({
          query: async (sql, params) => {
            if ((!params || params.length === 0) && sql.includes(';')) {
              const results = await t.exec(sql);
              return toRows(results.at(-1)?.rows ?? []);
            }
            return toRows((await t.query(sql, params as unknown[] | undefined)).rows);
          },
        }),
      );
    },
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      if (!db.closed) await db.close();
      await lock?.release();
    },
  };
}
