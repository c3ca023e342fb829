import type { SecretBox } from '../crypto/secret-box.js';
import type { Store } from '../store/store.js';

/**
 * Every column that holds a secret-box ciphertext. Re-encryption walks this list, so a part that
 * adds a sealed column adds one entry here and `admin reencrypt` covers it.
 */
export interface SealedColumn {
  table: string;
  /** Primary-key column (one column). */
  idColumn: string;
  column: string;
  /** Column recording the key id, kept in step with the ciphertext (optional). */
  keyColumn?: string;
  /** The associated data the row was sealed with. */
  associatedData: (id: string) => string;
}

export const SEALED_COLUMNS: SealedColumn[] = [
  {
    table: 'intervals_links',
    idColumn: 'account_id',
    column: 'secret_ciphertext',
    keyColumn: 'key_version',
    associatedData: (id) => `intervals_links:${id}`,
  },
  {
    // The authorization server's token signing keys (src/auth/keys.ts), when generated and kept in the store.
    table: 'signing_keys',
    idColumn: 'kid',
    column: 'sealed_jwk',
    associatedData: (kid) => `signing_keys:${kid}`,
  },
];

export interface ReencryptReport {
  /** Rows re-sealed under the current key, per table. */
  resealed: Record<string, number>;
  /** Rows already under the current key. */
  current: Record<string, number>;
}

async function tableExists(store: Store, table: string): Promise<boolean> {
  const rows = await store.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  return rows[0]?.t != null;
}

/**
 * Re-seals every row not yet under the current key (run after rotating ENCRYPTION_KEY, with the
 * old key in PREVIOUS_ENCRYPTION_KEYS; afterwards the old key can be dropped). Each row is
 * updated only if its ciphertext is unchanged, so a concurrent re-link is never overwritten.
 * Throws (naming the table and row id, never the secret) if a row does not open with any key.
 */
export async function reencryptAllSecrets(
  store: Store,
  box: SecretBox,
  columns: readonly SealedColumn[] = SEALED_COLUMNS,
): Promise<ReencryptReport> {
  const report: ReencryptReport = { resealed: {}, current: {} };
  for (const c of columns) {
    report.resealed[c.table] = 0;
    report.current[c.table] = 0;
    if (!(await tableExists(store, c.table))) continue;
    const rows = await store.query<{ id: string; sealed: string }>(
      `SELECT ${c.idColumn}::text AS id, ${c.column} AS sealed FROM ${c.table}`,
    );
    for (const r of rows) {
      if (box.keyIdOf(r.sealed) === box.currentKeyId) {
        report.current[c.table]! += 1;
        continue;
      }
      let plain: string;
      try {
        plain = box.open(r.sealed, c.associatedData(r.id));
      } catch (err) {
        throw new Error(`${c.table} row ${r.id}: ${(err as Error).message}`, { cause: err });
      }
      const resealed = box.seal(plain, c.associatedData(r.id));
      const set = c.keyColumn ? `${c.column} = $1, ${c.keyColumn} = $2` : `${c.column} = $1`;
      const params = c.keyColumn ? [resealed, box.currentKeyId, r.id, r.sealed] : [resealed, r.id, r.sealed];
      const n = c.keyColumn ? 3 : 2;
      const updated = await store.query(
        `UPDATE ${c.table} SET ${set} WHERE ${c.idColumn}::text = $${n} AND ${c.column} = $${n + 1} RETURNING 1 AS ok`,
        params,
      );
      if (updated.length > 0) report.resealed[c.table]! += 1;
    }
  }
  return report;
}
